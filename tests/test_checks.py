"""Rules across files whose severity or outcome depends on settings and status."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from appraise.errors import Severity
from appraise.files.checks import near_duplicate
from appraise.files.validation import validate
from conftest import CASES

SMALL = CASES / "valid" / "small"


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def codes(folder: Path, *, strict: bool = False) -> list[tuple[str, str]]:
    return [(i.severity.value, i.code) for i in validate(folder, strict=strict).issues]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Patient focussed", "Patient focussed", True),
        ("Patient focussed", "Patient focused", True),
        ("Patient focussed", "Patient-focused", True),
        ("Promotes choice", "Choice", True),
        ("Quality of care", "quality of CARE", True),
        ("Promotes choice", "Promotes capacity", False),
        ("Improves clinical quality", "Clinical quality", True),
        ("Criterion 1", "Criterion 11", False),
        ("Supports clinicians", "Supports collaboration", False),
        ("Promotes innovation", "Promotes value for money", False),
        ("Acceptability to stakeholders", "Acceptability to stakeholder", True),
        ("Robust governance", "Governance", True),
    ],
)
def test_near_duplicate_names(a: str, b: str, same: bool) -> None:
    assert near_duplicate(a, b) is same
    assert near_duplicate(b, a) is same


def test_distinct_from_allows_similar_names(folder: Path) -> None:
    edit(folder, "criteria/tree.yaml", 'name: "Access"', 'name: "Quality of care "')
    assert ("error", "duplicate-criterion") in codes(folder)
    edit(
        folder,
        "criteria/tree.yaml",
        "weight: 30}",
        'weight: 30, distinct_from: [{id: QUAL, reason: "access to care, not its quality"}]}',
    )
    assert codes(folder) == []


@pytest.mark.parametrize(
    ("status", "severity"),
    [
        ("draft", "warning"),
        ("scored", "warning"),
        ("moderated", "warning"),
        ("final", "error"),
    ],
)
def test_missing_rationale_by_status(folder: Path, status: str, severity: str) -> None:
    edit(folder, "appraisal.yaml", "status: moderated", f"status: {status}")
    edit(folder, "scores/bob.yaml", 'rationale: "Simple project"', 'rationale: "  "')
    assert (severity, "no-rationale") in codes(folder)


@pytest.mark.parametrize(
    ("status", "severity"),
    [
        ("draft", "warning"),
        ("scored", "error"),
        ("final", "error"),
    ],
)
def test_missing_definition_by_status(folder: Path, status: str, severity: str) -> None:
    edit(folder, "appraisal.yaml", "status: moderated", f"status: {status}")
    edit(folder, "criteria/tree.yaml", ', definition: "Ease of getting care"', "")
    assert (severity, "no-definition") in codes(folder)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("draft", []),
        ("scored", []),
        ("moderated", [("warning", "missing-moderated")]),
        (
            "final",  # and a final paper must say what the board is asked and recommended
            [
                ("warning", "paper-incomplete"),
                ("warning", "paper-incomplete"),
                ("error", "missing-moderated"),
            ],
        ),
    ],
)
def test_moderation_required_from_status_moderated(
    folder: Path, status: str, expected: list[tuple[str, str]]
) -> None:
    edit(folder, "appraisal.yaml", "status: moderated", f"status: {status}")
    (folder / "scores" / "moderated.yaml").unlink()
    assert codes(folder) == expected


def test_partial_moderation_is_fine_while_draft(folder: Path) -> None:
    edit(folder, "appraisal.yaml", "status: moderated", "status: draft")
    edit(folder, "scores/moderated.yaml", ", RISK: {score: 6}}", "}")
    assert codes(folder) == []


def test_note_missing_is_a_warning_before_moderated(folder: Path) -> None:
    edit(folder, "appraisal.yaml", "status: moderated", "status: scored")
    edit(folder, "scores/moderated.yaml", "SPOKE: {QUAL: {score: 7}", "SPOKE: {QUAL: {score: 9}")
    assert codes(folder) == [("warning", "moderation-note-missing")]


def test_strict_turns_warnings_into_errors(folder: Path) -> None:
    edit(folder, "appraisal.yaml", "status: moderated", "status: draft")
    edit(folder, "scores/bob.yaml", 'rationale: "Simple project"', 'rationale: ""')
    assert validate(folder).valid
    result = validate(folder, strict=True)
    assert not result.valid
    assert [i.severity for i in result.issues] == [Severity.ERROR]


def test_normalise_allows_weights_that_do_not_sum(folder: Path) -> None:
    edit(folder, "criteria/tree.yaml", "weight: 30}", "weight: 20}")
    assert ("error", "weights-sum") in codes(folder)
    edit(folder, "criteria/tree.yaml", "    weight: 60\n", "    weight: 60\n    normalise: true\n")
    assert codes(folder) == []


def test_normalise_everywhere_and_total_of_one(folder: Path) -> None:
    path = folder / "criteria" / "tree.yaml"
    text = path.read_text()
    for old, new in (
        ("weight: 60\n", "weight: 0.6\n"),
        ("weight: 40\n", "weight: 0.4\n"),
        ("weight: 70,", "weight: 0.7,"),
        ("weight: 30}", "weight: 0.3}"),
        ("weight: 50}", "weight: 0.5}"),
    ):
        text = text.replace(old, new)
    path.write_text(text)
    edit(folder, "criteria/extras.yaml", "{care: 50, running: 50}", "{care: 0.5, running: 0.5}")
    assert ("error", "weights-sum") in codes(folder)
    edit(folder, "appraisal.yaml", "moderation:", "weights: {total: 1}\nmoderation:")
    assert codes(folder) == []


def test_tolerance(folder: Path) -> None:
    edit(folder, "criteria/tree.yaml", "weight: 70,", "weight: 69.995,")
    assert codes(folder) == []
    edit(folder, "criteria/tree.yaml", "weight: 69.995,", "weight: 69.9,")
    assert ("error", "weights-sum") in codes(folder)
    edit(folder, "appraisal.yaml", "moderation:", "weights: {tolerance: 0.5}\nmoderation:")
    assert codes(folder) == []


def test_weight_set_normalise(folder: Path) -> None:
    edit(folder, "criteria/extras.yaml", "{care: 50, running: 50}", "{care: 1, running: 1}")
    assert ("error", "weights-sum") in codes(folder)
    edit(folder, "criteria/extras.yaml", "    weights:", "    normalise: true\n    weights:")
    assert codes(folder) == []


def test_scope_and_cost_and_shortlist_warnings(folder: Path) -> None:
    edit(
        folder,
        "options/options.yaml",
        '    description: "One hub in the town centre"\n',
        '    description: "One hub in the town centre"\n    scope: "Adults only"\n',
    )
    edit(
        folder,
        "options/options.yaml",
        '    description: "Carry on as now"\n',
        '    description: "Carry on as now"\n    scope: "All ages"\n',
    )
    edit(
        folder,
        "options/options.yaml",
        '    description: "A hub and three spokes"\n',
        '    description: "A hub and three spokes"\n    scope: "All ages"\n',
    )
    edit(folder, "options/options.yaml", "    cost: {amount: 450}\n", "")
    assert codes(folder) == [("warning", "scope-differs"), ("warning", "cost-missing")]


def test_discounted_option_scored_is_a_warning(folder: Path) -> None:
    edit(
        folder,
        "scores/ann.yaml",
        "  OUT:",
        '  NEWBUILD:\n    QUAL: {score: 1, rationale: "x"}\n  OUT:',
    )
    assert codes(folder) == [("warning", "scored-discounted")]


def test_repeated_rationale_is_a_warning(folder: Path) -> None:
    path = folder / "scores" / "bob.yaml"
    lines = path.read_text().splitlines()
    import re

    path.write_text(
        "\n".join(re.sub(r'rationale: "[^"]*"', 'rationale: "Fine"', line) for line in lines) + "\n"
    )
    assert codes(folder) == [("warning", "repeated-rationale")]


def test_covered_by_cost_is_a_warning(folder: Path) -> None:
    edit(
        folder,
        "criteria/tree.yaml",
        "weight: 50}\n      - {id: RISK",
        "weight: 50, covered_by_cost: true}\n      - {id: RISK",
    )
    assert codes(folder) == [("warning", "covered-by-cost")]


def test_per_criterion_scale_override(folder: Path) -> None:
    edit(
        folder,
        "criteria/tree.yaml",
        "weight: 30}",
        'weight: 30, scale: {min: 0, max: 100, step: 1, descriptors: {0: "None", 50: "Some",'
        ' 100: "Full"}}}',
    )
    result = validate(folder)
    off = [i for i in result.issues if i.code == "score-off-step"]
    assert off == []
    assert result.valid
    edit(folder, "scores/ann.yaml", "ACCESS: {score: 4,", "ACCESS: {score: 42,")
    assert not [i for i in validate(folder).issues if i.code.startswith("score-off")]
    edit(folder, "scores/ann.yaml", "ACCESS: {score: 42,", "ACCESS: {score: 101,")
    messages = [i.message for i in validate(folder).issues if i.code.startswith("score-off")]
    assert messages == ["score 101 is outside the scale 0–100 in steps of 1 (criterion ACCESS)"]


def test_bad_scale_override(folder: Path) -> None:
    edit(folder, "criteria/tree.yaml", "weight: 30}", "weight: 30, scale: {max: 7, step: 2}}")
    assert ("error", "bad-scale") in codes(folder)


def test_many_criteria_warning(folder: Path, tmp_path: Path) -> None:
    from appraise.files.checks import MANY_CRITERIA

    leaves = "\n".join(
        f'      - {{id: C{i}, name: "Thing {chr(65 + i)}{chr(65 + i)}x", definition: "d",'
        f" weight: {100 / (MANY_CRITERIA - 1):.10f}}}"
        for i in range(MANY_CRITERIA - 1)
    )
    edit(
        folder,
        "criteria/tree.yaml",
        "    weight: 40\n    criteria:\n",
        "    weight: 40\n    normalise: true\n    criteria:\n" + leaves + "\n",
    )
    result = validate(folder)
    assert ("warning", "many-criteria") in [(i.severity.value, i.code) for i in result.issues]


def test_check_errors_do_not_cascade_from_a_broken_file(
    folder: Path, run_cli: Callable[..., object]
) -> None:
    edit(folder, "options/options.yaml", "  - id: HUB", "  - id: HUB\n    oops: [")
    result = validate(folder)
    assert [i.code for i in result.issues] == ["yaml-syntax"]


def test_a_final_paper_says_what_the_board_is_asked_and_recommended(folder: Path) -> None:
    edit(folder, "appraisal.yaml", "status: moderated", "status: final")
    assert codes(folder).count(("warning", "paper-incomplete")) == 2
    with (folder / "appraisal.yaml").open("a", encoding="utf-8") as f:
        f.write("paper:\n  asked_to: approve the hub\n  recommendation: '  '\n")
    assert codes(folder).count(("warning", "paper-incomplete")) == 1  # blank is missing
    edit(folder, "appraisal.yaml", "recommendation: '  '", "recommendation: the hub")
    assert ("warning", "paper-incomplete") not in codes(folder)
    edit(folder, "appraisal.yaml", "status: final", "status: moderated")
    edit(folder, "appraisal.yaml", "  asked_to: approve the hub\n", "")
    assert ("warning", "paper-incomplete") not in codes(folder)  # only at final
