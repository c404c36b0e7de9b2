"""Huge appraisals: thousands of problems of one kind are summarised, not printed one by
one (text and GitHub formats); JSON keeps every one. Speed is measured in bench/, not
here."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from appraise.errors import Issue, Severity
from appraise.files.diagnostics import SHOWN_PER_KIND, format_github, format_text
from conftest import Run

N = 2_000


def _unscored(folder: Path, n: int, scorers: int = 3) -> Path:
    """An appraisal of ``n`` options whose score sheets hold only the first option (at
    status moderated, where a missing score is an error)."""
    (folder / "criteria").mkdir(parents=True)
    (folder / "options").mkdir()
    (folder / "scores").mkdir()
    (folder / "appraisal.yaml").write_text(
        "appraisal: {title: Big, decision: Test, decision_maker: Board, status: moderated}\n"
        "scale: {min: 0, max: 10, step: 1, descriptors: {0: Poor, 5: Fair, 10: Good}}\n"
    )
    (folder / "criteria" / "tree.yaml").write_text(
        "criteria:\n"
        + "".join(
            f"  - {{id: C{c}, name: Measure {c}, definition: What {c} is, weight: 25}}\n"
            for c in range(4)
        )
    )
    (folder / "options" / "options.yaml").write_text(
        "options:\n"
        + "".join(
            f"  - {{id: opt-{o:06d}, name: Option {o}, description: D"
            + (", baseline: true}\n" if o == 0 else "}\n")
            for o in range(n)
        )
    )
    for s in range(scorers):
        cells = "".join(f"    C{c}: {{score: 5, rationale: R}}\n" for c in range(4))
        (folder / "scores" / f"s{s}.yaml").write_text(
            f"scorer: {{id: S{s}, name: Scorer {s}, role: Panel}}\nscores:\n  opt-000000:\n{cells}"
        )
    return folder


def test_thousands_of_one_kind_are_summarised(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    root = _unscored(tmp_path / "big", N)
    result = run_cli("validate", str(root))
    assert result.exit_code == 1
    err = result.stderr
    assert err.count(": error: ") == SHOWN_PER_KIND
    hidden = 3 * (N - 1) - SHOWN_PER_KIND
    assert f"… and {hidden:,} more errors of the same kind (missing-score) in 3 files" in err
    assert "`opt-001999`" in err
    assert len(err) < 10_000
    assert f"invalid: {3 * (N - 1)} errors" in err
    data = json.loads(run_cli("validate", str(root), "--format", "json").stdout)
    assert data["errors"] == 3 * (N - 1)
    assert len(data["issues"]) == 3 * (N - 1) + 4  # and 4 warnings (one: no moderation)


def test_kinds_are_counted_apart() -> None:
    issues = [
        Issue(Severity.ERROR, "a", f"option `x{i}` is bad", path=Path("f.yaml"), line=i)
        for i in range(25)
    ] + [Issue(Severity.WARNING, "b", "same", path=Path("g.yaml"), line=1)] * 3
    text = format_text(issues)
    assert text.count(": error: ") == 20
    assert text.count(": warning: ") == 3
    assert "… and 5 more errors of the same kind (a) in 1 file: `x20` to `x24`" in text
    github = format_github(issues)
    assert github.count("::error ") == 20
    assert "::notice title=appraise::appraise: … and 5 more errors" in github


def test_user_text_in_a_message_cannot_reach_the_terminal_raw() -> None:
    issue = Issue(
        Severity.ERROR,
        "x",
        "id `a\x1b]0;owned\x07` is bad",
        hint="see \u202efile",
        path=Path("sc\x1bores/p\x00.yaml"),
        line=1,
    )
    text = format_text([issue]) + format_github([issue])
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\u202e" not in text
    assert "\\x1b]0;owned\\x07" in text


def test_did_you_mean_among_many_ids_is_one_slip_away_or_nothing() -> None:
    """Beyond a few thousand ids a "did you mean" looks only for the same id up to case
    and punctuation, or one typing slip away, so thousands of unknown ids among
    100,000 options stay quick; among few ids difflib's closest is still offered."""
    from appraise.files.checks.context import FULL_SEARCH, Context
    from appraise.files.loading import load_appraisal
    from conftest import CASES

    appraisal, _ = load_appraisal(CASES / "valid" / "small")
    assert appraisal is not None
    ctx = Context(appraisal)
    many = {f"opt-{i:06d}" for i in range(FULL_SEARCH * 10)}
    assert ctx.suggest("OPT-000123", many) == "did you mean `opt-000123`?"  # case
    assert ctx.suggest("opt000123", many) == "did you mean `opt-000123`?"  # punctuation
    assert ctx.suggest("opt-00123", many) == "did you mean `opt-000123`?"  # a digit missing
    assert ctx.suggest("opt-0000123", many) == "did you mean `opt-000123`?"  # one added
    assert ctx.suggest("pot-000123", many) == "did you mean `opt-000123`?"  # two swapped
    assert ctx.suggest("opt-00x123", many) == "did you mean `opt-000123`?"  # one changed
    assert ctx.suggest("zzz-abc", many) == ""
    few = ["ESTATE", "QUALITY", "ACCESS"]
    assert ctx.suggest("Estate", few) == "did you mean `ESTATE`?"
    assert ctx.suggest("QUALTY", few) == "did you mean `QUALITY`?"
    assert ctx.suggest("xyz", few) == ""
