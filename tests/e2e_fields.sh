#!/bin/sh
# keep_fields (docs/scenario.md, docs/output.md "Kept input fields"): chosen
# or all input fields of the demand layers, candidates and existing sites
# are copied into the plan's demand and sites layers, after the plan's own
# columns, with the input's type; several layers give the union (NULL where
# a layer lacks a field, types widened); Shapefile names are cut to 10
# characters and made unique with _1, _2. Checked in GPKG, GeoJSON, ESRI
# Shapefile and CSV against the inputs as read independently here (osgeo for
# GeoJSON, the csv module for CSV), on a hand-made fixture, on the default
# scenario and on the shared real data. The error cases are in the
# catalogue of tests/e2e_errors.sh.
. "${top_srcdir}/tests/lib.sh"
[ -n "$PYGDAL" ] || skip_all "no python with GDAL bindings"

# ---- the checker -------------------------------------------------------------
# check.py PLAN FORMAT SPEC: SPEC (JSON) names the layer, its id column, the
# kept columns expected in order ({"name", "shp" (the Shapefile name), "type"
# (OGR type name)}) and the inputs ({"path", "reader": "ogr" or "csv", "id",
# "prefix", "keep": [input fields], "options": [open options]}).
cat > "$TMP/check.py" <<'PY'
import csv, json, math, os, sys
from osgeo import ogr, gdal
gdal.UseExceptions()
plan, fmt, spec = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
layer, idcol, cols = spec["layer"], spec["id"], spec["columns"]
bad = []
PLAN_COLUMNS = {"demand_id", "sector", "whitelist", "weight", "effective_weight", "region_id",
                "demand_period", "demand_index", "demand_date", "covered_period", "covered_index",
                "covered_date", "lead_periods", "on_time", "serving_site_id", "serving_distance_m",
                "serving_path_loss_db", "name", "fid", "geom", "geometry", "wkt", "x", "y"}
auto = []
if "auto" in spec:  # keep_fields: all of a CSV (text) layer, as docs/output.md says
    with open(spec["auto"]["path"], newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    auto = [h for h in header if h not in spec["auto"]["skip"] and h.lower() not in PLAN_COLUMNS]
    names = {c["name"].lower() for c in cols}
    real = spec["auto"].get("real", [])
    cols = cols + [{"name": h, "shp": None, "type": "Real" if h in real else "String"}
                   for h in auto if h.lower() not in names]

def shp_names(fixed, cols):
    """docs/output.md: the first 10 characters (no trailing space); where
    that is taken, in any case, the first 10 - len(_N) and _N, N = 1, 2, ..."""
    taken = [f.lower() for f in fixed]
    out = []
    for c in cols:
        n = c["name"]
        base = n[:10].rstrip(" ") if len(n) > 10 else n
        s, i = base, 1
        while s.lower() in taken:
            suf = "_%d" % i
            s = n[: 10 - len(suf) if len(base) + len(suf) > 10 else len(base)] + suf
            i += 1
        if fmt == "ESRI Shapefile" and c["shp"] is not None and c["shp"] != s:
            bad.append("the test's own Shapefile name %r for %r disagrees with the rule (%r)" % (c["shp"], n, s))
        out.append(s)
        taken.append(s.lower())
    return out

def norm(v):
    """A value as comparable text: None for NULL and '' (CSV cannot tell
    them apart), numbers as floats, dates and date-times in ISO 8601 (a
    GeoPackage stores date-times in UTC: a trailing Z or +00 is dropped)."""
    if v is None or v == "":
        return None
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v)
    try:
        return float(s)
    except ValueError:
        pass
    if len(s) >= 10 and s[4] in "/-" and s[7] in "/-" and s[:4].isdigit():
        s = s[:4] + "-" + s[5:7] + "-" + s[8:]
        s = s.replace(" ", "T", 1)
        for tail in ("Z", "+00"):
            if s.endswith(tail):
                s = s[: -len(tail)]
        if s.endswith(".000"):
            s = s[:-4]
    return s

def same(a, b):
    if fmt == "ESRI Shapefile":  # a .dbf pads text with spaces, which GDAL trims
        a, b = [v.rstrip(" ") if isinstance(v, str) else v for v in (a, b)]
    a, b = norm(a), norm(b)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b

