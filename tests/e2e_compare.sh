#!/bin/sh
# rollout5g compare end to end on tiny scenarios solved by hand:
#  1. one carrier, three budgets: site_diff, demand_diff, region_diff and the
#     KPIs against the optimum worked out below and against an independent
#     recomputation (tests/compare_check.py) from the plans' own layers;
#  2. two carriers measured on the reviewer's own demand and regions, with
#     the co-location candidates;
#  3. the error lines of bad inputs, and nothing left behind by a failed run.
. "${top_srcdir}/tests/lib.sh"
[ -n "$PYGDAL" ] || skip_all "no python3 with GDAL bindings"
command -v ogrinfo > /dev/null 2>&1 || skip_all "no ogrinfo"
CHK="$PYGDAL $top_srcdir/tests/compare_check.py"
D="$TMP/s"; mkdir -p "$D"

# Five candidates 3 km apart on a line (UTM 51N), each alone in range (500 m)
# of its cluster, and an existing site E1 with a point of its own. All demand
# appears in 2026 except D22 (2027) and the C5 cluster (2028); max lead 0.
# Worth of building Ck in period t (weight x periods credited, T = 3):
#   C1 40(4-t): 120 80 40      C2 20(4-t) + 5(4-max(t,2)): 70 50 25
#   C3 15(4-t):  45 30 15      C4 10(4-t): 30 20 10       C5: 5, in 2028 only
# With 1 M per site and no carry-over the optima are unique:
#   a [1,2,1] M: C1 2026, C2 C3 2027, C4 2028                      (210)
#   b [2,1,0.5] M: C1 C2 2026, C3 2027                             (220)
#   c [1,1,3] M: C1 2026, C2 2027, C3 C4 C5 2028                   (200)
X0=330000; Y0=3466000
{
    echo "site_id,x,y,capex"
    for k in 1 2 3 4 5; do echo "C$k,$((X0 + 3000 * (k - 1))),$Y0,1000000"; done
} > "$D/candidates.csv"
printf 'site_id,x,y\nE1,%d,%d\n' $((X0 + 15000)) $Y0 > "$D/existing.csv"
pt() { # id cluster(1..6) dx dy weight year whitelist
    echo "$1,$((X0 + 3000 * ($2 - 1) + $3)),$((Y0 + $4)),$5,$6,$7"
}
{
    echo "id,x,y,weight,year,whitelist"
    pt D11 1 100 0 20 2026 1;  pt D12 1 -100 50 20 2026 0
    pt D21 2 100 0 20 2026 0;  pt D22 2 -100 50 5 2027 1
    pt D31 3 100 0 10 2026 0;  pt D32 3 -100 50 5 2026 0
    pt D41 4 100 0 5 2026 0;   pt D42 4 -100 50 5 2026 0
    pt D51 5 100 0 3 2028 1;   pt D52 5 -100 50 2 2028 0
    pt D61 6 100 0 1 2026 0
} > "$D/demand.csv"
cat > "$D/regions.csv" <<C
code,name,population,wkt
R1,西区,10000,"POLYGON(($((X0 - 1000)) $((Y0 - 1000)),$((X0 + 7500)) $((Y0 - 1000)),$((X0 + 7500)) $((Y0 + 1000)),$((X0 - 1000)) $((Y0 + 1000)),$((X0 - 1000)) $((Y0 - 1000))))"
R2,东区,5000,"POLYGON(($((X0 + 7500)) $((Y0 - 1000)),$((X0 + 16000)) $((Y0 - 1000)),$((X0 + 16000)) $((Y0 + 1000)),$((X0 + 7500)) $((Y0 + 1000)),$((X0 + 7500)) $((Y0 - 1000))))"
C
scenario() { # file budgets [count] [candidates] [more YAML]
    XY='open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y], crs: EPSG:32651'
    cat > "$1" <<Y
version: 1
name: compare tiny $2
crs: EPSG:32651
periods: {start: 2026, count: ${3:-3}}
budget: {capex: [$2], carry_over: false}
demand: {source: demand.csv, $XY, fields: {id: id, weight: weight, period: year, whitelist: whitelist}}
candidates: {source: ${4:-candidates.csv}, $XY, fields: {id: site_id, capex: capex}}
existing: {source: existing.csv, $XY, fields: {id: site_id}}
regions: {source: regions.csv, open_options: [GEOM_POSSIBLE_NAMES=wkt, KEEP_GEOM_COLUMNS=NO], crs: EPSG:32651, fields: {id: code, name: name, population: population}}
radio: {model: fixed_radius, radius_m: 500}
ahead_of_demand: {lead_periods: 0, max_lead_periods: 0}
solver: {time_limit_s: 30, mip_gap: 0}
${5:-}
Y
}
plan() { # name budgets [count] [candidates] [more YAML]
    scenario "$D/$1.yaml" "$2" "${3:-3}" "${4:-}" "${5:-}"
    "$R5G" plan "$D/$1.yaml" -q -o "$TMP/$1.gpkg" > /dev/null 2> "$TMP/$1.err" || fail "plan $1: $(cat "$TMP/$1.err")"
}
plan a "1000000, 2000000, 1000000"
plan b "2000000, 1000000, 500000"
plan c "1000000, 1000000, 3000000"
[ -s "$TMP/a.gpkg" ] && [ -s "$TMP/b.gpkg" ] && [ -s "$TMP/c.gpkg" ] || { fail "plans missing"; finish; exit 1; }
# the values of a query, in order, on one line
q() { ogrinfo -ro -q -sql "$2" "$1" | sed -n 's/^  [^=]*) = //p' | paste -sd' ' -; }
sums() { cat "$TMP"/a.gpkg "$TMP"/b.gpkg "$TMP"/c.gpkg | cksum; }
before=$(sums)

