#!/usr/bin/env bash
# System tests: boot images in QEMU and check their console output.
#
#   tests/system/run.sh [TOOLCHAIN] [CASE...]
#
# Each file in tests/system/cases/ is one case:
#   image: <name>          boots build/<toolchain>/images/<name>.img
#   timeout: <seconds>     QEMU is killed after this long
#   qemu-args: <args>      extra QEMU arguments, e.g. -icount shift=0,sleep=off
#                          (@ROOT@ stands for the source tree)
#   expect: <regex>        must match a line after the line the previous
#                          expect: matched (extended regex, grep -E)
#   expect-any: <regex>    must match some line, in any order
#   reject: <regex>        must match no line
#   until: <regex>         QEMU is stopped 1 s after a line matches (before
#                          the timeout), for systems that do not end alone
#   input: <regex> => <text>
#                          once a line matches <regex>, <text> is written to
#                          QEMU's serial input (printf %b escapes: \n, \x02);
#                          input: lines are sent in order, each after its own
#                          match (QEMU's stdin is then a named pipe)
# Lines starting with '#' and blank lines are ignored. The log of each case is
# kept in build/<toolchain>/system/<case>.log. Prints "PASS system/<case>" or
# "FAIL system/<case>: <first unmet expectation>" per case; exits 1 if any
# case failed.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TC=${1:-${TOOLCHAIN:-clang}}
shift $(( $# > 0 ? 1 : 0 ))
CASES_DIR=${CASES_DIR:-"$ROOT/tests/system/cases"}
IMG_DIR="$ROOT/build/$TC/images"
LOG_DIR="$ROOT/build/$TC/system"
. "$ROOT/scripts/qemu.sh" # QEMU, QEMU_FLAGS
MAX_TIMEOUT=120

mkdir -p "$LOG_DIR"

# First line number > $2 in log $1 matching regex $3; empty if none.
match_after() {
    tail -n +"$(($2 + 1))" "$1" | grep -nE -m1 -e "$3" | cut -d: -f1 |
        { read -r n && echo $(($2 + n)); }
}

# Check the log of one case against its expectations; prints the first unmet
# one and returns 1, or returns 0.
check_log() {
    local spec=$1 log=$2 pos=0 kind re n
    while IFS= read -r line || [ -n "$line" ]; do
        kind=${line%%:*}
        re=${line#*: }
        case "$kind" in
        expect)
            n=$(match_after "$log" "$pos" "$re")
            if [ -z "$n" ]; then
                echo "expected (in order): $re"
                return 1
            fi
            pos=$n
            ;;
        expect-any)
            if ! grep -qE -e "$re" "$log"; then
                echo "expected: $re"
                return 1
            fi
            ;;
        reject)
            if grep -qE -e "$re" "$log"; then
                echo "rejected line present: $(grep -m1 -E -e "$re" "$log")"
                return 1
            fi
            ;;
        esac
    done < <(grep -E '^(expect|expect-any|reject): ' "$spec")
    return 0
}

run_case() {
    local spec=$1 name image secs img log raw why until_re
    name=$(basename "$spec")
    image=$(sed -n 's/^image: *//p' "$spec" | head -n1)
    secs=$(sed -n 's/^timeout: *//p' "$spec" | head -n1)
    secs=${secs:-10}
    local -a extra=()
    read -r -a extra <<<"$(sed -n 's/^qemu-args: *//p' "$spec" | head -n1)"
    extra=("${extra[@]//@ROOT@/$ROOT}") # @ROOT@: the source tree, for files QEMU reads
    [ "$secs" -gt "$MAX_TIMEOUT" ] && secs=$MAX_TIMEOUT
    img="$IMG_DIR/$image.img"
    log="$LOG_DIR/$name.log"
    if [ -z "$image" ] || [ ! -f "$img" ]; then
        echo "FAIL system/$name: image ${img} missing"
        return 1
    fi
    raw="$log.raw"
    until_re=$(sed -n 's/^until: *//p' "$spec" | head -n1)
    local -a in_re=() in_text=()
    local l fifo="" in_fd=""
    while IFS= read -r l; do
        in_re+=("${l%% => *}")
        in_text+=("${l#* => }")
    done < <(sed -n 's/^input: *//p' "$spec")
    if [ ${#in_re[@]} -gt 0 ]; then
        fifo="$log.in"
        rm -f "$fifo"
        mkfifo "$fifo"
        timeout -k 2 "$secs" "$QEMU" "${QEMU_FLAGS[@]}" "${extra[@]}" -kernel "$img" \
            <"$fifo" >"$raw" 2>&1 &
        exec {in_fd}>"$fifo"
    else
        timeout -k 2 "$secs" "$QEMU" "${QEMU_FLAGS[@]}" "${extra[@]}" -kernel "$img" \
            </dev/null >"$raw" 2>&1 &
    fi
    local qpid=$! rc next=0
    if [ -n "$until_re" ] || [ -n "$fifo" ]; then
        while kill -0 "$qpid" 2>/dev/null; do
            [ -f "$raw" ] || { sleep 0.2; continue; }
            if [ "$next" -lt ${#in_re[@]} ] &&
                tr -d '\r' <"$raw" | grep -qE -e "${in_re[$next]}"; then
                sleep 0.2
                printf '%b' "${in_text[$next]}" >&"$in_fd"
                next=$((next + 1))
                continue
            fi
            if [ -n "$until_re" ] && tr -d '\r' <"$raw" | grep -qE -e "$until_re"; then
                sleep 1
                kill "$qpid" 2>/dev/null
                break
            fi
            sleep 0.5
        done
    fi
    wait "$qpid"
    rc=$?
    if [ -n "$fifo" ]; then
        exec {in_fd}>&-
        rm -f "$fifo"
    fi
    tr -d '\r' <"$raw" >"$log"
    rm -f "$raw"
    [ "$rc" -eq 124 ] && echo "(qemu stopped by the ${secs} s timeout)" >>"$log"
    if why=$(check_log "$spec" "$log"); then
        echo "PASS system/$name"
        return 0
    fi
    echo "FAIL system/$name: $why"
    return 1
}

if ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "FAIL system/qemu: $QEMU not found"
    exit 1
fi

specs=()
if [ $# -gt 0 ]; then
    for c in "$@"; do specs+=("$CASES_DIR/$c"); done
else
    for c in "$CASES_DIR"/*; do [ -f "$c" ] && specs+=("$c"); done
fi

failed=0
for spec in "${specs[@]}"; do
    if [ ! -f "$spec" ]; then
        echo "FAIL system/$(basename "$spec"): no such case"
        failed=1
        continue
    fi
    run_case "$spec" || failed=1
done
exit $failed
