#!/usr/bin/python3
"""Opens a rollout5g plan in real QGIS (headless) and checks what a planner
sees, from QGIS's own view.

usage: qgis_check.py PLAN OUTDIR
  PLAN: a GeoPackage, or a plan folder (GeoJSON, FlatGeobuf, ESRI Shapefile,
        CSV: LAYER.EXT with LAYER.qml beside it), or a .kml file.
  OUTDIR: an existing folder for the PNGs and scratch copies.
Exit 77 when qgis is not importable, 1 on any failure ("FAIL: ..." lines).

For every layer: it loads with its default style (layer_styles or the .qml),
with the expected renderer and temporal setup, and every field the style
names (renderer, temporal expressions, labels) is a field of that file.
Then the map is rendered as the temporal controller shows it, once per
period (frame = period_date .. period_end) and once without time, and for
each rendered frame:
  - the features QGIS drew (a rendered-feature handler) are exactly the
    features whose dates say they exist by then, and
  - the category the renderer puts each drawn feature in (legend keys for
    the feature, in a render context carrying the map's expression scope)
    matches the category computed here from the feature's attributes:
    sites per build year, coverage per year on air, demand on time / late /
    not yet covered / never covered / forecast (as of the frame), regions
    by the documented classes of covered_share;
  - the image is not blank.
Labels: rendered at 1:10,000, 1:30,000 and 1:100,000, and on a copy of
sites and demand with a `name` field (CJK text, NULL on every other
feature), with the same style.
KML: the layers open with the plan's field names and no QGIS style: the
features carry their own OGR styles (checked in tests/e2e_formats.sh).
SLD: sites, demand and region_kpi carry one (GPKG styleSLD, LAYER.sld):
well-formed XML, loaded by QGIS (loadSldStyle) as rules with the QML
legend's classes and colours, each feature in the rule its attributes say."""
import collections
import datetime
import os
import shutil
import sys
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    from qgis.core import (QgsApplication, QgsVectorLayer, QgsMapSettings, QgsRectangle,
                           QgsDateTimeRange, QgsRuleBasedRenderer, QgsCategorizedSymbolRenderer,
                           QgsGraduatedSymbolRenderer, QgsSingleSymbolRenderer,
                           QgsVectorLayerTemporalProperties, QgsExpression, QgsExpressionContext,
                           QgsExpressionContextUtils, QgsRenderContext,
                           QgsRenderedFeatureHandlerInterface, QgsMapRendererCustomPainterJob,
                           QgsVectorFileWriter, QgsCoordinateTransformContext, QgsField, QgsFeature,
                           QgsProject)
    from qgis.PyQt.QtCore import QSize, QDateTime, QDate, QTime, QVariant
    from qgis.PyQt.QtGui import QColor, QImage, QPainter
except Exception as e:  # noqa: BLE001
    print("SKIP: qgis not importable: %s" % e)
    sys.exit(77)

from osgeo import ogr

plan, outdir = sys.argv[1], sys.argv[2]
app = QgsApplication([], False)
app.initQgis()
fails = []


def fail(msg):
    fails.append(msg)


# The plan's names of the fields read here, and their Shapefile names (the
# fixed table of docs/output.md, "Shapefile field names").
SHAPEFILE_NAMES = {"build_period": "bld_period", "build_index": "bld_index",
                   "demand_date": "dem_date", "covered_date": "cov_date",
                   "covered_index": "cov_index", "covered_share": "cov_share",
                   "period_date": "period_dt", "period_index": "period_idx"}
# region_kpi classes of covered_share (docs/output.md): upper bounds
SHARE_CLASSES = [(0.50, "below 50 %"), (0.70, "50 - 70 %"), (0.80, "70 - 80 %"),
                 (0.85, "80 - 85 %"), (0.90, "85 - 90 %"), (0.95, "90 - 95 %"),
                 (0.98, "95 - 98 %"), (1.00, "98 - 100 %")]

# ---- which format, which files ----------------------------------------------
if os.path.isdir(plan):
    exts = {os.path.splitext(f)[1] for f in os.listdir(plan)}
    ext = next(e for e in (".shp", ".fgb", ".geojson", ".csv") if e in exts)
    fmt = {".shp": "ESRI Shapefile", ".fgb": "FlatGeobuf", ".geojson": "GeoJSON", ".csv": "CSV"}[ext]

    # tables: Shapefile writes a lone .dbf, FlatGeobuf a .csv
    data_exts = (ext, ".dbf" if ext == ".shp" else ".csv")

    def uri(name):
        for e in data_exts:
            p = os.path.join(plan, name + e)
            if os.path.exists(p):
                return p
        return None
    names = sorted({os.path.splitext(f)[0] for f in os.listdir(plan) if f.endswith(data_exts)})
