#!/bin/sh
# The Slurm backend against a real single-node Slurm: the test makes a munge
# key, starts munged, slurmctld and slurmd on this host (its own ports,
# state and spool under $TMP), submits the array job that
# `rollout5g batch --slurm-script` writes, waits for it, merges it with
# --collect and compares the jobs table with the local pool's. It stops the
# daemons it started. Skipped (77) where they are missing or cannot start.
. "${top_srcdir}/tests/lib.sh"
[ -n "$PYGDAL" ] || skip_all "no python with GDAL bindings"
for t in munged mungekey slurmctld slurmd sbatch squeue sinfo; do
    command -v $t > /dev/null 2>&1 || [ -x /usr/sbin/$t ] || skip_all "$t not installed (Debian: slurm-wlm munge)"
done
PATH="$PATH:/usr/sbin"
[ "$(id -u)" -eq 0 ] || skip_all "the test Slurm runs as SlurmUser=root: run as root"
CHECK="$PYGDAL $top_srcdir/tests/batch_check.py"
H=$(hostname)
S="$TMP/slurm"
mkdir -p "$S/state" "$S/spool" "$S/log" "$S/munge"
chmod 700 "$S/munge"
PIDS=""
stop_all() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    for p in $PIDS; do
        i=0
        while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$p" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap stop_all EXIT INT TERM

mungekey -c -k "$S/munge/munge.key" > /dev/null 2>&1 || skip_all "mungekey cannot create a key"
chmod 600 "$S/munge/munge.key"
munged -F -f --key-file="$S/munge/munge.key" --socket="$S/munge/sock" --pid-file="$S/munge/pid" \
    --log-file="$S/munge/log" --seed-file="$S/munge/seed" > /dev/null 2>&1 &
PIDS="$!"
i=0
while [ ! -S "$S/munge/sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$S/munge/sock" ] || skip_all "munged did not start: $(tail -2 "$S/munge/log" 2>/dev/null)"

port=$((20000 + $$ % 20000))
cat > "$S/slurm.conf" <<EOF
ClusterName=r5g$$
SlurmctldHost=$H
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$S/munge/sock
CredType=cred/munge
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$H CPUs=2 RealMemory=2000 State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$S/slurm.conf"
slurmctld -D -f "$S/slurm.conf" > "$S/log/ctld.out" 2>&1 &
PIDS="$! $PIDS"
slurmd -D -f "$S/slurm.conf" > "$S/log/slurmd.out" 2>&1 &
PIDS="$! $PIDS"
i=0
while [ $i -lt 100 ] && ! sinfo -h -o %T 2>/dev/null | grep -q idle; do sleep 0.2; i=$((i + 1)); done
sinfo -h -o %T 2>/dev/null | grep -q idle ||
    skip_all "the local Slurm did not come up: $(tail -2 "$S/log/slurmctld.log" "$S/log/slurmd.log" "$S/log/ctld.out" 2>/dev/null | tr '\n' ' ')"
pass "a single-node Slurm on $H is up ($(sinfo -V))"

. "${top_srcdir}/tests/batch_fixture.sh"
batch_fixture "slurm:" "  max_parallel: 2" "  cpus_per_task: 1" "  mem: 500M" '  time: "00:05:00"'
"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/local" -j2 -q > /dev/null 2>&1 || fail "the local pool run"

"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/sl" --slurm-script "$TMP/job.sbatch" > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc -eq 0 ] && [ -x "$TMP/job.sbatch" ] && pass "--slurm-script writes the array job" || fail "--slurm-script: exit $rc: $(cat "$TMP/err")"
grep -q "^#SBATCH --array=0-7%2$" "$TMP/job.sbatch" && pass "--array=0-7%2 from the batch file" || fail "array line: $(grep array "$TMP/job.sbatch")"
grep -q "^#SBATCH --mem=500M$" "$TMP/job.sbatch" && grep -q "^#SBATCH --time=00:05:00$" "$TMP/job.sbatch" && pass "resources and time limit from the batch file" || fail "resources: $(grep SBATCH "$TMP/job.sbatch")"
grep -q -- '--task "$SLURM_ARRAY_TASK_ID"' "$TMP/job.sbatch" && pass "each task runs batch --task \$SLURM_ARRAY_TASK_ID" || fail "task line: $(tail -1 "$TMP/job.sbatch")"
[ -s "$TMP/sl/manifest.sqlite" ] && pass "the manifest lists the jobs before the submission" || fail "no manifest"

