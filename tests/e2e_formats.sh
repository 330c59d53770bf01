#!/bin/sh
# --format: the default plan through GeoJSON, FlatGeobuf, ESRI Shapefile
# (one file per layer, in a folder) and KML (one file) reads back with the
# same feature counts and key fields as the GeoPackage (tests/roundtrip.py);
# KML features carry a style in the colour of their class.
# CSV: numbers unquoted, dates ISO 8601 and typed Date in the .csvt; metre
# fields rounded to the centimetre in every format and equal to the distance
# recomputed from the written coordinates; --lco/--dsco reach GDAL and are
# checked against the driver's lists; --json - writes JSON on stdout only.
. "${top_srcdir}/tests/lib.sh"
SC="$top_srcdir/scenarios/yrd-demo"
[ -n "$PYGDAL" ] || skip_all "no python3 with GDAL bindings"
"$R5G" plan "$SC/scenario.yaml" -q --links -o "$TMP/ref.gpkg" > /dev/null 2> "$TMP/err" || { fail "plan: $(cat "$TMP/err")"; finish; exit 1; }
for f in GeoJSON FlatGeobuf "ESRI Shapefile" KML; do
    o="$TMP/out_$(echo "$f" | tr -d ' ')"
    [ "$f" = KML ] && o="$o.kml"
    if "$R5G" plan "$SC/scenario.yaml" -q --links --format "$f" -o "$o" > /dev/null 2> "$TMP/err"; then
        if "$PYGDAL" "$top_srcdir/tests/roundtrip.py" "$TMP/ref.gpkg" "$o" "$f" > "$TMP/rt" 2>&1; then
            pass "$f: $(tail -n 1 "$TMP/rt")"
        else
            fail "$f: $(head -n 5 "$TMP/rt")"
        fi
    else
        fail "$f: plan failed: $(cat "$TMP/err")"
    fi
done
[ -f "$TMP/out_ESRIShapefile/sites.shp" ] && [ -f "$TMP/out_ESRIShapefile/sites.qml" ] && pass "Shapefile folder has sites.shp and its QGIS style" || fail "no sites.shp/sites.qml: $(ls "$TMP/out_ESRIShapefile")"
grep -q 'UTF-8' "$TMP/out_ESRIShapefile/sites.cpg" 2>/dev/null && pass "Shapefile declares UTF-8 (.cpg)" || fail "no UTF-8 .cpg"

# ---- KML: a style per feature in the colour of its class ----------------------
# The palette of docs/output.md ("KML"), written out here: sites by status
# and build period (viridis over the 5 periods), demand by final status,
# coverage by build period, region_kpi by covered_share class. Read back with
# GDAL's LIBKML driver, which gives each placemark's style as an OGR style
# string (OGR_F_GetStyleString). `--format LIBKML` on a small district (GDAL
# before 3.9.1 writes LIBKML in time quadratic in the file's size, so `KML`
# uses the KML driver there: checked after this).
gv=$("$PYGDAL" -c 'from osgeo import gdal; print(gdal.VersionInfo("VERSION_NUM"))')
if "$R5G" synth --preset district --scale 0.05 --seed 1 -o "$TMP/small" > /dev/null 2> "$TMP/err" &&
    "$R5G" plan "$TMP/small/scenario.yaml" -q --links --format LIBKML -o "$TMP/styled.kml" > /dev/null 2>> "$TMP/err"; then
    pass "--format LIBKML: a styled KML of a small district"
else
    fail "--format LIBKML: $(cat "$TMP/err")"
fi
if [ "$gv" -ge 3090100 ]; then
    grep -q "<IconStyle>" "$TMP/out_KML.kml" && pass "KML (GDAL $gv): written through LIBKML, styled" \
        || fail "KML (GDAL $gv): no IconStyle in out_KML.kml"
else
    ! grep -q "<IconStyle>" "$TMP/out_KML.kml" && pass "KML (GDAL $gv < 3.9.1): written by the KML driver, in time" \
        || fail "KML (GDAL $gv): styled through LIBKML, which is quadratic before GDAL 3.9.1"