else:
    fmt = "KML" if plan.lower().endswith(".kml") else "GPKG"

    def uri(name):
        return "%s|layername=%s" % (plan, name)
    ds = ogr.Open(plan)
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    ds = None
    names = [n for n in names if n != "layer_styles"]
tag = fmt.replace(" ", "")
fname = (lambda f: SHAPEFILE_NAMES.get(f, f)) if fmt == "ESRI Shapefile" else (lambda f: f)


def isnull(v):
    return v is None or (hasattr(v, "isNull") and v.isNull())


def as_date(v):
    """A Date/DateTime/text attribute as a datetime.date, None for NULL."""
    if isnull(v):
        return None
    if isinstance(v, QDateTime):
        return v.date().toPyDate()
    if isinstance(v, QDate):
        return v.toPyDate()
    s = str(v).replace("/", "-")
    return datetime.date(int(s[0:4]), int(s[5:7]), int(s[8:10]))


def attr(f, field):
    return f[fname(field)]


# ---- KML: what docs/output.md says applies ----------------------------------
if fmt == "KML":
    for name in ("sites", "demand", "region_kpi"):
        lyr = QgsVectorLayer(uri(name), name, "ogr")
        if not lyr.isValid():
            fail("KML %s: does not load" % name)
            continue
        have = set(lyr.fields().names())
        want = {"sites": {"site_id", "status", "build_period", "build_date"},
                "demand": {"demand_id", "demand_date", "covered_date", "on_time", "whitelist"},
                "region_kpi": {"region_id", "covered_share", "period_date"}}[name]
        if not want <= have:
            fail("KML %s: fields %s missing" % (name, sorted(want - have)))
        lyr.loadDefaultStyle()
        # QGIS's default for KML: one symbol, or the features' own OGR styles
        if (isinstance(lyr.renderer(), (QgsCategorizedSymbolRenderer, QgsGraduatedSymbolRenderer,
                                        QgsRuleBasedRenderer)) or lyr.temporalProperties().isActive()):
            fail("KML %s: a QGIS style was found (renderer %s): KML has the features' own styles" % (
                name, type(lyr.renderer()).__name__))
        print("ok: KML %s loads, %d features, plan field names, renderer %s (the features' styles)" % (
            name, lyr.featureCount(), type(lyr.renderer()).__name__))
    print("ok: summary: sites, demand, region_kpi open with the plan's field names and the features' own styles")
    for f in fails:
        print("FAIL: " + f)
    sys.stdout.flush()
    os._exit(1 if fails else 0)

# ---- load every layer with its default style ---------------------------------
temporal_layers = {"sites", "coverage", "coverage_by_period", "demand", "links", "region_kpi",
                   "period_kpi", "sector_kpi"}
expect_renderer = {"sites": QgsCategorizedSymbolRenderer, "coverage": QgsCategorizedSymbolRenderer,
                   "demand": QgsRuleBasedRenderer, "region_kpi": QgsGraduatedSymbolRenderer,
                   "coverage_by_period": QgsSingleSymbolRenderer, "links": QgsSingleSymbolRenderer}
layers = {}
for name in names:
    lyr = QgsVectorLayer(uri(name), name, "ogr")
    if not lyr.isValid():
        fail("%s: does not load" % name)
        continue
    if fmt != "GPKG" and not os.path.exists(os.path.join(plan, name + ".qml")):
        fail("%s: no %s.qml beside the file" % (name, name))
    msg, ok = lyr.loadDefaultStyle()
    if not ok:
        fail("%s: no default style (%s)" % (name, msg))
    tp = lyr.temporalProperties()
    if name in temporal_layers and not tp.isActive():
        fail("%s: temporal properties not enabled" % name)
    if name in expect_renderer and not isinstance(lyr.renderer(), expect_renderer[name]):
        fail("%s: renderer %s, expected %s" % (name, type(lyr.renderer()).__name__,
                                                expect_renderer[name].__name__))
    layers[name] = lyr
    print("ok: %s loads, %d features, style '%s', temporal %s (mode %d, start %s)" % (
        name, lyr.featureCount(), lyr.renderer().type() if lyr.renderer() else "-",
        "on" if tp.isActive() else "off", int(tp.mode()),
        tp.startExpression() or tp.startField() or "-"))

