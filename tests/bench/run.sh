#!/bin/sh
# Benchmarks (make bench): print numbers, never gate anything on time.
#  1. coverage pairs: grid search vs brute force on a synthetic city (bench_pairs);
#  2. 24 SJC maximal covering cases (instance, radius, p): rollout5g plan against
#     the oracle optimum of docs/model.md, beside plain glpsol on the exported
#     UNREDUCED model (--export-unreduced) with the same time limit;
#  3. district (the default scenario's preset, mip_gap 0.005) and district-xl
#     (synth --preset district-xl --seed 1: 2k candidates, 20k points, 5
#     periods, mip_gap 0.001), time limit 60 s each;
#  4. the real-data class (tests/bench/realdata.py from ../shared/data: 434
#     power plants, 1,531 candidates, 40 existing, mip_gap 0.001, 90 s);
#     every case beside plain glpsol and CBC on the unreduced export and CBC
#     on rollout5g's reduced export, with the same time limit and gap;
#  5. city (synth --preset city --seed 1: 20k candidates, 200k points, 6
#     periods), time limit 600 s, mip_gap 0.02, with peak memory: only when
#     BENCH_CITY=1 (about 10 minutes for rollout5g, up to 20 for glpsol);
#  6. province (synth --preset province --scale BENCH_PROVINCE_SCALE, default
#     0.25: 25k candidates, 250k points, 8 periods; BENCH_PROVINCE_TIME_LIMIT,
#     default 600 s): the regional decomposition on 1 and 2 workers, the
#     speed-up, the same on MPI ranks (plan --mpi under mpirun -n 2 and -n 3,
#     when built with MPI), and the projection for 16 and 64 ranks; only when
#     BENCH_PROVINCE=1 (2 x the limit). No peer run: on district-xl, a
#     tenth of this size, CBC finds no integer plan and glpsol no plan
#     within the limit (case 3).
# glpsol's --tmlim is not checked during its root LP: a run still going at
# 2 x the limit + 30 s is killed and reported as such.
# Environment: R5G, BENCH_PAIRS, GLPSOL, MPIRUN, R5G_SHARED_DATA;
#   BENCH_ONLY (space-separated subset of "pairs sjc district xl realdata city";
#   default all but city), BENCH_SJC_TIME_LIMIT (default 60),
#   BENCH_DISTRICT_TIME_LIMIT (60), BENCH_XL_TIME_LIMIT (60),
#   BENCH_REALDATA_TIME_LIMIT (90), BENCH_CITY=1,
#   BENCH_NO_GLPSOL=1 (skip the baselines), CBC (default: cbc on PATH, the
#   peer run on the same export as glpsol, same limit and gap).
set -u
ONLY=${BENCH_ONLY:-pairs sjc district xl realdata}
BENCH_DIR=$(dirname "$0")
CBC=${CBC:-$(command -v cbc 2>/dev/null || true)}
[ "${BENCH_CITY:-0}" = 1 ] && ONLY="$ONLY city"
[ "${BENCH_PROVINCE:-0}" = 1 ] && ONLY="$ONLY province"
GLPSOL=${GLPSOL:-$(command -v glpsol 2>/dev/null || true)}
[ "${BENCH_NO_GLPSOL:-0}" = 1 ] && GLPSOL=
TMP=$(mktemp -d "${TMPDIR:-/tmp}/r5g-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }
want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }
meta() { # JSON KEY -> plan_meta value
    /usr/bin/python3 -c 'import json,sys; v = json.load(open(sys.argv[1]))["plan_meta"].get(sys.argv[2], "-"); print("%.10g" % v if isinstance(v, float) else v)' \
        "$1" "$2" 2>/dev/null || echo "-"
}