# ---- 1. one carrier, three budgets -----------------------------------------
if "$R5G" compare "$TMP/a.gpkg" "$TMP/b.gpkg" "$TMP/c.gpkg" -o "$TMP/cmp.gpkg" --json "$TMP/cmp.json" \
    > "$TMP/out" 2> "$TMP/err"; then
    pass "compare of three plans exits 0"
else
    fail "compare exited $?: $(cat "$TMP/err")"; finish; exit 1
fi
[ "$(sums)" = "$before" ] && pass "the plans are untouched" || fail "a plan file changed"
ls -a "$TMP" | grep -q 'tmp-' && fail "temporary file left: $(ls -a "$TMP")" || pass "no temporary file left"
grep -q "^a  *$TMP/a.gpkg: max_coverage, optimal" "$TMP/out" && pass "one line per plan" || fail "plan lines: $(cat "$TMP/out")"
grep -q "^2028  *c  " "$TMP/out" && pass "the KPI table has a row per period and plan" || fail "KPI table: $(cat "$TMP/out")"

# the plans are the optima worked out above
for p in a:"C1:1 C2:2 C3:2 C4:3" b:"C1:1 C2:1 C3:2" c:"C1:1 C2:2 C3:3 C4:3 C5:3"; do
    got=$(ogrinfo -ro -q -sql "SELECT site_id || ':' || build_index AS b FROM sites WHERE build_index IS NOT NULL ORDER BY site_id" \
        "$TMP/${p%%:*}.gpkg" | sed -n 's/^ *b (String) = //p' | paste -sd' ' -)
    [ "$got" = "${p#*:}" ] && pass "plan ${p%%:*} is the hand optimum: $got" || fail "plan ${p%%:*}: '$got', expected '${p#*:}'"
done

# site_diff: by hand, and against the two sites layers read independently
got=$(ogrinfo -ro -q -sql "SELECT plan || ' ' || site_id || ' ' || change AS r FROM site_diff ORDER BY plan, site_id" \
    "$TMP/cmp.gpkg" | sed -n 's/^ *r (String) = //p')
want="b C1 same
b C2 earlier
b C3 same
b C4 only_a
b E1 same
c C1 same
c C2 same
c C3 later
c C4 same
c C5 only_b
c E1 same"
[ "$got" = "$want" ] && pass "site_diff: every change as worked out by hand" || fail "site_diff: $got"
$CHK sitediff "$TMP/a.gpkg" "$TMP/b.gpkg" "$TMP/c.gpkg" | sort > "$TMP/sd.want"
printf '%s\n' "$got" | sort > "$TMP/sd.got"
cmp -s "$TMP/sd.want" "$TMP/sd.got" && pass "site_diff agrees with the sites layers" || fail "site_diff vs sites layers: $(diff "$TMP/sd.want" "$TMP/sd.got")"
r=$(q "$TMP/cmp.gpkg" "SELECT build_period_a, build_index_a, build_period_b, build_index_b, shift_periods FROM site_diff WHERE plan = 'b' AND site_id = 'C2'")
[ "$r" = "2027 2 2026 1 -1" ] && pass "site_diff C2: build period and index in each plan" || fail "site_diff C2 fields: '$r'"
r=$(q "$TMP/cmp.gpkg" "SELECT kind, build_index_a IS NULL AS n FROM site_diff WHERE plan = 'b' AND site_id = 'E1'")
[ "$r" = "existing 1" ] && pass "an existing site is 'same' with no build index" || fail "site_diff E1: '$r'"