# Every field the style names is a field of this file ("name" may be absent:
# labels fall back to the id, checked below).
for name, lyr in layers.items():
    have = set(lyr.fields().names())
    used = set()
    if lyr.geometryType() != 4 and lyr.renderer():  # 4: no geometry
        rc = QgsRenderContext()
        ec = QgsExpressionContext()
        ec.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(lyr))
        rc.setExpressionContext(ec)
        for u in lyr.renderer().usedAttributes(rc):  # a field, or a class expression
            used |= set(QgsExpression(u).referencedColumns())
    tp = lyr.temporalProperties()
    for e in (tp.startExpression(), tp.endExpression()):
        if e:
            used |= set(QgsExpression(e).referencedColumns())
    if lyr.labeling():
        used |= set(QgsExpression(lyr.labeling().settings().fieldName).referencedColumns()) - {"name"}
    if used - have:
        fail("%s: the style names fields the %s file does not have: %s" % (name, fmt, sorted(used - have)))
    elif used:
        print("ok: %s style names only fields of the file (%s)" % (name, ", ".join(sorted(used))))
if "sites" in layers and isinstance(layers["sites"].renderer(), QgsCategorizedSymbolRenderer):
    vals = [c.value() for c in layers["sites"].renderer().categories()]
    if "existing" not in vals or "not_built" not in vals or len(vals) < 3:
        fail("sites: categories %s" % vals)
if "region_kpi" in layers and isinstance(layers["region_kpi"].renderer(), QgsGraduatedSymbolRenderer):
    labels = [r.label() for r in layers["region_kpi"].renderer().ranges()]
    if labels != ["no demand yet"] + [c[1] for c in SHARE_CLASSES]:
        fail("region_kpi: classes %s" % labels)

# ---- expected state of each feature, from its attributes ----------------------
# frame: (begin, end) dates, or None for a map without time.


def exists(d, frame):
    """A layer that accumulates from date d: shown in the frame (docs/output.md)."""
    return frame is None or d is None or d < frame[1]


def in_period(start, end, frame):
    return frame is None or (start < frame[1] and end > frame[0])


def share_class(v):
    if isnull(v):
        return "no demand yet"
    for up, label in SHARE_CLASSES:
        if v <= up:
            return label
    return "above 100 %"


def demand_class(f, frame):
    a, c = as_date(attr(f, "demand_date")), as_date(attr(f, "covered_date"))
    on_time, white = attr(f, "on_time"), attr(f, "whitelist")
    if frame is None:
        k = "never" if c is None else "on_time" if on_time == 1 else "late"
    else:
        appeared, covered = a < frame[1], c is not None and c < frame[1]
        if not appeared:
            k = "ahead" if covered else "forecast"
        elif c is None:
            k = "never"
        elif not covered:
            k = "not_yet"
        else:
            k = "on_time" if on_time == 1 else "late"
    return k + ("_whitelist" if white == 1 else "")


def expected(name, f, frame, first_label):
    """(drawn?, the category label or rule key) of feature f."""
    if name == "sites":
        st, bp = attr(f, "status"), attr(f, "build_period")
        lab = {"existing": "on air before " + first_label, "not_built": "not built"}.get(st)
        return exists(as_date(attr(f, "build_date")), frame), lab or "built %s" % bp
    if name == "coverage":
        return exists(as_date(attr(f, "build_date")), frame), "on air %s" % attr(f, "build_period")
    if name == "links":
        return exists(as_date(attr(f, "covered_date")), frame), None
    if name == "demand":
        return True, demand_class(f, frame)
    if name in ("region_kpi", "coverage_by_period"):
        ok = in_period(as_date(attr(f, "period_date")), as_date(f["period_end"]), frame)
        if frame is None and name == "region_kpi":  # without time: the last period
            ok = attr(f, "period_index") == len(frames)
        return ok, share_class(attr(f, "covered_share")) if name == "region_kpi" else None
    return False, None


