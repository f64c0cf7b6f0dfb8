"""Charts for pages where people would rather look than read: server-rendered SVG from pygal, with Persian digits,
the Vazirmatn font and labels in reading order (right to left). The SVG is an image to the accessibility tree
(role="img" with the title as its name): a page shows the same numbers in a table beside it."""

import hashlib
import math
import re

from markupsafe import Markup

from shared.persian import to_persian_digits

# Okabe and Ito's palette: told apart by people with any common colour blindness, and dark enough on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
# Named colours for charts of states, so "overdue" is red on every page.
STATE_COLOURS = {"acknowledged": "#198754", "implemented": "#0072B2", "pending": "#E69F00", "overdue": "#B02A37",
                 "scored": "#198754", "draft": "#E69F00", "remaining": "#ADB5BD", "conflict": "#6F42C1"}
STYLE = dict(background="transparent", plot_background="transparent", foreground="#212529",
             foreground_strong="#212529", foreground_subtle="#6C757D", font_family="Vazirmatn, Tahoma, sans-serif",
             title_font_size=15, label_font_size=13, major_label_font_size=13, legend_font_size=13,
             value_font_size=12, opacity="1", opacity_hover="1", transition="none")
# pygal's tooltips need its JavaScript (not loaded): their hidden coordinates and values would only be noise.
# pygal also writes an inline <script> with its config even when no JavaScript is loaded: pages allow no inline script.
TOOLTIP_PARTS = re.compile(r"<desc\b[^>]*>.*?</desc>|<!--.*?-->|<script\b[^>]*>.*?</script>", re.S)
INNER_TITLE = re.compile(r"(?<!</defs>)<title>[^<]*</title>")
BAR_HEIGHT, CHROME_HEIGHT = 26, 120


def number_fa(value: float | None) -> str:
    """A chart's number as people read it: Persian digits, no needless decimals."""
    if value is None:
        return ""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return to_persian_digits(text).replace(".", "٫")


def _strip_tooltips(svg: str) -> str:
    """The SVG without tooltip data, pygal's script and inner titles (the chart's own, after <defs>, stays)."""
    return INNER_TITLE.sub("", TOOLTIP_PARTS.sub("", svg))


def _stable_id(title: str, labels: list[str], series: dict[str, list[float]]) -> str:
    """The same chart gets the same element id (pygal draws a random one), so pages render identically."""
    digest = hashlib.sha256(repr((title, labels, sorted(series.items()))).encode()).hexdigest()[:12]
    return f"chart-{digest}"


def _whole_ticks(series: dict[str, list[float]], stacked: bool) -> list[int] | None:
    """Whole-number ticks for counts (pygal would mark 0.2, 0.4 … on an axis of one or two works); None when a value
    has a fraction."""
    values = [v or 0 for vs in series.values() for v in vs]
    if not values or any(float(v) != int(v) for v in values):
        return None
    top = max(sum(column) for column in zip(*series.values(), strict=True)) if stacked else max(values)
    step = max(1, math.ceil(top / 6))
    return list(range(0, int(top) + step, step))


def bar_chart(title: str, labels: list[str], series: dict[str, list[float]], *, horizontal: bool = False,
              stacked: bool = False, colours: list[str] | None = None) -> Markup:
    """Bars per label (one colour per series, stacked or side by side) as inline SVG, in right-to-left reading order:
    the first label is at the top (horizontal) or at the right (vertical). `colours` may name STATE_COLOURS keys."""
    # Imported on first use: a service process that never draws a chart keeps its 2 MB (idle memory, issue #15).
    import pygal
    from pygal.style import Style

    kind = {(False, False): pygal.Bar, (False, True): pygal.StackedBar,
            (True, False): pygal.HorizontalBar, (True, True): pygal.HorizontalStackedBar}[(horizontal, stacked)]
    chosen = [STATE_COLOURS.get(colour, colour) for colour in colours] if colours else list(PALETTE)
    height = max(len(labels), 1) * BAR_HEIGHT * (1 if stacked else max(len(series), 1)) + CHROME_HEIGHT \
        if horizontal else 300
    chart = kind(style=Style(colors=tuple(chosen), **STYLE), js=[], disable_xml_declaration=True,
                 explicit_size=False, width=480, height=height, show_minor_y_labels=horizontal,
                 legend_at_bottom=True, legend_at_bottom_columns=4,
                 value_formatter=number_fa, truncate_label=-1, truncate_legend=-1)
    chart.title = title
    if ticks := _whole_ticks(series, stacked):
        chart.y_labels = ticks
    # pygal draws the first label at the bottom (horizontal) or the left (vertical); people read from the top right.
    chart.x_labels = list(reversed(labels))
    for name, values in series.items():
        chart.add(name, list(reversed(values)))
    svg = _strip_tooltips(chart.render(is_unicode=True))
    chart_id = _stable_id(title, labels, series)
    svg = re.sub(r"chart-[0-9a-f-]{36}", chart_id, svg)
    # pygal places text by its anchor in a left-to-right frame; inside an RTL page "end" would flip to the left edge.
    # Each label's own Persian still reads right to left (the bidi algorithm works within each text).
    svg = svg.replace('class="pygal-chart"', f'class="pygal-chart hami-chart" role="img" '
                      f'aria-label="{Markup.escape(title)}" direction="ltr" style="direction: ltr"', 1)
    return Markup(svg)