jid=$(sbatch --parsable "$TMP/job.sbatch" 2> "$TMP/err")
[ -n "$jid" ] && pass "sbatch accepted the array job $jid" || { fail "sbatch: $(cat "$TMP/err")"; finish; exit 1; }
i=0
while [ $i -lt 600 ] && [ -n "$(squeue -h -j "$jid" 2>/dev/null)" ]; do sleep 0.2; i=$((i + 1)); done
[ -z "$(squeue -h -j "$jid" 2>/dev/null)" ] && pass "the array ended" || fail "the array did not end in 120 s: $(squeue)"
[ "$(ls "$TMP/sl/jobs/"*.result 2>/dev/null | wc -l)" -eq 8 ] && pass "8 task results in DIR/jobs" || fail "results: $(ls "$TMP/sl/jobs") $(cat "$TMP"/sl/slurm/*.out 2>/dev/null | tail -5)"

"$R5G" batch --collect "$TMP/sl" > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc -eq 0 ] && pass "--collect: exit 0" || fail "--collect: exit $rc: $(tail -2 "$TMP/err")"
$CHECK compare "$TMP/local/results.gpkg" "$TMP/sl/results.gpkg" > "$TMP/c" && pass "Slurm gives the local pool's results: $(cat "$TMP/c")" || fail "slurm vs local: $(cat "$TMP/c")"
$CHECK attempts "$TMP/sl/manifest.sqlite" 0 > "$TMP/c" && pass "Slurm: $(cat "$TMP/c")" || fail "$(cat "$TMP/c")"
backends=$(/usr/bin/python3 -c "import sqlite3,sys; print(','.join(sorted({b for (b,) in sqlite3.connect(sys.argv[1]).execute('SELECT backend FROM attempts')})))" "$TMP/sl/manifest.sqlite")
[ "$backends" = "slurm" ] && pass "the attempts are recorded as slurm" || fail "backends: $backends"

# a resubmitted array never reruns a finished job
"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/sl" --task 3 > /dev/null 2> "$TMP/err"
rc=$?
[ $rc -eq 0 ] && grep -q "finished before" "$TMP/err" && pass "--task of a finished job: not run again" || fail "--task rerun: exit $rc: $(cat "$TMP/err")"
# a task of a script written for another version of the batch file refuses to run
cp "$TMP/sweep.yaml" "$TMP/sweep.orig"
echo "# edited" >> "$TMP/sweep.yaml"
R5G_BATCH_SHA256=$(sed -n 's/^export R5G_BATCH_SHA256=\([0-9a-f]*\).*/\1/p' "$TMP/job.sbatch") \
    "$R5G" batch "$TMP/sweep.yaml" -o "$TMP/sl" --task 3 > /dev/null 2> "$TMP/err"
rc=$?
[ $rc -eq 1 ] && grep -q "changed since its Slurm script was written" "$TMP/err" && pass "a task refuses a batch file edited after its script" || fail "edited batch file: exit $rc: $(cat "$TMP/err")"
mv "$TMP/sweep.orig" "$TMP/sweep.yaml"
"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/sl" --slurm-script "$TMP/job2.sbatch" > "$TMP/out" 2>&1
grep -q "every job .* has finished" "$TMP/out" && [ ! -e "$TMP/job2.sbatch" ] && pass "no script when every job has finished" || fail "script for a finished batch: $(cat "$TMP/out")"
finish
