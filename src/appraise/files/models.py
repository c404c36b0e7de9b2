"""The appraisal file format, as pydantic models.

One model per kind of file:

* :class:`AppraisalFile` — ``appraisal.yaml``: the decision, status, scale and settings;
* :class:`CriteriaFile` — ``criteria/*.yaml``: the value tree, hurdles, weight sets;
* :class:`OptionsFile` — ``options/*.yaml``: the options, costs, filter and hurdle results;
* :class:`ScoreSheet` — ``scores/*.yaml``: one panel member's scores with rationale;
* :class:`ModerationFile` — ``scores/*.yaml`` with a ``moderation:`` key: the moderated
  (consensus) scores, notes and dissent.

Every model forbids unknown keys (a misspelt key is an error with a line), is strict
(``'7'`` is not a number, ``yes`` is not a boolean) and frozen. Every field has a
description: it feeds ``appraise schema`` and the README's key reference. Rules within
one field or one object live here; rules across files live in :mod:`appraise.files.checks`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    Tag,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from appraise.files.yamlio import Yaml11Text

__all__ = [
    "FILE_MODELS",
    "Amount",
    "AppraisalFile",
    "AppraisalInfo",
    "BoardPaper",
    "Cell",
    "CellRef",
    "Cost",
    "CostLine",
    "CostSettings",
    "CriteriaFile",
    "Criterion",
    "Dissent",
    "DistinctFrom",
    "Elicitation",
    "ElicitedLevel",
    "EnvelopeRule",
    "Filter",
    "Hurdle",
    "HurdleResult",
    "ModeratedCell",
    "ModeratedScore",
    "ModerationFile",
    "ModerationInfo",
    "ModerationSettings",
    "Objective",
    "OptimismBias",
    "Option",
    "OptionsFile",
    "PanelFile",
    "Participant",
    "Preference",
    "ProfileLine",
    "Risk",
    "RiskLine",
    "Scale",
    "ScaleOverride",
    "ScoreCell",
    "ScoreSheet",
    "Scorer",
    "WeightSet",
    "WeightSettings",
]

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
STATUSES = ("draft", "scored", "moderated", "final")


def _check_id(value: Any) -> Any:
    """Ids are text written as the user means them; ask for quotes where YAML 1.1 differs."""
    if isinstance(value, Yaml11Text):
        raise PydanticCustomError(
            "id_yaml11",
            "id {value} is ambiguous: {note}",
            {"value": str(value), "note": value.note},
        )
    if isinstance(value, bool):
        raise PydanticCustomError(
            "id_not_text", "id {value} was read as a boolean", {"value": str(value).lower()}
        )
    if isinstance(value, (int, float)):
        raise PydanticCustomError(
            "id_not_text", "id {value} was read as a number", {"value": repr(value)}
        )
    if isinstance(value, str) and not ID_PATTERN.fullmatch(value):
        raise PydanticCustomError(
            "id_pattern",
            "'{value}' is not a valid id",
            {"value": value},
        )
    return value


def _num(value: float) -> str:
    """A number as a person writes it (``9``, not ``9.0``)."""
    return f"{value:g}"


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("not_finite", "only finite numbers are allowed", {})
    return value


Id = Annotated[str, BeforeValidator(_check_id)]
"""An identifier: letters, digits, ``_ - .``, no spaces, at most 64 characters."""

Text = Annotated[str, Field(max_length=20_000)]
"""Free text."""

Number = Annotated[float, BeforeValidator(_finite)]
"""A finite number (integers are fine)."""

Weight = Annotated[float, BeforeValidator(_finite), Field(ge=0)]
"""A weight: a finite number, zero or more."""

YEAR_LABEL = re.compile(r"(?P<first>\d{4})(?:/(?P<next>\d{2}))?")
"""A year as a person labels it: a financial year ``2009/10`` or a calendar year ``2009``."""


_PERCENT_TEXT = re.compile(r"(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*%", re.ASCII)
"""A percentage written as text: ``41%``, ``41 %``, ``2.5%``."""


def _percent(value: Any) -> Any:
    """A percentage: a number (``41`` is 41%) or text ending in ``%`` (``'41%'``)."""
    if isinstance(value, str):
        # ASCII digits only: float() would also take 'inf%', 'nan%', '1e400%' (inf) and
        # other scripts' digits
        m = _PERCENT_TEXT.fullmatch(value.strip())
        if m:
            return float(m[1])
        raise PydanticCustomError(
            "percent_type",
            "expected a percentage such as 41 or '41%', got the text '{value}'",
            {"value": value},
        )
    return _finite(value)


def _year_label(value: Any) -> Any:
    """A year label, ``2009/10`` (a financial year: the second part follows the first) or
    ``2009``; a whole number from 1000 is a calendar year too."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "year_label", "expected a year such as '2009/10', got a boolean", {}
        )
    if isinstance(value, int) and value >= 1000:
        return str(value)
    if isinstance(value, str):
        m = YEAR_LABEL.fullmatch(value.strip())
        if m and (m["next"] is None or int(m["next"]) == (int(m["first"]) + 1) % 100):
            return value.strip()
    raise PydanticCustomError(
        "year_label",
        "expected a year such as '2009/10' (a financial year) or 2009, got '{value}'",
        {"value": str(value)},
    )


