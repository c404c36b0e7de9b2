"""Board-paper charts of a sensitivity analysis (matplotlib, imported only when used).

:func:`build_chart` draws one of :data:`CHARTS` from a
:class:`~appraise.analysis.sensitivity.SensitivityResult` and returns a :class:`Chart`: the
figure, a title for the caption and alt text for HTML and Word. :func:`render_chart` turns it
into PNG or SVG bytes, the same bytes for the same input.

Why:
    The charts go into board papers that are printed, photocopied and read on screen
    readers. So colours are the Okabe–Ito palette and every series also differs by
    hatch, marker or line style (readable in greyscale); the figure is sized for A4
    width; every chart has alt text with its key numbers. Names come from users, so
    mathtext is off and long names are wrapped or cut.
"""

from __future__ import annotations

import contextlib
import io
import math
import textwrap
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from appraise.analysis.missing import provisional
from appraise.analysis.score import ScoreResult, value_for_money
from appraise.analysis.sensitivity import SensitivityResult, WeightSwitch
from appraise.engine.switching import weight_lines
from appraise.errors import MissingExtra, RequestError
from appraise.paper import wording
from appraise.paper.model import Figure as FigureBlock
from appraise.paper.numbers import (
    COST,
    DERIVED_WEIGHT,
    POINTS,
    PROBABILITY,
    SCALE,
    WEIGHT,
    format_number,
)
from appraise.text import UNSAFE, shown

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "CHARTS",
    "Chart",
    "ChartUnavailable",
    "build_chart",
    "difference_profile",
    "figure",
    "render_chart",
]

CHARTS: tuple[str, ...] = (
    "contributions",
    "oneway",
    "tornado",
    "acceptability",
    "frontier",
    "difference",
)
"""The charts :func:`build_chart` draws, in the order a paper shows them."""

OKABE_ITO = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#F0E442",
)
"""Okabe–Ito colours, reordered so the pale yellow comes last (lines on white)."""

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<")
LINESTYLES: tuple[str | tuple[int, tuple[int, ...]], ...] = (
    "-",
    "--",
    "-.",
    ":",
    (0, (6, 2, 1, 2, 1, 2)),
    (0, (8, 2)),
    (0, (1, 3)),
    (0, (4, 1, 1, 1)),
)
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
WIDTH = 6.7
"""Figure width in inches: A4 text width with 2 cm margins."""
DPI = 200


@dataclass(frozen=True)
class Chart:
    """One chart, ready to render.

    Attributes:
        key: which chart (one of :data:`CHARTS`).
        title: the chart's title, for a caption.
        alt: one to three plain sentences saying what the chart shows, with its key
            numbers, for alt text.
        figure: the matplotlib figure (not managed by pyplot; Agg canvas).
    """

    key: str
    title: str
    alt: str
    figure: Figure


class ChartUnavailable(RequestError):
    """This chart cannot be drawn from this analysis; ``str(e)`` says why in one line."""


def build_chart(sens: SensitivityResult, key: str, *, criterion: str | None = None) -> Chart:
    """Draw one chart of a sensitivity analysis.

    Args:
        sens: the analysis (:func:`appraise.analysis.sensitivity.analyse`).
        key: one of :data:`CHARTS`.
        criterion: for ``oneway``, the id of the criterion (or group) whose weight
            varies; ``None`` picks the one whose leader change is nearest its weight now.
            Other charts ignore it.

    Raises:
        ChartUnavailable: the analysis lacks what the chart needs.
        RequestError: ``key`` is not one of :data:`CHARTS`.
    """
    if key not in CHARTS:
        raise RequestError(f"no chart {key!r}", hint=f"choose from {', '.join(CHARTS)}")
    with _context():
        if key == "contributions":
            title, alt, fig = _contributions(sens)
        elif key == "oneway":
            title, alt, fig = _oneway(sens, criterion)
        elif key == "tornado":
            title, alt, fig = _tornado(sens)
        elif key == "acceptability":
            title, alt, fig = _acceptability(sens)
        elif key == "frontier":
            title, alt, fig = _frontier(sens)
        else:
            title, alt, fig = _difference(sens)
        _finish(fig, title, sens.problem.illustrative, provisional(sens.problem))
        _fit_legends(fig)
        fig.set_layout_engine("none")
    return Chart(key, title, alt, fig)