# glpsol_run MODEL.lp TL GAP -> "obj=... status=... S s peak=KB"
glpsol_run() {
    t0=$(now)
    timeout -s KILL $(($2 * 2 + 30)) /usr/bin/time -f %M -o "$1.mem" \
        "$GLPSOL" --lp "$1" --tmlim "$2" --mipgap "$3" -o "$1.sol" > "$1.log" 2>&1
    rc=$?
    t1=$(now)
    if [ $rc -eq 137 ]; then
        echo "glpsol killed after $(elapsed "$t0" "$t1") s (limit $2 s): $(grep -E 'simplex|^\*|^\+' "$1.log" | tail -n 1)"
        return
    fi
    obj=$(sed -n 's/^Objective: *[^=]*= *\([-0-9.e+]*\).*/\1/p' "$1.sol" 2>/dev/null | head -n 1)
    st=$(sed -n 's/^Status: *//p' "$1.sol" 2>/dev/null | head -n 1)
    mem=$(tail -n 1 "$1.mem" 2>/dev/null)
    why=""
    if [ "$st" != "INTEGER OPTIMAL" ]; then
        if grep -q "OPTIMAL LP SOLUTION FOUND" "$1.log"; then
            why=" (root LP solved; $(grep -c '^+' "$1.log") tree log lines)"
        else
            why=" (root LP not finished: $(grep '^[ *] *[0-9]*: obj' "$1.log" | tail -n 1 | sed 's/  */ /g'))"
        fi
    fi
    echo "glpsol obj=${obj:-none} status=${st:-none} $(elapsed "$t0" "$t1") s peak=${mem:-?}KB$why"
}

# cbc_run MODEL.lp TL GAP -> "obj=... status=... S s peak=KB": COIN-OR CBC
# (Debian's coinor-cbc) on the same export, same limit and relative gap
cbc_run() {
    t0=$(now)
    timeout -s KILL $(($2 * 2 + 30)) /usr/bin/time -f %M -o "$1.cbc.mem" \
        "$CBC" "$1" sec "$2" ratioGap "$3" solve solution "$1.cbc.sol" > "$1.cbc.log" 2>&1
    rc=$?
    t1=$(now)
    if [ $rc -eq 137 ]; then
        echo "cbc killed after $(elapsed "$t0" "$t1") s (limit $2 s)"
        return
    fi
    head1=$(head -n 1 "$1.cbc.sol" 2>/dev/null)
    obj=$(echo "$head1" | sed -n 's/.*objective value *\([-0-9.e+]*\).*/\1/p')
    st=$(echo "$head1" | sed 's/ *- *objective value.*//')
    bound=$(sed -n 's/^Objective value: *//p; s/.*best possible \([-0-9.e+]*\).*/\1/p' "$1.cbc.log" | tail -n 1)
    mem=$(tail -n 1 "$1.cbc.mem" 2>/dev/null)
    echo "cbc obj=${obj:-none} status=${st:-none} bound=${bound:-?} $(elapsed "$t0" "$t1") s peak=${mem:-?}KB"
}

# plan_run SCENARIO OUT -> sets P_OBJ P_STATUS P_GAP P_SOLVE P_WALL P_RC P_MEM
plan_run() {
    t0=$(now)
    /usr/bin/time -f %M -o "$2.mem" "$R5G" plan "$1" -q -o "$2" --json "$2.json" \
        ${GLPSOL:+--export-unreduced "$2.lp"} ${CBC:+--export-model "$2.red.lp"} > "$2.out" 2> "$2.err"
    P_RC=$?
    t1=$(now)
    P_WALL=$(elapsed "$t0" "$t1")
    P_OBJ=$(meta "$2.json" objective)
    P_STATUS=$(meta "$2.json" status)
    P_GAP=$(meta "$2.json" gap)
    P_SOLVE=$(meta "$2.json" solve_seconds)
    P_MEM=$(tail -n 1 "$2.mem" 2>/dev/null)
}

if want pairs; then
    echo "== coverage pairs (one core)"
    "$BENCH_PAIRS" || echo "bench_pairs failed"
fi