# covered share by hand (effective weight appeared by the period):
#   appeared 86, 91, 96; a covers 41, 81, 91; b 61, 81, 81; c 41, 66, 96
kpi() { q "$TMP/cmp.gpkg" "SELECT printf('%.6f', $1) FROM compare_kpi WHERE plan = '$2' ORDER BY period_index"; }
for p in "a 41/86. 81/91. 91/96." "b 61/86. 81/91. 81/96." "c 41/86. 66/91. 96/96."; do
    set -- $p
    want=$(awk "BEGIN { printf \"%.6f %.6f %.6f\", $2, $3, $4 }")
    got=$(kpi covered_share "$1")
    [ "$got" = "$want" ] && pass "covered share of $1 by hand: $got" || fail "covered share of $1: '$got', expected '$want'"
done
want=$(awk 'BEGIN { printf "%.6f %.6f %.6f", 20/86, 0, -10/96 }')
got=$(kpi covered_change b)
[ "$got" = "$want" ] && pass "covered-share change b - a by hand: $got" || fail "covered change b: '$got', expected '$want'"

# every share against the plans' demand layers, under the plans' lead (0) and --lead 1
same_kpis() { # lead cmp.gpkg
    $CHK kpi "$1" "$TMP/a.gpkg" "$TMP/b.gpkg" "$TMP/c.gpkg" | sort > "$TMP/k.want"
    $CHK layer "$2" compare_kpi plan,period_index,covered_share,on_time_share,whitelist_on_time_share | sort > "$TMP/k.got"
    cmp -s "$TMP/k.want" "$TMP/k.got"
}
same_kpis 0 "$TMP/cmp.gpkg" && pass "shares agree with the demand layers under lead 0" || fail "shares, lead 0: $(diff "$TMP/k.want" "$TMP/k.got")"
"$R5G" compare "$TMP/a.gpkg" "$TMP/b.gpkg" "$TMP/c.gpkg" --lead 1 -o "$TMP/cmp1.gpkg" -q > /dev/null 2> "$TMP/err" || fail "--lead 1: $(cat "$TMP/err")"
same_kpis 1 "$TMP/cmp1.gpkg" && pass "shares agree with the demand layers under --lead 1" || fail "shares, lead 1: $(diff "$TMP/k.want" "$TMP/k.got")"
# by hand, lead 1, a in 2028: on time D11 D12 (C1 2026) and D61 (E1): 41/96;
# white-listed D11 20 of 28 (D22 is due 2026 and covered 2027, D51 never)
got=$(q "$TMP/cmp1.gpkg" "SELECT printf('%.6f %.6f', on_time_share, whitelist_on_time_share) FROM compare_kpi WHERE plan = 'a' AND period_index = 3")
want=$(awk 'BEGIN { printf "%.6f %.6f", 41/96, 20/28 }')
[ "$got" = "$want" ] && pass "--lead 1 on-time shares by hand: $got" || fail "--lead 1 on time: '$got', expected '$want'"
$CHK kpi 1 "$TMP/a.gpkg" > "$TMP/k1"
$CHK kpi 0 "$TMP/a.gpkg" > "$TMP/k0"
cmp -s "$TMP/k0" "$TMP/k1" && fail "the check cannot tell lead 0 from lead 1" || pass "the check tells lead 0 from lead 1"

# demand_diff (lead 0): b loses D41 D42 (C4 never built), D21 becomes on time
# (covered 2026, not 2027); c gains D51 (white-listed, first) and D52
got=$(ogrinfo -ro -q -sql "SELECT plan || ' ' || demand_id || ' ' || change AS r FROM demand_diff" "$TMP/cmp.gpkg" | sed -n 's/^ *r (String) = //p' | paste -sd, -)
[ "$got" = "b D41 lost,b D42 lost,b D21 became_on_time,c D51 gained,c D52 gained" ] \
    && pass "demand_diff: $got" || fail "demand_diff: '$got'"
r=$(q "$TMP/cmp.gpkg" "SELECT covered_index_a, covered_index_b IS NULL, on_time_a, on_time_b FROM demand_diff WHERE demand_id = 'D41'")
[ "$r" = "3 1 0 0" ] && pass "demand_diff D41: covered 2028 in a, never in b" || fail "demand_diff D41: '$r'"

