#!/usr/bin/env python3
"""Draws the gateways benchmark (results.tsv from tests/bench/gateways-bench.sh) as an SVG: requests per second and
gateway CPU milliseconds per request, one bar per gateway, grouped by mode, on log scales. Standard library only.

Usage: tests/bench/chart.py results.tsv out.svg [title]
"""
import csv
import math
import sys
from html import escape

COLORS = {"vestibule": "#2b6cb0", "hive-gateway": "#d69e2e", "apollo-gateway": "#805ad5"}
FALLBACK = ["#38a169", "#e53e3e", "#718096"]


def load(path):
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def panel(rows, metric, label, x0, y0, width, height, colors):
    """One bar chart: groups by mode, a bar per gateway, values written above the bars."""
    modes = list(dict.fromkeys(r["mode"] for r in rows))
    gateways = list(dict.fromkeys(r["gateway"] for r in rows))
    values = [number(r[metric]) for r in rows if number(r[metric]) is not None]
    # a log scale: the gateways differ by up to two orders of magnitude, and the small bars matter most
    top = math.log10(1 + max(values)) * 1.1 if values else 1
    parts = [f'<text x="{x0}" y="{y0 - 12}" font-size="14" font-weight="bold">{escape(label)}</text>',
             f'<line x1="{x0}" y1="{y0 + height}" x2="{x0 + width}" y2="{y0 + height}" stroke="#333"/>']
    group_width = width / max(1, len(modes))
    bar = group_width * 0.8 / max(1, len(gateways))
    for m, mode in enumerate(modes):
        gx = x0 + m * group_width + group_width * 0.1
        parts.append(f'<text x="{gx + group_width * 0.4:.1f}" y="{y0 + height + 18}" font-size="12" '
                     f'text-anchor="middle">{escape(mode)}</text>')
        for g, gateway in enumerate(gateways):
            row = next((r for r in rows if r["mode"] == mode and r["gateway"] == gateway), None)
            value = number(row[metric]) if row else None
            if value is None:
                continue
            h = height * math.log10(1 + value) / top
            x = gx + g * bar
            parts.append(f'<rect x="{x:.1f}" y="{y0 + height - h:.1f}" width="{bar * 0.9:.1f}" height="{h:.1f}" '
                         f'fill="{colors[gateway]}"/>')
            parts.append(f'<text x="{x + bar * 0.45:.1f}" y="{y0 + height - h - 4:.1f}" font-size="11" '
                         f'text-anchor="middle">{value:g}</text>')
    return parts


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows = load(sys.argv[1])
    title = sys.argv[3] if len(sys.argv) > 3 else "Federation gateways benchmark, gateway pinned to one core"
    gateways = list(dict.fromkeys(r["gateway"] for r in rows))
    spare = iter(FALLBACK)
    colors = {g: COLORS.get(g) or next(spare, "#999") for g in gateways}
    width, height = 900, 420
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="20" y="28" font-size="16" font-weight="bold">{escape(title)}</text>']
    parts += panel(rows, "rps", "Requests per second (higher is better; log scale)", 30, 80, 390, 260, colors)
    parts += panel(rows, "cpu_ms_per_req", "Gateway CPU ms per request (lower is better; log scale)", 480, 80, 390, 260, colors)
    for i, gateway in enumerate(gateways):
        x = 30 + i * 180
        parts.append(f'<rect x="{x}" y="{height - 30}" width="12" height="12" fill="{colors[gateway]}"/>')
        parts.append(f'<text x="{x + 18}" y="{height - 20}" font-size="12">{escape(gateway)}</text>')
    parts.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
