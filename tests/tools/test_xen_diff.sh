#!/usr/bin/env bash
# Tests of tests/system/xen_diff.py, the comparison behind make xen-diff, on
# made-up logs: a run with real Xen always passes once its differences are
# listed, so the ways it must fail are shown here. Prints PASS/FAIL
# tools/xen-diff-<case> lines; exits 1 if any failed.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CMP="$ROOT/tests/system/xen_diff.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rc=0

cat >"$work/doc.md" <<'EOF'
# A compatibility document

| Id | Domain | Xen line | Bulkhead line | Row |
|---|---|---|---|---|
| XD-900 | a | `not read: outside the section` | `x` | - |

## Known differences (make xen-diff)

| Id | Domain | Xen line | Bulkhead line | Row |
|---|---|---|---|---|
| XD-001 | a | `version 1\.1` | `version 1\.0` | versions |
| XD-002 | * | `gone` | `<none>` | a line Bulkhead does not print |

## Another section
| XD-003 | a | `hello` | `bye` | - |
EOF
printf 'a\nb\n' >"$work/s.domains"

# Xen's log ($1 lines for a, $2 for b, interleaved) and Bulkhead's.
xen_log() {
    {
        echo "(XEN) Xen 4.17 banner"
        echo "(d1) start"
        echo "(d2) start"
        printf '%s\n' "$@"
        echo "(d1) end"
        echo "(d2) end"
    } >"$work/s.xen.log"
}
bh_log() {
    {
        echo "(bulkhead) banner"
        echo "[b] start"
        echo "[a] start"
        printf '%s\n' "$@"
        echo "[b] end"
        echo "[a] end"
    } >"$work/s.bulkhead.log"
}

# One case: name, expected exit status, a regex the output must contain.
check() {
    local name=$1 want=$2 re=$3 out got
    out=$(python3 "$CMP" --doc "${DOC:-$work/doc.md}" --dir "$work" s 2>&1)
    got=$?
    if [ "$got" -eq "$want" ] && grep -qE -e "$re" <<<"$out"; then
        echo "PASS tools/xen-diff-$name"
    else
        echo "FAIL tools/xen-diff-$name: exit $got (want $want), output:"
        sed 's/^/    /' <<<"$out"
        rc=1
    fi
}

xen_log "(d1) version 1.1" "(d2) ping" "(d1) xd-fig null_ns 500"
bh_log "[a] version 1.0" "[b] ping" "[a] xd-fig null_ns 100"
check listed 0 '^xen-diff: 6 lines compared, 1 differences, all listed$'
check figures 0 'a null_ns +500 +100 +0\.20'
check known-id 0 's/a line 2/2: XD-001 \(known\)'

xen_log "(d1) version 1.2" "(d2) ping"
bh_log "[a] version 1.0" "[b] ping"
check unlisted 1 'UNLISTED difference'
check unlisted-summary 1 '1 differences, 1 not listed'

xen_log "(d2) ping" "(d2) gone"
bh_log "[b] ping"
check missing-listed 0 's/b line 3/-: XD-002 \(known\)'

xen_log "(d2) ping"
bh_log "[b] ping" "[b] extra"
check extra-line 1 's/b line -/3: UNLISTED'

xen_log "(d1) hello"
bh_log "[a] bye"
check outside-section 1 'UNLISTED'

xen_log "(XEN) DOM2: uart line" "(d2) ping"
bh_log "[b] uart line" "[b] ping"
check vpl011-prefix 0 'all listed$'

xen_log "(d1) xd-info racy 1" "(d2) ping"
bh_log "[a] xd-info racy 2" "[b] ping"
check info-ignored 0 'all listed$'

xen_log "(d2) ping"
: >"$work/s.bulkhead.log"
check no-output 1 'no output from Bulkhead'

xen_log "(d2) ping"
bh_log "[b] ping"
DOC=/dev/null check no-rows 1 'no known-differences rows'

exit "$rc"
