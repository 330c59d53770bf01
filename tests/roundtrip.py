#!/usr/bin/python3
"""Compares a plan written in another format with the GeoPackage plan of the
same run: feature counts of every layer and key fields per feature; CJK region
names must survive. usage: roundtrip.py PLAN.gpkg OTHER FORMAT"""
import json
import os
import sys
from osgeo import gdal, ogr

gdal.UseExceptions()
gpkg, other, fmt = sys.argv[1:4]
# the documented Shapefile names (docs/output.md)
SHORT = {"build_index": "bld_index", "covered_index": "cov_index", "serving_site_id": "serv_site",
         "period_index": "period_idx", "sites_on_air": "on_air", "covered_share": "cov_share",
         "demand_date": "dem_date"}
KEYS = {"sites": ("site_id", ["status", "build_index", "build_date"]),
        "demand": ("demand_id", ["covered_index", "on_time", "serving_site_id", "demand_date"]),
        "coverage": ("site_id", ["build_index"]),
        "links": ("demand_id", ["site_id", "covered_index"]),
        "region_kpi": (None, ["region_id", "name", "period_index", "sites_on_air", "covered_share"]),
        "coverage_by_period": (None, ["period_index", "sites_on_air", "area_km2"]),
        "period_kpi": (None, ["period_index", "sites_on_air", "covered_share"]),
        "sector_kpi": (None, ["sector", "period_index", "covered_share"]),
        "plan_meta": (None, ["key"])}
fails = []


def layers_of(path):
    out = {}
    if os.path.isdir(path):
        for f in sorted(os.listdir(path)):
            stem, ext = os.path.splitext(f)
            if ext.lower() in (".qml", ".sld", ".cpg", ".prj", ".shx", ".csvt") or \
                    (ext.lower() == ".dbf" and os.path.exists(os.path.join(path, stem + ".shp"))):
                continue
            ds = gdal.OpenEx(os.path.join(path, f), gdal.OF_VECTOR)
            out[stem] = (ds, ds.GetLayer(0))
    else:
        ds = gdal.OpenEx(path, gdal.OF_VECTOR)
        for i in range(ds.GetLayerCount()):
            out[ds.GetLayer(i).GetName()] = (ds, ds.GetLayer(i))
    return out


def norm(v):
    if v is None or v == "":
        return None
    if isinstance(v, float):
        return round(v, 6)
    s = str(v).replace("/", "-")
    if len(s) >= 10 and s[4] == "-" and s[7] == "-":
        return s[:10]
    try:
        f = float(s)
        return round(f, 6)
    except ValueError:
        return s


def rows(lyr, key, fields, short):
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    res = []
    for feat in lyr:
        vals = []
        for f in ([key] if key else []) + fields:
            n = SHORT.get(f, f) if short and len(f) > 10 else f
            if n not in names and n == "name" and "Name" in names:
                n = "Name"  # KML: a field called name is the placemark's <name>
            if n not in names:
                fails.append("%s: field %s missing (has %s)" % (lyr.GetName(), n, names))
                return []
            vals.append(norm(feat.GetField(n)))
        res.append(tuple(vals))
    return sorted(res, key=repr)


def meta_rows(lyr):
    """plan_meta as (key, value) rows, a row continuing the value of the row
    before it under the same key (long values in a Shapefile, docs/output.md)."""
    lyr.ResetReading()
    out = []
    for feat in lyr:
        k, v = feat.GetField("key"), feat.GetField("value") or ""
        if out and out[-1][0] == k:
            out[-1] = (k, out[-1][1] + v)
        else:
            out.append((k, v))
    return out


ref, got = layers_of(gpkg), layers_of(other)
short = fmt == "ESRI Shapefile"
for name, (key, fields) in KEYS.items():
    if name not in ref:
        continue
    if name not in got:
        fails.append("%s: layer missing in %s" % (name, fmt))
        continue
    a, b = ref[name][1], got[name][1]
    if name == "plan_meta":
        ma, mb = meta_rows(a), meta_rows(b)
        if [k for k, _ in ma] != [k for k, _ in mb]:
            fails.append("plan_meta: keys differ in %s: %s vs %s" % (fmt, [k for k, _ in ma], [k for k, _ in mb]))
        sa, sb = dict(ma).get("settings"), dict(mb).get("settings")
        try:
            ja, jb = json.loads(sa), json.loads(sb)
            for d in (ja, jb):  # written to another path in another format
                d["output"].pop("path")
                d["output"].pop("format")
            if ja != jb:
                fails.append("plan_meta: settings differ in %s" % fmt)
        except (TypeError, ValueError, KeyError) as e:
            fails.append("plan_meta: settings not readable JSON in %s: %s" % (fmt, e))
        continue
    if a.GetFeatureCount() != b.GetFeatureCount():
        fails.append("%s: %d features in GPKG, %d in %s" % (name, a.GetFeatureCount(),
                                                            b.GetFeatureCount(), fmt))
        continue
    ra, rb = rows(a, key, fields, False), rows(b, key, fields, short)
    if ra != rb:
        diff = [x for x in ra if x not in rb][:2]
        fails.append("%s: key fields differ in %s, e.g. %s vs %s" % (name, fmt, diff,
                                                                      [x for x in rb if x not in ra][:2]))
# CJK text from the input regions must survive
if "region_kpi" in got:
    lyr = got["region_kpi"][1]
    lyr.ResetReading()
    fld = "name" if lyr.GetLayerDefn().GetFieldIndex("name") >= 0 else "Name"
    names = {f.GetField(fld) for f in lyr}
    if "娄葑街道" not in names:
        fails.append("region_kpi: 娄葑街道 lost in %s (names %s)" % (fmt, sorted(n for n in names if n)))
for f in fails:
    print("FAIL: " + f)
print("%s: %d layers compared" % (fmt, len(KEYS)))
sys.exit(1 if fails else 0)