# region_diff in 2028: R1 (C1-C3) covered in both; R2 (C4, C5 cluster, E1):
# a 11/16, b 1/16; sites per 10k in a: R1 3 (C1-C3) of 10000 people, R2 2 (C4, E1) of 5000
r=$(q "$TMP/cmp.gpkg" "SELECT name, printf('%.4f %.4f %.4f %.1f', covered_share_a, covered_share_b, covered_change, sites_per_10k_a) FROM region_diff WHERE plan = 'b' AND period_index = 3 ORDER BY region_id")
want="西区 1.0000 1.0000 0.0000 3.0 东区 0.6875 0.0625 -0.6250 4.0"
[ "$r" = "$want" ] && pass "region_diff 2028 by hand (CJK names kept)" || fail "region_diff: '$r', expected '$want'"

# the JSON says the same
if "$PYGDAL" - "$TMP/cmp.json" "$TMP/cmp.gpkg" > "$TMP/j" 2>&1 <<'PY'
import json, sys
from osgeo import ogr
d = json.load(open(sys.argv[1]))
pair = {p["b"]: p for p in d["pairs"]}
assert pair["b"]["site_changes"] == {"only_a": 1, "only_b": 0, "earlier": 1, "later": 0, "same": 3}, pair["b"]
assert pair["c"]["site_changes"] == {"only_a": 0, "only_b": 1, "earlier": 0, "later": 1, "same": 4}, pair["c"]
assert pair["b"]["demand_changes"]["lost"] == 2 and pair["c"]["demand_changes_whitelist"]["gained"] == 1
ds = ogr.Open(sys.argv[2])
layer = {(f["plan"], f["period_index"]): f["covered_share"] for f in ds.GetLayerByName("compare_kpi")}
for k in d["kpi"]:
    assert abs(k["covered_share"] - layer[(k["plan"], k["period_index"])]) < 1e-9, k
rows = {r["key"]: r for r in d["settings"]}
if d["settings_source"] == "settings":  # plans that record their settings (plan_meta `settings`)
    assert rows["budget.capex"]["values"] == ["[1000000,2000000,1000000]", "[2000000,1000000,500000]",
                                              "[1000000,1000000,3000000]"] and rows["budget.capex"]["same"] is False
    assert rows["radio.radius_m"]["same"] is True
else:
    assert rows["budget 2026"]["values"] == ["1000000", "2000000", "1000000"] and rows["budget 2026"]["same"] is False
    assert rows["radius_m"]["same"] is True
inp = {r["key"]: r for r in d["inputs"]}
assert inp["demand"]["same"] is True and inp["scenario"]["same"] is False, inp
assert [p["coverage"] for p in d["plans"]] == ["own", "own", "own"]
assert d["common"]["lead_periods"] == 0 and len(d["site_diff"]) == 11
print("json ok: %d kpi rows" % len(d["kpi"]))
PY
then pass "$(cat "$TMP/j")"; else fail "json: $(cat "$TMP/j")"; fi
# the objectives mean the same (same demand and credit): within-gap test, not a raw comparison;
# a and b are both proven optimal (gap 0) with different objectives: not within the gaps
grep -q "^a vs b: the objectives differ beyond the solvers' gaps" "$TMP/out" && pass "gaps: a and b differ beyond them" \
    || fail "gap line: $(grep '^a vs b' "$TMP/out")"

# the same plan twice: each objective within the other's bound, flagged
cp "$TMP/a.gpkg" "$TMP/a2.gpkg"
"$R5G" compare "$TMP/a.gpkg" "$TMP/a2.gpkg" --labels a,again -q > "$TMP/out2" 2> "$TMP/err" || fail "a vs a: $(cat "$TMP/err")"
grep -q "^a vs again: WITHIN THE GAPS" "$TMP/out2" && grep -q "^a vs again sites: 0 only in a, 0 only in again, 0 earlier, 0 later, 5 same" "$TMP/out2" \
    && pass "a plan against itself: within the gaps, every site the same" || fail "a vs a: $(cat "$TMP/out2")"
# a min_cost plan (cover 90 % by 2028 at least cost) is never compared on its objective
plan m "3000000, 3000000, 3000000" 3 "" "objective: min_cost
targets: {coverage_share: {2028: 0.9}}"
"$R5G" compare "$TMP/a.gpkg" "$TMP/m.gpkg" -q > "$TMP/out3" 2> "$TMP/err" || fail "a vs m: $(cat "$TMP/err")"
grep -q "^a vs m: objectives not compared: objectives differ (a: max_coverage, m: min_cost)" "$TMP/out3" \
    && pass "max_coverage against min_cost: objectives not compared, KPIs are" || fail "a vs m: $(cat "$TMP/out3")"
