#!/bin/sh
# Runs the fuzz targets built by tests/fuzz/fuzz.mk, one after the other (one
# fuzzer process at a time), and prints per target: executions, exec/s,
# coverage (edges, features) at the start and the end, corpus size, crashes,
# hangs, out-of-memory, leaks and contract findings. Called by `make fuzz`
# and `make fuzz-coverage` (Makefile.am), which set:
#   FUZZ_WORK     the work folder: bin-ENGINE/, corpus/T/, artifacts/T/, findings/T/, logs/
#   FUZZ_SRC      tests/fuzz in the source tree (seeds, dictionaries)
#   FUZZ_SECONDS  seconds per target; FUZZ_TARGETS the targets
#   FUZZ_ENGINE   libfuzzer or afl; FUZZ_KEEP_GOING=1 goes on after a crash
#                 (libFuzzer -fork=1 -ignore_crashes=1; AFL++ always does)
# Exit status: 0, or 1 when a target crashed, hung, ran out of memory or leaked.
set -u
mode=${1:-run}
: "${FUZZ_WORK:?}" "${FUZZ_SRC:?}"
SECONDS_PER=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-scenario layer validate}
ENGINE=${FUZZ_ENGINE:-libfuzzer}
KEEP=${FUZZ_KEEP_GOING:-0}
BIN=$FUZZ_WORK/bin-$ENGINE
case $SECONDS_PER in
    '' | *[!0-9]* | 0) echo "make fuzz: FUZZ_SECONDS: expected a whole number of seconds > 0, got '$SECONDS_PER'" >&2; exit 2 ;;
esac
mkdir -p "$FUZZ_WORK/logs"

dict_of() { case $1 in layer) echo "$FUZZ_SRC/layer.dict" ;; *) echo "$FUZZ_SRC/scenario.dict" ;; esac; }
nfiles() { find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l; }
# last "cov: N ft: M" of a libFuzzer log line set -> "N M"
covft() { sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/\1 \2/p' | tail -1; }

# edges and features of a corpus: libFuzzer loads it and stops (-runs=0)
corpus_cov() { # TARGET DIR...
    t=$1
    shift
    "$BIN/fuzz_$t" -runs=0 -close_fd_mask=3 -max_len=16384 "$@" 2>&1 | grep -a INITED | covft
}

run_libfuzzer() { # TARGET
    t=$1 corpus=$FUZZ_WORK/corpus/$1 art=$FUZZ_WORK/artifacts/$1 log=$FUZZ_WORK/logs/$1.log
    mkdir -p "$corpus" "$art" "$FUZZ_WORK/findings/$t"
    before=$(nfiles "$corpus")
    ls "$art" > "$FUZZ_WORK/logs/$t.artifacts-before" 2>/dev/null
    set -- -max_total_time="$SECONDS_PER" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -dict="$(dict_of "$t")" -artifact_prefix="$art/" -print_final_stats=1 -close_fd_mask=3
    [ "$KEEP" = 1 ] && set -- "$@" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1
    echo "fuzz $t: libFuzzer for $SECONDS_PER s, corpus $corpus (log $log)"
    R5G_FUZZ_FINDINGS="$FUZZ_WORK/findings/$t" R5G_FUZZ_LOG=3 \
        "$BIN/fuzz_$t" "$@" "$corpus" "$FUZZ_SRC/corpus/$t" > "$log" 2>&1
    rc=$?
    start=$(grep -a -E 'INITED' "$log" | covft)
    end=$(grep -a -E 'DONE' "$log" | covft)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    if [ -z "$execs" ]; then # fork mode: "#EXECS: cov: ... exec/s N ...", one line per job
        execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -1)
        [ -n "$execs" ] && eps=$((execs / SECONDS_PER))
    fi
    if [ "$KEEP" = 1 ]; then
        # fork mode's cov/ft lines mix features into edges (libFuzzer 14):
        # measure both ends the plain way, loading the seeds, then all
        start=$(corpus_cov "$t" "$FUZZ_SRC/corpus/$t")
        end=$(corpus_cov "$t" "$corpus" "$FUZZ_SRC/corpus/$t")
    fi
    report "$t" "$rc" "${execs:-?}" "${eps:-?}" "${start:-? ?}" "${end:-? ?}" "$before" "$(nfiles "$corpus")"
}

run_afl() { # TARGET
    t=$1 out=$FUZZ_WORK/afl/$1 log=$FUZZ_WORK/logs/$1.afl.log
    mkdir -p "$out" "$FUZZ_WORK/findings/$t"
    # AFL++ resumes from its own queue when there is one
    in=$FUZZ_SRC/corpus/$t
    [ -d "$out/default/queue" ] && in=-
    before=$(nfiles "$out/default/queue")
    echo "fuzz $t: AFL++ for $SECONDS_PER s, output $out (log $log)"
    AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
        R5G_FUZZ_FINDINGS="$FUZZ_WORK/findings/$t" R5G_FUZZ_LOG=0 \
        afl-fuzz -V "$SECONDS_PER" -t 10000 -m none -x "$(dict_of "$t")" -i "$in" -o "$out" \
        -- "$BIN/fuzz_$t" > "$log" 2>&1
    rc=$?
    st=$out/default/fuzzer_stats
    val() { sed -n "s/^$1 *: *//p" "$st" 2>/dev/null; }
    ids() { find "$out/default/$1" -maxdepth 1 -type f -name 'id:*' 2>/dev/null | wc -l; }
    echo "fuzz $t: $(val execs_done) executions ($(val execs_per_sec)/s), edges $(val edges_found)" \
         "of $(val total_edges) ($(val bitmap_cvg)), corpus $before -> $(val corpus_count)," \
         "crashes $(ids crashes), hangs $(ids hangs) (in $out/default/)"
    findings "$t"
    [ "$rc" -eq 0 ] && [ "$(ids crashes)" -eq 0 ] && [ "$(ids hangs)" -eq 0 ]
}

