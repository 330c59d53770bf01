#!/bin/sh
# Every past fuzz finding stays fixed, and the seeds stay clean: each file in
# tests/fuzz/regressions/TARGET/ and tests/fuzz/corpus/TARGET/ is replayed
# through its harness (tests/fuzz/regress_TARGET, strict mode: a crash, a
# sanitizer report, a broken contract or a hang fails). Reproducers listed in
# tests/fuzz/known-failures are left to tests/e2e_fuzz_known.sh.
. "${top_srcdir}/tests/lib.sh"
. "$top_srcdir/tests/fuzz/replay.sh"
for t in $FUZZ_TARGETS; do
    if [ ! -x "$(runner "$t")" ]; then
        fail "$t: no regression runner $(runner "$t")"
        continue
    fi
    n=0 bad=0
    for f in "$FZ/corpus/$t"/* "$FZ/regressions/$t"/*; do
        [ -f "$f" ] || continue
        rel=$t/$(basename "$f")
        case $f in "$FZ/regressions/"*) is_known "$rel" && continue ;; esac
        n=$((n + 1))
        if ! replay "$t" "$f"; then
            fail "$t: $(echo "$f" | sed "s|^$FZ/||"): $WHY"
            bad=$((bad + 1))
        fi
    done
    if [ $n -eq 0 ]; then
        fail "$t: no inputs found in $FZ"
    elif [ $bad -eq 0 ]; then
        pass "$t: $n seeds and regressions replayed cleanly"
    fi
done
finish