if want sjc; then
    TL=${BENCH_SJC_TIME_LIMIT:-60}
    echo "== SJC maximal covering: rollout5g vs oracle | plain glpsol on the unreduced export (time limit $TL s each, mip_gap 0)"
    DATA="${R5G_SHARED_DATA:-}/mclp-sjc"
    if [ -f "$DATA/SJC324.txt" ]; then
        n=0 eq=0 tot=0
        # instance S p oracle (docs/model.md, "SJC oracles")
        while read -r inst S p opt; do
            d="$TMP/$inst-$S-$p"
            mkdir -p "$d"
            awk 'NR==1{print "id,x,y,weight";next} NF>=3{printf "N%d,%s,%s,%s\n",NR-1,$1,$2,$3}' "$DATA/$inst.txt" > "$d/demand.csv"
            awk 'NR==1{print "site_id,x,y,capex";next} NF>=3{printf "N%d,%s,%s,1\n",NR-1,$1,$2}' "$DATA/$inst.txt" > "$d/candidates.csv"
            cat > "$d/scenario.yaml" <<Y
version: 1
name: $inst S=$S p=$p
crs: planar
periods: {start: 2026, count: 1}
budget: {capex: $p}
demand: {source: demand.csv, open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y], fields: {id: id, weight: weight}}
candidates: {source: candidates.csv, open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y], fields: {id: site_id, capex: capex}}
radio: {model: fixed_radius, radius_m: $S}
solver: {time_limit_s: $TL, mip_gap: 0}
Y
            plan_run "$d/scenario.yaml" "$d/plan.gpkg"
            n=$((n + 1))
            tot=$(echo "$tot $P_WALL" | awk '{ printf "%.2f", $1 + $2 }')
            same=$(echo "$P_OBJ $opt" | awk '{ print ($1 == $2) ? "= oracle" : "!= oracle" }')
            [ "$same" = "= oracle" ] && eq=$((eq + 1))
            base=""
            [ -n "$GLPSOL" ] && base=" | $(glpsol_run "$d/plan.gpkg.lp" "$TL" 0)"
            printf '%s S=%s p=%s: rollout5g %s %s %s s (solve %s s, exit %s) oracle %s %s%s\n' \
                "$inst" "$S" "$p" "$P_OBJ" "$P_STATUS" "$P_WALL" "$P_SOLVE" "$P_RC" "$opt" "$same" "$base"
        done <<EOF
SJC324 800 4 12106
SJC324 1200 2 11555
SJC324 1200 3 12152
SJC402 800 4 15658
SJC402 800 6 15984
SJC402 1200 2 14832
SJC500 800 5 18859
SJC500 800 7 19692
SJC500 800 8 19707
SJC500 1200 3 19393
SJC708 800 5 21486
SJC708 800 9 24024
SJC708 800 10 24190
SJC708 800 12 24192
SJC708 1200 2 20376
SJC708 1200 5 24142
SJC818 800 6 25908
SJC818 800 9 28408
SJC818 800 10 28838
SJC818 800 11 29093
SJC818 800 12 29159
SJC818 1200 3 25211
SJC818 1200 4 27029
SJC818 1200 6 29137
EOF
        echo "SJC: $eq of $n cases equal the oracle; rollout5g total wall $tot s (whole plan runs: read, pairs, solve, write)"
    else
        echo "skipped: no SJC data at $DATA"
    fi
fi

