"""Small inline SVG charts for the HTML reports (no scripts, no external resources)."""

from __future__ import annotations

from html import escape

BAND_COLOURS = ["#b42318", "#d9480f", "#e8a317", "#9bbf3b", "#3c9d5d", "#1e7a45"]


def score_bar(value: float | None, colour: str, width: int = 230) -> str:
    """A 0–100 bar with the value written beside it."""
    if value is None:
        return '<span class="hint">—</span>'
    filled = max(0.0, min(100.0, value)) / 100 * width
    return (
        f'<svg width="{width + 48}" height="16" role="img" aria-label="{value:.1f}">'
        f'<rect x="0" y="3" width="{width}" height="10" rx="3" fill="#e4e9ef"/>'
        f'<rect x="0" y="3" width="{filled:.1f}" height="10" rx="3" fill="{colour}"/>'
        f'<text x="{width + 6}" y="13" font-size="12" fill="#1f2933">{value:.1f}</text></svg>'
    )


def band_scale(value: float | None, bands: list[tuple[float, str]], width: int = 230) -> str:
    """jReadability on its six bands (0.5–6.5, higher is easier) with a marker at ``value``."""
    if value is None:
        return '<span class="hint">—</span>'
    low, high = 0.5, 6.5
    step = width / 6
    parts = [f'<svg width="{width + 10}" height="34" role="img" aria-label="jReadability {value:.2f}">']
    ordered = sorted(bands)[-6:]
    for i, (_, name) in enumerate(ordered):
        parts.append(
            f'<rect x="{i * step:.1f}" y="4" width="{step - 1:.1f}" height="9" fill="{BAND_COLOURS[i]}" '
            f'opacity="0.55"><title>{escape(name)}</title></rect>'
        )
    x = (min(high, max(low, value)) - low) / (high - low) * width
    parts.append(f'<path d="M{x:.1f} 1 l5 -0 l-5 15 l-5 -15 z" fill="#1f2933"/>')
    parts.append(f'<text x="0" y="30" font-size="10.5" fill="#616e7c">{escape(ordered[0][1])}</text>')
    parts.append(
        f'<text x="{width}" y="30" font-size="10.5" fill="#616e7c" text-anchor="end">'
        f"{escape(ordered[-1][1])}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def contribution_bars(items: list[tuple[str, float]], width: int = 400) -> str:
    """Horizontal bars for signed contributions (positive red, negative green)."""
    if not items:
        return '<span class="hint">寄与なし</span>'
    biggest = max(abs(v) for _, v in items) or 1.0
    label_w, bar_w, row = 190, width - 190 - 44, 18
    parts = [f'<svg width="{width}" height="{row * len(items) + 4}" role="img" aria-label="寄与の内訳">']
    for i, (label, value) in enumerate(items):
        y = i * row + 2
        length = abs(value) / biggest * bar_w
        colour = "#c0392b" if value > 0 else "#2e8b57"
        short = label if len(label) <= 14 else label[:13] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 12}" font-size="11.5" text-anchor="end" fill="#3e4c59">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{max(length, 1):.1f}" height="11" rx="2" fill="{colour}"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 12}" font-size="11" fill="#3e4c59">{value:+.1f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def heat_colour(value: float, maximum: float) -> str:
    """Background of a heat-map cell: white to deep red."""
    if maximum <= 0 or value <= 0:
        return "#ffffff"
    share = min(1.0, value / maximum)
    red, green, blue = 255, int(245 - 170 * share), int(240 - 185 * share)
    return f"#{red:02x}{green:02x}{blue:02x}"