def _year_key(value: Any) -> Any:
    """A year of the period: its index (a whole number below 1000) or its label."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # an index, or from 1000 a calendar year (kept as written, to be found)
    if isinstance(value, str):
        try:
            return _year_label(value)
        except PydanticCustomError:
            pass
    raise PydanticCustomError(
        "year_key",
        "expected a year: 0, 1, 2 … from the first year, or a label such as '2009/10', got {value}",
        {"value": repr(value) if isinstance(value, str) else str(value).lower()},
    )


Percent = Annotated[
    float,
    BeforeValidator(_percent),
    WithJsonSchema(
        {"anyOf": [{"type": "number"}, {"type": "string", "pattern": "^\\s*-?[0-9.]+%\\s*$"}]}
    ),
]
"""A percentage: ``41`` or ``'41%'`` (both 41%)."""

YearLabel = Annotated[
    str,
    BeforeValidator(_year_label),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": "^[0-9]{4}(/[0-9]{2})?$"}, {"type": "integer"}]}
    ),
]
"""A year label: ``'2009/10'`` (financial year) or ``2009``."""

Fraction = Annotated[float, BeforeValidator(_finite), Field(ge=0, le=1)]
"""A number from 0 to 1."""

Status = Literal["draft", "scored", "moderated", "final"]
WeightMethod = Literal["direct", "swing", "points", "ranking", "ahp"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --- appraisal.yaml --------------------------------------------------------------------


class Objective(_Model):
    """A SMART objective the criteria measure (Green Book spending objective)."""

    id: Id = Field(description="Short identifier criteria use to link to it, e.g. `SO1`.")
    text: Text = Field(description="The objective, in one sentence.")


class AppraisalInfo(_Model):
    """What is being decided, by whom, and how far the appraisal has got."""

    title: Text = Field(description="Title printed on every output.")
    decision: Text = Field(description="The decision the appraisal informs, in one sentence.")
    decision_maker: Text = Field(description="Who takes the decision, e.g. `PCT Board`.")
    owner: Text | None = Field(
        default=None, description="Senior responsible owner (SRO) of the appraisal."
    )
    chair: Text | None = Field(default=None, description="Independent chair of the scoring panel.")
    stage: Literal["longlist", "shortlist"] = Field(
        default="shortlist", description="`longlist` or `shortlist`."
    )
    status: Status = Field(
        default="draft",
        description=(
            "`draft` → `scored` → `moderated` → `final`. Later statuses turn more "
            "warnings into errors (see the README)."
        ),
    )
    illustrative: bool = Field(
        default=False,
        description="`true` prints an ILLUSTRATIVE banner on every output (demo data).",
    )
    date: Text | None = Field(default=None, description="Date of this version (text).")
    version: Text | None = Field(default=None, description="Version label (quote it: '1.0').")
    objectives: list[Objective] = Field(
        default_factory=list, description="The objectives the criteria measure."
    )


class Scale(_Model):
    """The scoring scale: range, step, type and descriptors of anchor points."""

    min: Number = Field(description="Lowest score allowed, e.g. `0`.")
    max: Number = Field(description="Highest score allowed, e.g. `10`.")
    step: Number | None = Field(
        default=None,
        description="Scores must be `min` plus a whole number of steps, e.g. `1`. "
        "Leave out to allow any number in the range.",
    )
    type: Literal["fixed", "relative"] = Field(
        default="fixed",
        description="`fixed`: anchored on defined reference levels (global); `relative`: "
        "best option = max, worst = min (local). Cost per benefit point needs `fixed`.",
    )
    descriptors: dict[Number, Text] = Field(
        default_factory=dict,
        description="What a score means at anchor points, e.g. `0: Seriously undermines…`."
        " Give at least both ends and the middle.",
    )

    @model_validator(mode="after")
    def _range(self) -> Scale:
        _check_range(self.min, self.max, self.step)
        return self


class ScaleOverride(_Model):
    """A criterion's own scale: any key given replaces the appraisal's scale's."""

    min: Number | None = Field(default=None, description="Lowest score for this criterion.")
    max: Number | None = Field(default=None, description="Highest score for this criterion.")
    step: Number | None = Field(default=None, description="Step for this criterion.")
    type: Literal["fixed", "relative"] | None = Field(
        default=None, description="`fixed` or `relative` for this criterion."
    )
    descriptors: dict[Number, Text] | None = Field(
        default=None, description="Descriptors for this criterion (replace the generic ones)."
    )


def _check_range(low: float, high: float, step: float | None) -> None:
    if not low < high:
        raise PydanticCustomError(
            "scale_range",
            "scale min {low} must be less than max {high}",
            {"low": _num(low), "high": _num(high)},
        )
    if step is not None:
        if step <= 0:
            raise PydanticCustomError("scale_step", "scale step must be more than 0", {})
        count = (high - low) / step
        if abs(count - round(count)) > 1e-9 * max(1.0, count):
            raise PydanticCustomError(
                "scale_step",
                "step {step} does not divide the range {low}–{high} into whole steps",
                {"step": _num(step), "low": _num(low), "high": _num(high)},
            )


class WeightSettings(_Model):
    """How weights are written and checked."""

    total: Number = Field(default=100, description="What weights at each level sum to.")
    tolerance: Number = Field(
        default=0.01, description="How far a level's sum may be from `total`."
    )
    normalise: bool = Field(
        default=False,
        description="`true` scales every level to `total` instead of failing when it does "
        "not sum. Never applied silently: the tool shows raw and normalised weights.",
    )
    method: WeightMethod = Field(
        default="direct",
        description="How the tree's weights were elicited: `direct`, `swing`, `points`, "
        "`ranking` or `ahp`.",
    )
    agreed: Text | None = Field(
        default=None, description="When the weights were agreed (before scoring), as text."
    )
    rationale: Text | None = Field(default=None, description="Why these weights.")


