"""The cost tables: each option's cost before and after optimism bias and risk, the
profile by year with the discount factors, the uplifts, the risks and affordability.

They read the cost book the problem carries (:attr:`~appraise.analysis.problem.Problem
.cost_book`), so every output shows the figures value for money used.
"""

from __future__ import annotations

from appraise.analysis.problem import Problem
from appraise.files.costing import CostBook, OptionCost
from appraise.paper.model import Cell, Column, Row, Sum, Table, cell, table
from appraise.paper.numbers import COST, DISCOUNT_FACTOR, PROBABILITY, UPLIFT

__all__ = [
    "PROFILE_YEARS_SHOWN",
    "affordability_table",
    "cost_profile_table",
    "cost_summary_table",
    "costs_basis",
    "optimism_bias_table",
    "risks_table",
]

PROFILE_YEARS_SHOWN = 10
"""Years of a profile the terminal shows (the files show every year)."""


def _book(p: Problem) -> CostBook | None:
    book = p.cost_book
    return book if book is not None and book.options else None


def _ordered(p: Problem, order: list[int] | None) -> list[tuple[int, OptionCost]]:
    """The costed options, in ranking order when given, else in file order."""
    book = p.cost_book
    assert book is not None
    idx = order if order is not None else list(range(len(p.option_ids)))
    return [(i, book.options[p.option_ids[i]]) for i in idx if p.option_ids[i] in book.options]


def _option(p: Problem, i: int) -> Cell:
    return cell(p.option_names[i], short=p.option_ids[i])


def costs_basis(p: Problem) -> list[str]:
    """The sentences that say what the costs are: basis, price base, discounting."""
    book = _book(p)
    if book is None:
        return []
    out = []
    if book.profiled:
        base = f" in {book.price_base} prices" if book.price_base else ""
        period = (
            f"{book.label(0)} to {book.label(book.years - 1)}" if book.years > 1 else book.label(0)
        )
        out.append(
            f"Value for money uses each option's risk-adjusted net present cost ({p.cost_unit}"
            f"{base}): its cost lines over {period}, discounted, with the optimism-bias "
            "uplift on each line and the expected cost of its risks."
        )
        out.append(book.convention)
    return out


def cost_summary_table(p: Problem, order: list[int] | None = None) -> Table | None:
    """Each option's cost before and after optimism bias and risk (the ``costs`` table).

    Options costed with one amount show it as their present value; a legacy
    ``breakdown`` shows as its lines, as before.
    """
    book = _book(p)
    if book is None:
        return None
    unit = p.cost_unit
    rows = [
        (
            _option(p, i),
            cell(c.undiscounted if c.profiled else None),
            cell(c.pv),
            cell(c.optimism_bias),
            cell(c.risk),
            cell(c.npc),
        )
        for i, c in _ordered(p, order)
    ]
    notes = []
    basis = book.basis
    if basis:
        notes.append(f"Basis: {' '.join(basis.split())}.")
    return table(
        "costs",
        f"Costs before and after optimism bias and risk ({unit})",
        f"Each option's cost ({unit}): undiscounted in the price base, at present value, "
        "the optimism-bias uplift and the risk allowance added, and the risk-adjusted net "
        "present cost that value for money uses.",
        (
            Column("Option", wide=True),
            Column(f"Undiscounted ({unit})", COST, short="Undis-\ncounted", key="undiscounted"),
            Column(f"Present value ({unit})", COST, short="Present\nvalue", key="present_value"),
            Column(f"Optimism bias ({unit})", COST, short="Optimism\nbias", key="optimism_bias"),
            Column(f"Risk ({unit})", COST, short="Risk", key="risk"),
            Column(
                f"Risk-adjusted net present cost ({unit})",
                COST,
                short="Risk-adj.\nNPC",
                key="npc",
            ),
        ),
        rows,
        notes,
        sums=[Sum(5, (2, 3, 4), "present value, optimism bias and risk")],
    )