# the inputs, read here (fmt is known: same() reads it)
want = {}  # plan id -> {kept column index: value}
for src in spec["sources"]:
    rows = []
    if src["reader"] == "csv":
        with open(src["path"], newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                rows.append((r[src["id"]], r))
    else:
        ds = gdal.OpenEx(src["path"], gdal.OF_VECTOR, open_options=src.get("options", []))
        lyr = ds.GetLayer(0)
        if src.get("where"):
            lyr.SetAttributeFilter(src["where"])
        for f in lyr:
            r = {lyr.GetLayerDefn().GetFieldDefn(i).GetName(): f.GetField(i) for i in range(f.GetFieldCount())}
            rows.append((str(r[src["id"]]), r))
    names = [c["name"] for c in cols]
    keep = auto if src["keep"] == "auto" else src["keep"]
    for rid, r in rows:
        vals = {}
        for k in keep:
            vals[names.index(k)] = r.get(k)
        want[src.get("prefix", "") + rid] = vals

# the plan's layer
path = plan
if fmt in ("GeoJSON", "ESRI Shapefile", "CSV"):
    ext = {"GeoJSON": "geojson", "ESRI Shapefile": "shp", "CSV": "csv"}[fmt]
    path = os.path.join(plan, "%s.%s" % (layer, ext))
ds = gdal.OpenEx(path, gdal.OF_VECTOR)
lyr = ds.GetLayerByName(layer) if fmt == "GPKG" else ds.GetLayer(0)
defn = lyr.GetLayerDefn()
have = [(defn.GetFieldDefn(i).GetName(), defn.GetFieldDefn(i).GetTypeName()) for i in range(defn.GetFieldCount())]
if fmt == "CSV":  # the X, Y columns GDAL writes for points come first
    have = [h for h in have if h[0] not in ("X", "Y")]
n = len(cols)
tail, head = have[-n:], [h[0] for h in have[:-n]]
shp = shp_names(head, cols)
exp = []
for k, c in enumerate(cols):
    name = shp[k] if fmt == "ESRI Shapefile" else c["name"]
    ty = c["type"]
    if ty == "DateTime" and fmt in ("ESRI Shapefile", "CSV"):
        ty = "String"  # documented: ISO 8601 text where the format has no date-time
    exp.append((name, ty))
if tail != exp:
    bad.append("kept columns %s, want %s" % (tail, exp))
# the plan's own columns come first: the id first, name among them, none kept
if not head or head[0] != (idcol if fmt != "ESRI Shapefile" else idcol[:10]) or "name" not in head:
    bad.append("the plan's own columns do not come first: %s" % head)
count, nonnull = 0, 0
for f in lyr:
    rid = f.GetField(defn.GetFieldIndex(idcol if fmt != "ESRI Shapefile" else idcol[:10]))
    if rid not in want:
        bad.append("%s %s: not in any input" % (idcol, rid))
        continue
    count += 1
    for k in range(n):
        got = f.GetField(len(have) - n + k + (2 if fmt == "CSV" else 0))
        w = want[rid].get(k)
        if not same(got, w):
            bad.append("%s %s: %s = %r, the input has %r" % (idcol, rid, exp[k][0], got, w))
        nonnull += got is not None and got != ""
if count == 0 or nonnull == 0:
    bad.append("no row (or no kept value) checked: %d rows, %d values" % (count, nonnull))
for b in bad[:8]:
    print("%s %s: %s" % (fmt, layer, b))
if bad:
    sys.exit(1)
print("%s %s: %d rows, %d kept values equal to the inputs', columns %s" % (fmt, layer, count, nonnull,
      ", ".join("%s %s" % e for e in exp[:12]) + (" and %d more" % (len(exp) - 12) if len(exp) > 12 else "")))
PY

# plan_check NAME FOLDER SCENARIO SPEC...: plans FOLDER/SCENARIO in every
# format and checks each SPEC (a JSON file) against the plan
plan_check() {
    name=$1 dir=$2 sc=$3
    shift 3
    for fmt in GPKG GeoJSON "ESRI Shapefile" CSV; do
        out="$dir/plan-$(echo "$fmt" | tr -d ' ')"
        case $fmt in GPKG) out="$out.gpkg" ;; esac
        if ! (cd "$dir" && "$R5G" plan "$sc" -q --format "$fmt" -o "$out" > /dev/null 2> "$dir/err"); then
            fail "$name: plan --format $fmt: $(cat "$dir/err")"
            continue
        fi
        for spec in "$@"; do
            if res=$("$PYGDAL" "$TMP/check.py" "$out" "$fmt" "$spec" 2>&1); then
                pass "$name: $res"
            else
                fail "$name: $res"
            fi
        done
    done
}

