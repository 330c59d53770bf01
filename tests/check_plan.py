"""Independent check of a plan GeoPackage against its inputs (GDAL only).

Recomputes, without any rollout5g code: which sites lie within the radius of
each demand point (brute force in the UTM zone of the data), the first period
each demand point is covered, the capex spent per period, the budget rule with
carry-over, and the covered share; the ahead-of-demand rules with lead L and
moderation M: no over-early site (every built site covers, within the radius,
some demand point appearing in period a with a - M <= its build period), the
on_time flag (covered by max(1, a - L)) and lead_periods (a - covered period)
of every demand point; then compares with the layers rollout5g wrote.
Usage: check_plan.py PLAN.gpkg SCENARIO_DIR RADIUS_M BUDGET,BUDGET,... L M
Exit 0 when everything agrees; prints one line per disagreement.
"""
import math
import sys

from osgeo import gdal, ogr, osr

ogr.UseExceptions()
if len(sys.argv) != 7:
    sys.exit("usage: check_plan.py PLAN.gpkg SCENARIO_DIR RADIUS_M BUDGET,BUDGET,... LEAD MAX_LEAD")
plan, scen_dir, radius, budgets = sys.argv[1], sys.argv[2], float(sys.argv[3]), [
    float(b) for b in sys.argv[4].split(",")]
lead, max_lead = int(sys.argv[5]), int(sys.argv[6])
problems = []

ds = ogr.Open(plan)
names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
for need in ("sites", "demand", "coverage", "period_kpi", "plan_meta"):
    if need not in names:
        problems.append("layer %s is missing (have %s)" % (need, names))
if problems:
    print("\n".join(problems))
    sys.exit(1)

contract = {
    "sites": "site_id kind band region_id status build_period build_index build_date capex",
    "demand": "demand_id sector whitelist weight region_id demand_period demand_index covered_period "
              "covered_index lead_periods on_time serving_site_id",
    "coverage": "site_id build_index build_date",
    "period_kpi": "period period_index budget capex new_sites sites_on_air covered_share on_time_share "
                  "over_early_sites",
    "plan_meta": "key value",
}
for lname, fields in contract.items():
    defn = ds.GetLayerByName(lname).GetLayerDefn()
    have = {defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())}
    for f in fields.split():
        if f not in have:
            problems.append("%s: contract field %s is missing" % (lname, f))
bd = ds.GetLayerByName("sites").GetLayerDefn()
if bd.GetFieldDefn(bd.GetFieldIndex("build_date")).GetType() != ogr.OFTDate:
    problems.append("sites.build_date is not a Date field")

wgs = osr.SpatialReference()
wgs.ImportFromEPSG(4326)
wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)


def utm_for(lon, lat):
    s = osr.SpatialReference()
    s.ImportFromEPSG((32600 if lat >= 0 else 32700) + int(math.floor((lon + 180) / 6)) + 1)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def read(layer, key):
    rows = {}
    for f in layer:
        g = f.GetGeometryRef()
        rows[f.GetField(key)] = (g.GetX(), g.GetY(), f)
    return rows