grep -q "^2028  *m  " "$TMP/out3" && pass "the min_cost plan has its KPI rows" || fail "a vs m KPIs: $(cat "$TMP/out3")"

# a `settings` row in plan_meta (JSON, read with json-c) replaces the scalar rows
settings() { # plan json: the plan's settings row replaced (added when it has none)
    cp "$TMP/$1.gpkg" "$TMP/$1s.gpkg"
    ogrinfo -q -sql "DELETE FROM plan_meta WHERE key = 'settings'" "$TMP/$1s.gpkg" > /dev/null 2>&1
    ogrinfo -q -sql "INSERT INTO plan_meta (key, value) VALUES ('settings', '$2')" "$TMP/$1s.gpkg" > /dev/null 2>&1
}
settings a '{"budget": {"capex": [1000000, 2000000, 1000000]}, "sectors": {"ic": 2}, "targets": [{"period": 3, "share": 0.9}]}'
settings b '{"budget": {"capex": [2000000, 1000000, 500000]}, "sectors": {"ic": 2}, "targets": [{"period": 3, "share": 0.8}]}'
if "$R5G" compare "$TMP/as.gpkg" "$TMP/bs.gpkg" --json "$TMP/s.json" -q > "$TMP/out4" 2> "$TMP/err"; then
    "$PYGDAL" - "$TMP/s.json" > "$TMP/j" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = {r["key"]: (r["values"], r["same"]) for r in d["settings"]}
assert d["settings_source"] == "settings", d["settings_source"]
assert rows["budget.capex"] == (["[1000000,2000000,1000000]", "[2000000,1000000,500000]"], False), rows
assert rows["sectors.ic"] == (["2", "2"], True) and rows["targets[0].share"] == (["0.9", "0.8"], False), rows
print("settings: %d keys from the JSON rows" % len(rows))
PY
    [ $? -eq 0 ] && pass "$(cat "$TMP/j")" || fail "settings json: $(cat "$TMP/j")"
else
    fail "compare with settings rows: $(cat "$TMP/err")"
fi
settings c '{"budget": '
"$R5G" compare "$TMP/as.gpkg" "$TMP/cs.gpkg" -q > /dev/null 2> "$TMP/err"
[ $? -eq 1 ] && grep -q "cs.gpkg: plan_meta settings is not a JSON object" "$TMP/err" && pass "a broken settings row: $(cat "$TMP/err")" \
    || fail "broken settings row: $(cat "$TMP/err")"

# every input a plan records is compared, not only the first demand layer:
# a second demand layer that differs (i2) or that one plan lacks (i3)
meta_row() { ogrinfo -q -sql "INSERT INTO plan_meta (key, value) VALUES ('$2', '$3')" "$1" > /dev/null 2>&1; }
for p in i1 i2 i3; do cp "$TMP/a.gpkg" "$TMP/$p.gpkg"; done
meta_row "$TMP/i1.gpkg" "input_demand[1]" "ports.csv"; meta_row "$TMP/i1.gpkg" "input_demand[1]_sha256" "1111"
meta_row "$TMP/i2.gpkg" "input_demand[1]" "ports.csv"; meta_row "$TMP/i2.gpkg" "input_demand[1]_sha256" "2222"
"$R5G" compare "$TMP/i1.gpkg" "$TMP/i1.gpkg" --labels x,x2 --json "$TMP/xx.json" -q > "$TMP/xx" 2> "$TMP/err" \
    && "$R5G" compare "$TMP/i1.gpkg" "$TMP/i2.gpkg" "$TMP/i3.gpkg" --labels x,y,z -q > "$TMP/xyz" 2> "$TMP/err" \
    || fail "compare x y z: $(cat "$TMP/err")"
grep -q "^inputs: .*regions same, demand\[1\] differs$" "$TMP/xyz" \
    && grep -q "demand\[1\] same$" "$TMP/xx" \
    && /usr/bin/python3 -c 'import json,sys; r={x["key"]:x for x in json.load(open(sys.argv[1]))["inputs"]}; sys.exit(not (r["demand[1]"]["same"] is True and r["demand[1]"]["values"] == ["1111","1111"]))' "$TMP/xx.json" \
    && pass "a second demand layer's checksum is compared (same, differs)" \
    || fail "demand[1] not compared: $(grep '^inputs' "$TMP/xyz" "$TMP/xx")"

