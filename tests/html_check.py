#!/usr/bin/python3
"""Checks of an HTML report for tests/e2e_html.sh (GDAL for PNG and PDF; the
standard library for HTML, JSON and CSV):

  html_check.py static FILE.html          no reference that could leave the file
  html_check.py netlog NET.json           no request made by the page (Chromium's
                                          own background requests are not the page's)
  html_check.py pixels FILE.png           the screenshot is not blank
  html_check.py table DOM.html CAPTION FILE.csv KEYS COLS
                                          the table with that caption holds the CSV's
                                          numbers (data-v), rows matched on KEYS
  html_check.py rows DOM.html CAPTION N   the table with that caption has N rows
  html_check.py display DOM.html N        the injected probe saw N maps, all shown
  html_check.py pdf FILE.pdf MIN_PAGES    a PDF of at least MIN_PAGES pages, page 2 not blank
"""
import csv
import json
import re
import sys
from html.parser import HTMLParser

from osgeo import gdal

gdal.UseExceptions()


def static(path):
    text = open(path, encoding="utf-8").read()
    bad = []
    for pat in (r"https?://", r"\burl\(", r"@import", r"<script[^>]*\bsrc=", r"<link\b", r"<img\b",
                r"<iframe\b", r"<object\b", r"<embed\b", r"\bsrc\s*=", r"\bhref\s*=\s*\"(?!#)"):
        for m in re.finditer(pat, text, re.I):
            bad.append("%s at %d: %s" % (pat, m.start(), text[max(0, m.start() - 30):m.start() + 50]))
    if '<meta charset="utf-8">' not in text:
        bad.append("no <meta charset=\"utf-8\">")
    for b in bad[:10]:
        print("FAIL: " + b)
    print("static: %d bytes, %d external references" % (len(text), len(bad)))
    return not bad


def netlog(path):
    text = open(path, encoding="utf-8").read()
    try:
        d = json.loads(text)
    except ValueError:  # a log cut short when the browser exits
        d = json.loads(text.rstrip().rstrip(",") + "]}")
    names = {v: k for k, v in d["constants"]["logEventTypes"].items()}
    page, own = [], 0
    for e in d["events"]:
        p = e.get("params", {})
        if names.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
            continue
        # the browser's own services have no origin; a document's requests do
        if p.get("initiator") == "not an origin":
            own += 1
        else:
            page.append(p["url"])
    for u in page:
        print("FAIL: the page requested " + u)
    print("netlog: %d requests by the page, %d by the browser itself" % (len(page), own))
    return not page


def pixels(path):
    ds = gdal.Open(path)
    w, h = ds.RasterXSize, ds.RasterYSize
    bands = [ds.GetRasterBand(b + 1).ReadRaster(0, 0, w, h) for b in range(min(3, ds.RasterCount))]
    colours, nonwhite, total = set(), 0, 0
    for i in range(0, w * h, 7):
        c = tuple(b[i] for b in bands)
        total += 1
        nonwhite += c != (255, 255, 255)
        colours.add(c)
    share = nonwhite / float(total)
    print("pixels: %dx%d, %.1f%% not white, %d colours" % (w, h, 100 * share, len(colours)))
    return share > 0.05 and len(colours) >= 8


class Tables(HTMLParser):
    """every table as (caption, header, rows of (text, data-v))"""

    def __init__(self):
        super().__init__()
        self.tables, self.cur, self.cell, self.where = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.cur = {"caption": "", "head": [], "rows": []}
            self.tables.append(self.cur)
        elif self.cur is not None and tag == "caption":
            self.where = "caption"
        elif self.cur is not None and tag == "tr":
            self.row = []
        elif self.cur is not None and tag in ("td", "th"):
            self.cell = ["", a.get("data-v"), tag]

    def handle_endtag(self, tag):
        if tag == "caption":
            self.where = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.cur is not None:
            if self.row and self.row[0][2] == "th":
                self.cur["head"] = [c[0] for c in self.row]
            elif self.row:
                self.cur["rows"].append([(c[0], c[1]) for c in self.row])
        elif tag == "table":
            self.cur = None

    def handle_data(self, data):
        if self.where == "caption" and self.cur is not None:
            self.cur["caption"] += data
        elif self.cell is not None:
            self.cell[0] += data


def table(dom, caption, csv_path, keys, cols):
    p = Tables()
    p.feed(open(dom, encoding="utf-8").read())
    found = [t for t in p.tables if t["caption"].startswith(caption)]
    if not found:
        print("FAIL: no table '%s' (tables: %s)" % (caption, [t["caption"] for t in p.tables]))
        return False
    t = found[0]
    keys, cols = keys.split(","), cols.split(",")
    # key and column names: CSV field=table header
    kpairs = [k.split("=") for k in keys]
    cpairs = [c.split("=") for c in cols]
    head = t["head"]
    html = {}
    for r in t["rows"]:
        html[tuple(r[head.index(h)][0].strip() for _, h in kpairs)] = r
    n, bad = 0, []
    for row in csv.DictReader(open(csv_path, encoding="utf-8")):
        k = tuple(row[f] for f, _ in kpairs)
        if k not in html:
            bad.append("row %s not in the table" % (k,))
            continue
        for f, h in cpairs:
            want = float(row[f]) if row[f] != "" else None
            v = html[k][head.index(h)][1]
            got = float(v) if v is not None else None
            n += 1
            if (want is None) != (got is None) or (want is not None and abs(want - got) > 1e-6 * (1 + abs(want))):
                bad.append("%s %s: table %s, layer %s" % (k, h, got, want))
    for b in bad[:10]:
        print("FAIL: " + b)
    print("table '%s': %d values compared, %d differ" % (caption, n, len(bad)))
    return n > 0 and not bad


def rows(dom, caption, n):
    p = Tables()
    p.feed(open(dom, encoding="utf-8").read())
    found = [t for t in p.tables if t["caption"].startswith(caption)]
    got = len(found[0]["rows"]) if found else -1
    print("rows of '%s': %d (want %d)" % (caption, got, n))
    return got == n


def display(dom, n):
    m = re.search(r'data-probe="([^"]*)"', open(dom, encoding="utf-8").read())
    shown = m.group(1).split(",") if m and m.group(1) else []
    print("display: %d maps: %s" % (len(shown), ",".join(sorted(set(shown)))))
    return len(shown) == n and all(s != "none" for s in shown)


def pdf(path, min_pages):
    head = open(path, "rb").read(5)
    info = gdal.Info(path, format="json")
    pages = len([k for k in info.get("metadata", {}).get("SUBDATASETS", {}) if k.endswith("_NAME")]) or 1
    print("pdf: %s, %d pages" % (head, pages))
    if head != b"%PDF-" or pages < min_pages:
        return False
    gdal.Translate("/vsimem/p2.png", "PDF:2:" + path, format="PNG", options=["-oo", "DPI=40"])
    ok = pixels("/vsimem/p2.png")
    gdal.Unlink("/vsimem/p2.png")
    return ok


cmd, args = sys.argv[1], sys.argv[2:]
ok = {"static": lambda: static(*args), "netlog": lambda: netlog(*args), "pixels": lambda: pixels(*args),
      "table": lambda: table(*args), "rows": lambda: rows(args[0], args[1], int(args[2])),
      "display": lambda: display(args[0], int(args[1])),
      "pdf": lambda: pdf(args[0], int(args[1]))}[cmd]()
sys.exit(0 if ok else 1)