# scenario_case DIR TL GAP: plan DIR/scenario.yaml with the limit and gap set,
# then plain glpsol and CBC on the unreduced export and CBC on the reduced one
scenario_case() {
    d=$1
    sed -i -e "s/^\( *time_limit_s:\).*/\1 $2/" -e "s/^\( *mip_gap:\).*/\1 $3/" \
        -e "s/time_limit_s: [0-9.e]*/time_limit_s: $2/" -e "s/mip_gap: [0-9.e]*/mip_gap: $3/" "$d/scenario.yaml"
    plan_run "$d/scenario.yaml" "$d/plan.gpkg"
    echo "rollout5g: exit $P_RC, $P_STATUS, objective $P_OBJ, bound $(meta "$d/plan.gpkg.json" bound), gap $P_GAP," \
        "solve $P_SOLVE s, wall $P_WALL s, peak ${P_MEM:-?}KB," \
        "reduced $(meta "$d/plan.gpkg.json" n_demand) -> $(meta "$d/plan.gpkg.json" reduced_demand) points," \
        "$(meta "$d/plan.gpkg.json" model_rows) rows"
    grep -i 'solved\|error' "$d/plan.gpkg.err" | head -n 3
    if [ -n "$GLPSOL" ] && [ -f "$d/plan.gpkg.lp" ]; then
        echo "baseline (unreduced export, $(grep -c '' "$d/plan.gpkg.lp") lines): $(glpsol_run "$d/plan.gpkg.lp" "$2" "$3")"
    fi
    if [ -n "$CBC" ] && [ -f "$d/plan.gpkg.lp" ]; then
        echo "peer (the same export): $(cbc_run "$d/plan.gpkg.lp" "$2" "$3")"
    fi
    if [ -n "$CBC" ] && [ -f "$d/plan.gpkg.red.lp" ]; then
        echo "peer (rollout5g's reduced export): $(cbc_run "$d/plan.gpkg.red.lp" "$2" "$3")"
    fi
}

# synth_case PRESET TL GAP
synth_case() {
    d="$TMP/$1"
    t0=$(now)
    "$R5G" synth --preset "$1" --seed 1 -o "$d" > /dev/null || { echo "synth failed"; return; }
    echo "synth: $(elapsed "$t0" "$(now)") s, $(du -sh "$d" | cut -f1)"
    scenario_case "$d" "$2" "$3"
}

if want district; then
    TL=${BENCH_DISTRICT_TIME_LIMIT:-60}
    echo "== district (the default scenario's preset, seed 1, time limit $TL s, mip_gap 0.005)"
    synth_case district "$TL" 0.005
fi

if want xl; then
    TL=${BENCH_XL_TIME_LIMIT:-60}
    echo "== district-xl (seed 1, time limit $TL s, mip_gap 0.001)"
    synth_case district-xl "$TL" 0.001
fi

if want realdata; then
    TL=${BENCH_REALDATA_TIME_LIMIT:-90}
    echo "== real-data class (tests/bench/realdata.py: 434 YRD power plants, 1,531 candidates, 40 existing, 5 periods, 1 km, 4 M CNY a year carried over; time limit $TL s, mip_gap 0.001)"
    if [ -f "${R5G_SHARED_DATA:-}/cn-power-plants-wri/China_WRI_power_plants.csv" ]; then
        d="$TMP/realdata"
        /usr/bin/python3 "$BENCH_DIR/realdata.py" "$R5G_SHARED_DATA" "$d" && cp "$BENCH_DIR/realdata.yaml" "$d/scenario.yaml" \
            && scenario_case "$d" "$TL" 0.001
    else
        echo "skipped: no power plant data at ${R5G_SHARED_DATA:-}/cn-power-plants-wri"
    fi
fi