def _show_text_safely(fig: Any) -> None:
    """Every label, tick, legend entry and note as the reader should see it: control,
    bidi and zero-width characters from names shown as escapes (one place for every
    chart; a raw ESC made the SVG ill-formed XML)."""
    from matplotlib.text import Text

    for artist in fig.findobj(Text):
        label = artist.get_text()
        if UNSAFE.search(label):
            artist.set_text(shown(label, multiline=True))


def render_chart(chart: Chart, fmt: str) -> bytes:
    """The chart as ``png`` (200 dpi) or ``svg`` bytes, identical for identical input.

    Raises:
        RequestError: an unknown format.
    """
    buf = io.BytesIO()
    _show_text_safely(chart.figure)
    with _context():
        if fmt == "png":
            chart.figure.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
        elif fmt == "svg":
            chart.figure.savefig(buf, format="svg", metadata={"Date": None})
        else:
            raise RequestError(f"no chart format {fmt!r}", hint="choose png or svg")
    return buf.getvalue()


@contextlib.contextmanager
def _context() -> Iterator[None]:
    """Our rcParams (mathtext off, fixed SVG salt) and no missing-glyph warnings.

    Why:
        Names may hold emoji or scripts the font lacks; a missing glyph is drawn as a
        box, which is better than failing a board paper over it.
    """
    try:
        import matplotlib as mpl
    except ImportError:
        raise MissingExtra(
            "charts need matplotlib",
            hint="pip install 'appraise[charts]' (or leave them out: appraise report --no-charts)",
        ) from None

    with (
        warnings.catch_warnings(),
        mpl.rc_context(
            {
                "text.parse_math": False,
                "text.usetex": False,
                "svg.hashsalt": "appraise",
                "svg.fonttype": "path",
                "font.family": "DejaVu Sans",
                "font.size": 9,
                "axes.titlesize": 10,
                "axes.labelsize": 9,
                "xtick.labelsize": 8.5,
                "ytick.labelsize": 8.5,
                "legend.fontsize": 8.5,
                "legend.title_fontsize": 8.5,
                "axes.spines.top": False,
                "axes.spines.right": False,
                "hatch.linewidth": 0.8,
                "figure.facecolor": "white",
                "savefig.facecolor": "white",
            }
        ),
    ):
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
        warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support")
        yield


def _figure(height: float) -> Figure:
    """A figure at A4 width with an Agg canvas, outside pyplot."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")  # laid out as rendered
    FigureCanvasAgg(fig)
    return fig


def _finish(fig: Figure, title: str, illustrative: bool, provisional: str = "") -> None:
    """Title at top left; the ILLUSTRATIVE and PROVISIONAL marks at top right, in the
    title's band.

    The layout is solved once here (and then fixed) by the caller, so that every render
    of the figure, PNG or SVG, has the same positions.
    """
    fig.suptitle(
        _wrap(title, 50 if illustrative or provisional else 80, 2),
        x=0.01,
        ha="left",
        fontsize=10,
        fontweight="bold",
    )
    top = 0.995
    if illustrative:
        banner = _wrap(wording.BANNER, 40, 2)
        fig.text(
            0.995,
            top,
            banner,
            ha="right",
            va="top",
            fontsize=6.5,
            color="#555555",
        )
        top -= (banner.count("\n") + 1) * 6.5 * 1.25 / 72 / fig.get_figheight()
    if provisional:
        fig.text(
            0.995,
            top,
            _wrap(provisional, 40, 2),
            ha="right",
            va="top",
            fontsize=6.5,
            fontweight="bold",
            color="#b00020",
        )


def _fit_legends(fig: Figure) -> None:
    """Solve the layout; a legend wider than the figure goes down to one column."""
    fig.draw_without_rendering()
    wide = [leg for leg in fig.legends if leg.get_window_extent().width > fig.bbox.width]
    for leg in wide:
        leg.remove()
        fig.legend(loc="outside lower center", ncols=1, frameon=False)
    if wide:
        fig.draw_without_rendering()


def _wrap(text: str, width: int, lines: int = 2) -> str:
    """Wrap ``text`` to ``width`` characters a line; cut at ``lines`` lines with '…'."""
    parts = textwrap.wrap(shown(" ".join(str(text).split())), width, break_long_words=True) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def _short(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with '…'."""
    return _wrap(text, width, 1)


