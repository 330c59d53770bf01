#!/usr/bin/python3
"""Independent recomputations for tests/e2e_compare.sh, from the plans'
own layers with GDAL only (nothing of rollout5g's code):

  compare_check.py sitediff A.gpkg B.gpkg ...   site_diff rows "plan site change" (plan = file stem)
  compare_check.py kpi LEAD A.gpkg ...          "plan period covered on_time whitelist_on_time"
                                                from each plan's demand layer (effective weights)
  compare_check.py refcov REF.gpkg:LAYER A.gpkg ...
                                                covered share per period of the reference points
                                                (id, weight, year) by the sites on air within radius_m
  compare_check.py coloc DIST A.gpkg B.gpkg     "site_a site_b" of built or existing sites within DIST m
  compare_check.py layer CMP.gpkg LAYER F1,F2,...   rows of a layer, fields joined by spaces
"""
import math
import os
import sys

from osgeo import ogr, osr

osr.UseExceptions()
ogr.UseExceptions()


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def rows(path, layer, fields):
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(layer)
    out = []
    for f in lyr:
        r = {k: f.GetField(k) for k in fields}
        g = f.GetGeometryRef()
        r["_xy"] = (g.GetX(), g.GetY()) if g is not None and g.GetGeometryName() == "POINT" else None
        out.append(r)
    return out


def utm():
    """lon/lat (EPSG:4326, traditional order) to UTM 51N, the zone of the test area"""
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(4326)
    dst.ImportFromEPSG(32651)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    return lambda xy: ct.TransformPoint(xy[0], xy[1])[:2]


def on_air(site):
    """first period on air: existing sites 1, built sites their build_index, else 0"""
    if site["status"] == "existing":
        return 1
    return site["build_index"] or 0


def sitediff(paths):
    fields = ["site_id", "status", "build_index"]
    a = {r["site_id"]: on_air(r) for r in rows(paths[0], "sites", fields)}
    for p in paths[1:]:
        b = {r["site_id"]: on_air(r) for r in rows(p, "sites", fields)}
        for sid in sorted(set(a) | set(b)):
            ta, tb = a.get(sid, 0), b.get(sid, 0)
            if not ta and not tb:
                continue
            ch = ("only_a" if not tb else "only_b" if not ta else "earlier" if tb < ta
                  else "later" if tb > ta else "same")
            print(stem(p), sid, ch)


def shares(pts, lead, T):
    """pts: (weight, appearance, covered or 0, whitelist) -> per period (covered, on time, wl on time)"""
    out = []
    for t in range(1, T + 1):
        w = wc = wo = ww = wwo = 0.0
        for (wt, a, c, wl) in pts:
            if a > t:
                continue
            due = max(1, a - lead)
            w += wt
            wc += wt if 0 < c <= t else 0
            ok = 0 < c <= due
            wo += wt if ok else 0
            if wl:
                ww += wt
                wwo += wt if ok else 0
        nan = float("nan")
        out.append((wc / w if w else nan, wo / w if w else nan, wwo / ww if ww else nan))
    return out


def periods(path):
    return len(rows(path, "period_kpi", ["period_index"]))


def kpi(lead, paths):
    for p in paths:
        d = rows(p, "demand", ["effective_weight", "demand_index", "covered_index", "whitelist"])
        pts = [(r["effective_weight"], r["demand_index"], r["covered_index"] or 0, r["whitelist"]) for r in d]
        for t, (c, o, w) in enumerate(shares(pts, lead, periods(p)), 1):
            print(stem(p), t, "%.9f %.9f %.9f" % (c, o, w))


def refcov(ref, paths):
    src, layer = ref.rsplit(":", 1)
    ds = ogr.Open(src)
    lyr = ds.GetLayerByName(layer)
    sref = lyr.GetSpatialRef()
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(32651)
    for s in (sref, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(sref, dst)
    pts = []
    for f in lyr:
        g = f.GetGeometryRef()
        pts.append((ct.TransformPoint(g.GetX(), g.GetY())[:2], float(f.GetField("weight")), int(f.GetField("year"))))
    to_utm = utm()
    for p in paths:
        T = periods(p)
        first = int(rows(p, "period_kpi", ["period"])[0]["period"])
        sites = [(to_utm(r["_xy"]), r["radius_m"], on_air(r))
                 for r in rows(p, "sites", ["site_id", "status", "build_index", "radius_m"])]
        cov = []
        for (xy, w, year) in pts:
            c = [t for (sxy, rad, t) in sites if t and math.dist(sxy, xy) <= rad]
            cov.append((w, max(1, year - first + 1), min(c) if c else 0, 0))
        for t, (c, o, _) in enumerate(shares(cov, 0, T), 1):
            print(stem(p), t, "%.9f" % c)


def coloc(dist, a, b):
    to_utm = utm()
    fields = ["site_id", "status", "build_index"]
    sa = [(r["site_id"], to_utm(r["_xy"])) for r in rows(a, "sites", fields) if on_air(r)]
    sb = [(r["site_id"], to_utm(r["_xy"])) for r in rows(b, "sites", fields) if on_air(r)]
    for ia, xa in sa:
        for ib, xb in sb:
            if math.dist(xa, xb) <= dist:
                print(ia, ib)


def layer(path, name, fields):
    fields = fields.split(",")
    for r in rows(path, name, fields):
        print(" ".join("NULL" if r[k] is None else ("%.9f" % r[k] if isinstance(r[k], float) else str(r[k]))
                       for k in fields))


cmd = sys.argv[1]
if cmd == "sitediff":
    sitediff(sys.argv[2:])
elif cmd == "kpi":
    kpi(int(sys.argv[2]), sys.argv[3:])
elif cmd == "refcov":
    refcov(sys.argv[2], sys.argv[3:])
elif cmd == "coloc":
    coloc(float(sys.argv[2]), sys.argv[3], sys.argv[4])
elif cmd == "layer":
    layer(sys.argv[2], sys.argv[3], sys.argv[4])
else:
    sys.exit("unknown command " + cmd)
