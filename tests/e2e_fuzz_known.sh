#!/bin/sh
# The fuzz reproducers in tests/fuzz/known-failures, whose fixes belong
# elsewhere: listed in XFAIL_TESTS, so while they still fail this test is an
# expected failure (each one named below and in the log), not a silent pass.
# When one passes again, exit 0 makes it XPASS, which fails make check, so
# the list is kept honest: delete the fixed line from known-failures. With no
# entries (or none this build can check) it is skipped.
. "${top_srcdir}/tests/lib.sh"
. "$top_srcdir/tests/fuzz/replay.sh"
still=0 fixed=0 unchecked=0
known_entries > "$TMP/known"
while read -r rel needs what; do
    t=${rel%%/*}
    f=$FZ/regressions/$rel
    if [ ! -f "$f" ]; then
        echo "FIXED?: $rel is listed but $f does not exist: delete its line from $KNOWN"
        fixed=$((fixed + 1))
        continue
    fi
    if [ "$needs" != any ] && ! has_sanitizer "$t" "$needs"; then
        echo "UNCHECKED: $rel: shows only in a build with $needs (clang: ../configure CC=clang --enable-sanitizers): $what"
        unchecked=$((unchecked + 1))
        continue
    fi
    if replay "$t" "$f"; then
        echo "FIXED: $rel passes now: delete its line from $KNOWN ($what)"
        fixed=$((fixed + 1))
    else
        echo "KNOWN FAILURE: $rel: $what -- $WHY"
        still=$((still + 1))
    fi
done < "$TMP/known"
echo "$still known failures still fail, $fixed fixed, $unchecked not checkable in this build"
[ $fixed -gt 0 ] && exit 0
[ $still -gt 0 ] && exit 1
exit 77
