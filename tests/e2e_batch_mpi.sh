#!/bin/sh
# The MPI backend: the same sweep through `mpirun -n 2` (rank 0 hands out
# the jobs, rank 1 solves) and `mpirun -n 3` gives the local pool's jobs
# table. Skipped (77) when this build has no MPI or mpirun is missing.
. "${top_srcdir}/tests/lib.sh"
[ -n "$PYGDAL" ] || skip_all "no python with GDAL bindings"
"$R5G" batch --help | grep -q -- "--mpi" || skip_all "no --mpi"
MPIRUN=${MPIRUN:-$(command -v mpirun || true)}
[ -n "$MPIRUN" ] || skip_all "mpirun not installed (Debian: openmpi-bin)"
CHECK="$PYGDAL $top_srcdir/tests/batch_check.py"
. "${top_srcdir}/tests/batch_fixture.sh"
batch_fixture
printf 'version: 1\nscenario: sc/scenario.yaml\n' > "$TMP/one.yaml"
if "$R5G" batch "$TMP/one.yaml" -o "$TMP/probe" --mpi 2>&1 | grep -q "built without MPI"; then
    skip_all "this rollout5g was built without MPI (configure --with-mpi)"
fi
# Open MPI refuses root without these; 2 cores: oversubscribe
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/local" -j2 -q > /dev/null 2>&1 || fail "the local pool run"
for n in 2 3; do
    timeout 300 "$MPIRUN" -n $n "$R5G" batch "$TMP/sweep.yaml" -o "$TMP/mpi$n" --mpi > "$TMP/out" 2> "$TMP/err"
    rc=$?
    [ $rc -eq 0 ] && pass "mpirun -n $n: exit 0" || fail "mpirun -n $n: exit $rc: $(tail -5 "$TMP/err")"
    $CHECK compare "$TMP/local/results.gpkg" "$TMP/mpi$n/results.gpkg" > "$TMP/c" && pass "mpirun -n $n gives the local pool's results: $(cat "$TMP/c")" || fail "mpi $n: $(cat "$TMP/c")"
    $CHECK attempts "$TMP/mpi$n/manifest.sqlite" 0 > "$TMP/c" && pass "mpirun -n $n: $(cat "$TMP/c")" || fail "$(cat "$TMP/c")"
done
ranks=$(/usr/bin/python3 -c "import sqlite3,sys; print(','.join(sorted({str(p) for (p,) in sqlite3.connect(sys.argv[1]).execute(\"SELECT pid FROM attempts WHERE backend='mpi'\")})))" "$TMP/mpi3/manifest.sqlite")
[ "$ranks" = "1,2" ] && pass "with 3 ranks, ranks 1 and 2 both solved jobs" || fail "ranks that solved: $ranks"
# a half-finished MPI batch is finished by the local pool (one manifest)
R5G_BATCH_TEST_KILL=finish-commit:3 timeout 300 "$MPIRUN" -n 2 "$R5G" batch "$TMP/sweep.yaml" -o "$TMP/mix" --mpi > /dev/null 2>&1
"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/mix" -j2 -q > /dev/null 2>&1
$CHECK compare "$TMP/local/results.gpkg" "$TMP/mix/results.gpkg" > "$TMP/c" && pass "an MPI run killed mid-commit, finished locally: same results" || fail "mix: $(cat "$TMP/c")"
finish