# ---- rendering ----------------------------------------------------------------
class Drawn(QgsRenderedFeatureHandlerInterface):
    """Records every feature QGIS draws, by the layer's field list."""

    def __init__(self):
        super().__init__()
        self.seen = collections.defaultdict(set)

    def handleRenderedFeature(self, feature, bounds, context):  # noqa: N802
        self.seen[tuple(feature.fields().names())].add(feature.id())

    def usedAttributes(self, layer, context):  # noqa: N802
        return set()


order = [n for n in ("sites", "demand", "links", "coverage", "coverage_by_period", "region_kpi")
         if n in layers]


def map_settings(extent, frame, lyrs=None, size=700):
    lyrs = lyrs or [layers[n] for n in order]
    s = QgsMapSettings()
    s.setLayers(lyrs)
    s.setOutputSize(QSize(size, size))
    s.setBackgroundColor(QColor(255, 255, 255))
    s.setExtent(extent)
    s.setDestinationCrs(lyrs[0].crs())
    if frame is not None:
        s.setIsTemporal(True)
        s.setTemporalRange(QgsDateTimeRange(QDateTime(QDate(frame[0]), QTime(0, 0)),
                                            QDateTime(QDate(frame[1]), QTime(0, 0)), True, False))
    # as the map canvas does: global, project and the map's own scope (the
    # frame's @map_start_time / @map_end_time)
    ec = QgsExpressionContext()
    ec.appendScope(QgsExpressionContextUtils.globalScope())
    ec.appendScope(QgsExpressionContextUtils.projectScope(QgsProject.instance()))
    ec.appendScope(QgsExpressionContextUtils.mapSettingsScope(s))
    s.setExpressionContext(ec)
    return s


def render(s, png=None):
    drawn = Drawn()
    s.addRenderedFeatureHandler(drawn)
    img = QImage(s.outputSize(), QImage.Format_ARGB32)
    img.fill(QColor(255, 255, 255))
    p = QPainter(img)
    job = QgsMapRendererCustomPainterJob(s, p)
    job.renderSynchronously()
    p.end()
    if png:
        img.save(png, "PNG")
    return img, drawn.seen, job.takeLabelingResults()


def not_blank(img):
    colours, nonwhite, total = set(), 0, 0
    for x in range(0, img.width(), 3):
        for y in range(0, img.height(), 3):
            c = img.pixel(x, y) & 0xFFFFFF
            total += 1
            nonwhite += c != 0xFFFFFF
            colours.add(c)
    return nonwhite / float(total), len(colours)


def categories(lyr, s, feats):
    """The renderer's own category of each feature: legend keys in a render
    context with the map's expression scope and the layer's scope."""
    r = lyr.renderer().clone()
    rc = QgsRenderContext.fromMapSettings(s)
    ctx = QgsExpressionContext(s.expressionContext())
    ctx.appendScope(QgsExpressionContextUtils.layerScope(lyr))
    rc.setExpressionContext(ctx)
    with_symbol = {i.ruleKey(): i.label() for i in r.legendSymbolItems() if i.symbol() is not None}
    r.startRender(rc, lyr.fields())
    out = {}
    for f in feats:
        rc.expressionContext().setFeature(f)
        keys = [k for k in r.legendKeysForFeature(f, rc) if k in with_symbol]
        if isinstance(r, QgsRuleBasedRenderer):
            out[f.id()] = keys[0] if len(keys) == 1 else "rules %s" % sorted(keys)
        else:
            out[f.id()] = with_symbol[keys[0]] if len(keys) == 1 else "keys %s" % sorted(keys)
    r.stopRender(rc)
    return out


# periods: the frames the temporal controller steps through (period_kpi)
pk = layers.get("period_kpi")
frames = []
if pk:
    for f in pk.getFeatures():
        frames.append((as_date(attr(f, "period_date")), as_date(f["period_end"]), str(f["period"])))
    frames.sort()
if not frames:
    fail("period_kpi: no periods to step through")
first_label = frames[0][2] if frames else ""

full = QgsRectangle()
full.setMinimal()
for n in order:
    full.combineExtentWith(layers[n].extent())
