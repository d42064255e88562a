"""The heat map of a matrix: codes down the side, grouped by category, municipalities across the top.

One panel per category (the headings of :meth:`coding.matrix.Matrix.categories`), codes in codebook
order within it, full labels (long ones wrapped onto two lines), zero cells pale grey, the colour
legend above the chart. Axis, legend and tooltip titles are Swedish for ``language="sv"`` and English
otherwise, and Swedish numbers have a decimal comma (Vega's number locale). PNG and SVG files are drawn
offline (:func:`coding.exports.save_chart`).

>>> from coding.matrix import build_matrix
>>> spec = heatmap(build_matrix(store, "kommun", "count", under=["impl"])).to_dict()
>>> spec["facet"]["row"]["field"], spec["spec"]["encoding"]["x"]["title"]
('category', 'Kommun')
>>> [t["title"] for t in spec["spec"]["encoding"]["tooltip"]]
['Kommun', 'Kod', 'Kategori', 'Antal segment']
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from .matrix_layout import measure_name, row_title, word
from .textclean import remove_controls

if TYPE_CHECKING:
    from .matrix import Matrix

#: a label longer than this many characters is wrapped; the second line ends in "…" if still too long
WRAP_CHARS = 60
#: Vega's number format for Swedish: decimal comma, thin spaces in thousands, "25 %"
SWEDISH_NUMBERS = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"],
                   "percent": "\u00a0%"}
ZERO_COLOUR = "#f1f1f1"
STEP_X, STEP_Y, STEP_Y_WRAPPED = 34, 22, 30


def wrap_label(label: str, width: int = WRAP_CHARS) -> str:
    """A label on at most two lines (joined by a newline; the axis splits them).

    >>> wrap_label("Kort"), wrap_label("ett " * 40, 20).split("\\n")
    ('Kort', ['ett ett ett ett ett', 'ett ett ett ett ett…'])
    """
    lines = textwrap.wrap(label, width) or [label]
    if len(lines) > 2:
        lines = [lines[0], lines[1].rstrip(" .,;:") + "…"]
    return "\n".join(lines)


def heatmap(matrix: Matrix, *, language: str = "sv", title: str | None = None):
    """An Altair heat map of ``matrix`` (see the module doc); ``title`` goes above it."""
    import altair as alt

    rows = matrix.rows
    labels = {cid: remove_controls(text) for cid, text in matrix.labels(language).items()}
    shown: dict[str, str] = {}  # code id -> the (wrapped) label on the axis, unique
    for cid, label in labels.items():
        wrapped = wrap_label(label)
        shown[cid] = wrapped if wrapped not in shown.values() else f"{wrapped} [{cid}]"
    groups = matrix.categories(language)
    category = {cid: remove_controls(name) for name, columns in groups for cid in columns}
    long = matrix.table.reset_index().melt(id_vars=rows, var_name="code", value_name="value")
    long[rows] = long[rows].astype(str).map(remove_controls)
    long["label"] = long["code"].map(labels)
    long["axis_label"] = long["code"].map(shown)
    long["category"] = long["code"].map(category)
    share = matrix.measure == "share"
    value_title = measure_name(matrix.measure, language, kind="title")
    row_name = row_title(rows, language)
    faceted = any(category.values())
    tooltip = [alt.Tooltip(field=rows, type="nominal", title=row_name),
               alt.Tooltip(field="label", type="nominal", title=word("code", language))]
    if faceted:
        tooltip.append(alt.Tooltip(field="category", type="nominal", title=word("category", language)))
    tooltip.append(alt.Tooltip(field="value", type="quantitative", title=value_title,
                               format=".0%" if share else "d"))
    legend = alt.Legend(orient="top", direction="horizontal", gradientLength=220, titleLimit=0,
                        format=".0%" if share else "d", tickCount=4)
    scale = alt.Scale(scheme="blues", domainMin=0)
    if share or matrix.measure == "presence":  # 0 to 1: the legend shows its ends (and quarters of a share)
        legend.values = [0, 0.25, 0.5, 0.75, 1] if share else [0, 1]
        scale = alt.Scale(scheme="blues", domain=[0, 1])
    wrapped = any("\n" in s for s in shown.values())
    chart = alt.Chart(long).mark_rect(stroke="white", strokeWidth=1).encode(
        x=alt.X(field=rows, type="nominal", sort=[remove_controls(str(r)) for r in matrix.table.index],
                title=row_name, axis=alt.Axis(orient="top", labelAngle=-40, labelAlign="left", labelLimit=200)),
        y=alt.Y(field="axis_label", type="nominal", sort=[shown[c.id] for c in matrix.columns], title=None,
                axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=0, labelFontSize=11)),
        color=alt.condition("datum.value == 0", alt.value(ZERO_COLOUR),
                            alt.Color(field="value", type="quantitative", title=value_title, legend=legend,
                                      scale=scale)),
        tooltip=tooltip,
    ).properties(width=alt.Step(STEP_X), height=alt.Step(STEP_Y_WRAPPED if wrapped else STEP_Y))
    if faceted:
        header = alt.Header(labelOrient="top", labelAngle=0, labelAnchor="start", labelAlign="left",
                            labelFontWeight="bold", labelFontSize=13, labelLimit=0, labelPadding=10)
        chart = (chart.facet(row=alt.Row(field="category", type="nominal", title=None, header=header,
                                         sort=[remove_controls(name) for name, _ in groups]), spacing=24)
                 .resolve_scale(y="independent").resolve_axis(x="independent"))
    if title:
        chart = chart.properties(title=remove_controls(title))
    if language == "sv":
        chart = chart.configure(locale=alt.Locale(number=SWEDISH_NUMBERS))
    return chart.configure_view(stroke=None)
