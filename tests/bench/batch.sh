#!/bin/sh
# Benchmark of `rollout5g batch` (make bench, or make bench-batch): prints
# numbers, gates nothing. A 48-job sweep of the district preset (300
# candidates, 3,000 demand points, 5 years: 6 budget scales x 2 leads x 4
# radii, each solved to 1%):
#  1. wall time with -j1 and -j2 and the speed-up;
#  2. the overhead per job beyond its solve: the batch's wall time with -j1
#     over 48, less the mean time a job spends in its worker (read, solve,
#     write), and that in-worker time less the solve itself;
#  3. MPI: mpirun -n 2 (one solving rank) and -n 3 (two) against -j1 / -j2;
#  4. resume: kill -9 of a -j2 run when a job is about to finish (just
#     after half the jobs are done), then the same command again: the time
#     lost against the uninterrupted -j2 run, beside the longest job.
# Environment: R5G, MPIRUN (optional), BENCH_BATCH_JOBS=48|8.
set -u
: "${R5G:?R5G (the rollout5g binary) is not set: run through make bench}"
MPIRUN=${MPIRUN:-$(command -v mpirun 2>/dev/null || true)}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/r5g-bench-batch.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }
sql() { /usr/bin/python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0]; print(r if r is not None else 0)' "$@"; }

"$R5G" synth --preset district --seed 1 -o "$TMP/d" > /dev/null 2>&1 || { echo "bench batch: synth failed"; exit 1; }
if [ "${BENCH_BATCH_JOBS:-48}" = 8 ]; then
    AXES='    budget.scale: [0.6, 1.0]
    ahead_of_demand.lead_periods: [0, 1]
    radio.radius_m: [500, 600]'
else
    AXES='    budget.scale: [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    ahead_of_demand.lead_periods: [0, 1]
    radio.radius_m: [500, 550, 600, 650]'
fi
# mip_gap 1%: the sweep measures the batch, not the tail of branch and bound
# (on a loaded machine some 0.5% solves run into the 60 s limit)
cat > "$TMP/sweep.yaml" <<EOF2
version: 1
scenario: d/scenario.yaml
set: {solver.mip_gap: 0.01}
sweep:
  axes:
$AXES
EOF2
N=$("$R5G" batch "$TMP/sweep.yaml" --dry-run | grep -c '^[0-9]')
echo "== batch: $N jobs of the district preset on $(nproc) cores (load average before: $(cut -d" " -f1-3 /proc/loadavg))"
run() { # NAME ARGS...: wall seconds; the CPU seconds of the run and its workers go to $TMP/NAME.cpu
    name=$1; shift
    t0=$(now)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%U %S" -o "$TMP/$name.cpu" "$@" > /dev/null 2>&1
    else
        "$@" > /dev/null 2>&1
    fi
    rc=$?
    t1=$(now)
    [ $rc -eq 0 ] || echo "bench batch: $name exited $rc"
    elapsed "$t0" "$t1"
}
cpu() { [ -s "$TMP/$1.cpu" ] && awk '{ printf "%.1f", $1 + $2 }' "$TMP/$1.cpu" || echo "?"; }
w1=$(run j1 "$R5G" batch "$TMP/sweep.yaml" -o "$TMP/j1" -j1 -q)
w2=$(run j2 "$R5G" batch "$TMP/sweep.yaml" -o "$TMP/j2" -j2 -q)
job=$(sql "$TMP/j1/manifest.sqlite" "SELECT avg(seconds) FROM jobs")
solve=$(sql "$TMP/j1/manifest.sqlite" "SELECT avg(solve_seconds) FROM jobs")
longest=$(sql "$TMP/j2/manifest.sqlite" "SELECT max(seconds) FROM jobs")
echo "CPU seconds (user + sys, the workers included): -j1 $(cpu j1), -j2 $(cpu j2): the same work; the wall speed-up is what the free cores allow"
echo "$w1 $w2 $N $job $solve" | awk '{
    printf "-j1: %.1f s wall (%.2f s per job)\n", $1, $1 / $3
    printf "-j2: %.1f s wall, speed-up %.2fx\n", $2, $1 / $2
    printf "overhead per job beyond its worker: %.3f s (wall -j1 / jobs %.3f s - mean job %.3f s)\n", $1 / $3 - $4, $1 / $3, $4
    printf "a job in its worker: %.3f s, of which the solve %.3f s (reading, pairs, writing %.3f s)\n", $4, $5, $4 - $5 }'
if [ -n "$MPIRUN" ] && ! "$R5G" batch "$TMP/sweep.yaml" -o "$TMP/probe" --mpi 2>&1 | grep -q "without MPI"; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
    m2=$(run mpi2 "$MPIRUN" -n 2 "$R5G" batch "$TMP/sweep.yaml" -o "$TMP/m2" --mpi -q)
    m3=$(run mpi3 "$MPIRUN" -n 3 "$R5G" batch "$TMP/sweep.yaml" -o "$TMP/m3" --mpi -q)
    echo "CPU seconds: MPI -n 2 $(cpu mpi2), -n 3 $(cpu mpi3)"
    echo "$m2 $m3 $w1 $w2" | awk '{
        printf "MPI -n 2 (one solving rank): %.1f s wall (-j1: %.1f s, ratio %.2f)\n", $1, $3, $1 / $3
        printf "MPI -n 3 (two solving ranks): %.1f s wall (-j2: %.1f s, ratio %.2f)\n", $2, $4, $2 / $4 }'
else
    echo "MPI: skipped (no mpirun, or built without MPI)"
fi
# resume: kill -9 just after half the jobs are done (two jobs running, both
# about to be lost), then run again
t0=$(now)
"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/k" -j2 -q > /dev/null 2>&1 &
pid=$!
while kill -0 $pid 2>/dev/null && [ "$(sql "$TMP/k/manifest.sqlite" "SELECT count(*) FROM jobs WHERE status='done'" 2>/dev/null || echo 0)" -lt $((N / 2)) ]; do
    sleep 0.05
done
# the worst moment: both running jobs as close to their end as we can see
sleep "$(echo "$longest" | awk '{ printf "%.2f", $1 * 0.8 }')"
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
lostjobs=$(sql "$TMP/k/manifest.sqlite" "SELECT count(*) FROM jobs WHERE status='running'")
"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/k" -j2 -q > /dev/null 2>&1
t1=$(now)
wk=$(elapsed "$t0" "$t1")
echo "$wk $w2 $longest $lostjobs" | awk '{
    printf "resume after kill -9 mid-run: %.1f s in all against %.1f s uninterrupted: %.1f s lost (%d jobs were running; the longest job takes %.1f s)\n", $1, $2, $1 - $2, $4, $3 }'
echo "load average after: $(cut -d" " -f1-3 /proc/loadavg)"