full.scale(1.05)
feats = {n: list(layers[n].getFeatures()) for n in order}
sig = {tuple(layers[n].fields().names()): n for n in order}
checked = collections.Counter()
for frame in [(b, e) for b, e, _ in frames] + [None]:
    label = "static" if frame is None else "%s..%s" % frame
    s = map_settings(full, frame)
    png = os.path.join(outdir, "%s_%s.png" % (tag, "static" if frame is None else frame[0].year))
    img, seen, _ = render(s, png)
    share, ncol = not_blank(img)
    if share < 0.05 or ncol < 8:
        fail("%s: rendered map looks blank: %.1f%% non-white, %d colours" % (label, 100 * share, ncol))
    drawn = {sig[k]: v for k, v in seen.items() if k in sig}
    summary = []
    for n in order:
        exp = {f.id(): expected(n, f, frame, first_label) for f in feats[n]}
        want = {i for i, (d, _) in exp.items() if d}
        got = drawn.get(n, set())
        if got != want:
            fail("%s %s: QGIS drew %d features, the attributes say %d (%d not drawn, %d extra)" % (
                label, n, len(got), len(want), len(want - got), len(got - want)))
        cats = categories(layers[n], s, [f for f in feats[n] if f.id() in got])
        want_c = collections.Counter(exp[i][1] for i in got if exp[i][1] is not None)
        got_c = collections.Counter(cats[i] for i in got if exp[i][1] is not None)
        if want_c != got_c:
            fail("%s %s: renderer's categories %s, from the attributes %s" % (
                label, n, dict(sorted(got_c.items())), dict(sorted(want_c.items()))))
        bad = [i for i in got if exp[i][1] is not None and cats[i] != exp[i][1]]
        if bad:
            fail("%s %s: %d features in the wrong category (feature %d: %s, expected %s)" % (
                label, n, len(bad), bad[0], cats[bad[0]], exp[bad[0]][1]))
        checked[n] += len(got)
        if n in ("sites", "demand", "region_kpi"):
            summary.append("%s %s" % (n, ", ".join("%s %d" % kv for kv in sorted(got_c.items()))))
        else:
            summary.append("%s %d" % (n, len(got)))
    print("ok: %s %s: %.0f%% non-white; %s" % (fmt, label, 100 * share, "; ".join(summary)))
rendered = "%d frames rendered, %d features drawn and categorised as their attributes say" % (
    len(frames) + 1, sum(checked.values()))
print("ok: " + rendered)

# ---- labels ---------------------------------------------------------------------


def densest_whitelist():
    wl = [f.geometry().asPoint() for f in feats.get("demand", []) if attr(f, "whitelist") == 1]
    if not wl:
        return full.center()
    return max(wl, key=lambda p: sum(1 for q in wl if abs(q.x() - p.x()) + abs(q.y() - p.y()) < 0.01))


def at_scale(scale, frame, lyrs):
    """Map settings at 1:scale around the densest white-listed demand."""
    s = map_settings(full, frame, lyrs)
    c = label_centre
    k = scale / s.scale()  # the scale grows with the extent's width
    w, h = full.width() * k, full.height() * k
    s.setExtent(QgsRectangle(c.x() - w / 2, c.y() - h / 2, c.x() + w / 2, c.y() + h / 2))
    return s


def label_check(lyrs, scale, want_sites, want_demand, what):
    """Renders lyrs at 1:scale (last frame) and checks every label's text."""
    s = at_scale(scale, (frames[-1][0], frames[-1][1]) if frames else None, list(lyrs.values()))
    _, _, res = render(s)
    got = collections.Counter()
    by_id = {n: {f.id(): f for f in lyrs[n].getFeatures()} for n in lyrs}
    ids = {lyrs[n].id(): n for n in lyrs}
    for lp in res.allLabels() if res else []:
        n = ids.get(lp.layerID)
        if n is None:
            continue
        f = by_id[n][lp.featureId]
        nm = f["name"] if "name" in f.fields().names() else None
        own = str(f["site_id"] if n == "sites" else f["demand_id"])
        want = str(nm) if not isnull(nm) and str(nm).strip() else own
        if lp.labelText != want:
            fail("%s 1:%d: %s label '%s' for feature %s, expected '%s'" % (what, scale, n, lp.labelText, own, want))
        if n == "sites" and attr(f, "status") == "not_built":
            fail("%s 1:%d: site %s is labelled but not built" % (what, scale, own))
        if n == "demand" and attr(f, "whitelist") != 1:
            fail("%s 1:%d: demand %s is labelled but not white-listed" % (what, scale, own))
        got[n] += 1
        got[n + (" by name" if want != own else " by id")] += 1
    for n, want in (("sites", want_sites), ("demand", want_demand)):
        if want and got[n] == 0:
            fail("%s 1:%d: no %s labels" % (what, scale, n))
        if not want and got[n]:
            fail("%s 1:%d: %d %s labels, expected none at this scale" % (what, scale, got[n], n))
    print("ok: %s labels at 1:%d: %s" % (what, scale, dict(sorted(got.items())) or "none"))
    return got