class ModerationSettings(_Model):
    """When a cell is flagged for the moderation meeting, and when it needs a note."""

    flag_range: Number = Field(
        default=4, description="Flag a cell when the panel's max − min is at least this."
    )
    flag_distance: Number = Field(
        default=2,
        description="Flag a cell when any score is more than this from the panel median.",
    )
    note_departure: Number = Field(
        default=1,
        description="A moderated score further than this from the panel median needs a note.",
    )


class CostSettings(_Model):
    """How the options' costs are expressed, and how profiles are discounted."""

    unit: Text = Field(default="£k", description="Unit of every cost, e.g. `£k`.")
    basis: Text | None = Field(
        default=None,
        description="Default cost basis, e.g. `5-year net present cost, 2007/08 prices`.",
    )
    price_base: YearLabel | None = Field(
        default=None,
        description="The year whose prices real amounts are in, e.g. `'2008/09'`. "
        "Needed as soon as an option has cost `lines`.",
    )
    first_year: YearLabel | None = Field(
        default=None,
        description="Year 0 of the appraisal period, e.g. `'2009/10'`: it is not discounted, "
        "and lines may then name their years (`'2010/11': 300`).",
    )
    years: int | None = Field(
        default=None,
        ge=1,
        le=500,
        description="Length of the appraisal period in years (year 0 to `years − 1`); "
        "an amount outside it is an error.",
    )
    discount: Literal["stpr", "health", "none"] = Field(
        default="stpr",
        description="Discount rates for cost lines: `stpr` (the Green Book's 3.5%, "
        "declining after year 30), `health` (1.5%, declining) or `none`.",
    )
    discount_table: Literal["green-book-2026"] = Field(
        default="green-book-2026",
        description="Edition of the bundled table of rates (so a later edition does not "
        "change an appraisal's factors).",
    )
    deflator: dict[YearLabel, Annotated[float, BeforeValidator(_finite), Field(gt=0)]] = Field(
        default_factory=dict,
        description="A price index by year (e.g. the GDP deflator), for `nominal` lines: "
        "real = nominal × index(price base) / index(year).",
    )


Purpose = Literal["decision", "assurance", "information"]


class BoardPaper(_Model):
    """The board paper's cover sheet and the sections the analysis cannot supply.

    All optional; a report prints "Not provided" for a missing one, so the gap shows.
    """

    meeting: Text | None = Field(
        default=None, description="The meeting, e.g. `PCT Board (meeting in public)`."
    )
    date: Text | None = Field(default=None, description="The meeting's date (text).")
    agenda_item: Text | None = Field(default=None, description="Agenda item, e.g. `7.2`.")
    reference: Text | None = Field(
        default=None, description="The paper's reference, e.g. `PCTB 09/014`."
    )
    author: Text | None = Field(default=None, description="Who wrote the paper.")
    presenter: Text | None = Field(default=None, description="Who presents it to the board.")
    purpose: Purpose | None = Field(
        default=None,
        description="`decision`, `assurance` or `information`: why it comes to the board.",
    )
    asked_to: Text | None = Field(
        default=None,
        description="What the board is asked to do, completing 'The Board is asked to …' "
        "(the decision it takes). Needed at status `final`.",
    )
    recommendation: Text | None = Field(
        default=None,
        description="The executive recommendation, printed apart from what the analysis "
        "shows. Needed at status `final`.",
    )
    financial_implications: Text | None = Field(
        default=None, description="Financial implications (affordability, funding, risk)."
    )
    risks: Text | None = Field(default=None, description="The main risks and their mitigation.")
    equality_and_quality: Text | None = Field(
        default=None, description="Equality and quality impact (assessments made or due)."
    )
    legal: Text | None = Field(
        default=None, description="Legal implications (e.g. TUPE, pensions, procurement law)."
    )
    engagement: Text | None = Field(
        default=None, description="Engagement and consultation: who was involved, and how."
    )
    previous_consideration: Text | None = Field(
        default=None, description="Where and when the board or others considered it before."
    )
    next_steps: Text | None = Field(
        default=None, description="What happens after the decision, with dates."
    )


class AppraisalFile(_Model):
    """``appraisal.yaml``: the appraisal as a whole."""

    appraisal: AppraisalInfo = Field(description="What is being decided and its status.")
    scale: Scale = Field(description="The scoring scale used unless a criterion overrides it.")
    weights: WeightSettings = Field(
        default_factory=WeightSettings, description="Weight checks and how weights were set."
    )
    moderation: ModerationSettings = Field(
        default_factory=ModerationSettings, description="Thresholds for moderation flags."
    )
    costs: CostSettings = Field(default_factory=CostSettings, description="Cost unit and basis.")
    paper: BoardPaper = Field(
        default_factory=BoardPaper,
        description="The board paper's cover sheet and sections (meeting, recommendation, "
        "implications).",
    )


# --- criteria/*.yaml -------------------------------------------------------------------