def _n(x: float) -> str:
    """Points (totals, margins) as every other output shows them."""
    return format_number(x, POINTS)


def _ranked(base: ScoreResult) -> list[int]:
    """Ranked options, leader first."""
    return [i for i in base.order if base.ranks[i] > 0]


def _need_wsm(base: ScoreResult, what: str) -> None:
    if base.method != "wsm":
        name = wording.METHOD_NAMES.get(base.method, base.method)
        raise ChartUnavailable(f"method {name}: the {what} chart needs the weighted sum")


def _style(k: int) -> dict[str, Any]:
    """Colour, marker and line style of the ``k``-th option in rank order."""
    return {
        "color": OKABE_ITO[k % len(OKABE_ITO)],
        "marker": MARKERS[k % len(MARKERS)],
        "linestyle": LINESTYLES[k % len(LINESTYLES)],
    }


def _contributions(sens: SensitivityResult) -> tuple[str, str, Figure]:
    base, p = sens.base, sens.problem
    _need_wsm(base, "contributions")
    rows = _ranked(base)
    if not rows:
        raise ChartUnavailable(
            "no ranked options: every option fails a hurdle"
            + (" or is not yet scored" if base.not_yet_scored else "")
        )
    groups = [p.node_names[g] for g in p.groups]
    fig = _figure(1.5 + 0.42 * len(rows) + 0.22 * math.ceil(len(groups) / 2))
    ax: Axes = fig.add_subplot()
    y = np.arange(len(rows))
    pos = np.zeros(len(rows))
    neg = np.zeros(len(rows))
    for k, name in enumerate(groups):
        values = base.subtotals[rows, k]
        bars = ax.barh(
            y,
            values,
            left=np.where(values >= 0, pos, neg),
            height=0.64,
            color=OKABE_ITO[k % len(OKABE_ITO)],
            hatch=HATCHES[k % len(HATCHES)],
            edgecolor="white",
            linewidth=0.8,
            label=_wrap(name, 32, 2),
        )
        for patch, i in zip(bars.patches, rows, strict=True):
            patch.set_gid(f"appraise-segment-{k}-{i}")
        pos += np.maximum(values, 0.0)
        neg += np.minimum(values, 0.0)
    right = float(pos.max()) if pos.max() > 0 else 1.0
    for j, i in enumerate(rows):
        ax.text(pos[j] + right * 0.01, j, _n(float(base.totals[i])), va="center", fontsize=8.5)
    ax.set_yticks(y, labels=[_wrap(p.option_names[i], 30, 2) for i in rows])
    ax.invert_yaxis()
    ax.set_xlim(min(0.0, float(neg.min()) * 1.1), right * 1.1)
    ax.set_xlabel(
        _wrap(
            "Weighted benefit score (points; highest possible "
            + format_number(base.maximum, SCALE)
            + ")",
            48,
        )
    )
    ax.tick_params(axis="y", length=0)
    fig.legend(loc="outside lower center", ncols=min(2, len(groups)), frameon=False)
    leader = rows[0]
    biggest = int(np.argmax(base.subtotals[leader]))
    alt = (
        f"Stacked bars of each ranked option's weighted benefit score, split by group "
        f"({', '.join(groups)}). {wording.lead_sentence(sens)} "
        f"Its largest part is {groups[biggest]} "
        f"({_n(float(base.subtotals[leader, biggest]))} points)."
    )
    return "Weighted contributions by group", alt, fig


def _pick_switch(sens: SensitivityResult, criterion: str | None) -> WeightSwitch:
    """The weight switch asked for, or the criterion whose leader change is nearest."""
    switches = sens.weight_switches
    if criterion is not None:
        for ws in switches:
            if ws.id == criterion:
                return ws
        known = ", ".join(ws.id for ws in switches)
        raise ChartUnavailable(f"no criterion {criterion!r} for the oneway chart (known: {known})")
    criteria = [ws for ws in switches if ws.kind == "criterion"] or switches

    def distance(ws: WeightSwitch) -> float:
        ends = [end[0] for end in (ws.below, ws.above) if end is not None]
        return min((abs(at - ws.weight) / ws.whole for at in ends), default=math.inf)

    nearest = min(criteria, key=distance)
    if math.isinf(distance(nearest)):
        return max(criteria, key=lambda ws: ws.weight)
    return nearest


