#!/usr/bin/python3
"""The real-data benchmark instance class of the solver issue: few demand
points, many candidates, a tight gap.

Writes demand.csv, candidates.csv and existing.csv into OUTDIR from the WRI
power plants in ../shared/data (read in place, never copied into the
project): the 434 plants in 25-35.2 N, 114.5-122.5 E (Shanghai, Jiangsu,
Zhejiang, Anhui and parts of Jiangxi and Fujian) are the energy-sector
demand, weighted by capacity (MW, 1 where unknown), appearing in 2026..2030;
around each plant 3 or 4 candidate rooftops at 150..1,500 m (1,531 in
all), capex 0.6..1.6 M CNY; 40 plants have an existing 5G site at 400..900 m.
Everything is derived from the plant's id by CRC-32, so the files are the
same on every machine. Usage: realdata.py SHARED_DATA OUTDIR"""
import csv
import math
import os
import sys
import zlib


def h(key, k):
    return zlib.crc32(("%s/%d" % (key, k)).encode()) / 2**32


def num(v):
    try:
        return float(v)
    except ValueError:
        return None


def offset(lon, lat, dist_m, bearing):
    dlat = dist_m * math.cos(bearing) / 111320.0
    dlon = dist_m * math.sin(bearing) / (111320.0 * math.cos(math.radians(lat)))
    return lon + dlon, lat + dlat


def main(shared, out):
    src = os.path.join(shared, "cn-power-plants-wri", "China_WRI_power_plants.csv")
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    plants = []
    for r in rows:
        lat, lon = num(r["Latitude"]), num(r["Longitude"])
        if lat is not None and lon is not None and 25 < lat < 35.2 and 114.5 < lon < 122.5:
            plants.append(r)
    plants.sort(key=lambda r: r["Power Plant ID"])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "demand.csv"), "w", newline="", encoding="utf-8") as fd, \
         open(os.path.join(out, "candidates.csv"), "w", newline="", encoding="utf-8") as fc, \
         open(os.path.join(out, "existing.csv"), "w", newline="", encoding="utf-8") as fe:
        d, c, e = csv.writer(fd), csv.writer(fc), csv.writer(fe)
        d.writerow(["id", "name", "lon", "lat", "weight", "year"])
        c.writerow(["site_id", "lon", "lat", "capex"])
        e.writerow(["site_id", "lon", "lat"])
        n_exist, seen = 0, {}
        for i, r in enumerate(plants):
            pid = r["Power Plant ID"]  # not unique in the WRI file: a second row gets "-2"
            seen[pid] = seen.get(pid, 0) + 1
            if seen[pid] > 1:
                pid = "%s-%d" % (pid, seen[pid])
            lon, lat = num(r["Longitude"]), num(r["Latitude"])
            mw = num(r["Capacity (MW)"]) or 1.0
            year = 2026 + min(4, int(h(pid, 0) * 8))  # half in 2026, the rest later
            d.writerow([pid, r["Name"], "%.6f" % lon, "%.6f" % lat, "%.1f" % mw, year])
            for k in range(3 + (h(pid, 1) < 0.5)):
                x, y = offset(lon, lat, 150 + 1350 * h(pid, 10 + k), 2 * math.pi * h(pid, 20 + k))
                c.writerow(["%s-c%d" % (pid, k), "%.6f" % x, "%.6f" % y,
                            "%.0f" % (600000 + 1000000 * h(pid, 30 + k))])
            if i % 10 == 5 and n_exist < 40:
                x, y = offset(lon, lat, 400 + 500 * h(pid, 40), 2 * math.pi * h(pid, 41))
                e.writerow(["%s-e" % pid, "%.6f" % x, "%.6f" % y])
                n_exist += 1
    print("realdata: %d demand points, written to %s" % (len(plants), out))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: realdata.py SHARED_DATA OUTDIR")
    main(sys.argv[1], sys.argv[2])