class Preference(_Model):
    """How PROMETHEE II compares two options on a criterion (used only by that method)."""

    function: Literal["usual", "ushape", "vshape", "level", "vshape_2"] = Field(
        default="usual",
        description="`usual` (any advantage counts fully), `ushape` (only above `q`), "
        "`vshape` (grows linearly up to `p`), `level` (half between `q` and `p`), "
        "`vshape_2` (grows linearly from `q` to `p`).",
    )
    q: Number = Field(
        default=0,
        description="Indifference threshold, in this criterion's score units: smaller "
        "differences are no preference.",
    )
    p: Number = Field(
        default=0,
        description="Preference threshold, in this criterion's score units: larger "
        "differences are full preference.",
    )

    @model_validator(mode="after")
    def _thresholds(self) -> Preference:
        if self.q < 0 or self.p < 0:
            raise PydanticCustomError("preference_negative", "thresholds must be 0 or more", {})
        if self.function in ("vshape", "level", "vshape_2") and not self.p > self.q:
            raise PydanticCustomError(
                "preference_order",
                "`{function}` needs p greater than q (p {p}, q {q})",
                {"function": self.function, "p": _num(self.p), "q": _num(self.q)},
            )
        return self


class DistinctFrom(_Model):
    """A declaration that two similar-looking criteria measure different things."""

    id: Id = Field(description="The other criterion's id.")
    reason: Text = Field(description="Why they do not double count.")


class Criterion(_Model):
    """A node of the value tree: a group (with `criteria`) or a scored criterion."""

    id: Id = Field(description="Unique identifier, e.g. `ACC`.")
    name: Text = Field(description="Name as printed in tables.")
    definition: Text = Field(
        default="",
        description="What is being judged. Required from status `scored` on.",
    )
    weight: Weight = Field(
        description="Weight relative to its siblings; each level sums to `weights.total`."
    )
    direction: Literal["higher_is_better", "lower_is_better"] = Field(
        default="higher_is_better", description="Whether a higher score is better."
    )
    scale: ScaleOverride | None = Field(
        default=None, description="This criterion's own scale or descriptors."
    )
    objectives: list[Id] = Field(
        default_factory=list, description="Ids of the objectives this criterion measures."
    )
    preference: Preference | None = Field(
        default=None,
        description="How PROMETHEE II (`appraise score --method promethee`) compares "
        "options on this criterion; default `usual`.",
    )
    covered_by_cost: bool = Field(
        default=False,
        description="`true` if what this criterion judges is also in the costs (warned: "
        "double counting in cost per point).",
    )
    distinct_from: list[DistinctFrom] = Field(
        default_factory=list,
        description="Similar-looking criteria this one does not duplicate, with reasons.",
    )
    normalise: bool = Field(
        default=False, description="`true` scales this group's child weights to the total."
    )
    notes: Text | None = Field(default=None, description="Anything else worth recording.")
    criteria: list[Criterion] | None = Field(
        default=None, description="Child criteria: makes this node a group."
    )

    @model_validator(mode="after")
    def _group_shape(self) -> Criterion:
        if self.criteria is not None:
            if not self.criteria:
                raise PydanticCustomError(
                    "empty_group", "group `{id}` has an empty `criteria` list", {"id": self.id}
                )
            if self.preference is not None:
                raise PydanticCustomError(
                    "group_preference",
                    "group `{id}` has a `preference`: only scored criteria have one",
                    {"id": self.id},
                )
            if self.scale is not None:
                raise PydanticCustomError(
                    "group_scale",
                    "group `{id}` has a `scale`: only scored criteria have scales",
                    {"id": self.id},
                )
        return self


class Hurdle(_Model):
    """A pass/fail test every option must pass to be ranked."""

    id: Id = Field(description="Unique identifier, e.g. `H1`.")
    name: Text = Field(description="Short name.")
    test: Text = Field(description="The test, stated so that pass or fail can be judged.")
    source: Text | None = Field(default=None, description="Where the test comes from.")
    envelope: EnvelopeRule | None = Field(
        default=None,
        description="An affordability envelope: the hurdle's result is computed from the "
        "options' cost lines (options then write no result for it).",
    )


class EnvelopeRule(_Model):
    """A budget envelope, tested against each option's costs (a computed hurdle)."""

    total: Number | None = Field(
        default=None, description="The most the counted costs may total over the period."
    )
    by_year: dict[YearKey, Number] | None = Field(
        default=None,
        description="The most they may be in each year, by year (`'2009/10': 1500` or "
        "`0: 1500`); years left out are not limited.",
    )
    categories: list[Text] = Field(
        default_factory=list,
        description="The cost categories counted (e.g. `[transition]`); empty counts all.",
    )
    measure: Literal["cash", "npc"] = Field(
        default="cash",
        description="`cash`: undiscounted real amounts after optimism bias and risk; "
        "`npc`: the same, discounted.",
    )

    @model_validator(mode="after")
    def _one_limit(self) -> EnvelopeRule:
        if (self.total is None) == (self.by_year is None):
            raise PydanticCustomError(
                "envelope_limit", "give the envelope either `total` or `by_year`", {}
            )
        if self.by_year is not None and not self.by_year:
            # no year limited: every option would pass, with nothing tested
            raise PydanticCustomError(
                "envelope_limit", "give `by_year` at least one year's limit", {}
            )
        return self


def _judgement(value: Any) -> Any:
    """An AHP judgement: a number, or a fraction written as text (``'1/3'``), 1/9 to 9."""
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError(
            "judgement_type",
            "expected a judgement such as 3 or '1/3', got {value}",
            {"value": str(value).lower()},
        )
    if isinstance(value, str):
        top, slash, bottom = value.partition("/")
        try:
            number = float(top) / float(bottom) if slash else float(top)
        except (ValueError, ZeroDivisionError):
            raise PydanticCustomError(
                "judgement_type",
                "expected a judgement such as 3 or '1/3', got the text {value!r}",
                {"value": value},
            ) from None
        value = number
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or not (JUDGEMENT_MIN <= value <= 9):
            raise PydanticCustomError(
                "judgement_range",
                "judgement {value} is outside Saaty's scale 1/9 … 9",
                {"value": _num(float(value))},
            )
        return float(value)
    return value