# ---- a fixture with every type -----------------------------------------------
F="$TMP/fx"
mkdir -p "$F"
# demand[0]: integers, a 64-bit integer, reals, a date, a date-time, text
# (one NULL), two long names that share their first 10 characters, and a
# field named like a Shapefile short name of the plan (dem_period, the
# short name of demand_period)
cat > "$F/plants.geojson" <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"D1","weight":5,"year":2026,"name":"Plant one","owner":"State Grid","staff":120,"revenue_mcny":12.75,"founded":"2019-03-01","opened_at":"2020-05-01T08:30:00","big":5000000000,"population_2020":1500,"population_2021":1510,"dem_period":"a"},"geometry":{"type":"Point","coordinates":[120.70,31.30]}},
{"type":"Feature","properties":{"id":"D2","weight":3,"year":2027,"name":"Plant two","owner":null,"staff":8,"revenue_mcny":0.5,"founded":"2001-12-31","opened_at":"2002-01-01T00:00:00","big":-7,"population_2020":20,"population_2021":21,"dem_period":"b"},"geometry":{"type":"Point","coordinates":[120.71,31.30]}},
{"type":"Feature","properties":{"id":"D3","weight":2,"year":2027,"name":"电厂三","owner":"华能","staff":0,"revenue_mcny":-3.125,"founded":null,"opened_at":null,"big":0,"population_2020":null,"population_2021":3,"dem_period":null},"geometry":{"type":"Point","coordinates":[120.72,31.31]}}
]}
J
# demand[1]: staff as a real (the column widens to real), a field of its own (berths)
cat > "$F/ports.csv" <<'C'
pid,lon,lat,owner,staff,berths
P1,120.705,31.302,Port Authority,12.5,4
P2,120.715,31.305,,3,0
C
echo 'String,Real,Real,String,Real,Integer' > "$F/ports.csvt"
cat > "$F/candidates.csv" <<'C'
site_id,lon,lat,capex,kind,operator_name,height_m
S1,120.700,31.301,100,new,China Mobile,25
S2,120.712,31.300,50,upgrade,China Unicom,30
S3,120.720,31.309,80,new,,27
C
cat > "$F/existing.geojson" <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"site_id":"E1","band":"n78","height_m":20,"operator_name":"China Tower","built":"2018-06-30"},"geometry":{"type":"Point","coordinates":[120.69,31.29]}}
]}
J
cat > "$F/scenario.yaml" <<'Y'
version: 1
name: kept fields fixture
periods: {start: 2026, count: 2}
budget: {capex: [150, 100]}
demand:
  - source: plants.geojson
    fields: {id: id, weight: weight, period: year}
    keep_fields: all
  - source: ports.csv
    open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]
    crs: EPSG:4326
    fields: {id: pid}
    keep_fields: [owner, staff, berths]
candidates:
  source: candidates.csv
  open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]
  crs: EPSG:4326
  fields: {id: site_id, capex: capex, kind: kind, height: height_m}
  keep_fields: [operator_name, height_m]
existing:
  source: existing.geojson
  fields: {id: site_id}
  keep_fields: all
radio: {model: fixed_radius, radius_m: 500}
output: {path: plan.gpkg}
Y
# The expected columns, by the documented rule: demand[0]'s fields in layer
# order without those read through fields: (id, weight, year) or named like
# a plan column (name), then demand[1]'s new ones (berths); staff is an
# integer in one layer and a real in the other: real. Shapefile: the first
# 10 characters, then _1 where a name is taken (population_2021 after
# population_2020; dem_period is the short name of demand_period).
cat > "$F/demand.json" <<J
{"layer": "demand", "id": "demand_id", "columns": [
 {"name": "owner", "shp": "owner", "type": "String"},
 {"name": "staff", "shp": "staff", "type": "Real"},
 {"name": "revenue_mcny", "shp": "revenue_mc", "type": "Real"},
 {"name": "founded", "shp": "founded", "type": "Date"},
 {"name": "opened_at", "shp": "opened_at", "type": "DateTime"},
 {"name": "big", "shp": "big", "type": "Integer64"},
 {"name": "population_2020", "shp": "population", "type": "Integer"},
 {"name": "population_2021", "shp": "populati_1", "type": "Integer"},
 {"name": "dem_period", "shp": "dem_peri_1", "type": "String"},
 {"name": "berths", "shp": "berths", "type": "Integer"}],
 "sources": [
 {"path": "$F/plants.geojson", "reader": "ogr", "id": "id",
  "keep": ["owner", "staff", "revenue_mcny", "founded", "opened_at", "big", "population_2020", "population_2021", "dem_period"]},
 {"path": "$F/ports.csv", "reader": "csv", "id": "pid", "keep": ["owner", "staff", "berths"]}]}