fi
if "$PYGDAL" - "$TMP/styled.kml" > "$TMP/kml" 2>&1 <<'PY'
import collections, re, sys
from osgeo import gdal
gdal.UseExceptions()
ds = gdal.OpenEx(sys.argv[1], gdal.OF_VECTOR, allowed_drivers=["LIBKML"])
PERIOD = {1: "440154", 2: "3B518B", 3: "21908D", 4: "5CC863", 5: "FDE725"}
DEMAND = {"on_time": "1A9641", "late": "FD8D3C", "never": "D7191C"}
SHARE = [(0.50, "FFFFD9"), (0.70, "EDF8B1"), (0.80, "C7E9B4"), (0.85, "7FCDBB"), (0.90, "41B6C4"),
         (0.95, "1D91C0"), (0.98, "225EA8"), (1.00, "0C2C84")]
def num(v):
    return None if v in (None, "") else float(v)
def want(layer, f):
    if layer == "sites":
        st = f.GetField("status")
        return ("808080FF" if st == "existing" else "969696A0" if st == "not_built"
                else PERIOD[int(num(f.GetField("build_index")))] + "FF"), st if st != "built" else "built " + f.GetField("build_period")
    if layer == "demand":
        c = num(f.GetField("covered_index"))
        k = "never" if c is None else "on_time" if num(f.GetField("on_time")) == 1 else "late"
        return DEMAND[k] + "FF", k
    if layer == "coverage":
        b = int(num(f.GetField("build_index")))
        return PERIOD[b] + "46", "on air " + f.GetField("build_period")
    if layer == "region_kpi":
        v = num(f.GetField("covered_share"))
        if v is None:
            return "C8C8C896", "no demand yet"
        return next(c for up, c in SHARE if v <= up) + "96", "class %s" % next(c for up, c in SHARE if v <= up)
bad = []
for layer, key in (("sites", "SYMBOL"), ("demand", "SYMBOL"), ("coverage", "BRUSH"), ("region_kpi", "BRUSH")):
    lyr = ds.GetLayerByName(layer)
    by_colour, by_attr = collections.Counter(), collections.Counter()
    for f in lyr:
        st = f.GetStyleString()
        m = re.search(r"%s\((?:[^)]*?,)?(?:c|fc):#([0-9A-Fa-f]{8})" % key, st or "")
        if not m:
            bad.append("%s feature %s: no %s colour in its style %r" % (layer, f.GetFID(), key, st))
            continue
        colour, cls = want(layer, f)
        by_colour[m.group(1).upper()] += 1
        by_attr[colour] += 1
        if m.group(1).upper() != colour:
            bad.append("%s feature %s (%s): colour #%s, expected #%s" % (layer, f.GetFID(), cls, m.group(1), colour))
    if by_colour != by_attr:
        bad.append("%s: counts by colour %s, by attribute %s" % (layer, dict(by_colour), dict(by_attr)))
    if sum(by_colour.values()) == 0:
        bad.append("%s: no styled feature" % layer)
    print("%s: %d features, by colour %s" % (layer, sum(by_colour.values()),
          ", ".join("#%s %d" % kv for kv in sorted(by_colour.items()))))
for b in bad[:8]:
    print("BAD " + b)
sys.exit(1 if bad else 0)
PY
then
    pass "KML: every feature styled in its class colour, counts by colour equal counts by attribute ($(tr '\n' ';' < "$TMP/kml"))"
else
    fail "KML styles: $(cat "$TMP/kml")"
fi

# a KML path without .kml: GDAL's LIBKML would make a folder of it; one file, unstyled, with a warning
if "$R5G" plan "$TMP/small/scenario.yaml" --format LIBKML -o "$TMP/kml_noext" > /dev/null 2> "$TMP/err" &&
    [ -f "$TMP/kml_noext" ] && grep -qx "rollout5g: warning: $TMP/kml_noext: a KML file without the .kml extension is written without styles (GDAL's KML driver); name it .kml for styled placemarks" "$TMP/err"; then
    pass "KML without .kml: one file, a warning that it has no styles"