JUDGEMENT_MIN = 0.11
"""The smallest AHP judgement accepted: 1/9, also written as 0.11."""

Judgement = Annotated[
    float,
    BeforeValidator(_judgement),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0.11, "maximum": 9},
                {"type": "string", "pattern": r"^\s*[0-9.]+\s*/\s*[0-9.]+\s*$"},
            ],
            "description": "A number from 1/9 to 9, or a fraction as text such as '1/3'.",
        }
    ),
]
"""An AHP judgement: how many times more important the row is than the column."""

Swing = Annotated[float, BeforeValidator(_finite), Field(ge=0, le=100)]
"""A swing judgement: 100 for the most valued swing, the others 0 to 100 against it."""

Rank = Annotated[int, Field(ge=1)]
"""A place in a ranking: 1 for the most important."""

LEVEL_KINDS = ("swings", "points", "ranks", "pairwise")
"""The keys a recorded level can hold, one per elicitation method."""


class ElicitedLevel(_Model):
    """What was recorded for one level of the tree: the children of one group, or the
    top level."""

    group: Id | None = Field(
        default=None,
        description="The group whose criteria were weighed; leave out for the top level.",
    )
    swings: dict[Id, Swing] | None = Field(
        default=None,
        description="Swing weighting: the most valued swing (worst to best on the scale) "
        "is 100, every other swing judged against it, 0 to 100.",
    )
    points: dict[Id, Weight] | None = Field(
        default=None, description="Points allocation (SMART): points given to each, 0 or more."
    )
    ranks: dict[Id, Rank] | None = Field(
        default=None,
        description="A ranking only: 1 for the most important; ties share a rank and the "
        "next rank is skipped (1, 2, 2, 4).",
    )
    pairwise: dict[Id, dict[Id, Judgement]] | None = Field(
        default=None,
        description="AHP comparisons: `A: {B: 3}` means A is 3 times as important as B "
        "(1/9 … 9; write fractions as '1/3'). Each pair once, or both ways as "
        "reciprocals; pairs may be left out if the comparisons still link every criterion.",
    )
    note: Text | None = Field(default=None, description="Anything said about this level.")

    @model_validator(mode="after")
    def _one_kind(self) -> ElicitedLevel:
        given = [k for k in LEVEL_KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "level_kind",
                "a level records exactly one of swings, points, ranks or pairwise; "
                "this one has {given}",
                {"given": ", ".join(given) if given else "none"},
            )
        return self

    @property
    def kind(self) -> str:
        """Which of ``swings``, ``points``, ``ranks``, ``pairwise`` it holds."""
        return next(k for k in LEVEL_KINDS if getattr(self, k) is not None)


class Participant(_Model):
    """One participant in a weighting exercise, with what they recorded."""

    id: Id = Field(description="Unique identifier; their weights become weight set `SET.ID`.")
    name: Text = Field(description="Name or pseudonym.")
    role: Text | None = Field(default=None, description="Role or constituency.")
    levels: list[ElicitedLevel] = Field(description="What they recorded, level by level.")


class Elicitation(_Model):
    """What a weighting workshop recorded, from which the weights are derived."""

    levels: list[ElicitedLevel] | None = Field(
        default=None,
        description="One record agreed by the group, level by level (or give `participants`).",
    )
    participants: list[Participant] | None = Field(
        default=None,
        description="Each participant's own record; combined by `combine`, and each kept as "
        "its own weight set.",
    )
    combine: Literal["geometric_mean", "mean_weights"] | None = Field(
        default=None,
        description="How participants are combined: `geometric_mean` (AHP: of each "
        "judgement; otherwise of each participant's weights, rescaled) or `mean_weights`.",
    )
    rank_rule: Literal["roc", "rank_sum", "reciprocal"] = Field(
        default="roc",
        description="Weights from ranks: `roc` (rank-order centroid), `rank_sum` or `reciprocal`.",
    )
    random_index: Literal["saaty"] | dict[int, Annotated[float, Field(ge=0)]] = Field(
        default="saaty",
        description="Random-index table for AHP consistency ratios: `saaty` (Saaty's: "
        "3: 0.58, 4: 0.90, 5: 1.12 …) or your own, by matrix size.",
    )
    consistency_limit: Annotated[float, Field(gt=0)] = Field(
        default=0.10, description="Warn when an AHP consistency ratio is above this."
    )

    @model_validator(mode="after")
    def _who(self) -> Elicitation:
        if (self.levels is None) == (self.participants is None):
            raise PydanticCustomError(
                "elicitation_who",
                "give either `levels` (one agreed record) or `participants`, not "
                + ("both" if self.levels is not None else "neither"),
                {},
            )
        if self.participants is not None and not self.participants:
            raise PydanticCustomError("elicitation_who", "`participants` is empty", {})
        if self.participants is not None and len(self.participants) > 1 and self.combine is None:
            raise PydanticCustomError(
                "elicitation_combine",
                "several participants need a declared `combine` rule",
                {},
            )
        return self


