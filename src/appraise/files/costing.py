"""Each option's whole-life cost, worked out from its files: the cost book.

:func:`cost_book` turns the options' ``cost`` entries and ``appraisal.yaml``'s ``costs``
settings into an :class:`OptionCost` per option: every line in real terms by year of the
period, its present value, its optimism-bias uplift, the risk allowance, and the
risk-adjusted net present cost (NPC) that value for money uses. It also reads the
workbook cells that amounts refer to (recording each workbook's SHA-256) and tests the
affordability envelopes of computed hurdles. Whatever it cannot work out becomes an
:class:`~appraise.errors.Issue` at the file, line and column of the entry; the checks
report them (:mod:`appraise.files.checks.costs`).

The arithmetic is :mod:`appraise.engine.costs`'s; this module only reads the files.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from appraise.engine.costs import (
    TABLES,
    DiscountTable,
    Envelope,
    discount_factors,
    envelope_test,
    present_value,
    real_terms,
    uplift,
)
from appraise.engine.costs import total as add_up
from appraise.errors import Issue, Severity
from appraise.files.models import (
    FORBID_NEGATIVE,
    YEAR_LABEL,
    CellRef,
    Cost,
    EnvelopeRule,
    HurdleResult,
    OptimismBias,
    Option,
    ProfileLine,
)
from appraise.files.yamlio import Document, issue_at

if TYPE_CHECKING:
    from appraise.files.loading import Appraisal

__all__ = [
    "CostBook",
    "LineCost",
    "OptionCost",
    "RiskCost",
    "cost_book",
    "hurdle_results",
]


@dataclass(frozen=True)
class LineCost:
    """One cost line, worked out.

    Attributes:
        item: what it is for.
        category: its category.
        real: ``(years,)`` its amounts in the price base, by year of the period.
        pv: its present value before optimism bias.
        uplift: the optimism-bias uplift applied, a fraction (0 without one).
        low: its lowest plausible total as a multiple of its total (1 without a range).
        high: its highest likewise.
        uplift_low: the lowest uplift Monte Carlo draws (= ``uplift`` without a range).
        uplift_high: the highest likewise.
        nominal: ``(years,)`` the cash amounts as written, for a nominal line.
        where: its path in the options file.
        bias: its optimism bias as written (class, bounds, source, reason).
    """

    item: str
    category: str
    real: tuple[float, ...]
    pv: float
    uplift: float = 0.0
    low: float = 1.0
    high: float = 1.0
    uplift_low: float = 0.0
    uplift_high: float = 0.0
    nominal: tuple[float, ...] | None = None
    where: tuple[Any, ...] = ()
    bias: OptimismBias | None = None

    @property
    def total(self) -> float:
        """Undiscounted total in the price base, before uplift."""
        return add_up(self.real)

    @property
    def uplifted(self) -> float:
        """Present value after the uplift."""
        return self.pv * (1.0 + self.uplift)


@dataclass(frozen=True)
class RiskCost:
    """One monetised risk (a stated allowance is one with probability 1).

    Attributes:
        item: the risk.
        probability: its probability.
        impact: its cost if it happens (real terms).
        year: the year of the period it falls in.
        pv: the present value of its impact.
        category: the cost category it falls on, if said.
    """

    item: str
    probability: float
    impact: float
    year: int
    pv: float
    category: str | None = None

    @property
    def expected(self) -> float:
        """Probability × present value of the impact."""
        return self.probability * self.pv


@dataclass(frozen=True)
class OptionCost:
    """An option's cost, worked out.

    Attributes:
        option: the option's id.
        lines: its cost lines (empty for a single ``amount``).
        risks: its risk allowance.
        amount: the single amount, when there are no lines (the NPC as given).
        written: the NPC written beside lines (``cost.amount``), if any.
        low: for a single amount, its lowest plausible value as a multiple (1: none).
        high: likewise its highest.
        years: the length of the period.
        factors: the discount factors of the period's years.
    """

    option: str
    lines: tuple[LineCost, ...] = ()
    risks: tuple[RiskCost, ...] = ()
    amount: float | None = None
    written: float | None = None
    low: float = 1.0
    high: float = 1.0
    years: int = 1
    factors: tuple[float, ...] = (1.0,)

    @property
    def profiled(self) -> bool:
        """True when the cost is given as lines."""
        return bool(self.lines)

    @property
    def undiscounted(self) -> float:
        """Total of the lines in the price base, undiscounted, before uplift and risk."""
        return add_up(line.total for line in self.lines) if self.lines else self.npc

    @property
    def pv(self) -> float:
        """Present value of the lines before uplift and risk."""
        if not self.lines:
            return self.amount or 0.0
        return add_up(line.pv for line in self.lines)

    @property
    def optimism_bias(self) -> float:
        """Present value of the optimism-bias uplifts."""
        return add_up(line.pv * line.uplift for line in self.lines)

    @property
    def risk(self) -> float:
        """Present value of the risk allowance (expected value of the monetised risks)."""
        return add_up(r.expected for r in self.risks)

    @property
    def npc(self) -> float:
        """The risk-adjusted net present cost: value for money's cost."""
        if not self.lines and self.amount is not None:
            return self.amount + self.risk
        return self.pv + self.optimism_bias + self.risk

    def by_year(
        self, categories: Iterable[str] = (), *, discounted: bool = False, adjusted: bool = True
    ) -> list[float]:
        """The amounts in each year of the period, of the lines in ``categories`` (all
        when empty): after optimism bias and risk when ``adjusted``, discounted when
        ``discounted``."""
        wanted = set(categories)
        out = [0.0] * self.years
        for line in self.lines:
            if wanted and line.category not in wanted:
                continue
            scale = 1.0 + line.uplift if adjusted else 1.0
            for t, a in enumerate(line.real):
                out[t] += a * scale
        if adjusted:
            for r in self.risks:
                if not wanted or r.category in wanted:
                    out[r.year] += r.probability * r.impact
        if not self.lines and self.amount is not None and not wanted:
            out[0] += self.amount / self.factors[0]
        if discounted:
            out = [a * f for a, f in zip(out, self.factors, strict=True)]
        return out


