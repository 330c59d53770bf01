#!/bin/sh
# Reading the input layers end to end: large layers with a `where` filter
# (once a heap overflow), several demand layers, polygon repair.
. "${top_srcdir}/tests/lib.sh"

# ---- 1,000 demand points with a where filter, GeoJSON and CSV -------------
# Drivers without a fast feature count (GeoJSON with a filter, CSV) grow the
# arrays while reading: this once overflowed the per-field offsets past ~150
# features (munmap_chunk(): invalid pointer, SIGSEGV; ASan: pool_add).
D="$TMP/big"
mkdir -p "$D"
awk 'BEGIN {
    print "{\"type\":\"FeatureCollection\",\"features\":["
    for (i = 0; i < 1000; i++)
        printf "%s{\"type\":\"Feature\",\"properties\":{\"id\":\"D%d\",\"weight\":%d,\"sector\":\"s%d\",\"year\":%d,\"whitelist\":%d,\"indoor\":%d,\"traffic\":%d,\"status\":\"%s\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.5f,%.5f]}}\n",
            (i ? "," : ""), i, 1 + i % 4, i % 3, 2026 + i % 2, i % 2, (i % 4 == 0), 5 * i,
            (i % 5 ? "active" : "closed"), 120.70 + 0.0004 * (i % 50), 31.30 + 0.0004 * int(i / 50)
    print "]}"
}' > "$D/demand.geojson"
awk 'BEGIN {
    print "id,lon,lat,weight,sector,year,whitelist,indoor,traffic,status"
    for (i = 0; i < 1000; i++)
        printf "D%d,%.5f,%.5f,%d,s%d,%d,%d,%d,%d,%s\n", i, 120.70 + 0.0004 * (i % 50),
            31.30 + 0.0004 * int(i / 50), 1 + i % 4, i % 3, 2026 + i % 2, i % 2, (i % 4 == 0), 5 * i,
            (i % 5 ? "active" : "closed")
}' > "$D/demand.csv"
cat > "$D/candidates.csv" <<'C'
site_id,lon,lat,capex
S1,120.705,31.302,100
S2,120.715,31.305,100
S3,120.705,31.308,100
S4,120.715,31.311,100
C
write_big_scenario() { # $1 = demand source, $2 = extra demand lines
    cat > "$D/scenario.yaml" <<Y
version: 1
name: big where
periods: {start: 2026, count: 2}
budget: {capex: 200}
demand:
  source: $1
$2
  where: "status = 'active'"
  fields: {id: id, weight: weight, sector: sector, period: year, whitelist: whitelist, indoor: indoor, traffic: traffic}
candidates:
  source: candidates.csv
  open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]
  crs: EPSG:4326
  fields: {id: site_id, capex: capex}