class WeightSet(_Model):
    """A named alternative set of weights, e.g. a stakeholder group's view."""

    id: Id = Field(description="Unique identifier, e.g. `staff_side`.")
    name: Text = Field(description="Name as printed in tables.")
    description: Text = Field(default="", description="Whose view this is and how it was set.")
    method: WeightMethod = Field(default="direct", description="How the weights were elicited.")
    source: Text | None = Field(default=None, description="Workshop, date or document.")
    normalise: bool = Field(default=False, description="`true` scales each level to the total.")
    weights: dict[Id, Weight] = Field(
        default_factory=dict,
        description="Weights by criterion or group id; ids left out keep the tree's weight "
        "(or take the elicited weight). Given with `elicitation`, they must agree with it.",
    )
    elicitation: Elicitation | None = Field(
        default=None,
        description="What the workshop recorded; `method` says how (swing, points, "
        "ranking or ahp).",
    )

    @model_validator(mode="after")
    def _some_weights(self) -> WeightSet:
        if not self.weights and self.elicitation is None:
            raise PydanticCustomError(
                "weight_set_empty",
                "weight set `{id}` has neither `weights` nor `elicitation`",
                {"id": self.id},
            )
        return self


class CriteriaFile(_Model):
    """``criteria/*.yaml``: top-level groups of the value tree, hurdles, weight sets."""

    criteria: list[Criterion] = Field(
        default_factory=list, description="Top-level nodes of the value tree (usually groups)."
    )
    hurdles: list[Hurdle] = Field(default_factory=list, description="Pass/fail hurdles.")
    weight_sets: list[WeightSet] = Field(
        default_factory=list, description="Named alternative weight sets."
    )
    elicitation: Elicitation | None = Field(
        default=None,
        description="What the workshop recorded for the value tree's own weights "
        "(`weights.method` in appraisal.yaml says how); the tree's weights must agree.",
    )


# --- options/*.yaml --------------------------------------------------------------------


class Filter(_Model):
    """The option's outcome at the long-list filter."""

    outcome: Literal["preferred", "carried_forward", "possible", "discounted"] = Field(
        description="`preferred`, `carried_forward`, `possible` or `discounted`."
    )
    reason: Text = Field(default="", description="Why; required when discounted.")
    dimension: Literal["scope", "solution", "delivery", "implementation", "funding"] | None = Field(
        default=None,
        description="Options framework dimension the reason concerns (Green Book).",
    )


class HurdleResult(_Model):
    """An option's result on one hurdle."""

    result: Literal["pass", "fail", "conditional"] = Field(
        description="`pass`, `fail` or `conditional`."
    )
    reason: Text = Field(description="The evidence for the result.")


class CostLine(_Model):
    """One line of an option's cost."""

    item: Text = Field(description="What the cost is for.")
    amount: Number = Field(description="Amount, in the appraisal's cost unit.")


CELL_ADDRESS = re.compile(r"\$?[A-Za-z]{1,3}\$?[1-9][0-9]{0,6}")
"""A cell's address as Excel writes it: ``F42``, ``$F$42``."""


def _cell_address(value: Any) -> Any:
    if isinstance(value, str) and CELL_ADDRESS.fullmatch(value.strip()):
        return value.strip()
    raise PydanticCustomError(
        "cell_address",
        "{value} is not a cell's address such as F42",
        {"value": repr(value) if isinstance(value, str) else str(value)},
    )


class CellRef(_Model):
    """A number read from a workbook cell (a CIA workbook, say), its file's hash recorded."""

    workbook: Text = Field(description="The workbook's path, from the appraisal folder.")
    sheet: Text = Field(description="The sheet's name.")
    cell: Annotated[
        str,
        BeforeValidator(_cell_address),
        WithJsonSchema({"type": "string", "pattern": r"^\$?[A-Za-z]{1,3}\$?[1-9][0-9]{0,6}$"}),
    ] = Field(description="The cell, e.g. `F42`.")


def _amount_kind(value: Any) -> str:
    return "<cell>" if isinstance(value, (dict, CellRef)) else "<number>"


Amount = Annotated[
    Annotated[Number, Tag("<number>")] | Annotated[CellRef, Tag("<cell>")],
    Discriminator(_amount_kind),
]
"""An amount: a number, or a workbook cell `{workbook, sheet, cell}` (one error either
way: the branch is chosen by the value's shape)."""

YearKey = Annotated[
    int | str,
    BeforeValidator(_year_key),
    WithJsonSchema(
        {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]{4}(/[0-9]{2})?$"}]}
    ),
]
"""A year of the period: its index (`0` is the first year) or its label (`'2010/11'`)."""


def _years_kind(value: Any) -> str:
    return "<list>" if isinstance(value, list) else "<map>"


Years = Annotated[
    Annotated[list[Amount], Tag("<list>")] | Annotated[dict[YearKey, Amount], Tag("<map>")],
    Discriminator(_years_kind),
]
"""Amounts by year: a list from year 0, or a mapping of years to amounts."""

FORBID_NEGATIVE = ("capital", "lifecycle", "transition")
"""Categories whose amounts cannot be negative (a saving is a `revenue` line)."""


class OptimismBias(_Model):
    """The optimism-bias uplift on a cost line (Green Book supplementary guidance)."""

    category: Text = Field(
        description="The reference class, e.g. `Equipment/development` or `Outsourcing`."
    )
    upper_bound: Percent = Field(
        ge=0, description="The class's upper bound, in percent (`41` or `'41%'`)."
    )
    lower_bound: Percent | None = Field(
        default=None,
        ge=0,
        description="The class's lower bound, in percent: Monte Carlo then draws the "
        "uplift between the bounds, most likely at the one applied.",
    )
    mitigation: Fraction = Field(
        default=0,
        description="The share of the upper bound mitigated away, 0 to 1: the uplift "
        "applied is `upper_bound × (1 − mitigation)`.",
    )
    source: Text | None = Field(
        default=None,
        description="Where the bound comes from (reference class, study); needed at "
        "status `final` and for any bound over 200%.",
    )
    reason: Text | None = Field(
        default=None, description="Why it was mitigated this far (the risks costed)."
    )