@dataclass
class CostBook:
    """Every option's cost, the period and the discounting, and what went wrong.

    Attributes:
        unit: the cost unit.
        table: the discount table used.
        years: the period's length.
        first_year: year 0's label, if the period is labelled.
        price_base: the price base, if given.
        factors: the discount factor of each year of the period.
        options: each costed option's cost, by option id.
        envelopes: each computed hurdle's test of each option, by hurdle id then option.
        workbooks: each workbook read for an amount, and its SHA-256.
        issues: what could not be worked out, at its place in the files.
        basis: the costs' basis as ``costs.basis`` states it.
        rules: each computed hurdle's envelope as written, by hurdle id.
    """

    unit: str
    table: DiscountTable
    years: int
    first_year: str | None
    price_base: str | None
    factors: list[float]
    options: dict[str, OptionCost] = field(default_factory=dict)
    envelopes: dict[str, dict[str, Envelope]] = field(default_factory=dict)
    workbooks: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    basis: str | None = None
    rules: dict[str, EnvelopeRule] = field(default_factory=dict)

    @property
    def profiled(self) -> bool:
        """True when any option's cost is given as lines."""
        return any(c.profiled for c in self.options.values())

    def label(self, year: int) -> str:
        """The label of year ``year`` of the period (``2010/11``, or ``year 1``)."""
        return year_label(self.first_year, year) if self.first_year else f"year {year}"

    def as_dict(self) -> dict[str, Any]:
        """Every figure of the book, unrounded, for JSON."""
        t = self.table
        return {
            "unit": self.unit,
            "price_base": self.price_base,
            "first_year": self.first_year,
            "years": self.years,
            "labels": [self.label(k) for k in range(self.years)],
            "discount": {
                "rates": t.key,
                "table": t.edition,
                "name": t.name,
                "source": t.source,
                "schedule": [{"from_year": y, "rate": r} for y, r in t.bands],
                "convention": self.convention,
                "factors": list(self.factors),
            },
            "workbooks": [{"path": k, "sha256": v} for k, v in self.workbooks.items()],
            "options": {
                ident: {
                    "undiscounted": c.undiscounted if c.profiled else None,
                    "present_value": c.pv,
                    "optimism_bias": c.optimism_bias,
                    "risk": c.risk,
                    "npc": c.npc,
                    "written": c.written,
                    "lines": [
                        {
                            "item": line.item,
                            "category": line.category,
                            "real": list(line.real),
                            "nominal": None if line.nominal is None else list(line.nominal),
                            "total": line.total,
                            "present_value": line.pv,
                            "uplift": line.uplift,
                            "uplift_range": [line.uplift_low, line.uplift_high],
                            "range": [line.low * line.total, line.high * line.total],
                        }
                        for line in c.lines
                    ],
                    "risks": [
                        {
                            "item": r.item,
                            "probability": r.probability,
                            "impact": r.impact,
                            "year": r.year,
                            "present_value": r.pv,
                            "expected": r.expected,
                        }
                        for r in c.risks
                    ],
                }
                for ident, c in self.options.items()
            },
            "envelopes": {
                h: {
                    o: {
                        "passed": e.passed,
                        "counted": e.amount,
                        "envelope": e.limit,
                        "headroom": e.headroom,
                        "year": None if e.year is None else self.label(e.year),
                    }
                    for o, e in tests.items()
                }
                for h, tests in self.envelopes.items()
            },
        }

    @property
    def convention(self) -> str:
        """The discounting convention in words."""
        zero = f"Year 0 ({self.first_year})" if self.first_year else "Year 0"
        if self.table.key == "none":
            return "Amounts are not discounted."
        return (
            f"{zero} is not discounted; an amount in year t is multiplied by the discount "
            f"factor of year t at the {self.table.name}, {self.table.describe(self.years)} "
            f"({self.table.source})."
        )


def year_label(first: str, offset: int) -> str:
    """The label ``offset`` years after ``first`` in the same style (``2009/10`` + 1 is
    ``2010/11``; ``2009`` + 1 is ``2010``)."""
    m = YEAR_LABEL.fullmatch(first)
    assert m is not None
    start = int(m["first"]) + offset
    return f"{start}/{(start + 1) % 100:02d}" if m["next"] is not None else str(start)


def cell_refs(item: Any) -> Iterator[CellRef]:
    """Every workbook cell reference inside ``item`` (models, lists, mappings)."""
    stack = [item]
    while stack:
        x = stack.pop()
        if isinstance(x, CellRef):
            yield x
        elif isinstance(x, BaseModel):
            stack.extend(getattr(x, name) for name in type(x).model_fields)
        elif isinstance(x, list | tuple):
            stack.extend(x)
        elif isinstance(x, dict):
            stack.extend(x.values())