label_scales = 0
if "sites" in layers and "demand" in layers:
    label_centre = densest_whitelist()
    label_scales = 4
    pair = {"sites": layers["sites"], "demand": layers["demand"]}
    label_check(pair, 10000, True, True, "%s plan" % fmt)
    label_check(pair, 30000, True, False, "%s plan" % fmt)
    label_check(pair, 100000, False, False, "%s plan" % fmt)
    # the same styles on copies whose `name` (the plan's field, kept from the
    # inputs) is a CJK name on even features and NULL on odd ones
    named = {}
    for n in ("sites", "demand"):
        src = layers[n]
        path = os.path.join(outdir, "%s_named_%s.geojson" % (tag, n))
        mem = QgsVectorLayer("%s?crs=%s" % ({0: "Point"}[src.geometryType()], src.crs().authid()), n, "memory")
        pr = mem.dataProvider()
        # the plan's own `name` (NULL where the input has none), or a new one
        ni = src.fields().indexOf("name")
        pr.addAttributes(list(src.fields()) + ([] if ni >= 0 else [QgsField("name", QVariant.String)]))
        mem.updateFields()
        out = []
        for k, f in enumerate(src.getFeatures()):
            g = QgsFeature(mem.fields())
            g.setGeometry(f.geometry())
            attrs = list(f.attributes()) + ([] if ni >= 0 else [None])
            attrs[ni if ni >= 0 else -1] = ("苏州 %s" % f[0]) if k % 2 == 0 else None
            g.setAttributes(attrs)
            out.append(g)
        pr.addFeatures(out)
        opts = QgsVectorFileWriter.SaveVectorOptions()
        opts.driverName = "GeoJSON"
        err = QgsVectorFileWriter.writeAsVectorFormatV3(mem, path, QgsCoordinateTransformContext(), opts)
        if err[0] != QgsVectorFileWriter.NoError:
            fail("cannot write %s: %s" % (path, err))
            continue
        # the style exactly as the plan wrote it
        if fmt == "GPKG":
            ds = ogr.Open(plan)
            sl = ds.ExecuteSQL("SELECT styleQML FROM layer_styles WHERE f_table_name = '%s'" % n)
            qml = sl.GetNextFeature().GetField(0)
            ds.ReleaseResultSet(sl)
            ds = None
            open(path[:-len(".geojson")] + ".qml", "w", encoding="utf-8").write(qml)
        else:
            shutil.copy(os.path.join(plan, n + ".qml"), path[:-len(".geojson")] + ".qml")
        lyr = QgsVectorLayer(path, n, "ogr")
        msg, ok = lyr.loadDefaultStyle()
        if not ok or not lyr.labelsEnabled():
            fail("%s with a name field: style does not load (%s)" % (n, msg))
        named[n] = lyr
    if len(named) == 2:
        got = label_check(named, 10000, True, True, "%s plan + name field" % fmt)
        for n in ("sites", "demand"):
            if not got[n + " by name"] or not got[n + " by id"]:
                fail("name field: %s labels %d by name, %d by id; expected both" % (
                    n, got[n + " by name"], got[n + " by id"]))
# ---- SLD: sites, demand and region_kpi (GPKG styleSLD, LAYER.sld beside a file) --
def sld_text(name):
    if fmt == "GPKG":
        ds = ogr.Open(plan)
        sl = ds.ExecuteSQL("SELECT styleSLD FROM layer_styles WHERE f_table_name = '%s'" % name)
        f = sl.GetNextFeature()
        t = f.GetField(0) if f else None
        ds.ReleaseResultSet(sl)
        return t
    p = os.path.join(plan, name + ".sld")
    return open(p, encoding="utf-8").read() if os.path.exists(p) else None