radio: {model: fixed_radius, radius_m: 600}
Y
}
for src in demand.geojson demand.csv; do
    extra=""
    [ "$src" = demand.csv ] && extra="  open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]
  crs: EPSG:4326"
    write_big_scenario "$src" "$extra"
    # 800 = the 1,000 features minus every fifth (status 'closed')
    if "$R5G" validate "$D/scenario.yaml" > "$D/out" 2> "$D/err" &&
        grep -q "^demand *800 features from $src" "$D/out"; then
        pass "$src: 1,000 features, where filter, 7 fields: validate reads 800"
    else
        fail "$src: validate with a where filter: $(cat "$D/out" "$D/err" | head -n 8)"
    fi
    rm -f "$D/plan.gpkg"
    if "$R5G" plan -q "$D/scenario.yaml" > "$D/out" 2> "$D/err" && [ -n "$PYGDAL" ]; then
        n=$("$PYGDAL" -c 'import sys; from osgeo import ogr
ds = ogr.Open(sys.argv[1]); print(ds.GetLayerByName("demand").GetFeatureCount())' "$D/plan.gpkg")
        [ "$n" = 800 ] && pass "$src: plan writes 800 demand points" ||
            fail "$src: plan wrote $n demand points, expected 800"
    elif [ -z "$PYGDAL" ]; then
        pass "$src: plan ran (no python GDAL to count the layer)"
    else
        fail "$src: plan with a where filter: $(head -n 8 "$D/err")"
    fi
done

# ---- several demand layers on real data (tests/real-data/yrd-demand-layers.yaml)
D="${R5G_SHARED_DATA:-}"
need="cn-power-plants-wri/China_WRI_power_plants.csv cn-ports-wpi/wpi_china_hk_macau.csv
cn-universities/china_universities_2820.csv cn-cities-geonames/geonames_cities15000_CN_HK_MO.csv
cn-admin-yrd-prd/jiangsu_320000_cities.geojson"
missing=""
for f in $need; do [ -f "$D/$f" ] || missing="$missing $f"; done
if [ -n "$missing" ] || [ -z "$PYGDAL" ]; then
    echo "SKIP: real data ($missing) or python GDAL absent: several demand layers not checked"
    finish
    [ "$FAILS" -eq 0 ] && [ "$PASSES" -gt 0 ] || exit 77
    exit 0
fi
# Invalid city boundaries are repaired, each named: the invalid ones per OGR
# IsValid in Python are exactly those validate lists as repaired
GD="$D/cn-admin-yrd-prd/guangdong_440000_cities.geojson"
if [ -f "$GD" ]; then
    mkdir -p "$TMP/gd"
    printf 'id,lon,lat\nGZ,113.26,23.13\n' > "$TMP/gd/d.csv"
    cat > "$TMP/gd/s.yaml" <<Y
version: 1
name: Guangdong cities
periods: {start: 2026, count: 1}
demand: {source: d.csv, open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat], crs: EPSG:4326}
candidates: {source: d.csv, open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat], crs: EPSG:4326}
regions: {source: $GD, crs: GCJ-02, fields: {id: ctadcode}}
Y
    want=$("$PYGDAL" -c 'import sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1])
print(", ".join("feature %d (id %s)" % (f.GetFID(), f.GetField("ctadcode"))
                for f in ds.GetLayer(0) if not f.GetGeometryRef().IsValid()))' "$GD" 2>/dev/null)
    nbad=$(printf '%s' "$want" | grep -o "feature" | wc -l)
    if "$R5G" validate "$TMP/gd/s.yaml" > "$TMP/gd/v" 2> "$TMP/gd/e" && [ "$nbad" -gt 0 ] &&
        grep -qxF "           repaired: $nbad invalid polygons ($want)" "$TMP/gd/v" &&
        [ "$(grep -c 'invalid polygon .* repaired as GEOS MakeValid does' "$TMP/gd/e")" -eq "$nbad" ]; then
        pass "Guangdong cities: the $nbad invalid polygons are repaired, each named ($want)"
    else
        fail "Guangdong cities: want repaired ($want): $(cat "$TMP/gd/v" "$TMP/gd/e")"
    fi
fi
# the committed scenario's paths are ../../../shared/data, as beside a clone:
# run it from a copy whose ../../../shared/data is $R5G_SHARED_DATA
RD="$TMP/rd/main/tests/real-data"
mkdir -p "$RD" "$TMP/rd/shared"
ln -s "$D" "$TMP/rd/shared/data"
cp "$top_srcdir/tests/real-data/yrd-demand-layers.yaml" "$RD/"
if (cd "$RD" && "$R5G" validate yrd-demand-layers.yaml > v 2> e) &&
    grep -q "^demand\[0\] *[0-9]* features from China_WRI_power_plants.csv" "$RD/v" &&
    grep -q "^demand\[2\] *[0-9]* features from china_universities_2820.csv (CRS BD-09" "$RD/v" &&
    grep -q "repaired: 2 invalid polygons (feature 0 (id 320100), feature 2 (id 320300))" "$RD/v"; then
    pass "validate: three demand layers, two Jiangsu city polygons repaired"
else
    fail "validate yrd-demand-layers: $(cat "$RD/v" "$RD/e")"
fi
if (cd "$RD" && "$R5G" plan -q yrd-demand-layers.yaml > out 2> e) && [ -s "$RD/plan.gpkg" ]; then
    pass "plan yrd-demand-layers: $(grep '^plan:' "$RD/out")"
else
    fail "plan yrd-demand-layers: $(cat "$RD/e")"
fi
# Expected counts from the source files with Python's csv module (not OGR
# SQL): the scenario's box 30.7..32.2 N, 119.9..122.1 E on each layer's own
# columns (BD-09 ones for the universities); the plan's demand layer must hold
# exactly those points, each id behind its layer's prefix and with its
# layer's sector, and each university where its derived WGS84 columns say.
"$PYGDAL" - "$D" "$RD/plan.gpkg" > "$TMP/py" 2>&1 <<'PY'
import csv, math, sys
from osgeo import ogr
ogr.UseExceptions()
data, plan = sys.argv[1], sys.argv[2]
box = lambda lat, lon: 30.7 < lat < 32.2 and 119.9 < lon < 122.1
def rows(path, lat, lon):
    for r in csv.DictReader(open(data + "/" + path, encoding="utf-8")):
        if r[lat] and r[lon] and box(float(r[lat]), float(r[lon])):
            yield r
want = {
    "plant:": ("energy", len(list(rows("cn-power-plants-wri/China_WRI_power_plants.csv", "Latitude", "Longitude")))),
    "port:": ("ports", len(list(rows("cn-ports-wpi/wpi_china_hk_macau.csv", "Latitude", "Longitude")))),
    "uni:": ("education", len(list(rows("cn-universities/china_universities_2820.csv", "lat_bd09", "lon_bd09")))),
}
unis = {r["name"]: r for r in rows("cn-universities/china_universities_2820.csv", "lat_bd09", "lon_bd09")}
got, worst, bad, unnamed = {}, 0.0, [], []
ds = ogr.Open(plan)  # kept: its layer dies with it
for f in ds.GetLayerByName("demand"):
    did, sector = f.GetField("demand_id"), f.GetField("sector")
    prefix = next((p for p in want if did.startswith(p)), None)
    if prefix is None or sector != want[prefix][0]:
        bad.append((did, sector))
        continue
    got[prefix] = got.get(prefix, 0) + 1
    if not (f.GetField("name") or "").strip():
        unnamed.append(did)
    if prefix == "uni:":
        r, g = unis[did[4:]], f.GetGeometryRef()
        dy = (g.GetY() - float(r["lat_wgs84"])) * 111320.0
        dx = (g.GetX() - float(r["lon_wgs84"])) * 111320.0 * math.cos(math.radians(g.GetY()))
        worst = max(worst, math.hypot(dx, dy))
counts = {p: want[p][1] for p in want}
if bad or unnamed or got != counts or min(counts.values()) == 0 or worst > 5.0:
    print("FAIL: want", counts, "got", got, "wrong prefix/sector", bad[:5], "without a name", unnamed[:5],
          "worst university offset %.2f m" % worst)
    sys.exit(1)
sites = [f.GetField("name") for f in ds.GetLayerByName("sites")]
if not all(n for n in sites):
    print("FAIL: sites without the GeoNames place name:", sum(1 for n in sites if not n))
    sys.exit(1)
print("plants %d, ports %d, universities %d, each with its input's name (and %d sites with theirs); "
      "universities within %.2f m of their WGS84 columns"
      % (got["plant:"], got["port:"], got["uni:"], len(sites), worst))
PY
if [ $? -eq 0 ]; then pass "demand layer per source: $(cat "$TMP/py")"; else fail "demand layer per source: $(cat "$TMP/py")"; fi

# verify re-checks the plan of several demand layers: the settings in
# plan_meta (a demand: list) read back, every layer's checksum recorded
(cd "$RD" && "$R5G" verify plan.gpkg --scenario yrd-demand-layers.yaml > vout 2> verr)
rc=$?
[ $rc -eq 0 ] && pass "verify of the several-layer plan: exit 0" || fail "verify: exit $rc: $(grep -i fail "$RD/vout" | head -3) $(cat "$RD/verr")"
grep -q "demand\[2\]" "$RD/vout" && pass "verify checks the checksum of each demand layer ($(grep -m1 'match the checksums' "$RD/vout" | cut -c1-100))" ||
    fail "verify does not name demand[2]: $(grep inputs "$RD/vout")"

finish
