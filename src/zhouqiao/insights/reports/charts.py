"""Charts for the PDF, drawn on the server as SVG (no JavaScript in a PDF): a column chart of a
series and a bar chart of regions. Labels are escaped; every number is computed here."""

from decimal import Decimal
from html import escape

FONT = "Noto Sans CJK SC, Noto Serif CJK SC, sans-serif"


def _ticks(top: Decimal) -> list[Decimal]:
    if top <= 0:
        return [Decimal(0)]
    step = top / 4
    return [step * i for i in range(5)]


def _short(value: Decimal) -> str:
    value = Decimal(value)
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def columns(points: list[tuple[str, Decimal]], *, unit: str, title: str, width=640, height=260) -> str:
    """A column chart: one column per (label, value), values in ``unit``."""
    left, right, top, bottom = 70, 10, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((Decimal(v) for _, v in points), default=Decimal(0))
    ceiling = peak * Decimal("1.1") if peak > 0 else Decimal(1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="11">',
        f'<text x="{left}" y="16" font-size="13">{escape(title)}（{escape(unit)}）</text>',
    ]
    for tick in _ticks(ceiling):
        y = top + plot_h - float(tick / ceiling) * plot_h
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{_short(tick)}</text>'
        )
    slot = plot_w / max(len(points), 1)
    bar = slot * 0.6
    for i, (label, value) in enumerate(points):
        h = float(Decimal(value) / ceiling) * plot_h
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#1f5fa8"/>')
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{_short(value)}</text>'
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16:.1f}" text-anchor="middle">{escape(str(label))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bars(points: list[tuple[str, Decimal]], *, unit: str, title: str, width=640) -> str:
    """A horizontal bar chart (regions), largest first as given."""
    row, left, right, top = 22, 130, 80, 28
    height = top + row * max(len(points), 1) + 10
    plot_w = width - left - right
    peak = max((Decimal(v) for _, v in points), default=Decimal(0)) or Decimal(1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="11">',
        f'<text x="0" y="16" font-size="13">{escape(title)}（{escape(unit)}）</text>',
    ]
    for i, (label, value) in enumerate(points):
        y = top + i * row
        w = float(Decimal(value) / peak) * plot_w
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{escape(str(label))}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="#2e8b57"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 14}">{_short(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)
