#!/bin/sh
# Benchmarks (make bench): print numbers, never gate anything on time.
#  1. coverage pairs: grid search vs brute force on a synthetic city (bench_pairs);
#  2. SJC maximal covering cases: rollout5g plan vs plain glpsol on the same
#     exported model, same time limit;
#  3. synthetic district(s): rollout5g plan vs plain glpsol on the exported model.
# Environment: R5G, BENCH_PAIRS, GLPSOL, R5G_SHARED_DATA; BENCH_TIME_LIMIT
# (seconds per solve, default 60); BENCH_PRESETS (default "district").
set -u
TL=${BENCH_TIME_LIMIT:-60}
PRESETS=${BENCH_PRESETS:-district}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/r5g-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }

echo "== coverage pairs (one core)"
"$BENCH_PAIRS" || echo "bench_pairs failed"

glpsol_run() { # MODEL.lp -> prints "obj=... status=... seconds"
    t0=$(now)
    timeout $((TL + 30)) "$GLPSOL" --lp "$1" --tmlim "$TL" --mipgap 0 -o "$1.sol" > "$1.log" 2>&1
    t1=$(now)
    obj=$(sed -n 's/^Objective: *[^=]*= *\([-0-9.e+]*\).*/\1/p' "$1.sol" 2>/dev/null | head -n 1)
    st=$(sed -n 's/^Status: *//p' "$1.sol" 2>/dev/null | head -n 1)
    echo "glpsol obj=${obj:-none} status=${st:-none} $(elapsed "$t0" "$t1") s"
}

plan_run() { # SCENARIO OUT -> prints the summary line and seconds
    t0=$(now)
    "$R5G" plan "$1" -q -o "$2" --export-model "$2.lp" > "$2.out" 2> "$2.err"
    rc=$?
    t1=$(now)
    echo "rollout5g exit=$rc $(grep '^plan:' "$2.out") wall $(elapsed "$t0" "$t1") s"
}

echo "== SJC maximal covering (time limit $TL s each)"
DATA="${R5G_SHARED_DATA:-}/mclp-sjc"
if [ -f "$DATA/SJC324.txt" ] && [ -n "$GLPSOL" ]; then
    total0=$(now)
    for c in "SJC324 800 10" "SJC324 1200 5" "SJC402 800 10" "SJC500 800 15" "SJC708 800 20" "SJC818 800 25" \
             "SJC324 800 5" "SJC402 1200 5" "SJC500 1200 10" "SJC708 1200 10" "SJC818 1200 15"; do
        set -- $c
        d="$TMP/$1-$2-$3"; mkdir -p "$d"
        awk 'NR==1{print "id,x,y,weight";next} NF>=3{printf "N%d,%s,%s,%s\n",NR-1,$1,$2,$3}' "$DATA/$1.txt" > "$d/demand.csv"
        awk 'NR==1{print "site_id,x,y,capex";next} NF>=3{printf "N%d,%s,%s,1\n",NR-1,$1,$2}' "$DATA/$1.txt" > "$d/candidates.csv"
        cat > "$d/scenario.yaml" <<Y
version: 1
name: $1 S=$2 p=$3
crs: planar
periods: {start: 2026, count: 1}
budget: {capex: $3}
demand: {source: demand.csv, open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y], fields: {id: id, weight: weight}}
candidates: {source: candidates.csv, open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y], fields: {id: site_id, capex: capex}}
radio: {model: fixed_radius, radius_m: $2}
solver: {time_limit_s: $TL, mip_gap: 0}
Y
        echo "$1 S=$2 p=$3: $(plan_run "$d/scenario.yaml" "$d/plan.gpkg") | $(glpsol_run "$d/plan.gpkg.lp")"
    done
    echo "SJC total wall (rollout5g + glpsol): $(elapsed "$total0" "$(now)") s"
else
    echo "skipped: no SJC data at $DATA or no glpsol"
fi

for preset in $PRESETS; do
    echo "== synthetic $preset (seed 1, time limit $TL s)"
    d="$TMP/$preset"
    t0=$(now)
    "$R5G" synth --preset "$preset" --seed 1 -o "$d" > /dev/null || { echo "synth failed"; continue; }
    echo "synth: $(elapsed "$t0" "$(now)") s, $(du -sh "$d" | cut -f1)"
    sed -i "s/^\( *time_limit_s:\).*/\1 $TL/" "$d/scenario.yaml"
    echo "$(plan_run "$d/scenario.yaml" "$d/plan.gpkg")"
    [ -n "$GLPSOL" ] && [ -f "$d/plan.gpkg.lp" ] && echo "baseline: $(glpsol_run "$d/plan.gpkg.lp")"
done