def _oneway(sens: SensitivityResult, criterion: str | None) -> tuple[str, str, Figure]:
    base, p = sens.base, sens.problem
    _need_wsm(base, "oneway")
    if not sens.weight_switches:
        raise ChartUnavailable(
            "no weight switching values: the oneway chart needs the 'weights' section"
        )
    ws = _pick_switch(sens, criterion)
    if ws.kind == "criterion":
        varied = np.asarray([c == ws.id for c in p.criterion_ids])
    else:
        group = next(k for k, g in enumerate(p.groups) if p.node_ids[g] == ws.id)
        varied = np.asarray(p.leaf_group == group)
    lines = weight_lines(sens.points, base.weights, varied)
    whole = ws.whole
    rows = _ranked(base)
    fig = _figure(4.4 + 0.2 * math.ceil((len(rows) + 2) / 2))
    ax: Axes = fig.add_subplot()
    xs = np.linspace(0.0, whole, 21)
    ys = lines.totals(xs / whole)
    for k, i in enumerate(rows):
        style = _style(k)
        ax.plot(
            xs,
            ys[:, i],
            color=style["color"],
            linestyle=style["linestyle"],
            marker=style["marker"],
            markevery=(k % 4, 4),
            markersize=5,
            linewidth=1.6,
            label=_wrap(p.option_names[i], 32, 2),
            gid=f"appraise-line-{i}",
        )
    ax.axvline(
        ws.weight,
        color="#555555",
        linestyle=(0, (4, 3)),
        linewidth=1.0,
        label=f"Weight now ({format_number(ws.weight, WEIGHT)})",
        gid="appraise-now",
    )
    for n, (before, after) in enumerate(zip(ws.segments, ws.segments[1:], strict=False)):
        x = before.end
        y = float(lines.totals(x / whole)[after.leader])
        ax.plot(
            [x],
            [y],
            linestyle="none",
            marker="o",
            markersize=9,
            markerfacecolor="white",
            markeredgecolor="black",
            markeredgewidth=1.6,
            zorder=5,
            label="Leader changes" if n == 0 else "_nolegend_",
            gid=f"appraise-switch-{n}",
        )
        ax.annotate(
            format_number(x, DERIVED_WEIGHT),
            (x, y),
            xytext=(6, 6),
            textcoords="offset points",
            fontsize=8,
            fontweight="bold",
        )
    ax.set_xlim(0.0, whole)
    name = ws.name + (" (group)" if ws.kind == "group" else "")
    ax.set_xlabel(
        _wrap(
            f"Weight on {name} (of {format_number(whole, WEIGHT)}; "
            + "other weights rescaled in proportion)",
            90,
        )
    )
    ax.set_ylabel("Weighted benefit score (points)")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    title = f"Totals as the weight on {_short(name, 60)} varies"
    sentence = wording.weight_sentence(sens, ws) or wording.lead_sentence(sens)
    alt = (
        f"Lines show each ranked option's weighted benefit score as the weight on {name} "
        f"goes from 0 to {format_number(whole, WEIGHT)}, the other weights rescaled in "
        f"proportion. {sentence}"
    )
    return title, alt, fig


TORNADO_SOURCES: dict[str, tuple[str, str, str]] = {
    "scenario": ("Scenario", OKABE_ITO[0], ""),
    "scores": ("Panel's range of scores", OKABE_ITO[5], "//"),
    "weight": ("Weight ± swing", OKABE_ITO[4], ".."),
    "monte carlo": ("Monte Carlo 5–95%", OKABE_ITO[3], "xx"),
}
"""Label, colour and hatch of each source of tornado bars."""


TORNADO_BARS = 20
"""The tornado chart shows the factors with the widest swing, at most this many."""


