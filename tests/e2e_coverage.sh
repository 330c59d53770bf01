#!/bin/sh
# The coverage engine end to end: `validate` and `coverage` on the default
# scenario (fixed radius and tr38901), and on scenarios built at run time from
# the real data in $R5G_SHARED_DATA (skipped when absent): Shanghai power
# plants (WGS84 CSV read with where/open_options) against the GCJ-02 district
# polygons, and Shanghai universities in BD-09.
. "${top_srcdir}/tests/lib.sh"

[ -n "$PYGDAL" ] || skip_all "no python with GDAL bindings"

# ---- GCJ-02 outside China: converted, with a warning (the shift is undefined there)
G="$TMP/gcj"; mkdir -p "$G"
printf 'id,lon,lat\nD1,121.5315,31.1753\nD2,10.0,50.0\n' > "$G/demand.csv"
printf 'id,lon,lat\nS1,121.5300,31.1760\n' > "$G/sites.csv"
cat > "$G/scenario.yaml" <<'Y'
version: 1
name: gcj outside china
periods: {start: 2026, count: 1}
crs: EPSG:32651
demand: {source: demand.csv, crs: GCJ-02, open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]}
candidates: {source: sites.csv, crs: EPSG:4326, open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]}
Y
if "$R5G" validate "$G/scenario.yaml" > "$G/v" 2> "$G/e" && grep -q "warning: .*GCJ-02.*1 point.*outside China" "$G/e"; then
    pass "GCJ-02 outside China warns: $(grep -m1 'outside China' "$G/e")"
else
    fail "GCJ-02 outside China: no warning naming the layer and count: $(cat "$G/e")"
fi

# ---- default scenario ---------------------------------------------------------
SC="$top_srcdir/scenarios/yrd-demo"
if "$R5G" validate "$SC/scenario.yaml" > "$TMP/v" 2> "$TMP/e" &&
    grep -q "^demand *3000 features from demand.geojson (CRS EPSG:4326)" "$TMP/v" &&
    grep -q "fields: id=id weight=weight" "$TMP/v" && grep -q "rejected: 0" "$TMP/v" &&
    grep -q "^working CRS EPSG:32651" "$TMP/v" && grep -q "never coverable" "$TMP/v"; then
    pass "validate default: per-layer report"
else
    fail "validate default: $(cat "$TMP/v" "$TMP/e")"
fi
pairs_v=$(sed -n 's/^pairs *\([0-9]*\) .*/\1/p' "$TMP/v")

if "$R5G" coverage "$SC/scenario.yaml" -o "$TMP/cov.gpkg" > "$TMP/o" 2> "$TMP/e"; then
    pass "coverage default"
else
    fail "coverage default: $(cat "$TMP/e")"
fi
"$R5G" coverage "$SC/scenario.yaml" -o "$TMP/cov.gpkg" > /dev/null 2> "$TMP/e" &&
    fail "coverage refuses an existing output without --overwrite" ||
    pass "coverage refuses an existing output without --overwrite"

# Independent check with GDAL only: every pair is within 600 m (fixed radius)
# and the brute-force count of (site, demand) within 600 m matches.
"$PYGDAL" - "$TMP/cov.gpkg" "$pairs_v" > "$TMP/py" 2>&1 <<'PY'
import sys, math
from osgeo import ogr, osr
ogr.UseExceptions()
ds = ogr.Open(sys.argv[1])
want = int(sys.argv[2])
names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
assert names == ["sites", "coverage", "demand", "pairs"], names
utm = osr.SpatialReference(); utm.ImportFromEPSG(32651)
wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326)
for s in (utm, wgs): s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(wgs, utm)
def xy(lyr, key):
    out = {}
    for f in lyr:
        x, y, _ = ct.TransformPoint(f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY())
        out[f[key]] = (x, y)
    return out
S = xy(ds.GetLayer("sites"), "site_id")
D = xy(ds.GetLayer("demand"), "demand_id")
brute = sum(1 for s in S.values() for d in D.values() if math.hypot(s[0]-d[0], s[1]-d[1]) <= 600 + 1e-6)
n = 0
for f in ds.GetLayer("pairs"):
    n += 1
    assert f["distance_m"] <= 600.001, f["distance_m"]
    assert f["path_loss_db"] is None
