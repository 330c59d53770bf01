#!/bin/sh
# `mpirun -n N rollout5g plan SCENARIO --mpi`: the decomposition's regions
# solved on MPI ranks 1..N-1 (rank 0 plans and hands out the regions).
#  - a small province (12 cities, regions) and a city (tiles): the plan with
#    2 and 3 ranks is the plan of the forked workers, site by site (read
#    with GDAL), and the log says the regions ran on the ranks;
#  - a time limit that ends a round while the ranks are solving (idle: 2
#    of 14 regions solved; under load the limit can fall before the round,
#    the log says which): exit 4, the plan written, every rank gone
#    (mpirun ends) soon after;
#  - --mpi outside mpirun, a missing scenario and a bad option under
#    mpirun: one line naming the problem, a non-zero exit, nothing written.
# Skipped (77) when this build has no MPI or mpirun is missing.
. "${top_srcdir}/tests/lib.sh"
[ -n "$PYGDAL" ] || skip_all "no python with GDAL bindings"
MPIRUN=${MPIRUN:-$(command -v mpirun || true)}
[ -n "$MPIRUN" ] || skip_all "mpirun not installed (Debian: openmpi-bin)"
if "$R5G" plan "$TMP/none.yaml" --mpi 2>&1 | grep -q "built without MPI"; then
    skip_all "this rollout5g was built without MPI (configure --with-mpi)"
fi
# Open MPI refuses root without these; 2 cores: oversubscribe
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none

cat > "$TMP/same.py" <<'PY'
import sys
from osgeo import ogr
def read(path):
    ds = ogr.Open(path)
    sites = {f.GetField("site_id"): (f.GetField("status"), f.GetField("build_index"))
             for f in ds.GetLayerByName("sites")}
    meta = {f.GetField("key"): f.GetField("value") for f in ds.GetLayerByName("plan_meta")}
    return sites, meta
(a, ma), (b, mb) = read(sys.argv[1]), read(sys.argv[2])
diff = [s for s in a if a[s] != b.get(s)]
if diff or len(a) != len(b):
    sys.exit("%d of %d sites differ (e.g. %s)" % (len(diff), len(a), diff[:3]))
if ma["objective"] != mb["objective"] or int(mb.get("solver_regions", 0)) < 2:
    sys.exit("objective %s against %s, solver_regions %s" % (ma["objective"], mb["objective"],
                                                             mb.get("solver_regions")))
built = sum(1 for s in a.values() if s[0] == "built")
print("%d sites (%d built), objective %s, %s regions" % (len(a), built, mb["objective"], mb["solver_regions"]))
PY

# mk DIR NAME LIMIT GAP: DIR/NAME.yaml, the synthetic scenario with decompose: on
mk() {
    { sed -e '/^solver:/,$d' "$TMP/$1/scenario.yaml"
      printf 'solver:\n  time_limit_s: %s\n  mip_gap: %s\n  decompose: on\n  workers: 2\n' "$3" "$4"; } > "$TMP/$1/$2.yaml"
}
"$R5G" synth --preset province --scale 0.01 -o "$TMP/p" > /dev/null 2> "$TMP/synth.err" ||
    { fail "synth province: $(cat "$TMP/synth.err")"; finish; exit 1; }
"$R5G" synth --preset city --scale 0.03 -o "$TMP/c" > /dev/null 2> "$TMP/synth.err" ||
    { fail "synth city: $(cat "$TMP/synth.err")"; finish; exit 1; }
mk p on 600 0.005
mk c on 600 0.005

for case in p c; do
    what=$([ $case = p ] && echo "province (regions)" || echo "city (tiles)")
    if "$R5G" plan "$TMP/$case/on.yaml" -q -o "$TMP/${case}_fork.gpkg" > /dev/null 2> "$TMP/${case}_fork.err"; then
        pass "$what: the plan with forked workers"
    else
        fail "$what: forked plan: $(cat "$TMP/${case}_fork.err")"; continue
    fi
    for n in 2 3; do
        out="$TMP/${case}_mpi$n.gpkg"
        timeout 300 "$MPIRUN" -n $n "$R5G" plan "$TMP/$case/on.yaml" -o "$out" --mpi > /dev/null 2> "$TMP/${case}_mpi$n.err"
        rc=$?
        [ $rc -eq 0 ] || { fail "$what: mpirun -n $n: exit $rc: $(tail -5 "$TMP/${case}_mpi$n.err")"; continue; }
        if "$PYGDAL" "$TMP/same.py" "$TMP/${case}_fork.gpkg" "$out" > "$TMP/chk" 2>&1; then
            pass "$what: mpirun -n $n gives the forked plan: $(cat "$TMP/chk")"
        else
            fail "$what: mpirun -n $n: $(cat "$TMP/chk")"
        fi
        grep -q "solved apart on the MPI ranks" "$TMP/${case}_mpi$n.err" && pass "$what, -n $n: the log names the ranks" ||
            fail "$what, -n $n: no 'solved apart on the MPI ranks' in: $(tail -3 "$TMP/${case}_mpi$n.err")"
    done