def cost_book(appraisal: Appraisal) -> CostBook:
    """The appraisal's cost book, worked out once and kept on the appraisal."""
    cached = appraisal.cache.get("costs")
    if cached is None:
        cached = appraisal.cache["costs"] = _Builder(appraisal).build()
    return cached


def hurdle_results(appraisal: Appraisal, option: Option) -> dict[str, HurdleResult]:
    """An option's result on each hurdle: those written, and those computed from an
    affordability envelope (with their reasons in words)."""
    out = dict(option.hurdles)
    book = cost_book(appraisal)
    for _, f in appraisal.criteria_files:
        for h in f.hurdles:
            if h.envelope is None:
                continue
            test = book.envelopes.get(h.id, {}).get(option.id)
            if test is not None:
                out[h.id] = HurdleResult.model_construct(
                    result="pass" if test.passed else "fail",
                    reason=envelope_reason(book, h.envelope.categories, h.envelope.measure, test),
                )
    return out


def envelope_reason(book: CostBook, categories: list[str], measure: str, test: Envelope) -> str:
    """A computed hurdle's reason: what was counted, against what, and the headroom."""
    from appraise.text import group_digits

    what = " and ".join(categories) if categories else "all"
    kind = "net present" if measure == "npc" else "undiscounted"
    where = f" in {book.label(test.year)}" if test.year is not None else ""
    amount, limit = group_digits(test.amount), group_digits(test.limit)
    unit = book.unit
    verdict = (
        f"within the {unit}{limit} envelope{where}: headroom {unit}{group_digits(test.headroom)}"
        if test.passed
        else f"over the {unit}{limit} envelope{where} by {unit}{group_digits(-test.headroom)}"
    )
    return (
        f"Computed: {what} costs{where} {unit}{amount} ({kind}, "
        f"{book.price_base or 'real'} prices, after optimism bias and risk), {verdict}."
    )