assert n == want, (n, want)
assert abs(brute - n) <= 2, (brute, n)   # float rounding at exactly 600 m only
assert ds.GetLayer("coverage").GetFeatureCount() == len(S)
print("ok", n, brute)
PY
if [ $? -eq 0 ]; then pass "coverage default: pairs match a brute-force count ($(cat "$TMP/py"))"; else fail "coverage default: $(cat "$TMP/py")"; fi

# tr38901 on the default scenario: ranges from the band table, pairs within budget
mkdir -p "$TMP/tr"
cp "$SC"/*.geojson "$SC"/*.csv "$SC"/scenario.yaml "$TMP/tr/"
sed -i 's/^  model: fixed_radius/  model: tr38901/' "$TMP/tr/scenario.yaml"
grep -q "model: tr38901" "$TMP/tr/scenario.yaml" || fail "could not switch yrd-demo to tr38901"
if "$R5G" validate "$TMP/tr/scenario.yaml" > "$TMP/v2" 2> "$TMP/e" && grep -q "^radio *tr38901" "$TMP/v2" &&
    "$R5G" coverage "$TMP/tr/scenario.yaml" -o "$TMP/tr.gpkg" > /dev/null 2> "$TMP/e"; then
    pass "validate and coverage default with tr38901"
else
    fail "tr38901 default: $(cat "$TMP/v2" "$TMP/e")"
fi
"$PYGDAL" - "$TMP/tr.gpkg" "$TMP/tr/scenario.yaml" > "$TMP/py" 2>&1 <<'PY'
import sys, re
from osgeo import ogr
ogr.UseExceptions()
ds = ogr.Open(sys.argv[1])
text = open(sys.argv[2]).read()
mapl = {m.group(1): float(m.group(2)) for m in re.finditer(r"(\w+): \{frequency_ghz: [\d.]+, max_path_loss_db: ([\d.]+)", text)}
band = {f["site_id"]: f["band"] for f in ds.GetLayer("sites")}
n = 0
for f in ds.GetLayer("pairs"):
    n += 1
    assert f["path_loss_db"] <= mapl[band[f["site_id"]]] + 1e-3, (f["path_loss_db"], band[f["site_id"]])
    assert f["los"] == 0
assert n > 0
print("ok", n, "pairs, bands", mapl)
PY
if [ $? -eq 0 ]; then pass "tr38901 pairs within their band's MAPL ($(cat "$TMP/py"))"; else fail "tr38901 pairs: $(cat "$TMP/py")"; fi

# ---- real data ---------------------------------------------------------------
D="${R5G_SHARED_DATA:-}"
if [ -z "$D" ] || [ ! -f "$D/cn-power-plants-wri/China_WRI_power_plants.csv" ] ||
    [ ! -f "$D/cn-admin-yrd-prd/shanghai_310000_districts.geojson" ] ||
    [ ! -f "$D/cn-universities/china_universities_2820.csv" ]; then
    echo "SKIP: real data not found in '${D}' (set R5G_SHARED_DATA)"
    finish
    exit $?
fi
R="$TMP/real"
mkdir -p "$R"
PLANTS="$D/cn-power-plants-wri/China_WRI_power_plants.csv"
DISTRICTS="$D/cn-admin-yrd-prd/shanghai_310000_districts.geojson"
UNIS="$D/cn-universities/china_universities_2820.csv"
PORTS="$D/cn-ports-wpi/wpi_china_hk_macau.csv"
# candidates: three sites 300 m around every Shanghai plant, plus the ports
"$PYGDAL" - "$PLANTS" "$PORTS" > "$R/candidates.csv" <<'PY'
import sys, csv, os
box = lambda lat, lon: 30.6 < lat < 31.9 and 120.8 < lon < 122.2
print("site_id,lon,lat,band")
for r in csv.DictReader(open(sys.argv[1])):
    if not r["Latitude"]: continue
    lat, lon = float(r["Latitude"]), float(r["Longitude"])
    if not box(lat, lon): continue
    for k, (dx, dy) in enumerate(((0.0031, 0), (-0.0016, 0.0023), (-0.0016, -0.0023))):
        print("P%s-%d,%.6f,%.6f,%s" % (r["Power Plant ID"], k, lon + dx, lat + dy, "n78" if k else "n28"))
if os.path.exists(sys.argv[2]):
    for r in csv.DictReader(open(sys.argv[2])):
        lat, lon = float(r["Latitude"]), float(r["Longitude"])
        if box(lat, lon):
            print("PORT%s,%.6f,%.6f,n28" % (r["World Port Index Number"].split(".")[0], lon, lat))
PY
cat > "$R/plants.yaml" <<Y
version: 1
name: Shanghai power plants (real data)
periods: {start: 2026, count: 3}
demand:
  source: $PLANTS
  open_options: [X_POSSIBLE_NAMES=Longitude, Y_POSSIBLE_NAMES=Latitude, AUTODETECT_TYPE=YES]
  crs: EPSG:4326
  where: "Latitude > 30.6 AND Latitude < 31.9 AND Longitude > 120.8 AND Longitude < 122.2"
  fields: {id: Power Plant ID}
candidates:
  source: candidates.csv
  open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]
  crs: EPSG:4326
  fields: {id: site_id, band: band}
regions:
  source: $DISTRICTS
  crs: GCJ-02
  fields: {id: adcode, name: name}
radio:
  model: tr38901
  environment: uma
  shadow_margin_db: 4
  bands:
    n78: {frequency_ghz: 3.5, max_path_loss_db: 130, height_m: 25}
    n28: {frequency_ghz: 0.7, max_path_loss_db: 135, height_m: 35}
Y
sed -e 's/^  crs: GCJ-02$/  crs: EPSG:4326/' "$R/plants.yaml" > "$R/plants_nogcj.yaml"
if "$R5G" validate "$R/plants.yaml" > "$R/v" 2> "$R/e" &&
    grep -q "^demand *48 features from China_WRI_power_plants.csv" "$R/v" &&
    grep -q "^regions .*(CRS GCJ-02 (converted to EPSG:4326))" "$R/v"; then
    pass "validate real plants: $(grep -c . "$R/v") report lines"
else
    fail "validate real plants: $(cat "$R/v" "$R/e")"
fi
if "$R5G" coverage "$R/plants.yaml" -o "$R/plants.gpkg" > /dev/null 2> "$R/e" &&
    "$R5G" coverage "$R/plants_nogcj.yaml" -o "$R/plants_nogcj.gpkg" > /dev/null 2> "$R/e"; then
    pass "coverage real plants"
else
    fail "coverage real plants: $(cat "$R/e")"
fi
# Known plants (by their well-known locations, not by this program's output):
# Waigaoqiao power station is on the Yangtze bank of Pudong New Area (310115),
# Shidongkou is in Baoshan District (310113), Wujing power station in the
# Wujing town of Minhang District (310112).
"$PYGDAL" - "$R/plants.gpkg" "$R/plants_nogcj.gpkg" > "$R/py" 2>&1 <<'PY'
import sys
from osgeo import ogr
ogr.UseExceptions()
def regions(p):
    ds = ogr.Open(p)  # keep the dataset alive while its layer is read
    return {f["demand_id"]: f["region_id"] for f in ds.GetLayer("demand")}
g, w = regions(sys.argv[1]), regions(sys.argv[2])
known = {"1070165": "310115", "1070164": "310113", "1070168": "310112"}
for pid, code in known.items():
    assert g.get(pid) == code, (pid, g.get(pid), code)
moved = sorted(k for k in g if g[k] != w[k])
# (no Shanghai plant lies within 500 m of a district border, so the shift is
# checked on the universities below)
print("known plants ok; %d of %d plants land differently without the GCJ-02 override"
      % (len(moved), len(g)))
PY
if [ $? -eq 0 ]; then pass "real plants in their districts ($(cat "$R/py"))"; else fail "real plants: $(cat "$R/py")"; fi

# Universities in BD-09: the data's own derived WGS84 columns and district
# codes (computed by the data author in GCJ-02) are the oracle.
cat > "$R/unis.yaml" <<Y
version: 1
name: Shanghai universities in BD-09 (real data)
periods: {start: 2026, count: 1}
demand:
  source: $UNIS
  open_options: [X_POSSIBLE_NAMES=lon_bd09, Y_POSSIBLE_NAMES=lat_bd09]
  crs: BD-09
  where: "province = '上海'"
  on_invalid: skip             # 2 of the 66 have no coordinates
  fields: {id: name}
candidates:
  source: candidates.csv
  open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]
  crs: EPSG:4326
  fields: {id: site_id, band: band}
regions:
  source: $DISTRICTS
  crs: gcj02
  fields: {id: adcode}
radio:
  model: tr38901
  bands:
    n78: {frequency_ghz: 3.5, max_path_loss_db: 130, height_m: 25}
    n28: {frequency_ghz: 0.7, max_path_loss_db: 135, height_m: 35}
Y
sed -e 's/^  crs: gcj02$/  crs: EPSG:4326/' "$R/unis.yaml" > "$R/unis_nogcj.yaml"
if "$R5G" validate "$R/unis.yaml" > "$R/v" 2> "$R/e" && grep -q "CRS BD-09 (converted to EPSG:4326)" "$R/v" &&
    "$R5G" coverage "$R/unis.yaml" -o "$R/unis.gpkg" > /dev/null 2> "$R/e" &&
    "$R5G" coverage "$R/unis_nogcj.yaml" -o "$R/unis_nogcj.gpkg" > /dev/null 2> "$R/e"; then
    pass "validate and coverage real universities (BD-09)"
else
    fail "real universities: $(cat "$R/v" "$R/e")"
fi
"$PYGDAL" - "$R/unis.gpkg" "$UNIS" "$R/unis_nogcj.gpkg" > "$R/py" 2>&1 <<'PY'
import sys, csv, math
from osgeo import ogr
ogr.UseExceptions()
ref = {r["name"]: r for r in csv.DictReader(open(sys.argv[2])) if r["province"] == "上海"}
# without the GCJ-02 conversion of the districts some university must land
# elsewhere (the polygons are ~500 m off in Shanghai)
ds0 = ogr.Open(sys.argv[3])
wrong = sum(1 for f in ds0.GetLayer("demand")
            if ref[f["demand_id"]]["district_adcode"] and f["region_id"] != ref[f["demand_id"]]["district_adcode"])
assert wrong >= 1, wrong
n = same = 0
worst = 0
ds = ogr.Open(sys.argv[1])
for f in ds.GetLayer("demand"):
    r = ref[f["demand_id"]]
    g = f.GetGeometryRef()
    dx = (g.GetX() - float(r["lon_wgs84"])) * 111320 * math.cos(math.radians(31.2))
    dy = (g.GetY() - float(r["lat_wgs84"])) * 110574
    worst = max(worst, math.hypot(dx, dy))
    if r["district_adcode"]:
        n += 1
        same += f["region_id"] == r["district_adcode"]
assert worst < 3, worst          # the data's WGS84 columns are good to about 1 m
assert n >= 50 and same >= n - 1, (same, n)
print("%d of %d universities in the data's district, worst position %.2f m; %d misplaced without the GCJ-02 override"
      % (same, n, worst, wrong))
PY
if [ $? -eq 0 ]; then pass "BD-09 universities ($(cat "$R/py"))"; else fail "BD-09 universities: $(cat "$R/py")"; fi
# ---- the committed real-data scenario (tests/real-data/scenario.yaml) --------
# Its paths are relative (../../../shared/data as laid out beside a clone):
# run it from a copy whose ../../../shared/data is $R5G_SHARED_DATA, so it works
# from any build folder (distcheck too).
RD="$TMP/rd/main/tests/real-data"
mkdir -p "$RD" "$TMP/rd/shared"
ln -s "$D" "$TMP/rd/shared/data"
cp "$top_srcdir/tests/real-data/scenario.yaml" "$RD/"
if "$R5G" validate "$RD/scenario.yaml" > "$RD/v" 2> "$RD/e" &&
    grep -q "^demand *48 features from China_WRI_power_plants.csv" "$RD/v" &&
    grep -q "^candidates 65 features from china_universities_2820.csv (CRS BD-09 (converted to EPSG:4326))" "$RD/v" &&
    grep -q "^regions *16 features from shanghai_310000_districts.geojson (CRS GCJ-02" "$RD/v"; then
    pass "validate tests/real-data: plants, BD-09 campuses, GCJ-02 districts"
else
    fail "validate tests/real-data: $(cat "$RD/v" "$RD/e")"
fi
if "$R5G" coverage "$RD/scenario.yaml" -q -o "$RD/cov.gpkg" 2> "$RD/e" &&
    "$R5G" plan "$RD/scenario.yaml" -q -o "$RD/plan.gpkg" > "$RD/out" 2> "$RD/e" &&
    grep -q "^plan: optimal" "$RD/out"; then
    pass "coverage and plan tests/real-data ($(grep '^plan:' "$RD/out"))"
else
    fail "coverage/plan tests/real-data: $(cat "$RD/out" "$RD/e")"
fi
finish