# province: plan the same scenario with 1 and 2 workers (the same plan,
# checked), print both walls, the speed-up, and the speed-up projected for
# 16 and 64 MPI ranks from the measured regional solve times: each round's
# regions scheduled longest first onto P processors (LPT, as the worker pool
# does), plus the part of the run outside the rounds, which does not shrink.
province_case() {
    d="$TMP/province"
    "$R5G" synth --preset province --seed 1 --scale "$1" -o "$d" > /dev/null || { echo "synth failed"; return; }
    sed -i -e "s/^\( *time_limit_s:\).*/\1 $2/" -e "s/^\( *mip_gap:\).*/\1 $3/" "$d/scenario.yaml"
    for w in 1 2; do
        sed -e "s/^solver:/solver:\n  workers: $w\n  decompose: true/" "$d/scenario.yaml" > "$d/w$w.yaml"
        t0=$(now)
        /usr/bin/time -f %M -o "$d/w$w.mem" "$R5G" plan "$d/w$w.yaml" -v -o "$d/w$w.gpkg" --json "$d/w$w.json" \
            > "$d/w$w.out" 2> "$d/w$w.err"
        rc=$?
        wall=$(elapsed "$t0" "$(now)")
        eval "WALL$w=$wall"
        echo "rollout5g, $w worker(s): exit $rc, $(meta "$d/w$w.json" status), objective $(meta "$d/w$w.json" objective)," \
            "bound $(meta "$d/w$w.json" bound), gap $(meta "$d/w$w.json" gap), wall $wall s, peak $(tail -n 1 "$d/w$w.mem")KB"
        grep 'decomposition.*regions solved' "$d/w$w.err" | sed 's/^rollout5g: debug: solver: /  /'
    done
    for w in 1 2; do
        ogrinfo -ro -q -sql "SELECT site_id, status, build_index FROM sites ORDER BY site_id" "$d/w$w.gpkg" |
            grep -v '^Layer name' > "$d/w$w.sites"
    done
    if [ -s "$d/w1.sites" ] && cmp -s "$d/w1.sites" "$d/w2.sites"; then echo "the same plan (every site's status and build period) with 1 and 2 workers"; else echo "the plans with 1 and 2 workers DIFFER"; fi
    echo "speed-up, 2 workers against 1: $(echo "$WALL1 $WALL2" | awk '{ printf "%.2fx", $1 / $2 }')"
    # the regions on MPI ranks (plan --mpi): mpirun -n 2 (one rank solves)
    # and -n 3 (two), each the same plan as the forked workers'
    if [ -n "${MPIRUN:-}" ] && ! "$R5G" plan "$d/w1.yaml" --mpi 2>&1 | grep -q "built without MPI"; then
        for n in 2 3; do
            t0=$(now)
            OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 \
                /usr/bin/time -f %M -o "$d/mpi$n.mem" "$MPIRUN" -n $n "$R5G" plan "$d/w1.yaml" -v --mpi \
                -o "$d/mpi$n.gpkg" --json "$d/mpi$n.json" > "$d/mpi$n.out" 2> "$d/mpi$n.err"
            rc=$?
            wall=$(elapsed "$t0" "$(now)")
            eval "MWALL$n=$wall"
            ogrinfo -ro -q -sql "SELECT site_id, status, build_index FROM sites ORDER BY site_id" "$d/mpi$n.gpkg" 2> /dev/null |
                grep -v '^Layer name' > "$d/mpi$n.sites"
            same=$(cmp -s "$d/w1.sites" "$d/mpi$n.sites" && echo "the same plan as the forked workers" || echo "a plan DIFFERENT from the forked workers'")
            echo "rollout5g, mpirun -n $n ($((n - 1)) solving rank(s)): exit $rc, objective $(meta "$d/mpi$n.json" objective), wall $wall s, peak $(tail -n 1 "$d/mpi$n.mem")KB (the largest process), $same"
            grep 'decomposition.*regions solved' "$d/mpi$n.err" | sed 's/^rollout5g: debug: solver: /  /'
        done
        echo "speed-up on MPI ranks, 2 solving ranks against 1: $(echo "$MWALL2 $MWALL3" | awk '{ printf "%.2fx", $1 / $2 }')"
    else
        echo "no MPI run: mpirun missing or rollout5g built without MPI"
    fi
    # projection from the 1-worker run's regional CPU times (project.awk)
    awk -v wall="$WALL1" -f "$BENCH_DIR/project.awk" "$d/w1.err"
}

if want province; then
    SC=${BENCH_PROVINCE_SCALE:-0.25}
    TL=${BENCH_PROVINCE_TIME_LIMIT:-600}
    echo "== province (synth --preset province --scale $SC: 12 cities under one budget, 8 periods; time limit $TL s, mip_gap 0.005), regional decomposition on 1 and 2 workers"
    province_case "$SC" "$TL" 0.005
fi

if want city; then
    echo "== city (seed 1, time limit 600 s, mip_gap 0.02)"
    synth_case city 600 0.02
fi
