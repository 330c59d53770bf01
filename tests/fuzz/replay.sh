# Shared by tests/e2e_fuzz_regress.sh and tests/e2e_fuzz_known.sh (sourced
# after tests/lib.sh): replays fuzz inputs through the regression runners
# tests/fuzz/regress_TARGET, built with the normal compiler (and with the
# sanitizers in a --enable-sanitizers build), in strict mode (fuzz.h).
FZ="$top_srcdir/tests/fuzz"
KNOWN="$FZ/known-failures"
FUZZ_TARGETS="scenario layer validate"
command -v timeout > /dev/null 2>&1 || skip_all "timeout (coreutils) not installed"

# known-failures without comments: "TARGET/FILE NEEDS REASON..."
known_entries() { sed -e 's/^[[:space:]]*#.*//' -e '/^[[:space:]]*$/d' "$KNOWN"; }
is_known() { known_entries | awk '{ print $1 }' | grep -qxF "$1"; }
runner() { echo "$top_builddir/tests/fuzz/regress_$1"; }
# has_sanitizer TARGET NAME: the runner was built with sanitizer NAME (asan, ubsan)
has_sanitizer() { "$(runner "$1")" --sanitizers 2>/dev/null | grep -qw "$2"; }

# replay TARGET FILE: 0 when the harness returns normally; else sets WHY to
# the first lines of the report (crash, broken contract, hang).
replay() {
    timeout 60 "$(runner "$1")" "$2" > "$TMP/replay.out" 2> "$TMP/replay.err"
    rc=$?
    [ $rc -eq 0 ] && return 0
    if [ $rc -eq 124 ]; then
        WHY="hang: no result within 60 s"
    else
        WHY="exit $rc: $(grep -a -m 3 -E 'ERROR|runtime error|fuzz:|SUMMARY|Segmentation|Abort' "$TMP/replay.err" |
            tr '\n' ' ' | cut -c1-400)"
        [ "$WHY" = "exit $rc: " ] && WHY="exit $rc: $(head -c 300 "$TMP/replay.err" | tr '\n' ' ')"
    fi
    return 1
}