# QGIS styles for the new layers
n=$(q "$TMP/cmp.gpkg" "SELECT count(*) FROM layer_styles WHERE useAsDefault = 1 AND f_table_name IN ('site_diff','demand_diff','region_diff','colocation')")
[ "$n" = 4 ] && pass "default QGIS styles for site_diff, demand_diff, region_diff, colocation" || fail "layer_styles: $n"
if /usr/bin/python3 -c 'import qgis.core' > /dev/null 2>&1; then
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 - "$TMP/cmp.gpkg" > "$TMP/qg" 2>&1 <<'PY'
import os, sys
from qgis.core import QgsApplication, QgsVectorLayer, QgsCategorizedSymbolRenderer
app = QgsApplication([], False)
app.initQgis()
lyr = QgsVectorLayer(sys.argv[1] + "|layername=site_diff", "site_diff", "ogr")
msg, ok = lyr.loadDefaultStyle()
r = lyr.renderer()
cats = sorted(c.value() for c in r.categories()) if isinstance(r, QgsCategorizedSymbolRenderer) else None
print("site_diff", ok, cats, lyr.featureCount())
sys.stdout.flush()
os._exit(0 if ok and cats == ["earlier", "later", "only_a", "only_b", "same"] and lyr.featureCount() == 11 else 1)
PY
    [ $? -eq 0 ] && pass "QGIS loads site_diff with its categories" || fail "QGIS site_diff: $(cat "$TMP/qg")"
fi

# ---- 2. two carriers on the reviewer's demand and regions ---------------------
# Carrier x: the candidates above, renamed X*; carrier y: Y1 60 m and Y3 80 m
# from X1 and X3, Y5 on X5, Y2 300 m off, Y4 700 m off (out of range of its
# cluster, never built). Budgets [2,2,1] M: x builds X1 X2 2026, X3 X4 2027,
# X5 2028; y builds Y1 Y2 2026, Y3 2027, Y5 2028. Within 100 m: X1-Y1, X3-Y3,
# X5-Y5, and E1 of both (the same existing tower, in both existing layers).
sed 's/^C/X/' "$D/candidates.csv" > "$D/cand_x.csv"
{
    echo "site_id,x,y,capex"
    for k in "1 60" "2 300" "3 80" "4 700" "5 0"; do
        set -- $k; echo "Y$1,$((X0 + 3000 * ($1 - 1) + $2)),$Y0,1000000"
    done
} > "$D/cand_y.csv"
plan x "2000000, 2000000, 1000000" 3 cand_x.csv
plan y "2000000, 2000000, 1000000" 3 cand_y.csv
# the reviewer's demand (a GeoPackage layer, lon/lat) and regions (GeoJSON, lon/lat):
# P1 200 m from X1 and 140 m from Y1, P2 450 m from X2 (750 m from Y2), P3 on X4, P4 far off.
cat > "$D/rev.csv" <<C
id,x,y,weight,year,whitelist
P1,$((X0 + 200)),$Y0,1,2026,1
P2,$((X0 + 3000 - 450)),$Y0,2,2026,0
P3,$((X0 + 9000)),$Y0,3,2027,0
P4,$((X0 + 30000)),$Y0,4,2026,0
C
ogr2ogr -q -f GPKG "$TMP/rev.gpkg" "$D/rev.csv" -nln pts -oo X_POSSIBLE_NAMES=x -oo Y_POSSIBLE_NAMES=y \
    -s_srs EPSG:32651 -t_srs EPSG:4326 2> "$TMP/err" || fail "reviewer demand: $(cat "$TMP/err")"
printf 'region_id,name,population,wkt\nALL,全区,20000,"POLYGON((%d %d,%d %d,%d %d,%d %d,%d %d))"\n' \
    $((X0 - 2000)) $((Y0 - 3000)) $((X0 + 40000)) $((Y0 - 3000)) $((X0 + 40000)) $((Y0 + 3000)) \
    $((X0 - 2000)) $((Y0 + 3000)) $((X0 - 2000)) $((Y0 - 3000)) > "$D/rreg.csv"
ogr2ogr -q -f GeoJSON "$TMP/rreg.geojson" "$D/rreg.csv" -oo GEOM_POSSIBLE_NAMES=wkt -oo KEEP_GEOM_COLUMNS=NO \
    -s_srs EPSG:32651 -t_srs EPSG:4326 2> "$TMP/err" || fail "reviewer regions: $(cat "$TMP/err")"