def _tornado(sens: SensitivityResult) -> tuple[str, str, Figure]:
    p = sens.problem
    every = sorted(sens.tornado, key=lambda b: -b.swing)
    bars = every[:TORNADO_BARS]  # a page holds the widest; the table lists them all
    if not bars or sens.leader is None or sens.runner_up is None:
        raise ChartUnavailable(
            "no tornado: it needs a leader, a runner-up and the 'tornado' section"
        )
    lead = p.option_names[sens.leader]
    labels = [textwrap.fill(" ".join(b.label.split()), 34) for b in bars]
    lines = max(label.count("\n") + 1 for label in labels)
    fig = _figure(1.9 + (0.165 if lines == 1 else 0.14 * lines + 0.05) * len(bars))
    ax: Axes = fig.add_subplot()
    for source in dict.fromkeys(b.source for b in bars):
        label, colour, hatch = TORNADO_SOURCES.get(source, (source, "#999999", "oo"))
        idx = [j for j, b in enumerate(bars) if b.source == source]
        drawn = ax.barh(
            idx,
            [bars[j].high - bars[j].low for j in idx],
            left=[bars[j].low for j in idx],
            height=0.7,
            color=colour,
            hatch=hatch,
            edgecolor="#333333",
            linewidth=0.4,
            label=label,
        )
        for patch, j in zip(drawn.patches, idx, strict=True):
            patch.set_gid(f"appraise-bar-{j}")
    ax.axvline(
        0.0,
        color=OKABE_ITO[1],
        linestyle=(0, (4, 2)),
        linewidth=1.2,
        label="0: the leader changes",
        gid="appraise-zero",
    )
    ax.axvline(
        sens.margin,
        color="black",
        linewidth=1.2,
        label=f"Margin now ({_n(sens.margin)})",
        gid="appraise-margin",
    )
    ax.set_yticks(range(len(bars)), labels=labels, fontsize=7.5)
    ax.set_ylim(len(bars) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    lo = min(0.0, sens.margin, *(b.low for b in bars))
    hi = max(0.0, sens.margin, *(b.high for b in bars))
    pad = (hi - lo) * 0.09 or 1.0
    ax.set_xlim(lo - pad, hi + pad)
    for j, b in enumerate(bars):  # who the margin is over, at each end
        for x, other, side in ((b.low, b.low_other, "right"), (b.high, b.high_other, "left")):
            if other is None:
                continue
            gap = " " if side == "left" else ""
            ax.text(
                x,
                j,
                f"{gap}{_short(p.option_ids[other], 8)}{' ' if side == 'right' else ''}",
                ha=side,
                va="center",
                fontsize=6.5,
                color="#333333",
                gid=f"appraise-over-{j}-{side}",
            )
    ax.set_xlabel(
        _wrap(f"{lead}'s margin over the best other option (points; its id at each end)", 48)
    )
    fig.legend(loc="outside lower center", ncols=3, frameon=False)
    widest = bars[0]
    below = sum(1 for b in every if b.low < 0)
    shown = (
        f"each of {len(bars)} factors"
        if len(bars) == len(every)
        else f"the {len(bars)} of {len(every)} factors with the widest swing"
    )
    alt = (
        f"Bars show {lead}'s margin over whichever other option scores highest "
        f"({_n(sens.margin)} points now) at the low and high end of {shown}, widest swing "
        f"at the top, with that option's id at each end. "
        f"The widest is {widest.label} ({_n(widest.low)} to {_n(widest.high)}); "
        f"in {below} of all {len(every)} the margin falls below 0, where another option "
        "would have the highest weighted benefit score."
    )
    title = "What moves the leader's margin over the best other option"
    return title, alt, fig


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _percent(v: float) -> str:
    """A share of samples as every other output shows it (54.7%)."""
    return format_number(v, PROBABILITY)


def _acceptability(sens: SensitivityResult) -> tuple[str, str, Figure]:
    from matplotlib.ticker import PercentFormatter

    mc = sens.monte_carlo
    if mc is None:
        raise ChartUnavailable(
            "no Monte Carlo: the acceptability chart needs samples > 0 and the 'montecarlo' section"
        )
    p, base = sens.problem, sens.base
    place = {i: r for r, i in enumerate(base.order)}
    rows = sorted(range(len(mc.options)), key=lambda k: place[mc.options[k]])
    data = np.asarray(mc.result.acceptability[rows], dtype=float)
    m, n = data.shape
    fig = _figure(1.5 + 0.4 * m)
    ax: Axes = fig.add_subplot()
    cmap = "cividis"
    image = ax.imshow(data, cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto")
    image.set_gid("appraise-acceptability")
    colours = np.asarray(image.cmap(image.norm(data)), dtype=float)
    light = colours[..., :3] @ np.array([0.2126, 0.7152, 0.0722]) > 0.5
    size = 8 if n <= 8 else 6.5
    for r in range(m):
        for c in range(n):
            ax.text(
                c,
                r,
                _percent(float(data[r, c])),
                ha="center",
                va="center",
                fontsize=size,
                color="black" if light[r, c] else "white",
            )
    ax.set_xticks(range(n), labels=[_ordinal(c + 1) for c in range(n)])
    ax.set_yticks(range(m), labels=[_wrap(p.option_names[mc.options[k]], 30, 2) for k in rows])
    ax.set_xlabel("Rank")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.colorbar(image, ax=ax, format=PercentFormatter(1.0), label="Share of samples", shrink=0.9)
    best = [mc.options[k] for k in np.argsort(-mc.result.best, kind="stable")]
    first = best[0]
    alt = (
        f"Heat map of the share of {mc.result.samples:,} Monte Carlo samples in which each "
        f"option takes each rank. {p.option_names[first]} ranks first most often "
        f"({_percent(float(mc.result.best[mc.options.index(first)]))} of samples)"
    )
    if len(best) > 1:
        second = best[1]
        alt += (
            f", then {p.option_names[second]} "
            f"({_percent(float(mc.result.best[mc.options.index(second)]))})"
        )
    alt += "."
    return "Rank acceptability: how often each option takes each rank", alt, fig


FRONTIER_STYLE: dict[int, tuple[str, dict[str, Any]]] = {
    0: ("On the efficient frontier", {"marker": "o", "color": OKABE_ITO[0]}),
    1: ("Dominated", {"marker": "X", "color": OKABE_ITO[1]}),
    2: ("Extendedly dominated", {"marker": "^", "color": OKABE_ITO[4]}),
    -1: (
        "Not compared (fails a hurdle)",
        {"marker": "s", "color": "#555555", "markerfacecolor": "white"},
    ),
}


def _frontier(sens: SensitivityResult) -> tuple[str, str, Figure]:
    from matplotlib.ticker import FuncFormatter

    base, p = sens.base, sens.problem
    _need_wsm(base, "frontier")
    vfm = value_for_money(base)
    if vfm is None:
        raise ChartUnavailable("no costs: the frontier chart needs a cost for every option")
    compared = np.ones(len(p.option_ids), dtype=bool) if base.include_failed else base.eligible
    missing = [p.option_ids[i] for i in base.order if compared[i] and not np.isfinite(p.costs[i])]
    if missing:
        raise ChartUnavailable(
            f"no cost for {', '.join(missing)}: the frontier chart needs a cost for every option"
        )
    shown = [i for i in base.order if np.isfinite(vfm.costs[i])]
    on = sorted(
        (i for i in shown if vfm.status[i] == 0), key=lambda i: (vfm.costs[i], vfm.benefits[i])
    )
    fig = _figure(5.0)
    ax: Axes = fig.add_subplot()
    ax.plot(
        vfm.costs[on],
        vfm.benefits[on],
        color=OKABE_ITO[0],
        linewidth=1.4,
        zorder=1,
        label="Efficient frontier",
        gid="appraise-frontier",
    )
    seen: set[int] = set()
    for i in shown:
        status = int(vfm.status[i])
        label, style = FRONTIER_STYLE.get(status, FRONTIER_STYLE[-1])
        ax.plot(
            [vfm.costs[i]],
            [vfm.benefits[i]],
            linestyle="none",
            markersize=8,
            markeredgewidth=1.2,
            zorder=3,
            label=label if status not in seen else "_nolegend_",
            gid=f"appraise-point-{i}",
            **style,
        )
        seen.add(status)
        ax.annotate(
            _short(p.option_ids[i], 16),
            (float(vfm.costs[i]), float(vfm.benefits[i])),
            xytext=(6, 5),
            textcoords="offset points",
            fontsize=8.5,
        )
    unit = p.cost_unit
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_number(x, COST)))
    ax.set_xlabel(f"Cost ({_short(unit, 20)})")
    ax.set_ylabel("Weighted benefit score (points)")
    ax.margins(x=0.12, y=0.12)
    ax.grid(color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.legend(loc="outside lower center", ncols=3, frameon=False)
    names = [p.option_names[i] for i in on]
    dominated = [p.option_names[i] for i in shown if vfm.status[i] in (1, 2)]
    alt = (
        f"Each option's cost ({unit}) against its weighted benefit score. "
        f"The efficient frontier runs through {_join(names)}, in order of cost"
    )
    alt += f"; {_join(dominated)} are off it (dominated). " if dominated else ". "
    if sens.leader is not None:
        alt += (
            f"{p.option_names[sens.leader]} has the highest weighted benefit score "
            f"({_n(float(vfm.benefits[sens.leader]))}) at a cost of "
            f"{format_number(float(vfm.costs[sens.leader]), COST)}."
        )
    return "Cost against weighted benefit: the efficient frontier", alt.strip(), fig


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names) or "no option"
    return ", ".join(names[:-1]) + " and " + names[-1]