class ProfileLine(_Model):
    """One line of an option's whole-life cost: a category and its amounts by year."""

    item: Text = Field(description="What the cost is for.")
    category: Text = Field(
        description="`capital`, `revenue`, `lifecycle`, `transition`, or your own; only "
        "`revenue` and your own may be negative (savings)."
    )
    years: Years | None = Field(
        default=None,
        description="Amounts by year: a list from year 0, or by year "
        "(`{'2009/10': 800, '2010/11': 600}` or `{0: 800, 1: 600}`).",
    )
    amount: Amount | None = Field(
        default=None, description="One amount instead of `years`, falling in `year`."
    )
    year: YearKey = Field(default=0, description="The year `amount` falls in (default year 0).")
    prices: Literal["real", "nominal"] = Field(
        default="real",
        description="`real`: in the price base's prices; `nominal`: cash of each year, "
        "converted with `costs.deflator`.",
    )
    low: Number | None = Field(
        default=None,
        description="The lowest plausible total of the line (undiscounted, before "
        "uplift), for Monte Carlo.",
    )
    high: Number | None = Field(default=None, description="The highest plausible total.")
    optimism_bias: OptimismBias | None = Field(
        default=None, description="The uplift for optimism bias on this line."
    )
    source: Text | None = Field(default=None, description="Where the figures come from.")

    @model_validator(mode="after")
    def _amounts(self) -> ProfileLine:
        if (self.years is None) == (self.amount is None):
            raise PydanticCustomError(
                "line_amounts", "give the cost line either `years` or `amount`", {}
            )
        return self


class RiskLine(_Model):
    """A monetised risk: probability × impact."""

    item: Text = Field(description="The risk.")
    probability: Fraction = Field(description="Its probability, 0 to 1.")
    impact: Amount = Field(description="Its cost if it happens, in the unit (real terms).")
    year: YearKey = Field(default=0, description="The year it would fall in.")
    category: Text | None = Field(
        default=None, description="The cost category it falls on (for an envelope)."
    )


class Risk(_Model):
    """An option's risk allowance: a stated sum, or probability × impact lines."""

    amount: Amount | None = Field(
        default=None, description="A stated sum, in the unit (real terms)."
    )
    year: YearKey = Field(default=0, description="The year the stated sum falls in.")
    lines: list[RiskLine] = Field(default_factory=list, description="Monetised risks.")
    source: Text | None = Field(default=None, description="Where it comes from (risk register).")

    @model_validator(mode="after")
    def _one_way(self) -> Risk:
        if (self.amount is None) == (not self.lines):
            raise PydanticCustomError(
                "risk_shape", "give the risk allowance either `amount` or `lines`", {}
            )
        return self


class Cost(_Model):
    """An option's cost, held apart from the benefit criteria: one amount, or whole-life
    cost lines that are discounted, uplifted and risk-adjusted to a net present cost."""

    amount: Amount | None = Field(
        default=None,
        description="The cost used for value for money (e.g. net present cost), in the "
        "unit. With `lines`, the written net present cost: it must agree with theirs.",
    )
    basis: Text | None = Field(
        default=None, description="What the figure is; defaults to `costs.basis`."
    )
    breakdown: list[CostLine] = Field(
        default_factory=list, description="Lines that add up to `amount` (without `lines`)."
    )
    lines: list[ProfileLine] = Field(
        default_factory=list,
        description="Whole-life cost lines by year; the option's cost is their risk-adjusted "
        "net present cost.",
    )
    risk: Risk | None = Field(default=None, description="The risk allowance.")
    low: Number | None = Field(
        default=None, description="With one `amount`: its lowest plausible value."
    )
    high: Number | None = Field(default=None, description="Its highest plausible value.")

    @model_validator(mode="after")
    def _shape(self) -> Cost:
        if self.amount is None and not self.lines:
            raise PydanticCustomError("cost_shape", "give the cost an `amount` or cost `lines`", {})
        if self.lines and self.breakdown:
            raise PydanticCustomError(
                "cost_shape", "give the cost `lines` or a `breakdown`, not both", {}
            )
        return self


class Option(_Model):
    """One option under appraisal."""

    id: Id = Field(description="Unique identifier, e.g. `CFT`.")
    name: Text = Field(description="Name as printed in tables.")
    description: Text = Field(description="One or two sentences.")
    baseline: bool = Field(
        default=False, description="`true` for the business-as-usual baseline (exactly one)."
    )
    filter: Filter | None = Field(
        default=None,
        description="Long-list filter outcome; leaving it out means carried forward.",
    )
    scope: Text | None = Field(
        default=None, description="Which services the option covers (warned if options differ)."
    )
    cost: Cost | None = Field(default=None, description="The option's cost.")
    hurdles: dict[Id, HurdleResult] = Field(
        default_factory=dict, description="Result on each hurdle, by hurdle id."
    )
    assumptions: list[Text] = Field(default_factory=list, description="Assumptions made.")

    @property
    def discounted(self) -> bool:
        """True when the long-list filter discounted the option."""
        return self.filter is not None and self.filter.outcome == "discounted"


class OptionsFile(_Model):
    """``options/*.yaml``: options."""

    options: list[Option] = Field(description="The options.")


# --- scores/*.yaml ---------------------------------------------------------------------