if "$R5G" compare "$TMP/x.gpkg" "$TMP/y.gpkg" --demand "$TMP/rev.gpkg:pts" --regions "$TMP/rreg.geojson" \
    --labels carrier_x,carrier_y -o "$TMP/car.gpkg" --json - > "$TMP/car.json" 2> "$TMP/car.err"; then
    pass "two carriers on the reviewer's layers exit 0"
else
    fail "carriers: $(cat "$TMP/car.err")"; finish; exit 1
fi
"$PYGDAL" -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/car.json" 2> "$TMP/err" \
    && pass "--json - writes JSON alone on stdout" || fail "--json -: $(cat "$TMP/err")"
grep -q "^carrier_y .*coverage: recomputed (fixed radius)" "$TMP/car.err" && pass "the table goes to stderr with --json -; coverage recomputed" \
    || fail "stderr: $(cat "$TMP/car.err")"
got=$(ogrinfo -ro -q -sql "SELECT site_a || '-' || site_b || ' ' || plan_a || ' ' || plan_b AS r FROM colocation ORDER BY site_a" "$TMP/car.gpkg" | sed -n 's/^ *r (String) = //p' | paste -sd, -)
[ "$got" = "E1-E1 carrier_x carrier_y,X1-Y1 carrier_x carrier_y,X3-Y3 carrier_x carrier_y,X5-Y5 carrier_x carrier_y" ] \
    && pass "colocation by hand: $got" || fail "colocation: '$got'"
$CHK coloc 100 "$TMP/x.gpkg" "$TMP/y.gpkg" | sed 's/ /-/' | sort > "$TMP/co.want"
q "$TMP/car.gpkg" "SELECT site_a || '-' || site_b FROM colocation" | tr ' ' '\n' | sort > "$TMP/co.got"
cmp -s "$TMP/co.want" "$TMP/co.got" && pass "colocation agrees with the sites layers" || fail "colocation vs layers: $(diff "$TMP/co.want" "$TMP/co.got")"
r=$(q "$TMP/car.gpkg" "SELECT printf('%.1f', distance_m) FROM colocation ORDER BY site_a")
[ "$r" = "0.0 60.0 80.0 0.0" ] && pass "colocation distances 0, 60, 80, 0 m" || fail "distances: '$r'"
# reviewer points by hand: x covers P1 P2 from 2026 and P3 (X4) from 2027;
# y covers only P1. Appeared weight 7, 10, 10.
for p in "carrier_x 3/7. 6/10. 6/10." "carrier_y 1/7. 1/10. 1/10."; do
    set -- $p
    want=$(awk "BEGIN { printf \"%.6f %.6f %.6f\", $2, $3, $4 }")
    got=$(q "$TMP/car.gpkg" "SELECT printf('%.6f', covered_share) FROM compare_kpi WHERE plan = '$1' ORDER BY period_index")
    [ "$got" = "$want" ] && pass "$1 on the reviewer's demand by hand: $got" || fail "$1 reviewer covered: '$got', expected '$want'"
done
$CHK refcov "$TMP/rev.gpkg:pts" "$TMP/x.gpkg" "$TMP/y.gpkg" | sed 's/^x /carrier_x /; s/^y /carrier_y /' | sort > "$TMP/rc.want"
$CHK layer "$TMP/car.gpkg" compare_kpi plan,period_index,covered_share | sort > "$TMP/rc.got"
cmp -s "$TMP/rc.want" "$TMP/rc.got" && pass "reviewer coverage agrees with a geometric recomputation" || fail "refcov: $(diff "$TMP/rc.want" "$TMP/rc.got")"
r=$(q "$TMP/car.gpkg" "SELECT name, printf('%.1f %.1f', sites_per_10k_a, sites_per_10k_b) FROM region_diff WHERE period_index = 3")
[ "$r" = "全区 3.0 2.5" ] && pass "sites per 10k people in the reviewer's region: x 6, y 5 (E1 in both) of 20000" || fail "region_diff carriers: '$r'"