def qml_colours(lyr):
    """label -> colour of the QML style's classes (the legend a planner sees)."""
    r, out = lyr.renderer(), {}
    if isinstance(r, QgsCategorizedSymbolRenderer):
        for c in r.categories():
            out[c.label()] = c.symbol().color().name()
    elif isinstance(r, QgsGraduatedSymbolRenderer):
        for g in r.ranges():
            out[g.label()] = g.symbol().color().name()
    elif isinstance(r, QgsRuleBasedRenderer):
        for c in r.rootRule().children():
            out[c.ruleKey()] = c.symbol().color().name()
    return out


SLD_NS = "{http://www.opengis.net/sld}"
DEMAND_LABELS = {"on_time": "covered on time", "late": "covered late", "never": "never covered"}
sld_checked = 0
for name in ("sites", "demand", "region_kpi"):
    if name not in layers:
        continue
    text = sld_text(name)
    if not text:
        fail("%s: no SLD (%s)" % (name, "styleSLD empty" if fmt == "GPKG" else "no %s.sld" % name))
        continue
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as e:
        fail("%s: the SLD is not well-formed XML: %s" % (name, e))
        continue
    lname = root.find(SLD_NS + "NamedLayer/" + SLD_NS + "Name")
    if root.tag != SLD_NS + "StyledLayerDescriptor" or lname is None or lname.text != name:
        fail("%s: the SLD is not a StyledLayerDescriptor of layer %s" % (name, name))
        continue
    path = os.path.join(outdir, "%s_%s.sld" % (tag, name))
    open(path, "w", encoding="utf-8").write(text)
    lyr = QgsVectorLayer(uri(name), name, "ogr")
    msg, ok = lyr.loadSldStyle(path)
    r = lyr.renderer()
    if not ok or not isinstance(r, QgsRuleBasedRenderer):
        fail("%s: QGIS does not load the SLD (%s; renderer %s)" % (name, msg, type(r).__name__))
        continue
    rules = r.rootRule().children()
    # the classes and their colours: those of the QML style's legend
    qml = qml_colours(layers[name])
    want = []
    if name == "sites":
        want = [c.label() for c in layers[name].renderer().categories()]
    elif name == "demand":
        want = list(DEMAND_LABELS.values())
    else:
        want = ["no demand yet"] + [c[1] for c in SHARE_CLASSES]
    got = [x.label() for x in rules]
    if got != want:
        fail("%s: SLD rules %s, expected %s" % (name, got, want))
        continue
    for x in rules:
        key = {v: k for k, v in DEMAND_LABELS.items()}.get(x.label(), x.label()) if name == "demand" else x.label()
        qc = qml.get(key)
        if not qc:
            fail("%s: SLD class '%s' is not a class of the QML style (%s)" % (name, x.label(), sorted(qml)))
        elif x.symbol().color().name() != qc:
            fail("%s: SLD class '%s' is %s, the QML style's %s" % (name, x.label(), x.symbol().color().name(), qc))
    # every feature in exactly the rule its attributes say (a static map:
    # final status, region_kpi of the last period only)
    exprs = [QgsExpression(x.filterExpression()) for x in rules]
    ctx = QgsExpressionContext()
    ctx.setFields(lyr.fields())
    for e in exprs:
        e.prepare(ctx)
    counts = collections.Counter()
    bad = 0
    first = layers["sites"].renderer().categories()[0].label()[len("on air before "):] if "sites" in layers else ""
    for f in lyr.getFeatures():
        ctx.setFeature(f)
        hit = [rules[k].label() for k, e in enumerate(exprs) if e.evaluate(ctx)]
        drawn, cls = expected(name, f, None, first)
        if name == "demand":
            cls = DEMAND_LABELS[cls.replace("_whitelist", "")]
        want_hit = [cls] if drawn else []
        if hit != want_hit:
            bad += 1
            if bad <= 3:
                fail("%s feature %s: SLD rules %s, expected %s" % (name, f.id(), hit, want_hit))
        counts[tuple(hit)] += 1
    if bad == 0:
        sld_checked += 1
        print("ok: %s SLD: %d rules as the QML legend (same colours), every feature in its class: %s" % (
            name, len(rules), ", ".join("%s %d" % (k[0] if k else "none", v) for k, v in sorted(counts.items()))))

print("ok: summary: %d layers load with their styles; %s; labels checked in %d renders; %d SLD styles" % (
    len(layers), rendered, label_scales, sld_checked))
for f in fails:
    print("FAIL: " + f)
sys.stdout.flush()
# QGIS 3.22 may crash tearing down Python-owned layers at exit: leave at once
os._exit(1 if fails else 0)
