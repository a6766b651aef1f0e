"""Charts drawn on the server as SVG: horizontal bars, a tile map, trend lines.

A small module of our own rather than a library: three chart kinds, no JavaScript, no CDN, and
markup we control for accessibility. Every chart is an `<svg role="img">` titled by the
one-sentence summary of its table; the numbers are in the table next to it, so the chart adds
the picture and hides nothing. A withheld value is drawn as "–", never as a bar.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import count

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1a1a1a"
MUTED = "#595959"
BAR = "#1f5f8b"
GRID = "#d0d7de"
# Sequential blues for the tile map, light to dark; text is dark on the first three.
SHADES = ["#e8f1f8", "#c5dcef", "#8fbbe0", "#3f7fb8", "#1f4e79"]
SERIES = ["#1f5f8b", "#b35900", "#2e7d32", "#6a1b9a"]
_ids = count(1)


def _fmt(value: float | int | None, percent: bool = False) -> str:
    if value is None:
        return "–"
    if percent:
        return f"{number_format(round(float(value)), 0)} %"
    if float(value).is_integer():
        return number_format(int(value), 0, use_l10n=True, force_grouping=True)
    return number_format(value, 1, use_l10n=True, force_grouping=True)


def _open(width: int, height: int, title: str) -> tuple[str, str]:
    chart_id = f"chart-{next(_ids)}"
    return chart_id, (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
    )


def bar_chart(items: Sequence[tuple[str, float | int | None]], *, title: str,
              percent: bool = False, highlight: str = "") -> SafeString:
    """Horizontal bars, one per (label, value), in the given order."""
    if not items:
        return mark_safe("")
    # Narrow on purpose: the chart scales down to a phone's width and its text with it.
    row, label_w, width = 30, 200, 440
    height = row * len(items) + 10
    top = max([v for _label, v in items if v is not None] + [1])
    _chart_id, svg = _open(width, height, title)
    parts = [svg]
    bar_space = width - label_w - 70
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        short = label if len(label) <= 26 else label[:25] + "…"
        weight = ' font-weight="bold"' if highlight and label == highlight else ""
        parts.append(f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" font-size="13" '
                     f'fill="{INK}"{weight}>{escape(short)}</text>')
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 19}" font-size="13" '
                         f'fill="{MUTED}">–</text>')
            continue
        w = max(1.0, bar_space * float(value) / top) if value else 0
        parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row - 10}" '
                     f'fill="{BAR}" rx="2"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 19}" font-size="13" '
                     f'fill="{INK}">{escape(_fmt(value, percent))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def tile_positions(municipalities: Sequence[dict]) -> dict[str, tuple[int, int]]:
    """A grid cell for each municipality from its centroid: west→east, north→south, moving
    to the nearest free cell on a collision. Region is data, so the layout is computed."""
    if not municipalities:
        return {}
    n = len(municipalities)
    cols = max(2, round(n ** 0.5) + 1)
    rows = max(2, -(-n // cols) + 1)
    lats = [m["latitude"] for m in municipalities]
    lons = [m["longitude"] for m in municipalities]
    lat_span = (max(lats) - min(lats)) or 1
    lon_span = (max(lons) - min(lons)) or 1
    taken: dict[tuple[int, int], str] = {}
    out = {}
    order = sorted(municipalities, key=lambda m: (-m["latitude"], m["longitude"]))
    for m in order:
        want_c = (m["longitude"] - min(lons)) / lon_span * (cols - 1)
        want_r = (max(lats) - m["latitude"]) / lat_span * (rows - 1)
        free = [(c, r) for c in range(cols) for r in range(rows) if (c, r) not in taken]
        c, r = min(free, key=lambda cr: (cr[0] - want_c) ** 2 + (cr[1] - want_r) ** 2)
        taken[(c, r)] = m["code"]
        out[m["code"]] = (c, r)
    return out


def tile_map(tiles: Sequence[tuple[str, str, float | int | None]], positions: dict, *,
             title: str, percent: bool = False, selected: str = "") -> SafeString:
    """One square per municipality (code, name, value), shaded by value, placed roughly where
    the municipality lies."""
    if not tiles or not positions:
        return mark_safe("")
    size, gap = 118, 6
    cols = max(c for c, _r in positions.values()) + 1
    rows = max(r for _c, r in positions.values()) + 1
    width, height = cols * (size + gap), rows * (size + gap)
    values = [v for _c, _n, v in tiles if v is not None]
    top = max(values + [1])
    _chart_id, svg = _open(width, height, title)
    parts = [svg]
    for code, name, value in tiles:
        if code not in positions:
            continue
        c, r = positions[code]
        x, y = c * (size + gap), r * (size + gap)
        shade = 0 if value is None else min(4, int(4 * float(value) / top + 0.5))
        fill = "#f2f2f2" if value is None else SHADES[shade]
        ink = INK if value is None or shade < 3 else "#ffffff"
        stroke = f' stroke="{INK}" stroke-width="3"' if code == selected else ""
        parts.append(f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="6" '
                     f'fill="{fill}"{stroke}/>')
        parts.append(f'<text x="{x + size / 2}" y="{y + 46}" text-anchor="middle" '
                     f'font-size="14" fill="{ink}">{escape(name)}</text>')
        parts.append(f'<text x="{x + size / 2}" y="{y + 80}" text-anchor="middle" '
                     f'font-size="24" font-weight="bold" fill="{ink}">'
                     f'{escape(_fmt(value, percent))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _round_up(value: float) -> float:
    """The axis top: the value rounded up to 1, 2, 4, 5 or 8 × a power of ten, so the grid
    lines (0, half, top) read as round numbers."""
    magnitude = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    return next(m * magnitude for m in (1, 2, 4, 5, 8, 10) if value <= m * magnitude + 1e-9)


def line_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
               title: str, percent: bool = False) -> SafeString:
    """Trend lines across rounds (x: the rounds in order); gaps where a value is withheld."""
    if not labels or not series:
        return mark_safe("")
    width, height, left, right, top_pad, bottom = 460, 240, 48, 24, 20, 64
    values = [v for _name, vs in series for v in vs if v is not None]
    top = _round_up(max(values + [1]))
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(1, len(labels) - 1)
    _chart_id, svg = _open(width, height, title)
    parts = [svg]
    for frac in (0, 0.5, 1):
        y = top_pad + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                     f'fill="{MUTED}">{escape(_fmt(top * frac, percent))}</text>')
    for i, label in enumerate(labels):
        x = left + (i * step if len(labels) > 1 else plot_w / 2)
        parts.append(f'<text x="{x:.1f}" y="{height - bottom + 20}" text-anchor="middle" '
                     f'font-size="12" fill="{INK}">{escape(label)}</text>')
    for s, (name, vs) in enumerate(series):
        colour = SERIES[s % len(SERIES)]
        points = []
        for i, v in enumerate(vs):
            x = left + (i * step if len(labels) > 1 else plot_w / 2)
            if v is None:
                points.append(None)
                continue
            points.append((x, top_pad + plot_h * (1 - float(v) / top), v))
        path, pen_up = [], True
        for p in points:
            if p is None:
                pen_up = True
                continue
            path.append(f'{"M" if pen_up else "L"}{p[0]:.1f},{p[1]:.1f}')
            pen_up = False
        if path:
            parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" '
                         f'stroke-width="3"/>')
        for p in points:
            if p is not None:
                parts.append(f'<circle cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="4.5" fill="{colour}"/>')
                parts.append(f'<text x="{p[0]:.1f}" y="{p[1] - 9:.1f}" text-anchor="middle" '
                             f'font-size="12" fill="{INK}">{escape(_fmt(p[2], percent))}</text>')
        ly = height - 18
        lx = left + s * 150
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="14" height="4" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 20}" y="{ly - 4}" font-size="12" fill="{INK}">'
                     f'{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
