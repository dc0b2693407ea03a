#!/usr/bin/env bash
# Seeded defects in a copy of the real tree: each must turn the evidence
# gates (and so `make test`, and CI) red with the expected FAIL line.
#   tests/evidence/seeded.sh [TOOLCHAIN]
# Prints "PASS evidence-seeded/<defect>" or "FAIL evidence-seeded/<defect>: ...".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TC=${1:-clang}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failed=0

seed_copy() { # name
    local dst="$WORK/$1"
    mkdir -p "$dst"
    # The tree as it stands, with its build directory so builds are incremental.
    tar -C "$ROOT" --exclude=.git --warning=no-file-changed -cf - . 2>/dev/null | tar -C "$dst" -xf -
    echo "$dst"
}

# Insert text after the first line matching a pattern, or, with "body",
# right after the opening brace of the function whose signature matches.
edit() { # file pattern text [body]
    python3 - "$@" <<'PY'
import sys
path, pat, text = sys.argv[1:4]
body = len(sys.argv) > 4
s = open(path).read()
i = s.index(pat)
j = s.index("{\n", i) + 2 if body else s.index("\n", i) + 1
open(path, "w").write(s[:j] + text + s[j:])
PY
}

check() { # name expected-regex dir
    local out
    out=$(make -C "$3" --no-print-directory TOOLCHAIN="$TC" evidence-gate 2>&1)
    if grep -Eq "$2" <<<"$out"; then
        echo "PASS evidence-seeded/$1"
    else
        echo "FAIL evidence-seeded/$1: no line matching '$2'"
        failed=1
    fi
}

# 1. A low-level requirement with code but no test.
d=$(seed_copy untested-requirement)
cat >>"$d/docs/requirements/llr.md" <<'EOF2'

### LLR-UTIL-099
Statement: Seeded requirement with code and no test.
Rationale: Seeded defect.
Refines: HLR-014
EOF2
edit "$d/hyp/core/util.c" "#include" "/* Implements: LLR-UTIL-099 */
"
check untested-requirement '^FAIL evidence/trace-llr-tested: .*LLR-UTIL-099' "$d"

# 2. A condition no unit test decides.
d=$(seed_copy uncovered-condition)
edit "$d/hyp/core/util.c" "size_t bh_strnlen(const char *s, size_t max)" "    if (max == 12345u && s == NULL) {
        return 7u;
    }
" body
check uncovered-condition '^FAIL evidence/coverage-(branch|mcdc|statement)' "$d"

# 3. A layering violation: the lowest core row calls partition code.
d=$(seed_copy layering-violation)
edit "$d/hyp/core/util.c" '#include "util.h"' '#include "part.h"
void *bh_seeded_upcall(void);
void *bh_seeded_upcall(void)
{
    return part_guest_ptr(&part_table[0], 0, 0);
}
'
check layering-violation '^FAIL evidence/coupling-layering' "$d"

# 4. Recursion in the hypervisor, reachable from every entry that formats.
d=$(seed_copy recursion)
edit "$d/hyp/core/util.c" '#include "util.h"' 'static volatile unsigned bh_seeded_n;
static unsigned bh_seeded_b(unsigned n);
static unsigned bh_seeded_a(unsigned n)
{
    return (n == 0u) ? 0u : bh_seeded_b(n - 1u) + 1u;
}
static unsigned bh_seeded_b(unsigned n)
{
    return (n == 0u) ? 0u : bh_seeded_a(n - 1u) * 2u;
}
'
edit "$d/hyp/core/util.c" "size_t bh_strnlen(const char *s, size_t max)" "    if (max == 0u) {
        return (size_t)bh_seeded_a(bh_seeded_n);
    }
" body
check recursion '^FAIL evidence/stack-sound' "$d"

exit $failed