done
# the comparison can fail: a plan of another scenario is not the same plan
mk p loose 600 0.3
"$R5G" plan "$TMP/p/loose.yaml" -q -o "$TMP/loose.gpkg" > /dev/null 2>&1
if "$PYGDAL" "$TMP/same.py" "$TMP/p_fork.gpkg" "$TMP/loose.gpkg" > /dev/null 2>&1; then
    fail "same.py accepts a different plan"
else
    pass "same.py notices a different plan"
fi

# a time limit inside a round: the ranks are cancelled, the plan written.
# Whether the limit falls inside the round depends on the load (the time
# kept for writing grows with it), so the log says where it fell; the
# checks that must hold whatever the load: exit 4, the plan written,
# mpirun gone soon after the limit.
"$R5G" synth --preset province --scale 0.2 -o "$TMP/q" > /dev/null 2>&1 || fail "synth province 0.2"
mk q cut 30 0.0001
t0=$(date +%s)
timeout 120 "$MPIRUN" -n 3 "$R5G" plan "$TMP/q/cut.yaml" -v -o "$TMP/cut.gpkg" --mpi > /dev/null 2> "$TMP/cut.err"
rc=$?
t1=$(date +%s)
if [ $rc -eq 4 ] && [ -s "$TMP/cut.gpkg" ]; then
    pass "time limit 30 s: exit 4, plan written, mpirun ended after $((t1 - t0)) s"
else
    fail "time limit 30 s: exit $rc (want 4): $(grep -v 'debug: glpk' "$TMP/cut.err" | tail -5)"
fi
[ $((t1 - t0)) -le 60 ] || fail "mpirun took $((t1 - t0)) s for a 30 s limit: a rank did not stop"
round=$(grep -o "decomposition (incumbent's shares): [0-9]* of [0-9]* regions solved" "$TMP/cut.err")
case "$round" in
"") pass "the limit fell before the round (solver limit: $(grep -o 'solver time limit [0-9.]* s' "$TMP/cut.err"))" ;;
*) pass "the limit fell in or after the round on the ranks: $round" ;;
esac

# user errors
"$R5G" plan "$TMP/p/on.yaml" -o "$TMP/err1.gpkg" --mpi > /dev/null 2> "$TMP/e1"
rc=$?
[ $rc -eq 2 ] && grep -q -- "--mpi with 1 rank" "$TMP/e1" && [ ! -e "$TMP/err1.gpkg" ] &&
    pass "--mpi without mpirun: exit 2, $(head -1 "$TMP/e1")" || fail "--mpi without mpirun: exit $rc: $(cat "$TMP/e1")"
timeout 120 "$MPIRUN" -n 3 "$R5G" plan "$TMP/p/missing.yaml" -o "$TMP/err2.gpkg" --mpi > /dev/null 2> "$TMP/e2"
rc=$?
n=$(grep -c "missing.yaml" "$TMP/e2")
[ $rc -eq 1 ] && [ "$n" -eq 1 ] && [ ! -e "$TMP/err2.gpkg" ] &&
    pass "a missing scenario under mpirun: exit 1, one line: $(grep missing.yaml "$TMP/e2")" ||
    fail "missing scenario under mpirun: exit $rc, $n lines naming it: $(cat "$TMP/e2")"
timeout 120 "$MPIRUN" -n 3 "$R5G" plan "$TMP/p/on.yaml" --bogus --mpi > /dev/null 2> "$TMP/e3"
rc=$?
n=$(grep -c "unknown option '--bogus'" "$TMP/e3")
[ $rc -eq 2 ] && [ "$n" -eq 1 ] && pass "a bad option under mpirun: exit 2, said once" ||
    fail "bad option under mpirun: exit $rc, said $n times: $(cat "$TMP/e3")"
finish