DIFFERENCE_BARS = 18
"""The difference chart shows at most this many criteria, the rest summed in one bar."""

DIFFERENCE_STYLE: dict[str, tuple[str, str]] = {
    "leader": (OKABE_ITO[0], ""),
    "runner-up": (OKABE_ITO[1], "//"),
    "other": ("#999999", ".."),
    "net": ("#555555", "xx"),
}
"""Colour and hatch of the difference chart's bars: for the leader (the colour of the
first option elsewhere), for the runner-up (the second's), criteria summed, the net."""


def difference_profile(base: ScoreResult, a: int, b: int) -> list[tuple[int, float]]:
    """Criterion by criterion, option ``a``'s weighted points minus option ``b``'s.

    Each difference is the criterion's contribution to ``a``'s total minus its
    contribution to ``b``'s, so they add up to ``totals[a] - totals[b]``.

    Returns:
        ``(criterion index, difference)`` for every criterion, largest advantage to
        ``a`` first (ties in criterion order).

    Raises:
        ChartUnavailable: the method is not the weighted sum.
    """
    _need_wsm(base, "difference")
    diff = np.asarray(base.contributions[a] - base.contributions[b], dtype=float)
    return sorted(((k, float(d)) for k, d in enumerate(diff)), key=lambda kd: (-kd[1], kd[0]))