else
    fail "KML without .kml: $(ls -la "$TMP/kml_noext" 2>&1 | head -3) $(cat "$TMP/err")"
fi

# ---- SLD: well-formed StyledLayerDescriptors naming the file's own fields -----
# (tests/e2e_qgis.sh loads them in QGIS and checks the classes)
if "$PYGDAL" - "$TMP" > "$TMP/sld" 2>&1 <<'PY'
import os, sys
import xml.etree.ElementTree as ET
from osgeo import ogr
t, bad, n = sys.argv[1], [], 0
NS = {"sld": "http://www.opengis.net/sld", "ogc": "http://www.opengis.net/ogc"}
ds = ogr.Open(os.path.join(t, "ref.gpkg"))
docs = {}
sl = ds.ExecuteSQL("SELECT f_table_name, styleSLD FROM layer_styles")
for f in sl:
    docs[("GPKG", f.GetField(0))] = (f.GetField(1), ds.GetLayerByName(f.GetField(0)))
ds.ReleaseResultSet(sl)
keep = [ds]
for fmt, ext in (("GeoJSON", "geojson"), ("ESRIShapefile", "shp")):
    d = os.path.join(t, "out_" + fmt)
    for name in ("sites", "demand", "region_kpi", "coverage"):
        p = os.path.join(d, name + ".sld")
        lds = ogr.Open(os.path.join(d, "%s.%s" % (name, ext)))
        keep.append(lds)
        docs[(fmt, name)] = (open(p, encoding="utf-8").read() if os.path.exists(p) else "", lds.GetLayer(0))
for (fmt, name), (text, lyr) in sorted(docs.items()):
    if name not in ("sites", "demand", "region_kpi"):
        if text:
            bad.append("%s %s: an SLD where docs/output.md says none" % (fmt, name))
        continue
    if not text:
        bad.append("%s %s: no SLD" % (fmt, name))
        continue
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as e:
        bad.append("%s %s: not XML: %s" % (fmt, name, e))
        continue
    fields = {lyr.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(lyr.GetLayerDefn().GetFieldCount())}
    props = {p.text for p in root.iter("{%s}PropertyName" % NS["ogc"])}
    rules = root.findall(".//sld:Rule", NS)
    if root.get("version") != "1.0.0" or not rules or props - fields:
        bad.append("%s %s: version %s, %d rules, fields not in the file: %s" % (fmt, name, root.get("version"), len(rules), sorted(props - fields)))
    n += 1
for b in bad:
    print("BAD " + b)
print("%d SLD documents parsed, every PropertyName a field of its file" % n)
sys.exit(1 if bad else 0)
PY
then
    pass "SLD: $(tail -n 1 "$TMP/sld")"
else
    fail "SLD: $(cat "$TMP/sld")"
fi

"$R5G" plan "$SC/scenario.yaml" -q --links --format CSV -o "$TMP/out_CSV" > /dev/null 2> "$TMP/err" || fail "CSV plan: $(cat "$TMP/err")"
# ---- metres to the centimetre, in every format -------------------------------
"$PYGDAL" - "$TMP" > "$TMP/cm" 2>&1 <<'PY'
import math, os, sys
from osgeo import ogr, osr
t = sys.argv[1]
bad, n = [], 0
def layer(fmt, name):
    if fmt == "GPKG":
        keep.append(ogr.Open(os.path.join(t, "ref.gpkg")))  # a layer dies with its dataset
        return keep[-1].GetLayerByName(name)
    d = os.path.join(t, "out_" + fmt)
    for f in os.listdir(d):
        if f.split(".")[0] == name and f.rsplit(".", 1)[1] in ("geojson", "fgb", "shp", "csv"):
            ds = ogr.Open(os.path.join(d, f))
            keep.append(ds)
            return ds.GetLayer(0)
