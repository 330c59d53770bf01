#!/bin/sh
# The model's features through the real binary, kept small:
#  1. the time limit: exit 4, the best plan written, plan_meta status
#     time_limit with its gap (= (bound - objective) / objective);
#  2. determinism of the on-time hard rule and of min_cost with targets: the
#     same scenario planned twice gives the same sites layer;
#  3. capacity: a site that cannot serve both points it covers; the demand
#     layer shows the unserved one as not covered, and covered without capacity.
. "${top_srcdir}/tests/lib.sh"
SC="$top_srcdir/scenarios/yrd-demo"
[ -s "$SC/scenario.yaml" ] || { fail "no default scenario at $SC"; finish; exit 1; }
command -v ogrinfo > /dev/null 2>&1 || skip_all "ogrinfo (gdal-bin) not installed"
Y="$TMP/yrd"
mkdir -p "$Y"
cp "$SC"/*.geojson "$SC"/*.csv "$SC"/scenario.yaml "$Y"/

meta() { # GPKG KEY -> plan_meta value
    ogrinfo -ro -q -sql "SELECT value FROM plan_meta WHERE key = '$2'" "$1" | sed -n 's/.*value (String) = //p'
}
sites_of() { # GPKG -> site_id status build_index, one site a line
    ogrinfo -ro -q -sql "SELECT site_id, status, build_index FROM sites ORDER BY site_id" "$1" | grep =
}
# variant NAME SED-SCRIPT CHECK-REGEX: a copy of the default scenario, edited
variant() {
    sed -e "$2" "$Y/scenario.yaml" > "$Y/$1.yaml"
    if ! grep -q "$3" "$Y/$1.yaml"; then
        fail "$1: the default scenario no longer has the lines this test edits ($3)"
        return 1
    fi
}

# 1. time limit far too short to prove mip_gap 0 on the district: the greedy
#    (or LNS) plan is written with its gap, exit 4.
if variant tl 's/^\( *time_limit_s:\).*/\1 0.001/; s/^\( *mip_gap:\).*/\1 0/' 'time_limit_s: 0.001'; then
    "$R5G" plan "$Y/tl.yaml" -o "$TMP/tl.gpkg" --export-model "$TMP/red.lp" --export-unreduced "$TMP/unred.mps" \
        > "$TMP/tl.out" 2> "$TMP/tl.err"
    rc=$?
    # the unreduced export: a z column per demand point (3000 points; the
    # reductions merge them into fewer groups), so more z names than reduced
    zr=$(grep -o 'z_[0-9]*_1\b' "$TMP/red.lp" 2>/dev/null | sort -u | wc -l)
    zu=$(grep -o 'z_[0-9]*_1 ' "$TMP/unred.mps" 2>/dev/null | sort -u | wc -l)
    [ "$zu" -gt "$zr" ] && [ "$zr" -gt 0 ] && pass "--export-unreduced: $zu period-1 z columns, reduced $zr" ||
        fail "--export-unreduced: $zu period-1 z columns, reduced $zr"
    [ $rc -eq 4 ] && pass "time limit 0.001 s: exit 4" || fail "time limit: exit $rc: $(cat "$TMP/tl.err")"
    grep -q "time limit of 0.001 s reached" "$TMP/tl.err" && pass "time limit: warning names the limit" ||
        fail "time limit: no warning: $(cat "$TMP/tl.err")"
    if [ -s "$TMP/tl.gpkg" ]; then
        pass "time limit: plan written"
        st=$(meta "$TMP/tl.gpkg" status) gap=$(meta "$TMP/tl.gpkg" gap)
        obj=$(meta "$TMP/tl.gpkg" objective) bnd=$(meta "$TMP/tl.gpkg" bound)
        [ "$st" = time_limit ] && pass "time limit: plan_meta status time_limit" || fail "plan_meta status '$st'"
        if echo "$gap $obj $bnd" | awk '{ g = ($3 - $2) / $2; exit !($1 > 0 && $2 > 0 && $3 > $2 &&
                                             (g - $1 < 1e-4 * $1) && ($1 - g < 1e-4 * $1)) }'; then
            pass "time limit: plan_meta gap $gap = (bound $bnd - objective $obj) / objective > 0"
        else
            fail "time limit: plan_meta gap '$gap', objective '$obj', bound '$bnd'"
        fi
        n=$(sites_of "$TMP/tl.gpkg" | grep -c "status (String) = built")
        [ "$n" -gt 0 ] && pass "time limit: the plan builds $n sites" || fail "time limit: no site built"
        if [ -n "$PYGDAL" ]; then
            budgets=$(sed -n 's/^ *capex: *\[\(.*\)\].*/\1/p' "$Y/tl.yaml" | tr -d ' ')
            radius=$(sed -n 's/^ *radius_m: *\([0-9.]*\).*/\1/p' "$Y/tl.yaml" | head -n 1)
            lead=$(sed -n 's/^ *lead_periods: *\([0-9]*\).*/\1/p' "$Y/tl.yaml" | head -n 1)
            maxlead=$(sed -n 's/^ *max_lead_periods: *\([0-9]*\).*/\1/p' "$Y/tl.yaml" | head -n 1)
            if "$PYGDAL" "$top_srcdir/tests/check_plan.py" "$TMP/tl.gpkg" "$Y" "$radius" "$budgets" "$lead" "$maxlead" \
                > "$TMP/chk" 2>&1; then
                pass "time limit: the plan keeps every rule ($(cat "$TMP/chk"))"
            else
                fail "time limit: $(cat "$TMP/chk")"
            fi
        fi
    else
        fail "time limit: no plan written"
    fi