def cost_profile_table(p: Problem, order: list[int] | None = None) -> Table | None:
    """Every cost line by year in real terms, with the discount factors, each line's
    undiscounted total and its present value (before uplift)."""
    book = _book(p)
    if book is None or not book.profiled:
        return None
    unit = p.cost_unit
    years = list(range(book.years))
    year_cols = [
        Column(
            book.label(t),
            COST,
            short=book.label(t)[2:] if book.first_year else f"Y{t}",
            key=f"year_{t}",
            terminal=t < PROFILE_YEARS_SHOWN,
        )
        for t in years
    ]
    rows: list[Row] = [
        Row(
            (
                cell(""),
                cell("Discount factor"),
                cell(""),
                *[cell(f, DISCOUNT_FACTOR) for f in book.factors],
                cell(None),
                cell(None),
            ),
            "group",
        )
    ]
    nominal = []
    for i, c in _ordered(p, order):
        for line in c.lines:
            if line.nominal is not None:
                nominal.append(f"{p.option_ids[i]}'s {line.item!r}")
            rows.append(
                Row(
                    (
                        cell(p.option_ids[i]),
                        cell(line.item),
                        cell(line.category),
                        *[cell(a) for a in line.real],
                        cell(line.total),
                        cell(line.pv),
                    )
                )
            )
    notes = [book.convention]
    if nominal:
        notes.append(
            "Nominal (cash) lines are shown in real terms, deflated to "
            f"{book.price_base} prices with the price index in appraisal.yaml: "
            + ", ".join(nominal)
            + "."
        )
    if book.years > PROFILE_YEARS_SHOWN:
        notes.append(
            f"The terminal shows the first {PROFILE_YEARS_SHOWN} years; the exported table "
            "has every year."
        )
    return table(
        "cost_profile",
        f"Cost profile by year ({unit}, {book.price_base or 'real'} prices)",
        f"Each option's cost lines by year of the period, in {book.price_base or 'real'} "
        "prices before optimism bias, with the discount factor of each year, the line's "
        "undiscounted total and its present value.",
        (
            Column("Option"),
            Column("Line", wide=True),
            Column("Category", terminal=False),
            *year_cols,
            Column(f"Total ({unit})", COST, short="Total", key="total"),
            Column(f"Present value ({unit})", COST, short="PV", key="present_value"),
        ),
        rows,
        notes,
        sums=[Sum(3 + len(years), tuple(range(3, 3 + len(years))), "years")],
    )


def optimism_bias_table(p: Problem, order: list[int] | None = None) -> Table | None:
    """Each optimism-bias uplift: its reference class, upper bound, mitigation, the uplift
    applied, the present value before and the uplift's amount, and its source."""
    book = _book(p)
    if book is None:
        return None
    rows = []
    sources: dict[str, list[str]] = {}
    reasons: list[str] = []
    for i, c in _ordered(p, order):
        for line in c.lines:
            ob = line.bias
            if ob is None:
                continue
            source = " ".join((ob.source or "").split()).rstrip(".") or "not given"
            sources.setdefault(source, []).append(p.option_ids[i])
            if ob.reason:
                reasons.append(f"{p.option_ids[i]}: {' '.join(ob.reason.split())}")
            rows.append(
                (
                    cell(p.option_ids[i]),
                    cell(line.item),
                    cell(ob.category),
                    cell(ob.upper_bound / 100, UPLIFT),
                    cell(ob.mitigation, UPLIFT),
                    cell(line.uplift, UPLIFT),
                    cell(line.pv),
                    cell(line.pv * line.uplift),
                )
            )
    if not rows:
        return None
    unit = p.cost_unit
    return table(
        "optimism_bias",
        "Optimism bias",
        "Each uplift for optimism bias: the reference class and its upper bound, the share "
        "mitigated, the uplift applied (upper bound × (1 − mitigation)), the line's present "
        f"value before it and the uplift's amount ({unit}); where each bound comes from and "
        "why it was mitigated follow the table.",
        (
            Column("Option"),
            Column("Line", wide=True),
            Column("Reference class", short="Class"),
            Column("Upper bound", UPLIFT, short="Upper\nbound"),
            Column("Mitigated", UPLIFT, short="Miti-\ngated"),
            Column("Uplift applied", UPLIFT, short="Uplift", key="uplift"),
            Column(f"Present value ({unit})", COST, short="PV", key="present_value"),
            Column(f"Uplift ({unit})", COST, short=f"Uplift\n{unit}", key="uplift_amount"),
        ),
        rows,
        [
            "Optimism bias is not contingency: it corrects the systematic tendency to "
            "underestimate costs, and is reduced only as specific risks are costed.",
            *(
                f"Source ({', '.join(dict.fromkeys(ids))}): {source}."
                for source, ids in sources.items()
            ),
            *(r if r.endswith(".") else r + "." for r in reasons),
        ],
    )