J
# sites: candidates' text height_m and existing's integer one widen to text;
# existing keeps all but site_id and band (plan columns)
cat > "$F/sites.json" <<J
{"layer": "sites", "id": "site_id", "columns": [
 {"name": "operator_name", "shp": "operator_n", "type": "String"},
 {"name": "height_m", "shp": "height_m", "type": "String"},
 {"name": "built", "shp": "built", "type": "Date"}],
 "sources": [
 {"path": "$F/candidates.csv", "reader": "csv", "id": "site_id", "keep": ["operator_name", "height_m"]},
 {"path": "$F/existing.geojson", "reader": "ogr", "id": "site_id", "keep": ["height_m", "operator_name", "built"]}]}
J
plan_check "fixture" "$F" scenario.yaml "$F/demand.json" "$F/sites.json"

# the inputs are untouched and a plan without keep_fields has no extra column
cp "$F/scenario.yaml" "$F/none.yaml"
sed -i '/keep_fields/d' "$F/none.yaml"
if (cd "$F" && "$R5G" plan none.yaml -q -o none.gpkg > /dev/null 2> err) &&
    [ "$(ogrinfo -so "$F/none.gpkg" demand | tail -1 | cut -d: -f1)" = "name" ] &&
    [ "$(ogrinfo -so "$F/none.gpkg" sites | tail -1 | cut -d: -f1)" != "operator_name" ]; then
    pass "without keep_fields the layers end with the plan's own columns"
else
    fail "without keep_fields: $(cat "$F/err"; ogrinfo -so "$F/none.gpkg" demand | tail -3)"
fi

# ---- the default scenario ------------------------------------------------------
Y="$TMP/yrd"
cp -R "$top_srcdir/scenarios/yrd-demo" "$Y"
chmod -R u+w "$Y"
sed -i 's/^  time_limit_s: 60/  time_limit_s: 10/' "$Y/scenario.yaml"
sed -i 's/^    traffic: traffic_mbps/&\n  keep_fields: all/' "$Y/scenario.yaml"
sed -i 's/^    height: height_m/&\n  keep_fields: [lon, lat, height_m]/' "$Y/scenario.yaml"
# demand: all but id, name, sector, weight, year, whitelist (read through
# fields: or plan columns): indoor and traffic_mbps, integers in the file
cat > "$Y/demand.json" <<J
{"layer": "demand", "id": "demand_id", "columns": [
 {"name": "indoor", "shp": "indoor", "type": "Integer"},
 {"name": "traffic_mbps", "shp": "traffic_mb", "type": "Integer"}],
 "sources": [{"path": "$Y/demand.geojson", "reader": "ogr", "id": "id", "keep": ["indoor", "traffic_mbps"]}]}
J
# candidates: a CSV without a .csvt is text, but GDAL types its X/Y columns real
cat > "$Y/sites.json" <<J
{"layer": "sites", "id": "site_id", "columns": [
 {"name": "lon", "shp": "lon", "type": "Real"},
 {"name": "lat", "shp": "lat", "type": "Real"},
 {"name": "height_m", "shp": "height_m", "type": "String"}],
 "sources": [{"path": "$Y/candidates.csv", "reader": "csv", "id": "site_id", "keep": ["lon", "lat", "height_m"]},
 {"path": "$Y/existing.geojson", "reader": "ogr", "id": "site_id", "keep": []}]}
J
plan_check "yrd-demo" "$Y" scenario.yaml "$Y/demand.json" "$Y/sites.json"

# ---- styles and labels with kept fields (QGIS) ----------------------------------
# tests/qgis_check.py on the kept-fields plans of yrd-demo: the styles load,
# render and label (by name or id) as without them, SLDs included
if "$PYGDAL" -c 'from qgis.core import QgsApplication' > /dev/null 2>&1; then
    mkdir -m 700 "$TMP/xdg"
    for p in plan-GPKG.gpkg plan-ESRIShapefile; do
        mkdir -p "$TMP/q_$p"
        if QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$TMP/xdg" "$PYGDAL" "$top_srcdir/tests/qgis_check.py" \
            "$Y/$p" "$TMP/q_$p" > "$TMP/q_$p.out" 2>&1; then
            pass "QGIS on yrd-demo with kept fields, $p: $(sed -n 's/^ok: summary: //p' "$TMP/q_$p.out")"
        else
            fail "QGIS on yrd-demo with kept fields, $p: $(grep -v '^ok' "$TMP/q_$p.out" | grep -v XDG_RUNTIME | tail -n 8)"
        fi
    done