keep = []
FIELDS = {"sites": ["radius_m"], "coverage": ["radius_m"], "links": ["distance_m"],
          "demand": ["serving_distance_m", "serv_dist"]}
for fmt in ("GPKG", "GeoJSON", "FlatGeobuf", "ESRIShapefile", "CSV"):
    for name, fields in FIELDS.items():
        lyr = layer(fmt, name)
        defn = lyr.GetLayerDefn()
        for fld in fields:
            k = defn.GetFieldIndex(fld)
            if k < 0:
                continue
            for f in lyr:
                if not f.IsFieldSetAndNotNull(k):
                    continue
                v = float(f.GetField(k))
                n += 1
                if abs(v * 100 - round(v * 100)) > 1e-6:
                    bad.append("%s %s.%s = %r" % (fmt, name, fld, v))
# the rounded distance is the true one: each link's end points back in the
# working CRS (UTM 51N for yrd-demo), measured again
wgs, utm = osr.SpatialReference(), osr.SpatialReference()
wgs.ImportFromEPSG(4326); utm.ImportFromEPSG(32651)
for s in (wgs, utm):
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(wgs, utm)
m = 0
for f in layer("GPKG", "links"):
    g = f.GetGeometryRef()
    (x0, y0, _), (x1, y1, _) = ct.TransformPoint(*g.GetPoint_2D(0)), ct.TransformPoint(*g.GetPoint_2D(1))
    d = math.hypot(x1 - x0, y1 - y0)
    m += 1
    if abs(d - f["distance_m"]) > 0.0051:  # half a centimetre, and float32 distances
        bad.append("link %s: distance_m %r, recomputed %.4f" % (f["demand_id"], f["distance_m"], d))
print("%d metre values on the centimetre in 5 formats, %d link distances within 5 mm of the recomputed ones" % (n, m))
for b in bad[:10]:
    print("BAD", b)
sys.exit(1 if bad or n == 0 or m == 0 else 0)
PY
[ $? -eq 0 ] && pass "$(tail -n 1 "$TMP/cm")" || fail "metres: $(cat "$TMP/cm")"

# a plan folder is replaced only with --overwrite, and a folder of other files never
"$R5G" plan "$SC/scenario.yaml" -q --format GeoJSON -o "$TMP/out_GeoJSON" > /dev/null 2>&1 && fail "replaced a folder without --overwrite" || pass "refuses an existing folder"
"$R5G" plan "$SC/scenario.yaml" -q --format GeoJSON -o "$TMP/out_GeoJSON" --overwrite > /dev/null 2> "$TMP/err" && [ ! -f "$TMP/out_GeoJSON/links.geojson" ] \
    && pass "--overwrite replaces an earlier plan folder" || fail "--overwrite of a plan folder: $(cat "$TMP/err")"
mkdir "$TMP/mine" && echo keep > "$TMP/mine/notes.txt"
"$R5G" plan "$SC/scenario.yaml" -q --format GeoJSON -o "$TMP/mine" --overwrite > /dev/null 2> "$TMP/err" && fail "replaced a folder that is not a plan" || pass "never replaces a folder that is not a plan"
[ -f "$TMP/mine/notes.txt" ] && pass "that folder is untouched" || fail "user folder damaged"

