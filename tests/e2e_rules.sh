#!/bin/sh
# Hard rules end to end on a tiny planar scenario solved by hand: the
# on-time rule (feasible plan, and the exact explanation when infeasible),
# min_cost with a coverage target.
. "${top_srcdir}/tests/lib.sh"
D="$TMP/s"; mkdir -p "$D"
cat > "$D/candidates.csv" <<C
site_id,x,y,capex
C1,0,0,1000000
C2,1000,0,2000000
C3,5000,0,1000000
C
cat > "$D/regions.csv" <<C
adcode,population,wkt
R1,1000,"POLYGON((-500 -500,2000 -500,2000 500,-500 500,-500 -500))"
R2,1000,"POLYGON((2000 -500,10000 -500,10000 500,2000 500,2000 -500))"
C
demand() { # $1: x of D3
cat > "$D/demand.csv" <<C
id,x,y,weight,year,whitelist
D1,10,0,1,2026,1
D2,1010,0,1,2026,1
D3,$1,0,1,2027,1
D4,5010,0,1,2027,0
C
}
scenario() { # $1 budget list, $2 extra lines
cat > "$D/scenario.yaml" <<Y
version: 1
name: rules
crs: planar
periods: {start: 2026, count: 2}
budget: {capex: [$1], carry_over: true}
demand: {source: demand.csv, open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y], fields: {id: id, weight: weight, period: year, whitelist: whitelist}}
candidates: {source: candidates.csv, open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y], fields: {id: site_id, capex: capex}}
regions: {source: regions.csv, open_options: [GEOM_POSSIBLE_NAMES=wkt, KEEP_GEOM_COLUMNS=NO], fields: {id: adcode, population: population}}
radio: {model: fixed_radius, radius_m: 100}
solver: {time_limit_s: 30, mip_gap: 0}
$2
Y
}
sites_built() { # GPKG -> "C1:2026 C2:2026 ..." for built sites
    ogrinfo -ro -q -sql "SELECT site_id, build_period FROM sites WHERE build_period IS NOT NULL ORDER BY site_id" "$1" |
        sed -n 's/^ *site_id (String) = \(.*\)/\1/p; s/^ *build_period (String) = \(.*\)/:\1/p' | paste -sd' ' | sed 's/ :/:/g'
}

# 1. infeasible: D3 is out of range of every candidate; D1 and D2 (due 2026)
#    need C1 + C2 = 3.0 M, the 2026 budget is 1.5 M.
demand 9000
scenario "1500000, 1000000" "ahead_of_demand: {lead_periods: 0, on_time_required: whitelist}"
"$R5G" plan "$D/scenario.yaml" -o "$TMP/a.gpkg" > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc -eq 3 ] && pass "infeasible on-time rule exits 3" || fail "exit $rc: $(cat "$TMP/err")"
want1="rollout5g: error: the scenario is infeasible: 2 whitelist points in region R1 cannot be covered by 2026 (ahead_of_demand.on_time_required: whitelist): 2 need at least 1.5 M CNY more capex in 2026 (3.0 M CNY needed, 1.5 M CNY budgeted)"
want2="  also: 1 whitelist point in region R2 cannot be covered by 2027 (ahead_of_demand.on_time_required: whitelist): no candidate in range for 1"
grep -qxF "$want1" "$TMP/err" && pass "explanation: budget shortfall with region" || fail "explanation: $(cat "$TMP/err")"
grep -qxF "$want2" "$TMP/err" && pass "explanation: point out of range" || fail "explanation: $(cat "$TMP/err")"
grep -q "points due by 2027: D3\*" "$TMP/err" && pass "explanation names the point" || fail "no point ids: $(cat "$TMP/err")"
[ -e "$TMP/a.gpkg" ] && fail "an infeasible run left a plan" || pass "no plan written"
"$R5G" plan "$D/scenario.yaml" -q -o "$TMP/a.gpkg" > "$TMP/out" 2> "$TMP/err"
grep -qxF "$want1" "$TMP/err" && pass "explanation shown with -q" || fail "-q hides the explanation: $(cat "$TMP/err")"

# 2. feasible: D3 next to C3, budget 3.0 M in 2026: C1, C2 in 2026, C3 in 2027.
demand 5020
scenario "3000000, 1000000" "ahead_of_demand: {lead_periods: 0, on_time_required: whitelist}"
if "$R5G" plan "$D/scenario.yaml" -q -o "$TMP/b.gpkg" > "$TMP/out" 2> "$TMP/err"; then
    pass "feasible on-time plan exits 0"
    got=$(sites_built "$TMP/b.gpkg")
    [ "$got" = "C1:2026 C2:2026 C3:2027" ] && pass "on-time plan: $got" || fail "on-time plan: '$got'"
else
    fail "feasible on-time plan: $(cat "$TMP/err")"
fi

# 3. min_cost: half of the 4 points by 2027 at least cost: C3 alone (D3, D4), 1.0 M.
scenario "3000000, 1000000" "objective: min_cost
targets: {coverage_share: {2027: 0.5}}"
if "$R5G" plan "$D/scenario.yaml" -o "$TMP/c.gpkg" > "$TMP/out" 2> "$TMP/err"; then
    got=$(sites_built "$TMP/c.gpkg")
    [ "$got" = "C3:2027" ] && pass "min_cost plan: $got" || fail "min_cost plan: '$got'"
    grep -q "^plan: optimal, objective 1e+06" "$TMP/out" && pass "min_cost objective 1.0 M" || fail "min_cost: $(cat "$TMP/out")"
else
    fail "min_cost: $(cat "$TMP/err")"
fi
finish