else
    echo "note: python3-qgis not importable: the QGIS checks with kept fields are not run"
fi

# ---- the shared real data --------------------------------------------------------
D=${R5G_SHARED_DATA:-}
if [ -z "$D" ] || [ ! -d "$D/cn-power-plants-wri" ]; then
    echo "SKIP: real data: ../shared/data is absent"
    finish
    exit $?
fi
# the committed multi-layer scenario, run from a copy whose
# ../../../shared/data is $R5G_SHARED_DATA, with the plants' fields kept by
# list (names with spaces and parentheses, longer than 10 characters) and
# all 109 fields of the ports (less the two read through fields:), whose
# Shapefile names the checker derives by the documented rule ("auto")
RD="$TMP/rd/main/tests/real-data"
mkdir -p "$RD" "$TMP/rd/shared"
ln -s "$D" "$TMP/rd/shared/data"
sed -e 's/^    fields: {id: Power Plant ID, weight: Capacity (MW), name: Name}/&\n    keep_fields: [Fuel, Owner, Commissioning Date, Year of Data, Generator Technology, Operational Status]/' \
    -e 's/^    fields: {id: World Port Index Number, name: Main Port Name}/&\n    keep_fields: all/' \
    -e 's/time_limit_s: 20/time_limit_s: 5/' \
    "$top_srcdir/tests/real-data/yrd-demand-layers.yaml" > "$RD/s.yaml"
if ! grep -q "keep_fields: \[Fuel" "$RD/s.yaml" || [ "$(grep -c "keep_fields: all" "$RD/s.yaml")" != 1 ]; then
    fail "real data: the scenario edit did not apply"
fi
PP="$D/cn-power-plants-wri/China_WRI_power_plants.csv"
PW="$D/cn-ports-wpi/wpi_china_hk_macau.csv"
# types as GDAL's CSV driver autodetects them (AUTODETECT_TYPE=YES for the
# plants, none for the ports): asked of GDAL here, not of rollout5g
types=$("$PYGDAL" - "$PP" <<'PY'
import sys
from osgeo import gdal
ds = gdal.OpenEx(sys.argv[1], gdal.OF_VECTOR, open_options=["X_POSSIBLE_NAMES=Longitude", "Y_POSSIBLE_NAMES=Latitude", "AUTODETECT_TYPE=YES"])
d = ds.GetLayer(0).GetLayerDefn()
print(" ".join(d.GetFieldDefn(d.GetFieldIndex(n)).GetTypeName() for n in
      ["Fuel", "Owner", "Commissioning Date", "Year of Data", "Generator Technology", "Operational Status"]))
PY
)
set -- $types
cat > "$RD/demand.json" <<J
{"layer": "demand", "id": "demand_id", "columns": [
 {"name": "Fuel", "shp": "Fuel", "type": "$1"},
 {"name": "Owner", "shp": "Owner", "type": "$2"},
 {"name": "Commissioning Date", "shp": "Commission", "type": "$3"},
 {"name": "Year of Data", "shp": "Year of Da", "type": "$4"},
 {"name": "Generator Technology", "shp": "Generator", "type": "$5"},
 {"name": "Operational Status", "shp": "Operationa", "type": "$6"}],
 "auto": {"path": "$PW", "skip": ["World Port Index Number", "Main Port Name"], "real": ["Latitude", "Longitude"]},
 "sources": [
 {"path": "$PP", "reader": "ogr", "id": "Power Plant ID", "prefix": "plant:",
  "options": ["X_POSSIBLE_NAMES=Longitude", "Y_POSSIBLE_NAMES=Latitude", "AUTODETECT_TYPE=YES"],
  "where": "Latitude > 30.7 AND Latitude < 32.2 AND Longitude > 119.9 AND Longitude < 122.1",
  "keep": ["Fuel", "Owner", "Commissioning Date", "Year of Data", "Generator Technology", "Operational Status"]},
 {"path": "$PW", "reader": "csv", "id": "World Port Index Number", "prefix": "port:", "keep": "auto"},
 {"path": "$D/cn-universities/china_universities_2820.csv", "reader": "csv", "id": "name", "prefix": "uni:", "keep": []}]}
J
plan_check "real data" "$RD" s.yaml "$RD/demand.json"

finish