# ---- CSV as spreadsheets and scripts read it ---------------------------------
"$PYGDAL" - "$TMP/out_CSV" "$TMP/ref.gpkg" > "$TMP/csv" 2>&1 <<'PY'
import csv, datetime, os, re, sys
from osgeo import ogr
d, ref = sys.argv[1], ogr.Open(sys.argv[2])
bad, n_num, n_date = [], 0, 0
for name in ("sites", "demand", "links", "period_kpi", "sector_kpi", "region_kpi", "plan_meta"):
    types = open(os.path.join(d, name + ".csvt")).read().strip().split(",")
    raw = open(os.path.join(d, name + ".csv"), newline="").read().splitlines()
    header = next(csv.reader([raw[0]]))
    for line in raw[1:]:
        # a number or date between separators is never in quotes
        for m in re.finditer(r'(?:^|,)"(-?[0-9.]+(?:e-?[0-9]+)?|[0-9]{4}[-/][0-9]{2}[-/][0-9]{2})"(?=,|$)', line):
            bad.append("%s: quoted %s" % (name, m.group(1)))
        if re.search(r"[0-9]{4}/[0-9]{2}/[0-9]{2}", line):
            bad.append("%s: a date with slashes: %s" % (name, line[:80]))
    for row in csv.reader(raw[1:]):
        for col, t, v in zip(header, types[-len(header):] if len(types) >= len(header) else types, row):
            if v == "":
                continue
            if t.startswith(("Integer", "Real")):
                n_num += 1
                float(v)
            elif t == "Date":
                n_date += 1
                datetime.date.fromisoformat(v)
    # GDAL reads the dates back as dates, with the GeoPackage's values
    ds = ogr.Open(os.path.join(d, name + ".csv"))  # kept: a layer dies with its dataset
    lyr = ds.GetLayer(0)
    defn = lyr.GetLayerDefn()
    for k in range(defn.GetFieldCount()):
        fd = defn.GetFieldDefn(k)
        if fd.GetName().endswith("_date") and fd.GetType() != ogr.OFTDate:
            bad.append("%s.%s reads as %s, not Date" % (name, fd.GetName(), fd.GetTypeName()))
    want = sorted(str(f.GetField(k)) for f in ref.GetLayerByName(name) for k in range(f.GetFieldCount())
                  if f.GetFieldDefnRef(k).GetType() == ogr.OFTDate)
    got = sorted(str(f.GetField(k)) for f in lyr for k in range(f.GetFieldCount())
                 if f.GetFieldDefnRef(k).GetType() == ogr.OFTDate)
    if want != got:
        bad.append("%s: dates differ from the GeoPackage" % name)
meta = {r[0]: r[1] for r in csv.reader(open(os.path.join(d, "plan_meta.csv"), newline="").read().splitlines()[1:])}
if "," not in meta.get("scenario", "") or meta["scenario"] != ref.GetLayerByName("plan_meta").GetFeature(1).GetField("value"):
    bad.append("scenario name with commas does not survive: %r" % meta.get("scenario"))
print("%d numbers unquoted, %d ISO dates typed Date" % (n_num, n_date))
for b in bad[:10]:
    print("BAD", b)
sys.exit(1 if bad or not n_num or not n_date else 0)
PY
[ $? -eq 0 ] && pass "CSV: $(tail -n 1 "$TMP/csv")" || fail "CSV: $(cat "$TMP/csv")"

# ---- --lco / --dsco ---------------------------------------------------------------
"$R5G" plan "$SC/scenario.yaml" -q -o "$TMP/opt.gpkg" --lco GEOMETRY_NAME=the_geom --lco FID=oid --dsco VERSION=1.2 \
    > /dev/null 2> "$TMP/err" || fail "--lco/--dsco plan: $(cat "$TMP/err")"
"$PYGDAL" - "$TMP/opt.gpkg" > "$TMP/opt" 2>&1 <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
col = db.execute("select column_name from gpkg_geometry_columns where table_name = 'sites'").fetchone()[0]
fid = [r[1] for r in db.execute("pragma table_info(sites)") if r[5]][0]
ver = db.execute("pragma user_version").fetchone()[0]
print("geometry column %s, fid %s, GeoPackage version %d" % (col, fid, ver))
sys.exit(0 if (col, fid, ver) == ("the_geom", "oid", 10200) else 1)
PY
[ $? -eq 0 ] && pass "GPKG --lco GEOMETRY_NAME, FID and --dsco VERSION reach GDAL: $(cat "$TMP/opt")" || fail "GPKG options: $(cat "$TMP/opt")"
"$R5G" plan "$SC/scenario.yaml" -q --format CSV -o "$TMP/semi" --lco SEPARATOR=SEMICOLON > /dev/null 2> "$TMP/err" &&
    head -n 1 "$TMP/semi/period_kpi.csv" | grep -q '^period;period_index;period_date;' && pass "CSV --lco SEPARATOR=SEMICOLON" ||
    fail "CSV --lco SEPARATOR: $(cat "$TMP/err") $(head -n 1 "$TMP/semi/period_kpi.csv")"