class _Builder:
    """Works out the cost book, collecting issues as it goes."""

    def __init__(self, appraisal: Appraisal) -> None:
        self.appraisal = appraisal
        self.settings = appraisal.settings.costs
        self.issues: list[Issue] = []
        self.sheets: dict[str, Any] = {}
        self.hashes: dict[str, str] = {}

    # --- issues --------------------------------------------------------------------

    def error(
        self,
        code: str,
        message: str,
        hint: str,
        doc: Document | None,
        where: tuple[Any, ...],
        *,
        key: bool = True,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.issues.append(issue_at(severity, code, message, hint, doc, where, key=key))

    # --- the period ----------------------------------------------------------------

    def build(self) -> CostBook:
        s = self.settings
        table = TABLES[s.discount_table][s.discount]
        options = [o for o in self.appraisal.options() if not o.item.discounted]
        used = 1
        for o in options:
            cost = o.item.cost
            if cost is None:
                continue
            for line in cost.lines:
                used = max(used, self._last_year(line))
            if cost.risk is not None:
                for r in cost.risk.lines:
                    used = max(used, self._index_or(r.year, 0) + 1)
                used = max(used, self._index_or(cost.risk.year, 0) + 1)
        years = s.years if s.years is not None else used
        factors = discount_factors(table, years)
        book = CostBook(s.unit, table, years, s.first_year, s.price_base, factors, basis=s.basis)
        self.book = book
        for o in options:
            if o.item.cost is not None:
                costed = self._option(o.item.id, o.item.cost, o.doc, (*o.where, "cost"))
                if costed is not None:
                    book.options[o.item.id] = costed
        self._envelopes(book, options)
        book.workbooks = dict(self.hashes)
        book.issues = self.issues
        return book

    def _last_year(self, line: ProfileLine) -> int:
        if line.years is None:
            return self._index_or(line.year, 0) + 1
        if isinstance(line.years, list):
            return len(line.years)
        return max((self._index_or(k, 0) + 1 for k in line.years), default=1)

    def _index_or(self, key: int | str, default: int) -> int:
        got = self._index(key)
        return got if got is not None and got >= 0 else default

    def _index(self, key: int | str) -> int | None:
        """A year key's index in the period, or ``None`` when it cannot be placed."""
        if isinstance(key, int) and key < 1000:
            return key
        first = self.settings.first_year
        text = str(key)
        m, f = YEAR_LABEL.fullmatch(text), YEAR_LABEL.fullmatch(first) if first else None
        if m is None or f is None or (m["next"] is None) != (f["next"] is None):
            return None
        return int(m["first"]) - int(f["first"])

    def _year(
        self, key: int | str, doc: Document, where: tuple[Any, ...], *, is_key: bool
    ) -> int | None:
        """A year key's index, or ``None`` after reporting why it cannot be used."""
        index = self._index(key)
        s = self.settings
        if index is None:
            if s.first_year is None:
                self.error(
                    "cost-year-label",
                    f"year {key!r} is a label, but `costs.first_year` does not say which "
                    "year is year 0",
                    "add `first_year: '2009/10'` under `costs:` in appraisal.yaml, or "
                    "number the years from 0",
                    doc,
                    where,
                    key=is_key,
                )
            else:
                self.error(
                    "cost-year-label",
                    f"year {key!r} is not written like the period's first year {s.first_year!r}",
                    f"write years as {s.first_year!r} is written (a financial year "
                    "'2009/10' or a calendar year 2009), or as 0, 1, 2 … from year 0",
                    doc,
                    where,
                    key=is_key,
                )
            return None
        if index < 0 or (s.years is not None and index >= s.years):
            period = self._period_text()
            shown = repr(key)
            if isinstance(key, int) and s.first_year and index >= 0:
                shown = f"{key} ({year_label(s.first_year, index)})"
            self.error(
                "cost-year-outside",
                f"year {shown} is outside the appraisal period ({period})",
                "move the amount into the period, or lengthen it with `costs.years` "
                "in appraisal.yaml",
                doc,
                where,
                key=is_key,
            )
            return None
        return index

    def _period_text(self) -> str:
        s = self.settings
        n = s.years
        if s.first_year:
            last = year_label(s.first_year, n - 1) if n else "…"
            return f"{s.first_year} to {last}"
        return f"years 0 to {n - 1}" if n else "from year 0"

    # --- amounts -------------------------------------------------------------------

    def _amount(
        self, value: float | CellRef, doc: Document, where: tuple[Any, ...]
    ) -> float | None:
        if not isinstance(value, CellRef):
            return float(value)
        return self._cell(value, doc, where)

    def _cell(self, ref: CellRef, doc: Document, where: tuple[Any, ...]) -> float | None:
        address = ref.cell.replace("$", "").upper()
        shown = f"{ref.workbook}:{ref.sheet}!{address}"
        letters = address.rstrip("0123456789")
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - ord("A") + 1
        if column > 16_384 or int(address[len(letters) :]) > 1_048_576:
            self.error(
                "cell-missing",
                f"{shown} is beyond the last cell a sheet can have (XFD1048576)",
                "give the cell's address as Excel shows it, e.g. `F42`",
                doc,
                where,
            )
            return None
        sheets = self._workbook(ref, doc, where)
        if sheets is None:
            return None
        if ref.sheet not in sheets:
            names = ", ".join(repr(n) for n in sheets) or "none"
            self.error(
                "cell-missing",
                f"{ref.workbook} has no sheet {ref.sheet!r} (its sheets: {names})",
                "name the sheet as the workbook names it (case and spaces count)",
                doc,
                where,
            )
            return None
        value = sheets[ref.sheet].get(address)
        if isinstance(value, tuple):  # ("formula", text): a formula with no saved value
            self.error(
                "cell-not-number",
                f"{shown} holds a formula ({_shown(value[1])[1:-1]}) with no saved value",
                "open the workbook in Excel and save it, so that the formula's value is "
                "saved with it (a workbook written by a program other than a spreadsheet "
                "keeps none), or point at a cell that holds the figure",
                doc,
                where,
            )
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if value is None:
                what = "is empty"
                hint = (
                    "point at the cell that holds the figure; a formula's value is read "
                    "as Excel last saved it, so open and save the workbook in Excel first"
                )
            else:
                what = f"holds {_shown(value)}, not a number"
                hint = "point at the cell that holds the figure as a number"
            self.error("cell-not-number", f"{shown} {what}", hint, doc, where)
            return None
        if not math.isfinite(value):
            self.error(
                "cell-not-number", f"{shown} is not a finite number", "fix the cell", doc, where
            )
            return None
        return float(value)

    def _workbook(
        self, ref: CellRef, doc: Document, where: tuple[Any, ...]
    ) -> dict[str, dict[str, Any]] | None:
        """The workbook's sheets and the cells the options refer to in it (read once,
        its hash recorded), or ``None`` after reporting why it cannot be read."""
        if ref.workbook in self.sheets:
            return self.sheets[ref.workbook]  # type: ignore[no-any-return]
        self.sheets[ref.workbook] = None

        def fail(message: str, hint: str = "check the file") -> None:
            self.error("cell-missing", f"workbook {ref.workbook} {message}", hint, doc, where)

        root = self.appraisal.root
        try:
            real, top = (root / ref.workbook).resolve(), root.resolve()
        except (OSError, RuntimeError, ValueError):  # RuntimeError: links in a loop
            fail("cannot be found: its path is a link that leads round in a loop")
            return None
        if top not in real.parents:
            fail(
                "is outside the appraisal folder",
                "keep the workbook inside the appraisal folder and give its path from there",
            )
            return None
        from appraise.files.workbook import FILE_LIMIT, UNPACKED_LIMIT
        from appraise.files.yamlio import _NotRegular, _read_regular, _TooLarge

        try:
            raw = _read_regular(real, FILE_LIMIT)
        except FileNotFoundError:
            fail(
                "is not there",
                "give the workbook's path from the appraisal folder, e.g. `costs/cia.xlsx`",
            )
            return None
        except _NotRegular:
            fail("is not a file (a folder, or a device)", "give the workbook's path")
            return None
        except _TooLarge as exc:
            fail(
                f"is {exc.size:,} bytes, more than a workbook read for costs may be "
                f"({FILE_LIMIT / 1e6:,.0f} MB)",
                "copy the sheet that holds the figures into a workbook of its own",
            )
            return None
        except OSError as exc:
            fail(f"cannot be read: {exc.strerror or exc}")
            return None
        self.hashes[ref.workbook] = hashlib.sha256(raw).hexdigest()
        # every cell any option reads from this workbook, so one pass reads them all
        wanted: dict[str, set[str]] = {}
        for item in cell_refs([ref, *(o.item.cost for o in self.appraisal.options())]):
            if item.workbook == ref.workbook:
                wanted.setdefault(item.sheet, set()).add(item.cell.replace("$", "").upper())
        sheets = _read_values(raw, UNPACKED_LIMIT, wanted)
        if isinstance(sheets, str):
            fail(f"cannot be read: {sheets}", "save it as an Excel workbook (.xlsx)")
            return None
        self.sheets[ref.workbook] = sheets
        return sheets

    # --- an option -----------------------------------------------------------------

    def _option(
        self, ident: str, cost: Cost, doc: Document, where: tuple[Any, ...]
    ) -> OptionCost | None:
        book = self.book
        self._ident = ident
        ok = True
        amount = None
        if cost.amount is not None:
            amount = self._amount(cost.amount, doc, (*where, "amount"))
            ok = amount is not None
        risks = self._risks(cost, doc, where)
        ok = ok and risks is not None
        if not cost.lines:
            if not ok or amount is None:
                return None
            if amount < 0 and isinstance(cost.amount, CellRef):  # a written one: options
                self._negative(ident, amount, doc, (*where, "amount"), "its workbook cell")
                return None
            low = high = 1.0
            if cost.low is not None or cost.high is not None:
                low, high = self._range(ident, cost.low, cost.high, amount, doc, where, "cost") or (
                    1.0,
                    1.0,
                )
            single = OptionCost(
                ident,
                (),
                tuple(risks or ()),
                amount,
                None,
                low,
                high,
                book.years,
                tuple(book.factors),
            )
            return single if self._finite(ident, single, doc, (*where, "amount")) else None
        if self.settings.price_base is None:
            self.error(
                "cost-price-base",
                f"`{ident}`'s cost has lines but appraisal.yaml gives no price base",
                "add `price_base: '2008/09'` (the year whose prices the amounts are in) "
                "under `costs:` in appraisal.yaml",
                doc,
                (*where, "lines"),
            )
            ok = False
        lines = []
        for i, line in enumerate(cost.lines):
            got = self._line(ident, line, doc, (*where, "lines", i))
            if got is None:
                ok = False
            else:
                lines.append(got)
        if not ok:
            return None
        costed = OptionCost(
            ident,
            tuple(lines),
            tuple(risks or ()),
            None,
            amount,
            years=book.years,
            factors=tuple(book.factors),
        )
        if not self._finite(ident, costed, doc, (*where, "lines")):
            return None
        if costed.npc < 0:
            self._negative(ident, costed.npc, doc, (*where, "lines"), "its lines")
            return None
        decimals = _decimals(cost.amount, amount, doc, (*where, "amount"))
        if amount is not None and not _agrees(decimals, amount, costed.npc):
            from appraise.text import group_digits

            self.error(
                "cost-npc-differs",
                f"`{ident}`'s written net present cost {amount:,.{min(decimals, 12)}f} "
                "differs from "
                f"the {group_digits(costed.npc, 2)} its lines give (present value "
                f"{group_digits(costed.pv, 2)} + optimism bias "
                f"{group_digits(costed.optimism_bias, 2)} + risk {group_digits(costed.risk, 2)})",
                "correct the amount or the lines, or leave `amount` out and let the lines "
                "give the cost",
                doc,
                (*where, "amount"),
                key=False,
            )
            return None
        return costed

    def _negative(
        self, ident: str, value: float, doc: Document, where: tuple[Any, ...], whence: str
    ) -> None:
        """Say that an option's cost is below zero, as a written amount's check does."""
        from appraise.text import group_digits

        self.error(
            "cost-negative",
            f"`{ident}`'s cost is negative ({group_digits(value, 2)}, from {whence}): a cost "
            "is an amount spent, and cost per point and the frontier mean nothing below zero",
            "record what the option costs in full, on the same basis as the others (a "
            "saving it makes against the baseline shows in the increments); savings within "
            "the cost can be negative `revenue` lines, as long as the whole is not below zero",
            doc,
            where,
            key=False,
        )

    def _finite(
        self, ident: str, costed: OptionCost, doc: Document, where: tuple[Any, ...]
    ) -> bool:
        """False, after saying so, when an option's cost overflows a float."""
        if all(math.isfinite(x) for x in (costed.npc, costed.undiscounted)):
            return True
        self.error(
            "cost-too-large",
            f"`{ident}`'s cost adds up to more than a number can hold",
            "check the amounts' units: every amount is in the appraisal's cost unit",
            doc,
            where,
        )
        return False

    def _line(
        self, ident: str, line: ProfileLine, doc: Document, where: tuple[Any, ...]
    ) -> LineCost | None:
        book = self.book
        amounts = [0.0] * book.years
        ok = True
        entries: list[tuple[int | str, Any, tuple[Any, ...], bool]]
        if line.years is None:
            entries = [(line.year, line.amount, (*where, "amount"), False)]
            year_where: tuple[Any, ...] = (*where, "year")
        elif isinstance(line.years, list):
            entries = [(k, v, (*where, "years", k), False) for k, v in enumerate(line.years)]
            year_where = ()
        else:
            entries = [(k, v, (*where, "years", k), True) for k, v in line.years.items()]
            year_where = ()
        seen: dict[int, int | str] = {}
        for key, value, at, is_key in entries:
            t = self._year(key, doc, year_where or at, is_key=is_key if not year_where else False)
            a = self._amount(value, doc, at)
            if t is None or a is None:
                ok = False
                continue
            if t in seen:
                self.error(
                    "cost-year-twice",
                    f"`{ident}`'s line {line.item!r} gives {book.label(t)} twice "
                    f"({seen[t]!r} and {key!r})",
                    "give each year once: add the amounts together",
                    doc,
                    at,
                    key=is_key,
                )
                ok = False
                continue
            seen[t] = key
            if a < 0 and line.category in FORBID_NEGATIVE:
                self.error(
                    "cost-negative",
                    f"`{ident}`'s {line.category} line {line.item!r} has a negative amount "
                    f"({_num(a)}) in {book.label(t)}: {line.category} costs are money spent",
                    "record a saving or an income as its own `revenue` line",
                    doc,
                    at,
                    key=False,
                )
                ok = False
            amounts[t] += a
        if not ok:
            return None
        nominal = None
        if line.prices == "nominal":
            got = self._deflate(ident, line, amounts, doc, where)
            if got is None:
                return None
            nominal, amounts = tuple(amounts), got
        pv = present_value(amounts, book.factors)
        whole = add_up(amounts)
        low = high = 1.0
        if line.low is not None or line.high is not None:
            got_range = self._range(ident, line.low, line.high, whole, doc, where, repr(line.item))
            if got_range is None:
                return None
            low, high = got_range
        up = up_low = up_high = 0.0
        ob = line.optimism_bias
        if ob is not None:
            up = uplift(ob.upper_bound / 100, ob.mitigation)
            up_low = up_high = up
            if ob.lower_bound is not None:
                if ob.lower_bound > ob.upper_bound:
                    self.error(
                        "optimism-bias-bounds",
                        f"`{ident}`'s optimism bias on {line.item!r} has a lower bound "
                        f"{_num(ob.lower_bound)}% above its upper bound {_num(ob.upper_bound)}%",
                        "give the reference class's lower and upper bounds in that order",
                        doc,
                        (*where, "optimism_bias", "lower_bound"),
                        key=False,
                    )
                    return None
                up_low, up_high = min(ob.lower_bound / 100, up), ob.upper_bound / 100
        return LineCost(
            line.item,
            line.category,
            tuple(amounts),
            pv,
            up,
            low,
            high,
            up_low,
            up_high,
            nominal,
            where,
            ob,
        )

    def _deflate(
        self,
        ident: str,
        line: ProfileLine,
        amounts: list[float],
        doc: Document,
        where: tuple[Any, ...],
    ) -> list[float] | None:
        s = self.settings
        index = s.deflator
        base = s.price_base
        wanted = [base] if base is not None else []
        if s.first_year is None:
            self.error(
                "cost-deflator",
                f"`{ident}`'s line {line.item!r} is nominal, but `costs.first_year` does not "
                "say which year is year 0, so its years' price indices cannot be found",
                "add `first_year: '2009/10'` under `costs:` in appraisal.yaml",
                doc,
                (*where, "prices"),
                key=False,
            )
            return None
        labels = [year_label(s.first_year, t) for t, a in enumerate(amounts) if a != 0]
        missing = [y for y in (*wanted, *labels) if y not in index]
        if missing:
            self.error(
                "cost-deflator",
                f"`{ident}`'s line {line.item!r} is nominal, but `costs.deflator` has no "
                f"index for {', '.join(dict.fromkeys(missing))}",
                "add those years to `deflator:` under `costs:` in appraisal.yaml (e.g. the "
                "GDP deflator), or give the line in real terms",
                doc,
                (*where, "prices"),
                key=False,
            )
            return None
        if base is None:  # cost-price-base is reported for the option
            return None
        return [
            real_terms(a, index[year_label(s.first_year, t)], index[base]) if a else 0.0
            for t, a in enumerate(amounts)
        ]

    def _range(
        self,
        ident: str,
        low: float | None,
        high: float | None,
        total: float,
        doc: Document,
        where: tuple[Any, ...],
        what: str,
    ) -> tuple[float, float] | None:
        lo = total if low is None else low
        hi = total if high is None else high
        if not lo <= total <= hi:
            self.error(
                "cost-range",
                f"`{ident}`'s {what} has low {_num(lo)} and high {_num(hi)}, which do not "
                f"bracket its total {_num(total)}",
                "give low at most the total and high at least it (both undiscounted, before "
                "optimism bias)",
                doc,
                (*where, "low" if low is not None and low > total else "high"),
                key=False,
            )
            return None
        if total == 0:
            return 1.0, 1.0
        return lo / total, hi / total

    def _risks(self, cost: Cost, doc: Document, where: tuple[Any, ...]) -> list[RiskCost] | None:
        risk = cost.risk
        if risk is None:
            return []
        out = []
        ok = True
        at = (*where, "risk")
        if risk.amount is not None:
            t = self._year(risk.year, doc, (*at, "year"), is_key=False)
            a = self._amount(risk.amount, doc, (*at, "amount"))
            if t is None or a is None:
                return None
            if a < 0:
                self.error(
                    "cost-negative",
                    f"`{self._ident}`'s risk allowance is negative ({_num(a)}): an allowance "
                    "is money set aside for risks",
                    "give the allowance as zero or more; a saving is a `revenue` cost line",
                    doc,
                    (*at, "amount"),
                    key=False,
                )
                return None
            out.append(RiskCost("Risk allowance", 1.0, a, t, a * self.book.factors[t]))
        for i, r in enumerate(risk.lines):
            t = self._year(r.year, doc, (*at, "lines", i, "year"), is_key=False)
            a = self._amount(r.impact, doc, (*at, "lines", i, "impact"))
            if t is None or a is None:
                ok = False
                continue
            if a < 0 and r.category in FORBID_NEGATIVE:
                # it would take the category's costs (and its envelope) down, as a
                # negative line of the category may not
                self.error(
                    "cost-negative",
                    f"`{self._ident}`'s risk {r.item!r} has a negative impact ({_num(a)}) "
                    f"on {r.category} costs: {r.category} costs are money spent",
                    "give the risk's impact as a cost (zero or more); a saving is a "
                    "`revenue` cost line",
                    doc,
                    (*at, "lines", i, "impact"),
                    key=False,
                )
                ok = False
                continue
            out.append(RiskCost(r.item, r.probability, a, t, a * self.book.factors[t], r.category))
        return out if ok else None

    # --- envelopes -----------------------------------------------------------------

    def _categories(
        self,
        book: CostBook,
        hurdle: str,
        env: EnvelopeRule,
        doc: Document,
        where: tuple[Any, ...],
    ) -> None:
        """Say which of an envelope's categories no cost line or risk has: a typo there
        would count nothing and pass every option."""
        if not env.categories or not book.profiled:
            return  # without lines, envelope-no-profile says what is wrong
        known = {line.category for c in book.options.values() for line in c.lines}
        known |= {r.category for c in book.options.values() for r in c.risks if r.category}
        for k, name in enumerate(env.categories):
            if name in known:
                continue
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
            self.error(
                "envelope-category",
                f"hurdle {hurdle}'s envelope counts the category {name!r}, which no "
                "option's cost line or risk has, so it counts nothing there",
                f"did you mean {close[0]!r}?"
                if close
                else "name categories the cost lines use: " + ", ".join(sorted(known)),
                doc,
                (*where, "categories", k),
                key=False,
            )

    def _envelopes(self, book: CostBook, options: list[Any]) -> None:
        for cdoc, f in self.appraisal.criteria_files:
            for hi, h in enumerate(f.hurdles):
                env = h.envelope
                if env is None:
                    continue
                where = ("hurdles", hi, "envelope")
                book.rules[h.id] = env
                limits: float | list[float | None]
                if env.total is not None:
                    limits = env.total
                else:
                    assert env.by_year is not None
                    limits = [None] * book.years
                    bad = False
                    seen: dict[int, int | str] = {}
                    for key, value in env.by_year.items():
                        t = self._year(key, cdoc, (*where, "by_year", key), is_key=True)
                        if t is None:
                            bad = True
                        elif t in seen:
                            self.error(
                                "cost-year-twice",
                                f"hurdle {h.id}'s envelope gives {book.label(t)} twice "
                                f"({seen[t]!r} and {key!r})",
                                "give each year's limit once",
                                cdoc,
                                (*where, "by_year", key),
                            )
                            bad = True
                        else:
                            seen[t] = key
                            limits[t] = value
                    if bad:
                        continue
                self._categories(book, h.id, env, cdoc, where)
                tests = book.envelopes.setdefault(h.id, {})
                for o in options:
                    costed = book.options.get(o.item.id)
                    if costed is None:
                        if o.item.cost is None:
                            self.error(
                                "envelope-no-cost",
                                f"`{o.item.id}` has no cost, so hurdle {h.id}'s envelope "
                                "cannot be tested",
                                "give the option a `cost`",
                                o.doc,
                                o.where,
                            )
                        continue
                    if (
                        not costed.profiled
                        and costed.amount
                        and (env.categories or env.by_year is not None or env.measure == "cash")
                    ):
                        self.error(
                            "envelope-no-profile",
                            f"`{o.item.id}`'s cost is one amount, so hurdle {h.id}'s envelope "
                            "(which counts "
                            + (", ".join(env.categories) if env.categories else "cash")
                            + " by year) cannot be tested on it",
                            "give the cost as `lines` with categories and years, or make "
                            "the envelope `measure: npc` with a `total`",
                            o.doc,
                            (*o.where, "cost"),
                        )
                        continue
                    amounts = costed.by_year(env.categories, discounted=env.measure == "npc")
                    tests[o.item.id] = envelope_test(amounts, limits)
        for o in options:
            for h_id in o.item.hurdles:
                if h_id in book.envelopes:
                    test = book.envelopes[h_id].get(o.item.id)
                    said = o.item.hurdles[h_id].result
                    now = "" if test is None else f" ({'pass' if test.passed else 'fail'} now)"
                    self.error(
                        "hurdle-computed",
                        f"`{o.item.id}` writes a result ({said}) for hurdle {h_id}, which is "
                        f"computed from its affordability envelope{now}",
                        f"remove `{h_id}` from the option's `hurdles`: its result and reason "
                        "come from the cost lines",
                        o.doc,
                        (*o.where, "hurdles", h_id),
                    )


_NUMBER = re.compile(r"[-+]?([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?")


def _decimals(written: Any, value: float | None, doc: Document, where: tuple[Any, ...]) -> int:
    """The decimal places a written figure has: as its text in the file has them
    (``2141.630`` 3, ``2142`` 0, ``2.14163e+3`` 2), or a workbook cell's value as
    stored (every digit it has)."""
    text = ""
    if isinstance(written, CellRef):
        text = repr(value)
    elif written is not None:
        loc = doc.locate(where)
        lines = doc.text.splitlines()
        if 0 < loc.line <= len(lines):
            text = re.split(r"[\s,}\]#]", lines[loc.line - 1][loc.column - 1 :], maxsplit=1)[0]
    m = _NUMBER.fullmatch(text)
    if m is None or not (m[1] or m[2]):
        text = repr(float(value or 0.0))
        m = _NUMBER.fullmatch(text)
        if m is None:  # 'inf', 'nan': not reached, as cost-too-large stops them
            return 0
    return max(0, len(m[2] or "") - int(m[3] or 0))


def _agrees(decimals: int, value: float, computed: float) -> bool:
    """True when a written figure is the computed one to the ``decimals`` places it was
    written with (``2412`` agrees with 2411.7; ``2411`` does not)."""
    return abs(value - computed) <= 0.5 * 10.0**-decimals + 1e-9 * max(1.0, abs(computed))


def _shown(value: Any) -> str:
    text = str(value)
    return repr(text[:40] + ("…" if len(text) > 40 else "")) if isinstance(value, str) else text


def _num(value: float) -> str:
    from appraise.files.checks.context import num

    return num(value)


def _read_values(
    raw: bytes, unpacked_limit: int, wanted: dict[str, set[str]]
) -> dict[str, dict[str, Any]] | str:
    """The ``wanted`` cells' values (as Excel last saved them), by sheet then ``A1``
    address, every worksheet listed; or what went wrong, as text.

    Only the rows and columns that span a sheet's wanted cells are read, and the sheet
    is parsed no further than its last wanted row: a stray cell at Excel's last row (or
    a sheet that claims to reach it) costs nothing. A workbook that unpacks to more
    than ``unpacked_limit`` bytes (a zip bomb) is refused before any part is unpacked.
    A wanted cell that holds a formula with no saved value (one written by a program,
    never opened and saved in Excel) is given as ``("formula", its text)``; an
    address beyond ``XFD1048576`` is not read.
    """
    import io
    import warnings
    import zipfile

    if not raw:
        return "it is empty (0 bytes)"
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE file
            return "it is an old-style .xls or a password-protected workbook, not .xlsx"
        return "it is not an Excel workbook (.xlsx)"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return f"it is damaged ({type(exc).__name__})"
    if unpacked > unpacked_limit:
        return f"it unpacks to {unpacked:,} bytes, more than {unpacked_limit / 1e6:,.0f} MB"
    try:
        from openpyxl import load_workbook
        from openpyxl.cell.read_only import EMPTY_CELL
        from openpyxl.utils.cell import coordinate_to_tuple
    except ImportError:
        from appraise.errors import MissingExtra

        raise MissingExtra(
            "reading costs from a workbook needs openpyxl", hint="pip install 'appraise[office]'"
        ) from None
    spots = {
        sheet: {
            a: (row, column)
            for a in addresses
            for row, column in [coordinate_to_tuple(a)]
            if row <= 1_048_576 and column <= 16_384
        }
        for sheet, addresses in wanted.items()
    }

    def read(data_only: bool, only: dict[str, dict[str, tuple[int, int]]]) -> dict[str, Any]:
        with warnings.catch_warnings():  # openpyxl warns of features it drops
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(raw), data_only=data_only, read_only=True)
        out: dict[str, Any] = {}
        try:
            for ws in wb.worksheets:
                cells: dict[str, Any] = {}
                out[ws.title] = cells
                places = only.get(ws.title)
                if not places:
                    continue
                rows = [r for r, _ in places.values()]
                columns = [c for _, c in places.values()]
                top, left = min(rows), min(columns)
                by_row: dict[int, list[tuple[str, int]]] = {}
                for a, (r, c) in places.items():
                    by_row.setdefault(r, []).append((a, c))
                lines = ws.iter_rows(
                    min_row=top, max_row=max(rows), min_col=left, max_col=max(columns)
                )
                for r, line in enumerate(lines, start=top):
                    for a, c in by_row.get(r, ()):
                        got = line[c - left] if c - left < len(line) else None
                        if got is not None and got is not EMPTY_CELL:
                            cells[a] = got
        finally:
            wb.close()
        return out

    try:
        found = read(True, spots)
        values = {s: {a: c.value for a, c in cells.items()} for s, cells in found.items()}
        blank = {
            s: {a: spots[s][a] for a, c in cells.items() if c.value is None}
            for s, cells in found.items()
            if s in spots
        }
        if any(blank.values()):  # a formula never calculated, or a formatted blank
            formulas = read(False, blank)
            for s, cells in formulas.items():
                for a, c in cells.items():
                    if c.data_type == "f":
                        values[s][a] = ("formula", str(getattr(c.value, "text", c.value)))
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        return f"it is damaged ({type(exc).__name__})"
    return {s: {a: v for a, v in cells.items() if v is not None} for s, cells in values.items()}