findings() { # TARGET: the contracts broken so far
    f=$(ls "$FUZZ_WORK/findings/$1" 2>/dev/null | grep '^contract-' | grep -v '\.tmp\.' | sed 's/^contract-//' | tr '\n' ' ')
    [ -z "$f" ] || echo "fuzz $1: contract findings (smallest input in $FUZZ_WORK/findings/$1): $f"
}

# TARGET RC EXECS EXEC/S "COV FT" "COV FT" CORPUS-BEFORE CORPUS-AFTER
report() {
    t=$1 art=$FUZZ_WORK/artifacts/$1
    ls "$art" > "$FUZZ_WORK/logs/$t.artifacts-after" 2>/dev/null
    new=$(comm -13 "$FUZZ_WORK/logs/$t.artifacts-before" "$FUZZ_WORK/logs/$t.artifacts-after")
    count() { echo "$new" | grep -c "^$1-" ; }
    set -- "$@" "$(count crash)" "$(count timeout)" "$(count oom)" "$(count leak)"
    echo "fuzz $t: $3 executions ($4/s), cov $(echo "$5" | cut -d' ' -f1) -> $(echo "$6" | cut -d' ' -f1) edges," \
         "ft $(echo "$5" | cut -d' ' -f2) -> $(echo "$6" | cut -d' ' -f2), corpus $7 -> $8 files;" \
         "new crashes $9, timeouts ${10}, ooms ${11}, leaks ${12}"
    if [ "$(echo "$new" | grep -c .)" -le 10 ]; then
        for a in $new; do echo "fuzz $t:   $art/$a"; done
    else
        echo "fuzz $t:   $(echo "$new" | grep -c .) new files in $art/"
    fi
    # distinct sanitizer reports in the log (in -fork=1 mode one per job)
    grep -a -E 'runtime error:|^SUMMARY: |ERROR: libFuzzer: |ERROR: AddressSanitizer: [a-z-]+ ' \
        "$FUZZ_WORK/logs/$t.log" | sed -e 's/0x[0-9a-f]*/0x.../g' -e 's/==[0-9]*==/==/' \
        -e 's/runtime error: .* is outside/runtime error: VALUE is outside/' |
        sort | uniq -c | sort -rn | head -10 | sed "s/^/fuzz $t:   report x/"
    findings "$t"
    if [ "$9" -gt 0 ] || [ "${10}" -gt 0 ] || [ "${11}" -gt 0 ] || [ "${12}" -gt 0 ]; then
        echo "fuzz $t: FAILED: replay with $FUZZ_WORK/bin-$ENGINE/fuzz_$t FILE (see $FUZZ_WORK/logs/$t.log)"
        return 1
    fi
    if [ "$2" -ne 0 ]; then
        echo "fuzz $t: FAILED: the fuzzer exited with $2 (see $FUZZ_WORK/logs/$t.log)"
        return 1
    fi
    return 0
}

coverage() { # line coverage of seeds, then of seeds + corpus, per target
    prof=$FUZZ_WORK/coverage
    rm -rf "$prof"
    mkdir -p "$prof"
    for t in $TARGETS; do
        case $t in
            scenario) files=planner/scenario/scenario.c ;;
            layer) files="geo/geo_read.c geo/geo_crs.c geo/cn_datum.c" ;;
            validate) files="planner/pipeline/inputs.c planner/pipeline/coverage.c planner/pipeline/run.c geo/radio.c geo/terrain.c geo/geo_pairs.c" ;;
            *) files= ;;
        esac
        for what in seeds all; do
            dirs=$FUZZ_SRC/corpus/$t
            [ $what = all ] && dirs="$dirs $FUZZ_WORK/corpus/$t"
            # shellcheck disable=SC2086
            LLVM_PROFILE_FILE="$prof/$t-$what.profraw" R5G_FUZZ_STRICT=0 R5G_FUZZ_LOG=0 \
                "$BIN/fuzz_$t" $dirs > /dev/null 2>&1
            llvm-profdata-14 merge -o "$prof/$t-$what.profdata" "$prof/$t-$what.profraw" 2>/dev/null ||
                llvm-profdata merge -o "$prof/$t-$what.profdata" "$prof/$t-$what.profraw" || return 1
            echo "fuzz coverage $t ($what: $(for d in $dirs; do nfiles "$d"; done | paste -sd+ | bc) files):"
            cov=llvm-cov-14
            command -v $cov > /dev/null 2>&1 || cov=llvm-cov
            # shellcheck disable=SC2086
            (cd "$FUZZ_SRC/../.." && $cov report "$BIN/fuzz_$t" -instr-profile="$prof/$t-$what.profdata" $files) |
                awk '$1 == "TOTAL" || $1 ~ /\.c$/ { printf "  %-28s lines %5d of %5d (%s), branches %5d of %5d (%s)\n", $1, $8 - $9, $8, $10, $11 - $12, $11, $13 }'
        done
    done
}

if [ "$mode" = coverage ]; then
    coverage
    exit $?
fi
status=0
for t in $TARGETS; do
    if [ ! -x "$BIN/fuzz_$t" ]; then
        echo "fuzz $t: no binary $BIN/fuzz_$t (run make fuzz-build)"
        status=1
        continue
    fi
    case $ENGINE in
        afl) run_afl "$t" || status=1 ;;
        *) run_libfuzzer "$t" || status=1 ;;
    esac
done
exit $status