# refused_opt LABEL PATTERN ARGS: exit 1, that one line, nothing written
refused_opt() {
    label=$1 pattern=$2
    shift 2
    "$R5G" plan "$SC/scenario.yaml" -q -o "$TMP/bad_opt" "$@" > /dev/null 2> "$TMP/err"
    rc=$?
    [ $rc -eq 1 ] && [ "$(grep -c . "$TMP/err")" -eq 1 ] && grep -q -- "$pattern" "$TMP/err" && [ ! -e "$TMP/bad_opt" ] &&
        pass "$label: $(cat "$TMP/err")" || fail "$label: exit $rc: $(cat "$TMP/err")"
}
refused_opt "unknown --lco" "^rollout5g: error: --lco SPATIAL_IDX=NO: the GPKG driver has no layer creation option SPATIAL_IDX" --lco SPATIAL_IDX=NO
refused_opt "unknown --dsco" "--dsco COMPRESS=YES: the GeoJSON driver has no dataset creation option COMPRESS" --format GeoJSON --dsco COMPRESS=YES
refused_opt "--lco value outside its list" "--lco STRING_QUOTING=SOMETIMES: layer creation option STRING_QUOTING of the CSV driver takes IF_NEEDED, IF_AMBIGUOUS, ALWAYS" \
    --format CSV --lco STRING_QUOTING=SOMETIMES
refused_opt "--lco boolean" "--lco SPATIAL_INDEX=maybe: layer creation option SPATIAL_INDEX of the GPKG driver takes YES or NO" --lco SPATIAL_INDEX=maybe
"$R5G" plan "$SC/scenario.yaml" -q -o "$TMP/bad_opt" --lco NOEQUALS > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] && grep -q "option '--lco' needs NAME=VALUE, got 'NOEQUALS'" "$TMP/err" && pass "--lco without '=' is a usage error" || fail "--lco NOEQUALS: $(cat "$TMP/err")"

# ---- --json - ---------------------------------------------------------------------
"$R5G" plan "$SC/scenario.yaml" -o "$TMP/js.gpkg" --json - > "$TMP/js.out" 2> "$TMP/js.err"
rc=$?
"$PYGDAL" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["periods"]) == 5 and d["plan_meta"]["status"] == "optimal"; print("%d periods" % len(d["periods"]))' "$TMP/js.out" > "$TMP/js" 2>&1
py=$?
[ $rc -eq 0 ] && [ $py -eq 0 ] && pass "--json -: stdout is exactly the JSON document ($(cat "$TMP/js"))" || fail "--json -: exit $rc: $(cat "$TMP/js") $(head -c 300 "$TMP/js.out")"
grep -q "^2030 .*%" "$TMP/js.err" && grep -q "^wrote $TMP/js.gpkg" "$TMP/js.err" && pass "--json -: the per-period table went to stderr" || fail "--json -: no table on stderr"
[ ! -e "$TMP/-" ] && pass "--json -: no file named '-'" || fail "--json - wrote a file named '-'"
"$R5G" plan "$SC/scenario.yaml" -q -o "$TMP/js2.gpkg" --json - > "$TMP/js.out" 2> "$TMP/js.err"
[ $? -eq 0 ] && [ ! -s "$TMP/js.err" ] && "$PYGDAL" -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/js.out" &&
    pass "--json - with -q: JSON on stdout, stderr silent" || fail "--json - -q: $(cat "$TMP/js.err")"

ls -a "$TMP" | grep -q 'tmp-' && fail "temporary output left: $(ls -a "$TMP")" || pass "no temporary output left"
finish