# ---- 3. bad inputs: one line each, a non-zero exit, nothing written -----------
err_case() { # name expected-exit expected-text args...
    n=$1; want_rc=$2; text=$3; shift 3
    "$R5G" compare "$@" > "$TMP/e.out" 2> "$TMP/e.err"
    rc=$?
    lines=$(grep -c . "$TMP/e.err")
    if [ $rc -eq "$want_rc" ] && grep -qF -- "$text" "$TMP/e.err" && [ "$lines" -le 2 ]; then
        pass "$n: exit $rc, '$(head -n 1 "$TMP/e.err")'"
    else
        fail "$n: exit $rc (want $want_rc), stderr: $(cat "$TMP/e.err")"
    fi
}
err_case "one plan" 2 "one plan given ('$TMP/a.gpkg'): compare needs at least two" "$TMP/a.gpkg" -o "$TMP/e.gpkg"
err_case "a scenario file given as a plan" 1 "$D/a.yaml is not a plan written by rollout5g" "$TMP/a.gpkg" "$D/a.yaml" -q -o "$TMP/e.gpkg"
err_case "a layer that is not a plan" 1 "$TMP/rreg.geojson is not a plan written by rollout5g" "$TMP/a.gpkg" "$TMP/rreg.geojson" -q -o "$TMP/e.gpkg"
err_case "a missing plan" 1 "nothere.gpkg" "$TMP/a.gpkg" "$TMP/nothere.gpkg" -q -o "$TMP/e.gpkg"
plan four "1000000, 1000000, 1000000, 1000000" 4
err_case "plans over different periods" 1 "$TMP/four.gpkg: periods 2026..2029 (4) differ from $TMP/a.gpkg's 2026..2028 (3): compare plans over the same periods" \
    "$TMP/a.gpkg" "$TMP/four.gpkg" -q -o "$TMP/e.gpkg"
err_case "labels for the wrong number of plans" 2 "--labels: 1 labels for 2 plans" "$TMP/a.gpkg" "$TMP/b.gpkg" --labels x
err_case "a label twice" 2 "--labels: 'x' names two plans" "$TMP/a.gpkg" "$TMP/b.gpkg" --labels x,x -q
err_case "a bad lead" 2 "--lead: '-1' is not a whole number of periods >= 0" "$TMP/a.gpkg" "$TMP/b.gpkg" --lead -1
err_case "a lead beyond the periods" 2 "--lead 5: the plans have only 3 periods" "$TMP/a.gpkg" "$TMP/b.gpkg" --lead 5 -q
err_case "a bad share distance" 2 "--share-distance: 'near' is not a distance" "$TMP/a.gpkg" "$TMP/b.gpkg" --share-distance near
err_case "reference demand without ids" 1 "--demand $TMP/rreg.geojson: rreg.geojson has no demand_id or id field" \
    "$TMP/a.gpkg" "$TMP/b.gpkg" --demand "$TMP/rreg.geojson" -q -o "$TMP/e.gpkg"
err_case "reference demand in a missing layer" 1 "--demand $TMP/rev.gpkg:nolayer" "$TMP/a.gpkg" "$TMP/b.gpkg" \
    --demand "$TMP/rev.gpkg:nolayer" -q -o "$TMP/e.gpkg"
cp "$TMP/b.gpkg" "$TMP/b2.gpkg"
err_case "an output that is an input" 1 "-o '$TMP/b2.gpkg' is an input of the comparison" "$TMP/a.gpkg" "$TMP/b2.gpkg" \
    -o "$TMP/b2.gpkg" --overwrite -q
cmp -s "$TMP/b.gpkg" "$TMP/b2.gpkg" && pass "the input named as output is untouched" || fail "an input was overwritten"
"$R5G" plan "$D/a.yaml" -q -o "$TMP/afolder" --format GeoJSON > /dev/null 2> "$TMP/err" || fail "folder plan: $(cat "$TMP/err")"
err_case "an output inside a plan folder" 1 "--html '$TMP/afolder/r.html' is inside $TMP/afolder, an input of the comparison" \
    "$TMP/b.gpkg" "$TMP/afolder" --html "$TMP/afolder/r.html" -q
[ -e "$TMP/afolder/r.html" ] && fail "wrote into an input folder" || pass "nothing written into the input folder"
err_case "an existing output" 1 "-o: '$TMP/cmp.gpkg' exists (use --overwrite to replace it)" "$TMP/a.gpkg" "$TMP/b.gpkg" -o "$TMP/cmp.gpkg" -q
err_case "two outputs in one file" 2 "-o and --html name the same file" "$TMP/a.gpkg" "$TMP/b.gpkg" -o "$TMP/same" --html "$TMP/same" -q
[ -e "$TMP/e.gpkg" ] || [ -e "$TMP/same" ] && fail "a failed run left output" || pass "failed runs leave no output"
ls -a "$TMP" | grep -q 'tmp-' && fail "temporary file left: $(ls -a "$TMP")" || pass "no temporary file left after the errors"
finish