sites = read(ds.GetLayerByName("sites"), "site_id")
demand = read(ds.GetLayerByName("demand"), "demand_id")
lons = [v[0] for v in sites.values()] + [v[0] for v in demand.values()]
lats = [v[1] for v in sites.values()] + [v[1] for v in demand.values()]
utm = utm_for((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)
ct = osr.CoordinateTransformation(wgs, utm)


def xy(v):
    x, y, _ = ct.TransformPoint(v[0], v[1])
    return x, y


# Input counts: every input feature is in the output.
def count(path, **oo):
    src = gdal.OpenEx(path, gdal.OF_VECTOR, open_options=["%s=%s" % kv for kv in oo.items()])
    return src.GetLayer(0).GetFeatureCount()


n_dem = count(scen_dir + "/demand.geojson")
n_sites = count(scen_dir + "/candidates.csv", X_POSSIBLE_NAMES="lon", Y_POSSIBLE_NAMES="lat")
try:
    n_sites += count(scen_dir + "/existing.geojson")
except Exception:
    pass
if len(demand) != n_dem:
    problems.append("demand layer has %d points, the input %d" % (len(demand), n_dem))
if len(sites) != n_sites:
    problems.append("sites layer has %d sites, the inputs %d" % (len(sites), n_sites))

on_air = {}
spent = [0.0] * len(budgets)
for sid, v in sites.items():
    f = v[2]
    status, idx = f.GetField("status"), f.GetField("build_index")
    if status == "existing":
        on_air[sid] = 1
    elif status == "built":
        on_air[sid] = idx
        spent[idx - 1] += f.GetField("capex")
    elif status != "not_built" or idx is not None:
        problems.append("site %s: status %s with build_index %s" % (sid, status, idx))
site_xy = {sid: xy(v) for sid, v in sites.items() if sid in on_air}

# Budget rule with carry-over, recomputed from the sites layer.
cum_b = cum_s = 0.0
for t, b in enumerate(budgets):
    cum_b += b
    cum_s += spent[t]
    if cum_s > cum_b * (1 + 1e-9) + 1e-6:
        problems.append("period %d: cumulative capex %.0f exceeds cumulative budget %.0f" % (t + 1, cum_s, cum_b))

# Coverage recomputed by brute force; with it the earliest demand period
# each site on air covers (for the over-early rule) and the on-time flags.
mismatch = bad_on_time = bad_lead = 0
min_a = {}
weight_by_t = [0.0] * len(budgets)
cov_by_t = [0.0] * len(budgets)
for did, v in demand.items():
    x, y = xy(v)
    first = None
    f = v[2]
    a = f.GetField("demand_index")
    for sid, (sx, sy) in site_xy.items():
        if math.hypot(sx - x, sy - y) <= radius + 1e-3:
            if first is None or on_air[sid] < first:
                first = on_air[sid]
            if sid not in min_a or a < min_a[sid]:
                min_a[sid] = a
    on_time = 1 if first is not None and first <= max(1, a - lead) else 0
    if f.GetField("on_time") != on_time:
        bad_on_time += 1
        if bad_on_time <= 5:
            problems.append("demand %s: on_time %s, recomputed %d (appears %d, covered %s, lead %d)"
                            % (did, f.GetField("on_time"), on_time, a, first, lead))
    lead_p = a - first if first is not None else None
    if f.GetField("lead_periods") != lead_p:
        bad_lead += 1
        if bad_lead <= 5:
            problems.append("demand %s: lead_periods %s, recomputed %s" % (did, f.GetField("lead_periods"), lead_p))
    if first != f.GetField("covered_index"):
        mismatch += 1
        if mismatch <= 5:
            problems.append("demand %s: covered_index %s, recomputed %s" % (did, f.GetField("covered_index"), first))
    w = f.GetField("effective_weight")
    for t in range(a, len(budgets) + 1):
        weight_by_t[t - 1] += w
        if first is not None and first <= t:
            cov_by_t[t - 1] += w
if mismatch:
    problems.append("%d demand points disagree on covered_index" % mismatch)
if bad_on_time:
    problems.append("%d demand points disagree on on_time" % bad_on_time)
if bad_lead:
    problems.append("%d demand points disagree on lead_periods" % bad_lead)

# No over-early sites: a site built in period b covers some point with a - M <= b.
over_early = 0
for sid, v in sites.items():
    if v[2].GetField("status") != "built":
        continue
    b = on_air[sid]
    if sid not in min_a or min_a[sid] - max_lead > b:
        over_early += 1
        if over_early <= 5:
            problems.append("site %s: built in period %d, but the earliest demand it covers appears in %s "
                            "(max lead %d): over-early" % (sid, b, min_a.get(sid), max_lead))
if over_early:
    problems.append("%d over-early sites" % over_early)

kpi = {f.GetField("period_index"): f for f in ds.GetLayerByName("period_kpi")}
for t in range(1, len(budgets) + 1):
    k = kpi.get(t)
    if k is None:
        problems.append("period_kpi has no row for period %d" % t)
        continue
    if abs(k.GetField("capex") - spent[t - 1]) > 1e-6 * (1 + spent[t - 1]):
        problems.append("period %d: period_kpi capex %s, sites layer %s" % (t, k.GetField("capex"), spent[t - 1]))
    share = cov_by_t[t - 1] / weight_by_t[t - 1] if weight_by_t[t - 1] else 0
    if abs(k.GetField("covered_share") - share) > 1e-9:
        problems.append("period %d: covered_share %s, recomputed %s" % (t, k.GetField("covered_share"), share))
    if k.GetField("over_early_sites") != 0:
        problems.append("period %d: %d over-early sites" % (t, k.GetField("over_early_sites")))

meta = {f.GetField("key"): f.GetField("value") for f in ds.GetLayerByName("plan_meta")}
for key in ("scenario", "scenario_sha256", "status", "objective", "bound", "gap", "solve_seconds",
            "rollout5g_version", "glpk_version", "gdal_version", "proj_version", "command_line"):
    if not meta.get(key):
        problems.append("plan_meta has no %s" % key)
if meta.get("status") not in ("optimal", "time_limit"):
    problems.append("plan_meta status %s" % meta.get("status"))

print("\n".join(problems) if problems else "plan agrees with the independent recomputation "
      "(%d demand points, %d sites, %d on air, %d built, lead %d, max lead %d)"
      % (len(demand), len(sites), len(on_air), sum(1 for v in sites.values() if v[2].GetField("status") == "built"),
         lead, max_lead))
sys.exit(1 if problems else 0)