class Scorer(_Model):
    """A panel member."""

    id: Id = Field(description="Unique identifier, e.g. `P1`.")
    name: Text = Field(description="Name or pseudonym.")
    role: Text = Field(description="Role or constituency, e.g. `Staff-side representative`.")
    interests: Text | None = Field(default=None, description="Declared interests.")


class PanelFile(_Model):
    """``panel.yaml``: the scoring panel, a sheet each with ``appraise sheet --all``."""

    panel: list[Scorer] = Field(description="The panel members, in the order to list them.")


class Cell(_Model):
    """One panel member's score of one option on one criterion."""

    score: Number | None = Field(
        description="The score, on the criterion's scale. Blank (`score:` with no value, "
        "as `appraise sheet` writes it) until scored: allowed in status `draft` and "
        "`scored`, when results are PROVISIONAL; an error from `moderated` on."
    )
    rationale: Text = Field(default="", description="Why this score; required at status `final`.")
    low: Number | None = Field(default=None, description="Lowest plausible score (optional).")
    high: Number | None = Field(default=None, description="Highest plausible score (optional).")
    evidence: list[Text] = Field(
        default_factory=list, description="Documents or data the score rests on."
    )

    @model_validator(mode="after")
    def _range(self) -> Cell:
        if (self.low is None) != (self.high is None):
            raise PydanticCustomError("low_high_pair", "give both `low` and `high`, or neither", {})
        if (
            self.low is not None
            and self.high is not None
            and self.score is not None
            and not (self.low <= self.score <= self.high)
        ):
            raise PydanticCustomError(
                "low_high_order",
                "low {low} ≤ score {score} ≤ high {high} does not hold",
                {"low": _num(self.low), "score": _num(self.score), "high": _num(self.high)},
            )
        return self


class _Lean:
    """A compact, frozen record of one score-file cell, validated by its file-format
    model (:attr:`FORMAT`, which gives the schema, the key reference and the messages)
    and then kept as a slotted dataclass: a score file can hold 100,000 cells, and a
    pydantic model instance costs several times the cell's own data."""

    __slots__ = ()
    FORMAT: ClassVar[type[BaseModel]]

    @classmethod
    def from_format(cls, model: Any) -> Any:  # pragma: no cover - each subclass has its own
        raise NotImplementedError

    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls.from_format,
            handler(cls.FORMAT),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: value.as_json()
            ),
        )

    def as_json(self) -> dict[str, Any]:
        """The cell as plain JSON data, as its file-format model would dump it."""
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = [
                    v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value
                ]
            out[f.name] = value
        return out


@dataclass(frozen=True, slots=True)
class ScoreCell(_Lean):
    """One panel member's score of one option on one criterion, as held after reading
    (the file format is :class:`Cell`). ``score`` is ``None`` where it was left blank."""

    score: float | None
    rationale: str = ""
    low: float | None = None
    high: float | None = None
    evidence: tuple[str, ...] = ()
    FORMAT: ClassVar[type[BaseModel]] = Cell

    @classmethod
    def from_format(cls, model: Cell) -> ScoreCell:
        return cls(
            model.score,
            model.rationale,
            model.low,
            model.high,
            tuple(model.evidence) if model.evidence else (),
        )


class ScoreSheet(_Model):
    """``scores/*.yaml``: one panel member's scores."""

    scorer: Scorer = Field(description="Who scored.")
    scores: dict[Id, dict[Id, ScoreCell]] = Field(
        description="Scores by option id, then criterion id."
    )


class Dissent(_Model):
    """A panel member's recorded disagreement with a moderated score."""

    scorer: Id = Field(description="The panel member's id.")
    score: Number | None = Field(default=None, description="The score they would give.")
    reason: Text = Field(description="Their reason.")


class ModeratedCell(_Model):
    """The moderated (consensus) score of one option on one criterion."""

    score: Number = Field(description="The agreed score.")
    note: Text = Field(
        default="",
        description="Moderation note: needed where the panel disagreed or the agreed score "
        "departs from the panel median.",
    )
    dissent: list[Dissent] = Field(
        default_factory=list, description="Panel members who do not agree."
    )


@dataclass(frozen=True, slots=True)
class ModeratedScore(_Lean):
    """The moderated score of one option on one criterion, as held after reading (the
    file format is :class:`ModeratedCell`)."""

    score: float
    note: str = ""
    dissent: tuple[Dissent, ...] = ()
    FORMAT: ClassVar[type[BaseModel]] = ModeratedCell

    @classmethod
    def from_format(cls, model: ModeratedCell) -> ModeratedScore:
        return cls(model.score, model.note, tuple(model.dissent) if model.dissent else ())


class ModerationInfo(_Model):
    """The moderation meeting."""

    chair: Text = Field(description="Who chaired it.")
    date: Text | None = Field(default=None, description="When (text).")
    note: Text | None = Field(default=None, description="Anything about the meeting.")


class ModerationFile(_Model):
    """``scores/*.yaml`` with ``moderation:``: the moderated scores."""

    moderation: ModerationInfo = Field(description="The moderation meeting.")
    scores: dict[Id, dict[Id, ModeratedScore]] = Field(
        description="Moderated scores by option id, then criterion id."
    )


FILE_MODELS: dict[str, type[_Model]] = {
    "appraisal": AppraisalFile,
    "criteria": CriteriaFile,
    "options": OptionsFile,
    "scores": ScoreSheet,
    "moderation": ModerationFile,
    "panel": PanelFile,
}
"""The model of each kind of file, by the name ``appraise schema`` uses."""