fi

# 2. determinism. On time: whitelist points covered one period ahead, hard
#    (radius 1500 m so every whitelist point has a candidate in range, budgets
#    halved so the rule competes for them). min_cost: coverage targets.
twice() { # NAME
    for k in 1 2; do
        if ! "$R5G" plan "$Y/$1.yaml" -q -o "$TMP/$1-$k.gpkg" > "$TMP/$1.out" 2> "$TMP/$1.err"; then
            fail "$1: plan exited non-zero: $(cat "$TMP/$1.err")"
            return
        fi
        sites_of "$TMP/$1-$k.gpkg" > "$TMP/$1-$k.txt"
    done
    n=$(grep -c "status (String) = built" "$TMP/$1-1.txt")
    if [ "$n" -gt 0 ] && cmp -s "$TMP/$1-1.txt" "$TMP/$1-2.txt"; then
        pass "$1: the same sites layer twice ($n sites built; $(grep '^plan:' "$TMP/$1.out"))"
    else
        fail "$1: two runs differ or build nothing ($n built)"
    fi
}
if variant ontime 's/on_time_required: none/on_time_required: whitelist/; s/^\( *radius_m:\).*/\1 1500/;
        s/^  capex: .*/  capex: [2000000, 3000000, 4000000, 4000000, 4000000]/' 'on_time_required: whitelist'; then
    twice ontime
fi
if variant mincost 's/^objective: max_coverage.*/objective: min_cost\ntargets: {coverage_share: {2027: 0.5, 2030: 0.7}}/;
        s/^\( *mip_gap:\).*/\1 0.02/' '^objective: min_cost'; then
    twice mincost
    [ "$(meta "$TMP/mincost-1.gpkg" objective_kind)" = min_cost ] && pass "mincost: plan_meta objective_kind min_cost" ||
        fail "mincost: objective_kind '$(meta "$TMP/mincost-1.gpkg" objective_kind)'"
fi

# 3. capacity. C1 (capacity 10 Mbit/s) covers D1 (weight 5, 8 Mbit/s) and D2
#    (weight 3, 8 Mbit/s); C2 covers D2 only; budget for one site. C1 is
#    worth 5 + 3 x 2/8 = 5.75 (D1 served, D2 a quarter), C2 3: C1 is built,
#    D2 is in range but not fully served, so not covered. Without capacity
#    the plan is the same (8 vs 3) and D2 is covered in 2026.
C="$TMP/cap"
mkdir -p "$C"
cat > "$C/candidates.csv" <<E
site_id,x,y,capex
C1,0,0,1
C2,60,0,1
E
cat > "$C/demand.csv" <<E
id,x,y,weight,traffic
D1,-10,0,5,8
D2,20,0,3,8
E
capacity_scenario() { # $1 true|false
    cat > "$C/scenario.yaml" <<E
version: 1
name: capacity
crs: planar
periods: {start: 2026, count: 1}
budget: {capex: 1}
demand: {source: demand.csv, open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y], fields: {id: id, weight: weight, traffic: traffic}}
candidates: {source: candidates.csv, open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y], fields: {id: site_id, capex: capex}}
radio: {model: fixed_radius, radius_m: 50, bands: {n78: {frequency_ghz: 3.5, max_path_loss_db: 128, capacity_mbps: 10}}}
model: {capacity: $1}
solver: {time_limit_s: 30, mip_gap: 0}
E
}
demand_of() { # GPKG -> "D1:1:1 D2::0" (id:covered_index:on_time)
    ogrinfo -ro -q -sql "SELECT demand_id, covered_index, on_time FROM demand ORDER BY demand_id" "$1" |
        awk -F' = ' '/demand_id/ { if (id != "") printf "%s:%s:%s ", id, c, o; id = $2; c = ""; o = "" }
                     /covered_index/ { c = $2 } /on_time/ { o = $2 }
                     END { if (id != "") printf "%s:%s:%s", id, c, o }'
}
for cap in true false; do
    capacity_scenario $cap
    if "$R5G" plan "$C/scenario.yaml" -q -o "$TMP/cap-$cap.gpkg" > "$TMP/cap.out" 2> "$TMP/cap.err"; then
        got=$(sites_of "$TMP/cap-$cap.gpkg" | sed 's/.* = //' | paste -sd' ')
        [ "$got" = "C1 built 1 C2 not_built (null)" ] && pass "capacity $cap: sites $got" ||
            fail "capacity $cap: sites '$got', expected C1 built in period 1 only"
        got=$(demand_of "$TMP/cap-$cap.gpkg")
        if [ $cap = true ]; then want="D1:1:1 D2:(null):0"; else want="D1:1:1 D2:1:1"; fi
        [ "$got" = "$want" ] && pass "capacity $cap: demand layer $got" || fail "capacity $cap: demand layer '$got', expected '$want'"
        obj=$(meta "$TMP/cap-$cap.gpkg" objective)
        if [ $cap = true ]; then want=5.75; else want=8; fi
        [ "$obj" = "$want" ] && pass "capacity $cap: objective $obj" || fail "capacity $cap: objective '$obj', expected $want"
    else
        fail "capacity $cap: plan exited non-zero: $(cat "$TMP/cap.err")"
    fi
done
finish
