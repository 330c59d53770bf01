#!/usr/bin/python3
"""Opens a rollout5g plan in real QGIS (headless): every layer must load with
its default style from layer_styles, layers with dates must have temporal
properties enabled, and the map must render to a PNG that is not blank.
usage: qgis_check.py PLAN.gpkg OUT.png   (exit 77 when qgis is not importable)"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    from qgis.core import (QgsApplication, QgsVectorLayer, QgsProject, QgsMapSettings,
                           QgsMapRendererSequentialJob, QgsRectangle, QgsDateTimeRange,
                           QgsVectorLayerTemporalProperties, QgsRuleBasedRenderer,
                           QgsCategorizedSymbolRenderer, QgsGraduatedSymbolRenderer)
    from qgis.PyQt.QtCore import QSize, QDateTime, QDate, QTime
    from qgis.PyQt.QtGui import QColor
except Exception as e:  # noqa: BLE001
    print("SKIP: qgis not importable: %s" % e)
    sys.exit(77)

from osgeo import ogr

plan, png = sys.argv[1], sys.argv[2]
app = QgsApplication([], False)
app.initQgis()
fails = []

ds = ogr.Open(plan)
names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
ds = None
temporal_layers = {"sites", "coverage", "coverage_by_period", "demand", "links", "region_kpi",
                   "period_kpi", "sector_kpi"}
expect_renderer = {"sites": QgsCategorizedSymbolRenderer, "coverage": QgsCategorizedSymbolRenderer,
                   "demand": QgsRuleBasedRenderer, "region_kpi": QgsGraduatedSymbolRenderer}
layers = {}
for name in names:
    if name == "layer_styles":
        continue
    lyr = QgsVectorLayer("%s|layername=%s" % (plan, name), name, "ogr")
    if not lyr.isValid():
        fails.append("%s: does not load" % name)
        continue
    msg, ok = lyr.loadDefaultStyle()
    if not ok:
        fails.append("%s: no default style (%s)" % (name, msg))
    tp = lyr.temporalProperties()
    if name in temporal_layers and not tp.isActive():
        fails.append("%s: temporal properties not enabled" % name)
    if name in expect_renderer and not isinstance(lyr.renderer(), expect_renderer[name]):
        fails.append("%s: renderer %s, expected %s" % (name, type(lyr.renderer()).__name__,
                                                        expect_renderer[name].__name__))
    layers[name] = lyr
    print("ok: %s loads, %d features, style '%s', temporal %s (mode %d, start %s)" % (
        name, lyr.featureCount(), lyr.renderer().type() if lyr.renderer() else "-",
        "on" if tp.isActive() else "off", int(tp.mode()), tp.startField() or "-"))

# sites: one category per period plus existing and not built
if "sites" in layers:
    r = layers["sites"].renderer()
    if isinstance(r, QgsCategorizedSymbolRenderer):
        vals = [c.value() for c in r.categories()]
        if "existing" not in vals or "not_built" not in vals or len(vals) < 3:
            fails.append("sites: categories %s" % vals)

# Render the map: region_kpi of the last period below, then coverage, demand, sites.
order = [n for n in ("sites", "demand", "links", "coverage", "coverage_by_period", "region_kpi")
         if n in layers]
settings = QgsMapSettings()
settings.setLayers([layers[n] for n in order])
settings.setOutputSize(QSize(900, 900))
settings.setBackgroundColor(QColor(255, 255, 255))
ext = QgsRectangle()
ext.setMinimal()
for n in order:
    ext.combineExtentWith(layers[n].extent())
ext.scale(1.05)
settings.setExtent(ext)
settings.setDestinationCrs(layers[order[0]].crs())
# the last year of the plan, as the temporal controller would show it
settings.setIsTemporal(True)
year = int(os.environ.get("R5G_QGIS_YEAR", "2030"))
settings.setTemporalRange(QgsDateTimeRange(QDateTime(QDate(year, 1, 1), QTime(0, 0)),
                                           QDateTime(QDate(year, 12, 31), QTime(23, 59))))
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
img = job.renderedImage()
img.save(png, "PNG")
# not blank: count non-white pixels and distinct colours on a grid
colours, nonwhite, total = set(), 0, 0
for x in range(0, img.width(), 3):
    for y in range(0, img.height(), 3):
        c = img.pixel(x, y) & 0xFFFFFF
        total += 1
        if c != 0xFFFFFF:
            nonwhite += 1
        colours.add(c)
share = nonwhite / float(total)
print("ok: rendered %s (%dx%d): %.1f%% non-white, %d colours" % (png, img.width(), img.height(),
                                                                 100 * share, len(colours)))
if share < 0.05 or len(colours) < 8:
    fails.append("rendered map looks blank: %.1f%% non-white, %d colours" % (100 * share, len(colours)))
for f in fails:
    print("FAIL: " + f)
sys.stdout.flush()
# QGIS 3.22 may crash tearing down Python-owned layers at exit: leave at once
os._exit(1 if fails else 0)