def risks_table(p: Problem, order: list[int] | None = None) -> Table | None:
    """Each option's monetised risks: probability, impact, year, present value and the
    expected cost that the risk allowance adds."""
    book = _book(p)
    if book is None:
        return None
    rows = [
        (
            cell(p.option_ids[i]),
            cell(r.item),
            cell(book.label(r.year)),
            cell(r.probability, PROBABILITY),
            cell(r.impact),
            cell(r.pv),
            cell(r.expected),
        )
        for i, c in _ordered(p, order)
        for r in c.risks
    ]
    if not rows:
        return None
    unit = p.cost_unit
    return table(
        "risks",
        f"Risk allowance ({unit})",
        "Each option's monetised risks: the probability, the cost if it happens, the year "
        f"it would fall in, that cost at present value, and the expected cost ({unit}, "
        "probability × present value) the risk allowance adds.",
        (
            Column("Option"),
            Column("Risk", wide=True),
            Column("Year"),
            Column("Probability", PROBABILITY, short="Prob."),
            Column(f"Impact ({unit})", COST, short="Impact", key="impact"),
            Column(f"Present value ({unit})", COST, short="PV", key="present_value"),
            Column(f"Expected ({unit})", COST, short="Expected", key="expected"),
        ),
        rows,
    )


def affordability_table(p: Problem, order: list[int] | None = None) -> Table | None:
    """Each computed hurdle's envelope against each option: what counts, the envelope,
    the headroom and the result."""
    book = _book(p)
    if book is None or not book.envelopes:
        return None
    rows = []
    for h, tests in book.envelopes.items():
        for i, _ in _ordered(p, order):
            test = tests.get(p.option_ids[i])
            if test is None:
                continue
            rows.append(
                (
                    cell(h),
                    _option(p, i),
                    cell(book.label(test.year) if test.year is not None else "total"),
                    cell(test.amount),
                    cell(test.limit),
                    cell(test.headroom),
                    cell("pass" if test.passed else "FAIL"),
                )
            )
    if not rows:
        return None
    unit = p.cost_unit
    notes = []
    for h, env in book.rules.items():
        what = " and ".join(env.categories) if env.categories else "all"
        kind = "discounted" if env.measure == "npc" else "undiscounted"
        notes.append(
            f"{h} counts {what} costs, {kind}, after optimism bias and risk, against its "
            "envelope; the result is computed, not written."
        )
    return table(
        "affordability",
        f"Affordability ({unit})",
        f"Each affordability envelope against each option's costs ({unit}): what counts "
        "(in total, or in the tightest year), the envelope, the headroom left and the "
        "hurdle's computed result.",
        (
            Column("Hurdle"),
            Column("Option", wide=True),
            Column("Year"),
            Column(f"Counted ({unit})", COST, short="Counted", key="counted"),
            Column(f"Envelope ({unit})", COST, short="Envelope", key="envelope"),
            Column(f"Headroom ({unit})", COST, short="Headroom", key="headroom"),
            Column("Result"),
        ),
        rows,
        notes,
    )