def _signed(x: float) -> str:
    """Points with a sign: +19.8, -14.4, 0.0."""
    text = _n(x)
    return "+" + text if x > 0 and text != _n(0.0) else text


def _gains(who: str, items: list[tuple[str, float]], none: str) -> str:
    """'CFT gains most on A (+19.8), B (+15.4) and C (+8.1)'."""
    if not items:
        return none
    return f"{who} gains most on " + _join([f"{name} ({_signed(d)})" for name, d in items])


def _difference(sens: SensitivityResult) -> tuple[str, str, Figure]:
    """Why the leader leads the runner-up: a bar per criterion of the weighted points
    between them (Hiview's sorts, MACBETH's difference profiles), and the net margin.

    With more than :data:`DIFFERENCE_BARS` criteria the smallest differences are summed
    in one bar ("Other n criteria") above the net, so the bars still add to the margin.
    """
    base, p = sens.base, sens.problem
    _need_wsm(base, "difference")
    a, b = sens.leader, sens.runner_up
    if a is None or b is None:
        raise ChartUnavailable(
            "no runner-up: the difference chart needs a leader and a runner-up "
            "(at least two ranked options)"
        )
    profile = difference_profile(base, a, b)
    margin = sens.margin
    rows: list[tuple[str, float, str, str]] = []  # label, value, style, gid
    if len(profile) > DIFFERENCE_BARS:  # the widest, in order; the rest in one bar
        keep = sorted(profile, key=lambda kd: (-abs(kd[1]), kd[0]))[: DIFFERENCE_BARS - 1]
        shown = [kd for kd in profile if kd in keep]
        rest = [kd for kd in profile if kd not in keep]
    else:
        shown, rest = profile, []
    for k, d in shown:
        style = "leader" if d > 0 else "runner-up" if d < 0 else "other"
        rows.append((p.criterion_names[k], d, style, f"appraise-diff-{k}"))
    if rest:
        total = math.fsum(d for _, d in rest)
        rows.append((f"Other {len(rest)} criteria", total, "other", "appraise-diff-other"))
    names = [_wrap(name, 30, 2) for name, *_ in rows]
    per_row = 0.16 if all("\n" not in n for n in names) else 0.28
    if 1.05 + per_row * (len(rows) + 1) > 4.2:  # too tall: one line each
        names = [_short(name, 34) for name, *_ in rows]
        per_row = 0.16
    fig = _figure(min(4.2, max(2.6, 1.05 + per_row * (len(rows) + 1))))
    ax: Axes = fig.add_subplot()
    ida, idb = _short(p.option_ids[a], 12), _short(p.option_ids[b], 12)
    tied = len(base.leaders) > 1  # margin 0: the lead is shared
    net_label = f"Net: {ida} and {idb} tie" if tied else f"Net: {ida} leads by {_n(margin)} points"
    legend = {"leader": f"Favours {ida}", "runner-up": f"Favours {idb}", "other": "_nolegend_"}
    for style in ("leader", "runner-up", "other"):
        idx = [j for j, row in enumerate(rows) if row[2] == style]
        if not idx:
            continue
        colour, hatch = DIFFERENCE_STYLE[style]
        drawn = ax.barh(
            idx,
            [rows[j][1] for j in idx],
            height=0.68,
            color=colour,
            hatch=hatch,
            edgecolor="white",
            linewidth=0.6,
            label=legend[style],
        )
        for patch, j in zip(drawn.patches, idx, strict=True):
            patch.set_gid(rows[j][3])
    net_y = len(rows) + 0.3
    colour, hatch = DIFFERENCE_STYLE["net"]
    (net,) = ax.barh(
        [net_y],
        [margin],
        height=0.68,
        color=colour,
        hatch=hatch,
        edgecolor="white",
        linewidth=0.6,
        label=net_label,
    ).patches
    net.set_gid("appraise-net")
    ax.axhline(len(rows) - 0.35, color="#999999", linewidth=0.6, gid="appraise-net-rule")
    ax.axvline(0.0, color="black", linewidth=0.9, gid="appraise-zero")
    values = [d for _, d, *_ in rows] + [margin]
    lo, hi = min(0.0, *values), max(0.0, *values)
    span = (hi - lo) or 1.0
    size = 8 if len(rows) <= 12 and per_row < 0.2 else 7.5 if len(rows) <= 12 else 7
    for j, value in enumerate(values):
        y = net_y if j == len(rows) else j
        left = value < 0
        ax.text(
            value + (-1 if left else 1) * span * 0.012,
            y,
            _signed(value),
            ha="right" if left else "left",
            va="center",
            fontsize=size,
            color="black" if _signed(value) != _n(0.0) else "#777777",
            fontweight="bold" if j == len(rows) else "normal",
            gid="appraise-net-value" if j == len(rows) else f"appraise-value-{j}",
        )
    ax.set_xlim(lo - span * 0.13, hi + span * 0.13)
    ax.set_ylim(net_y + 0.6, -0.6)
    ax.set_yticks([*range(len(rows)), net_y], labels=[*names, "Net margin"], fontsize=size)
    ax.get_yticklabels()[-1].set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel(f"Weighted points: ← favours {idb} · favours {ida} →")
    fig.legend(loc="outside lower center", ncols=3, frameon=False)
    lead, runner = p.option_names[a], p.option_names[b]
    ahead = [(p.criterion_names[k], d) for k, d in profile if _signed(d).startswith("+")]
    behind = [(p.criterion_names[k], d) for k, d in reversed(profile) if _signed(d).startswith("-")]
    same = len(profile) - len(ahead) - len(behind)
    role_a, role_b = ("", "") if tied else (", the leader", ", the runner-up")
    gains = (
        _gains(ida, ahead[:3], f"{ida} gains on no criterion")
        + "; "
        + _gains(idb, behind[:3], f"{idb} gains on no criterion")
        + (f"; they are level on {same} {'criterion' if same == 1 else 'criteria'}" if same else "")
    )
    alt = (
        f"Bars show, for each criterion, the weighted points of {lead} ({ida}{role_a}) "
        f"minus those of {runner} ({idb}{role_b}), largest advantage first. "
        f"{gains}. "
        + (
            f"Net: they tie on {_n(float(base.totals[a]))} points."
            if tied
            else f"Net: {lead} leads by {_n(margin)} points."
        )
    )
    if tied:
        title = f"Where {_short(lead, 36)} and {_short(runner, 36)} differ"
    else:
        title = f"Why {_short(lead, 36)} leads {_short(runner, 36)}"
    return title, alt, fig


def figure(
    sens: SensitivityResult, key: str, number: int, criterion: str | None = None
) -> FigureBlock:
    """Chart ``key`` as a figure block (PNG)."""
    chart = build_chart(sens, key, criterion=criterion)
    return FigureBlock(
        key=chart.key,
        title=chart.title,
        alt=chart.alt,
        png=render_chart(chart, "png"),
        number=number,
    )
