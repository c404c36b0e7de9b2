"""Weights derived from recorded elicitation (``appraise.files.elicitation``), through the real
loader: hand-worked derivations, AHP against pymcdm and NumPy, the bundled example, the
``weights`` command, and ``validate`` still free of NumPy.

Every expected number is worked by hand in a comment or computed independently here
(NumPy's eigen-solver, pymcdm, PyYAML reading the example), never taken from the module.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import appraise
from appraise.errors import Issue, Severity
from appraise.files.elicitation import ElicitedSet, derive
from appraise.files.loading import load_appraisal
from conftest import CASES, REPO, Run

SMALL = CASES / "valid" / "small"
RunCli = Callable[..., Run]

HURDLES = 'hurdles:\n  - {id: H1, name: "Affordability", test: "Cost within the envelope"}\n'

# care holds three criteria (for 3 x 3 comparisons), running one
THREE = """\
criteria:
  - id: care
    name: "Care"
    definition: "Effect on care"
    weight: 60
    criteria:
      - {id: QUAL, name: "Quality", definition: "Safety and effectiveness", weight: 50}
      - {id: ACCESS, name: "Access", definition: "Ease of getting care", weight: 30}
      - {id: STAFF, name: "Workforce", definition: "Recruiting and keeping staff", weight: 20}
  - id: running
    name: "Running the service"
    definition: "Effect on running the service"
    weight: 40
    criteria:
      - {id: RISK, name: "Delivery", definition: "Confidence of delivery", weight: 100}
"""

# four criteria side by side at the top level (for ranks 1, 2, 2, 4 and 4 x 4 AHP)
FLAT = """\
criteria:
  - {id: QUAL, name: "Quality", definition: "Safety and effectiveness", weight: 40}
  - {id: ACCESS, name: "Access", definition: "Ease of getting care", weight: 30}
  - {id: STAFF, name: "Workforce", definition: "Recruiting and keeping staff", weight: 20}
  - {id: RISK, name: "Delivery", definition: "Confidence of delivery", weight: 10}
"""


def weight_set(
    method: str,
    elicitation: str,
    *,
    ident: str = "workshop",
    name: str = "Board workshop",
    weights: str | None = None,
) -> str:
    """A weight set recording ``elicitation`` (YAML written from column 0)."""
    head = f'  - id: {ident}\n    name: "{name}"\n    method: {method}\n'
    if weights is not None:
        head += f"    weights: {weights}\n"
    return head + "    elicitation:\n" + textwrap.indent(textwrap.dedent(elicitation), " " * 6)


def make_folder(
    root: Path, *sets: str, tree: str | None = None, tree_tail: str = "", settings: str = ""
) -> Path:
    """A copy of ``tests/cases/valid/small`` with its tree and weight sets replaced."""
    target = root / "appraisal"
    shutil.copytree(SMALL, target)
    (target / "expected.txt").unlink()
    tree_path = target / "criteria" / "tree.yaml"
    tree_text = tree if tree is not None else tree_path.read_text(encoding="utf-8")
    tree_path.write_text(tree_text + tree_tail, encoding="utf-8")
    extras = HURDLES + ("weight_sets:\n" + "".join(sets) if sets else "")
    (target / "criteria" / "extras.yaml").write_text(extras, encoding="utf-8")
    if settings:
        with (target / "appraisal.yaml").open("a", encoding="utf-8") as f:
            f.write(settings)
    return target


def derived(root: Path) -> tuple[dict[str, ElicitedSet], list[Issue]]:
    appraisal, load_issues = load_appraisal(root)
    assert appraisal is not None, load_issues
    sets, issues = derive(appraisal)
    return {s.set_id: s for s in sets}, issues


def one_set(root: Path, ident: str = "workshop") -> ElicitedSet:
    sets, issues = derived(root)
    assert not issues, issues
    return sets[ident]


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.ERROR]


def principal(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal eigenvector (summing to 1) and eigenvalue, by NumPy."""
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    v = np.abs(vectors[:, k].real)
    return v / v.sum(), float(values[k].real)


def harker(a: np.ndarray) -> np.ndarray:
    """Harker's completion: a missing (NaN) a_ij becomes 0 and a_ii 1 + missing in row i."""
    c = np.where(np.isnan(a), 0.0, a)
    for i in range(len(a)):
        c[i, i] = 1.0 + np.isnan(a[i]).sum()
    return c


def judgement(x: Any) -> float:
    if isinstance(x, str):
        top, bottom = x.split("/")
        return float(top) / float(bottom)
    return float(x)


# -- hand-worked derivations -------------------------------------------------------------


def test_swing_100_60_40_gives_50_30_20(tmp_path: Path) -> None:
    # 100 + 60 + 40 = 200: 100/200 = 0.5, 60/200 = 0.3, 40/200 = 0.2
    root = make_folder(
        tmp_path,
        weight_set(
            "swing",
            """\
            levels:
              - group: care
                swings: {QUAL: 100, ACCESS: 60, STAFF: 40}
            """,
        ),
        tree=THREE,
    )
    es = one_set(root)
    assert es.shares() == pytest.approx({"QUAL": 0.5, "ACCESS": 0.3, "STAFF": 0.2}, abs=1e-12)
    assert es.method == "swing"
    assert es.combine is None


def test_points_are_normalised(tmp_path: Path) -> None:
    # 7 + 2 + 1 = 10 points: 0.7, 0.2, 0.1; top level 30 + 10 = 40: 0.75, 0.25
    root = make_folder(
        tmp_path,
        weight_set(
            "points",
            """\
            levels:
              - points: {care: 30, running: 10}
              - group: care
                points: {QUAL: 7, ACCESS: 2, STAFF: 1}
            """,
        ),
        tree=THREE,
    )
    shares = one_set(root).shares()
    assert shares == pytest.approx(
        {"care": 0.75, "running": 0.25, "QUAL": 0.7, "ACCESS": 0.2, "STAFF": 0.1}, abs=1e-12
    )


def test_ranking_roc_with_ties_1_2_2_4(tmp_path: Path) -> None:
    # ROC places for n = 4: (1 + 1/2 + 1/3 + 1/4)/4 = 25/48, (1/2 + 1/3 + 1/4)/4 = 13/48,
    # (1/3 + 1/4)/4 = 7/48, (1/4)/4 = 3/48. The two tied second share places 2 and 3:
    # (13 + 7)/2 = 10/48 each. 25 + 10 + 10 + 3 = 48.
    root = make_folder(
        tmp_path,
        weight_set(
            "ranking",
            """\
            levels:
              - ranks: {QUAL: 1, ACCESS: 2, STAFF: 2, RISK: 4}
            """,
        ),
        tree=FLAT,
    )
    shares = one_set(root).shares()
    assert shares == pytest.approx(
        {"QUAL": 25 / 48, "ACCESS": 10 / 48, "STAFF": 10 / 48, "RISK": 3 / 48}, abs=1e-12
    )


def test_ranking_roc_without_ties(tmp_path: Path) -> None:
    # n = 3: (1 + 1/2 + 1/3)/3 = 11/18, (1/2 + 1/3)/3 = 5/18, (1/3)/3 = 2/18
    root = make_folder(
        tmp_path,
        weight_set(
            "ranking", "levels:\n  - group: care\n    ranks: {QUAL: 1, ACCESS: 2, STAFF: 3}\n"
        ),
        tree=THREE,
    )
    assert one_set(root).shares() == pytest.approx(
        {"QUAL": 11 / 18, "ACCESS": 5 / 18, "STAFF": 2 / 18}, abs=1e-12
    )


@pytest.mark.parametrize(
    "ranks", ["{QUAL: 1, ACCESS: 1, STAFF: 2}", "{QUAL: 1, ACCESS: 1, STAFF: 3}"]
)
def test_dense_ties_are_read_as_competition_ranks(tmp_path: Path, ranks: str) -> None:
    # 1, 1, 2 means 1, 1, 3: the tie shares places 1 and 2 of n = 3,
    # (11/18 + 5/18)/2 = 8/18 each, and the third keeps 2/18
    root = make_folder(
        tmp_path,
        weight_set("ranking", f"levels:\n  - group: care\n    ranks: {ranks}\n"),
        tree=THREE,
    )
    assert one_set(root).shares() == pytest.approx(
        {"QUAL": 8 / 18, "ACCESS": 8 / 18, "STAFF": 2 / 18}, abs=1e-12
    )


def test_rank_sum_rule(tmp_path: Path) -> None:
    # rank sum, n = 3: 3/6, 2/6, 1/6
    root = make_folder(
        tmp_path,
        weight_set(
            "ranking",
            "rank_rule: rank_sum\n"
            "levels:\n  - group: care\n    ranks: {QUAL: 2, ACCESS: 1, STAFF: 3}\n",
        ),
        tree=THREE,
    )
    assert one_set(root).shares() == pytest.approx(
        {"QUAL": 2 / 6, "ACCESS": 3 / 6, "STAFF": 1 / 6}, abs=1e-12
    )


SAATY = """\
levels:
  - group: care
    pairwise:
      QUAL: {ACCESS: 3, STAFF: 5}
      ACCESS: {STAFF: 3}
"""


def test_saaty_3x3_example(tmp_path: Path) -> None:
    # A = [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]]. For a 3 x 3 reciprocal matrix the
    # eigenvector is exactly the normalised geometric mean of the rows:
    #   (15)^(1/3) = 2.4662, (1)^(1/3) = 1, (1/15)^(1/3) = 0.4055; sum 3.8717
    #   -> 0.6370, 0.2583, 0.1047
    # and lambda_max = 1 + (a13 / (a12 a23))^(1/3) + (a12 a23 / a13)^(1/3)
    #   = 1 + (5/9)^(1/3) + (9/5)^(1/3) = 1 + 0.8221 + 1.2164 = 3.0385,
    # CI = (3.0385 - 3)/2 = 0.01926, CR = 0.01926 / 0.58 = 0.0332
    root = make_folder(tmp_path, weight_set("ahp", SAATY), tree=THREE)
    es = one_set(root)
    g = [15 ** (1 / 3), 1.0, (1 / 15) ** (1 / 3)]
    expected = [x / sum(g) for x in g]
    level = es.combined[0]
    assert level.ids == ["QUAL", "ACCESS", "STAFF"]
    assert level.shares == pytest.approx(expected, abs=1e-12)
    assert level.shares == pytest.approx([0.637, 0.258, 0.105], abs=5e-4)
    lam = 1 + (5 / 9) ** (1 / 3) + (9 / 5) ** (1 / 3)
    c = level.consistency
    assert c is not None
    assert c.lambda_max == pytest.approx(lam, abs=1e-12)
    assert c.ci == pytest.approx((lam - 3) / 2, abs=1e-12)
    assert c.ri == 0.58
    assert c.cr == pytest.approx((lam - 3) / 2 / 0.58, abs=1e-12)
    assert round(c.cr or 0, 3) == 0.033
    assert c.missing == 0
    assert c.acceptable


def test_consistency_ratio_uses_the_declared_table_only(tmp_path: Path) -> None:
    # random_index {3: 0.5, 4: 0.8}: CR = CI / 0.5, not / 0.58 (Saaty's)
    root = make_folder(
        tmp_path, weight_set("ahp", "random_index: {3: 0.5, 4: 0.8}\n" + SAATY), tree=THREE
    )
    c = one_set(root).combined[0].consistency
    assert c is not None
    lam = 1 + (5 / 9) ** (1 / 3) + (9 / 5) ** (1 / 3)
    assert c.ri == 0.5
    assert c.cr == pytest.approx((lam - 3) / 2 / 0.5, abs=1e-12)


def test_no_entry_in_the_declared_table_warns(tmp_path: Path) -> None:
    root = make_folder(tmp_path, weight_set("ahp", "random_index: {4: 0.8}\n" + SAATY), tree=THREE)
    sets, issues = derived(root)
    assert [i.code for i in issues] == ["no-random-index"]
    assert issues[0].severity is Severity.WARNING
    c = sets["workshop"].combined[0].consistency
    assert c is not None
    assert c.cr is None
    assert c.ri is None


def test_a_pair_given_both_ways_counts_once(tmp_path: Path) -> None:
    # the full matrix written out (each pair both ways, as reciprocals): nothing is missing
    root = make_folder(
        tmp_path,
        weight_set(
            "ahp",
            """\
            levels:
              - group: care
                pairwise:
                  QUAL: {ACCESS: 3, STAFF: 5}
                  ACCESS: {QUAL: '1/3', STAFF: 3}
                  STAFF: {QUAL: '1/5', ACCESS: '1/3'}
            """,
        ),
        tree=THREE,
    )
    level = one_set(root).combined[0]
    assert level.consistency is not None
    assert level.consistency.missing == 0
    g = [15 ** (1 / 3), 1.0, (1 / 15) ** (1 / 3)]
    assert level.shares == pytest.approx([x / sum(g) for x in g], abs=1e-12)


def test_a_pair_left_out_is_counted_and_completed(tmp_path: Path) -> None:
    # QUAL-STAFF not compared. Harker: C = [[2, 3, 0], [1/3, 1, 3], [0, 1/3, 2]];
    # A w = lambda w with w = (9, 3, 1)/13 (consistent: 3 x 3 = 9): row 1 2*9 + 3*3 = 27,
    # row 2 3 + 3 + 3 = 9, row 3 1 + 2 = 3: lambda = 3, so the weights are 9/13, 3/13, 1/13
    root = make_folder(
        tmp_path,
        weight_set(
            "ahp",
            "levels:\n  - group: care\n    pairwise: {QUAL: {ACCESS: 3}, ACCESS: {STAFF: 3}}\n",
        ),
        tree=THREE,
    )
    level = one_set(root).combined[0]
    assert level.shares == pytest.approx([9 / 13, 3 / 13, 1 / 13], abs=1e-12)
    assert level.consistency is not None
    assert level.consistency.missing == 1
    assert level.consistency.ci == pytest.approx(0.0, abs=1e-12)


# -- several participants ----------------------------------------------------------------

PARTICIPANTS_AHP = """\
combine: {rule}
participants:
  - id: P1
    name: "First"
    levels:
      - group: care
        pairwise: {{QUAL: {{ACCESS: 3, STAFF: 5}}, ACCESS: {{STAFF: 3}}}}
  - id: P2
    name: "Second"
    levels:
      - group: care
        pairwise: {{QUAL: {{ACCESS: 1, STAFF: 3}}, ACCESS: {{STAFF: 2}}}}
  - id: P3
    name: "Third"
    levels:
      - group: care
        pairwise: {{QUAL: {{ACCESS: 2}}, ACCESS: {{STAFF: 4}}}}
"""

P_MATRICES = [
    np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]),
    np.array([[1, 1, 3], [1, 1, 2], [1 / 3, 1 / 2, 1]]),
    np.array([[1, 2, np.nan], [1 / 2, 1, 4], [np.nan, 1 / 4, 1]]),
]


def test_participants_combined_by_geometric_mean_of_judgements(tmp_path: Path) -> None:
    root = make_folder(
        tmp_path, weight_set("ahp", PARTICIPANTS_AHP.format(rule="geometric_mean")), tree=THREE
    )
    es = one_set(root)
    assert [r.id for r in es.participants] == ["P1", "P2", "P3"]
    # each participant on their own (P3 left QUAL-STAFF out: Harker's completion)
    for record, a in zip(es.participants, P_MATRICES, strict=True):
        w, _ = principal(harker(a))
        assert record.levels[0].shares == pytest.approx(w, abs=1e-9), record.id
    # combined: element-wise geometric mean over those who made each judgement
    # (QUAL-STAFF: P1 and P2 only: sqrt(5 * 3) = 3.873)
    combined = np.exp(np.nanmean(np.log(np.array(P_MATRICES)), axis=0))
    assert combined[0, 2] == pytest.approx(math.sqrt(15))
    assert combined[0, 1] == pytest.approx((3 * 1 * 2) ** (1 / 3))
    w, lam = principal(combined)
    level = es.combined[0]
    assert level.shares == pytest.approx(w, abs=1e-9)
    assert level.consistency is not None
    assert level.consistency.lambda_max == pytest.approx(lam, abs=1e-9)
    # the combined matrix is complete: every pair was compared by someone
    assert level.consistency.missing == 0
    assert es.participants[2].levels[0].consistency is not None
    assert es.participants[2].levels[0].consistency.missing == 1


def test_participants_combined_by_mean_of_weights(tmp_path: Path) -> None:
    root = make_folder(
        tmp_path, weight_set("ahp", PARTICIPANTS_AHP.format(rule="mean_weights")), tree=THREE
    )
    es = one_set(root)
    each = [principal(harker(a))[0] for a in P_MATRICES]
    mean = np.mean(each, axis=0)
    assert es.combined[0].shares == pytest.approx(mean / mean.sum(), abs=1e-9)


SWING_PEOPLE = """\
combine: {rule}
participants:
  - id: P1
    name: "First"
    levels:
      - group: care
        swings: {{QUAL: 100, ACCESS: 60, STAFF: 40}}
  - id: P2
    name: "Second"
    role: "Finance"
    levels:
      - group: care
        swings: {{QUAL: 100, ACCESS: 100, STAFF: 50}}
"""


def test_swing_participants_by_mean_of_weights(tmp_path: Path) -> None:
    # P1: 100/200, 60/200, 40/200 = 0.5, 0.3, 0.2; P2: 100/250, 100/250, 50/250 =
    # 0.4, 0.4, 0.2; mean 0.45, 0.35, 0.20
    root = make_folder(
        tmp_path, weight_set("swing", SWING_PEOPLE.format(rule="mean_weights")), tree=THREE
    )
    es = one_set(root)
    assert es.combine == "mean_weights"
    assert es.shares() == pytest.approx({"QUAL": 0.45, "ACCESS": 0.35, "STAFF": 0.2}, abs=1e-12)
    assert es.shares(es.participants[1]) == pytest.approx(
        {"QUAL": 0.4, "ACCESS": 0.4, "STAFF": 0.2}, abs=1e-12
    )


def test_swing_participants_by_geometric_mean_of_weights(tmp_path: Path) -> None:
    # sqrt(0.5 * 0.4) = 0.44721, sqrt(0.3 * 0.4) = 0.34641, sqrt(0.2 * 0.2) = 0.2;
    # sum 0.99362 -> 0.45009, 0.34864, 0.20128
    root = make_folder(
        tmp_path, weight_set("swing", SWING_PEOPLE.format(rule="geometric_mean")), tree=THREE
    )
    g = np.sqrt(np.array([0.5, 0.3, 0.2]) * np.array([0.4, 0.4, 0.2]))
    shares = one_set(root).shares()
    assert [shares[i] for i in ("QUAL", "ACCESS", "STAFF")] == pytest.approx(g / g.sum(), abs=1e-12)
    assert shares["QUAL"] == pytest.approx(0.45009, abs=1e-5)


def test_each_participant_becomes_a_weight_set_in_the_problem(tmp_path: Path) -> None:
    root = make_folder(
        tmp_path, weight_set("swing", SWING_PEOPLE.format(rule="mean_weights")), tree=THREE
    )
    problem = appraise.problem(root)
    by_id = {ws.id: ws for ws in problem.weight_sets}
    assert list(by_id) == ["tree", "workshop", "workshop.P1", "workshop.P2"]
    assert by_id["workshop.P2"].name == "Board workshop: P2"

    def global_weights(ident: str) -> dict[str, float]:
        # product of local shares down the tree (each level here sums to 100)
        local = by_id[ident].local
        out = {}
        for k, node in enumerate(problem.node_ids):
            g, q = local[k] / 100, int(problem.parent[k])
            while q >= 0:
                g *= local[q] / 100
                q = int(problem.parent[q])
            out[node] = 100 * g
        return out

    # top level not recorded: the tree's 60 / 40. care: P1 0.5, 0.3, 0.2 of 60
    assert global_weights("workshop.P1") == pytest.approx(
        {"care": 60, "QUAL": 30, "ACCESS": 18, "STAFF": 12, "running": 40, "RISK": 40}
    )
    # P2 0.4, 0.4, 0.2 of 60
    assert global_weights("workshop.P2") == pytest.approx(
        {"care": 60, "QUAL": 24, "ACCESS": 24, "STAFF": 12, "running": 40, "RISK": 40}
    )
    # combined 0.45, 0.35, 0.20 of 60
    assert global_weights("workshop") == pytest.approx(
        {"care": 60, "QUAL": 27, "ACCESS": 21, "STAFF": 12, "running": 40, "RISK": 40}
    )


def test_one_participant_is_not_a_separate_weight_set(tmp_path: Path) -> None:
    root = make_folder(
        tmp_path,
        weight_set(
            "swing",
            """\
            participants:
              - id: P1
                name: "Only"
                levels:
                  - swings: {care: 100, running: 25}
            """,
        ),
        tree=THREE,
    )
    problem = appraise.problem(root)
    assert [ws.id for ws in problem.weight_sets] == ["tree", "workshop"]
    # 100 / 125 = 0.8, 25 / 125 = 0.2
    assert problem.weight_sets[1].local[:1].tolist() == pytest.approx([80.0])


# -- AHP against independent implementations -----------------------------------------------

SCALE = [("9", 9.0), ("7", 7.0), ("5", 5.0), ("3", 3.0), ("2", 2.0), ("1", 1.0)]
SCALE += [(f"'1/{t}'", 1 / v) for t, v in SCALE if v > 1]


@settings(max_examples=40, deadline=None)
@given(data=st.data(), n=st.integers(3, 6))
def test_ahp_weights_match_pymcdm_through_the_loader(data: st.DataObject, n: int) -> None:
    from pymcdm.weights.subjective import AHP

    ids = [f"C{k}" for k in range(1, n + 1)]
    a = np.ones((n, n))
    rows: dict[str, list[str]] = {i: [] for i in ids}
    for i in range(n):
        for j in range(i + 1, n):
            text, value = data.draw(st.sampled_from(SCALE))
            a[i, j], a[j, i] = value, 1 / value
            way = data.draw(st.sampled_from(["forward", "backward", "both"]))
            back = next(t for t, v in SCALE if math.isclose(v, 1 / value))
            if way in ("forward", "both"):
                rows[ids[i]].append(f"{ids[j]}: {text}")
            if way in ("backward", "both"):
                rows[ids[j]].append(f"{ids[i]}: {back}")
    ri = data.draw(st.floats(0.3, 2.0))
    tree = "criteria:\n" + "".join(
        f'  - {{id: {c}, name: "{c}", definition: "{c}", weight: 1}}\n' for c in ids
    )
    pairwise = "".join(f"      {r}: {{{', '.join(cols)}}}\n" for r, cols in rows.items() if cols)
    record = f"random_index: {{{n}: {ri!r}}}\nlevels:\n  - pairwise:\n{pairwise}"
    with tempfile.TemporaryDirectory() as tmp:
        root = make_folder(Path(tmp), weight_set("ahp", record), tree=tree)
        sets, issues = derived(root)
    assert not errors(issues), issues
    level = sets["workshop"].combined[0]
    theirs = AHP(matrix=a)()
    assert level.shares == pytest.approx(theirs, abs=1e-9)
    w, lam = principal(a)
    assert level.shares == pytest.approx(w, abs=1e-9)
    c = level.consistency
    assert c is not None
    assert c.missing == 0
    assert c.lambda_max == pytest.approx(lam, abs=1e-9)
    assert c.ri == ri
    assert c.cr == pytest.approx((lam - n) / (n - 1) / ri, abs=1e-9)


# -- the bundled example -----------------------------------------------------------------


def _example() -> tuple[dict[str, ElicitedSet], list[Issue]]:
    return derived(REPO)


def test_the_example_derives_the_tree_and_clinical_without_errors() -> None:
    sets, issues = _example()
    assert sorted(sets) == ["clinical", "tree"]
    assert issues == []
    assert sets["tree"].method == "swing"
    assert sets["clinical"].method == "ahp"
    assert sets["clinical"].combine == "geometric_mean"


def test_the_example_tree_weights_agree_with_its_swings() -> None:
    text = yaml.safe_load((REPO / "criteria" / "value-tree.yaml").read_text(encoding="utf-8"))
    written: dict[str, float] = {}
    stack = list(text["criteria"])
    while stack:
        node = stack.pop()
        written[node["id"]] = float(node["weight"])
        stack.extend(node.get("criteria", []))
    by_hand: dict[str, float] = {}
    for level in text["elicitation"]["levels"]:
        swings = level["swings"]
        by_hand.update({k: 100 * v / sum(swings.values()) for k, v in swings.items()})
    # e.g. the top level: 100 / 182 = 54.9, 82 / 182 = 45.1
    assert by_hand["enable"] == pytest.approx(54.945, abs=1e-3)
    shares = _example()[0]["tree"].shares()
    assert set(shares) == set(written)
    for ident, share in shares.items():
        assert 100 * share == pytest.approx(by_hand[ident], abs=1e-9)
        assert abs(100 * share - written[ident]) <= 1.0, ident


def _clinical_matrices(group: str | None, ids: list[str]) -> list[np.ndarray]:
    text = yaml.safe_load((REPO / "criteria" / "weight-sets.yaml").read_text(encoding="utf-8"))
    ws = next(w for w in text["weight_sets"] if w["id"] == "clinical")
    out = []
    for person in ws["elicitation"]["participants"]:
        level = next(lv for lv in person["levels"] if lv.get("group") == group)
        a = np.full((len(ids), len(ids)), np.nan)
        np.fill_diagonal(a, 1.0)
        for row, cols in level["pairwise"].items():
            for col, value in cols.items():
                i, j = ids.index(row), ids.index(col)
                a[i, j], a[j, i] = judgement(value), 1 / judgement(value)
        out.append(a)
    return out


@pytest.mark.parametrize(
    ("group", "ids", "crg3_missing"),
    [
        (None, ["enable", "improve"], 0),
        ("enable", ["ACC", "PAT", "CLIN", "QUAL", "GOV", "COLL"], 2),
        ("improve", ["CHOICE", "INNOV", "VFM", "PH", "CAP"], 1),
    ],
)
def test_the_example_clinical_weights_against_numpy(
    group: str | None, ids: list[str], crg3_missing: int
) -> None:
    es = _example()[0]["clinical"]
    matrices = _clinical_matrices(group, ids)
    # CRG3 left pairs out (ACC-COLL, GOV-COLL; CHOICE-CAP)
    assert int(np.isnan(matrices[2]).sum()) == 2 * crg3_missing
    for record, a in zip(es.participants, matrices, strict=True):
        level = next(lv for lv in record.levels if lv.group == group)
        assert level.ids == ids
        w, lam = principal(harker(a))
        assert level.shares == pytest.approx(w, abs=1e-9), record.id
        assert level.consistency is not None
        assert level.consistency.lambda_max == pytest.approx(lam, abs=1e-9)
        assert level.consistency.missing == (crg3_missing if record.id == "CRG3" else 0)
    # combined: the geometric mean of each judgement over those who made it (CRG3's
    # missing pairs are CRG1 and CRG2's), then the principal eigenvector
    combined = np.exp(np.nanmean(np.log(np.array(matrices)), axis=0))
    assert not np.isnan(combined).any()
    w, lam = principal(harker(combined))
    level = next(lv for lv in es.combined if lv.group == group)
    assert level.shares == pytest.approx(w, abs=1e-9)
    assert level.consistency is not None
    assert level.consistency.lambda_max == pytest.approx(lam, abs=1e-9)
    assert level.consistency.missing == 0


# -- inconsistent judgements -------------------------------------------------------------

# consistent with w = 8 : 4 : 2 : 1, except QUAL over RISK, reversed (1/8 for 8)
REVERSED = """\
levels:
  - pairwise:
      QUAL: {ACCESS: 2, STAFF: 4, RISK: '1/8'}
      ACCESS: {STAFF: 2, RISK: 4}
      STAFF: {RISK: 2}
"""


def test_an_inconsistent_record_warns_naming_the_reversed_judgement(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = make_folder(tmp_path, weight_set("ahp", REVERSED), tree=FLAT)
    extras = (root / "criteria" / "extras.yaml").read_text(encoding="utf-8").splitlines()
    line = next(k for k, text in enumerate(extras, 1) if "RISK: '1/8'" in text)
    sets, issues = derived(root)
    assert [i.code for i in issues] == ["ahp-inconsistent"]
    warning = issues[0]
    assert warning.severity is Severity.WARNING
    assert Path(str(warning.path)).parts[-2:] == ("criteria", "extras.yaml")
    assert warning.line == line - 1  # the level's `pairwise:` key
    first = warning.message.split("least consistent: ")[1].split(";")[0]
    assert first.startswith(f"`QUAL` over `RISK` 1/8 (line {line})"), warning.message
    c = sets["workshop"].combined[0].consistency
    assert c is not None
    _, lam = principal(
        np.array([[1, 2, 4, 1 / 8], [1 / 2, 1, 2, 4], [1 / 4, 1 / 2, 1, 2], [8, 1 / 4, 1 / 2, 1]])
    )
    assert c.cr == pytest.approx((lam - 4) / 3 / 0.90, abs=1e-9)
    assert c.cr is not None
    assert c.cr > 0.10
    assert (c.worst[0].row, c.worst[0].col, c.worst[0].line) == ("QUAL", "RISK", line)
    result = run_cli("validate", ".", cwd=root)
    assert result.exit_code == 0, result
    assert f"criteria/extras.yaml:{line - 1}:" in result.stderr
    assert "warning: the top level: consistency ratio" in result.stderr
    assert "0 errors, 1 warning" in result.stderr


def test_the_worst_judgement_is_shown_the_way_it_was_written(tmp_path: Path) -> None:
    # the same record with the reversed pair written from RISK's side (RISK over QUAL 8)
    record = REVERSED.replace(", RISK: '1/8'}", "}").replace(
        "STAFF: {RISK: 2}", "STAFF: {RISK: 2}\n      RISK: {QUAL: 8}"
    )
    root = make_folder(tmp_path, weight_set("ahp", record), tree=FLAT)
    extras = (root / "criteria" / "extras.yaml").read_text(encoding="utf-8").splitlines()
    line = next(k for k, text in enumerate(extras, 1) if "RISK: {QUAL: 8}" in text)
    _, issues = derived(root)
    assert [i.code for i in issues] == ["ahp-inconsistent"]
    assert f"`RISK` over `QUAL` 8 (line {line})" in issues[0].message


# -- what validate reports ---------------------------------------------------------------


def test_a_misspelt_criterion_is_one_error_not_two(tmp_path: Path) -> None:
    # ACCES for ACCESS: one error with the suggestion, not also "ACCESS not weighed"
    root = make_folder(
        tmp_path,
        weight_set(
            "swing", "levels:\n  - group: care\n    swings: {QUAL: 100, ACCES: 50, STAFF: 10}\n"
        ),
        tree=THREE,
    )
    _, issues = derived(root)
    assert [(i.code, i.hint) for i in issues] == [("unknown-criterion", "did you mean `ACCESS`?")]


def test_a_level_left_incomplete_is_still_reported(tmp_path: Path) -> None:
    root = make_folder(
        tmp_path,
        weight_set("swing", "levels:\n  - group: care\n    swings: {QUAL: 100, STAFF: 10}\n"),
        tree=THREE,
    )
    _, issues = derived(root)
    assert [i.code for i in issues] == ["elicitation-level"]
    assert "`ACCESS` not weighed" in issues[0].message


# what each elicitation case's error points at: (case, file:line:column, text there)
POINTS_AT = [
    ("criterion-not-in-level", "criteria/extras.yaml:13:43", "STAFF: 40}"),
    ("disconnected", "criteria/extras.yaml:9:11", "pairwise:"),
    ("group-is-a-criterion", "criteria/extras.yaml:12:11", "group: QUAL"),
    ("judgement-fraction-out-of-range", "criteria/extras.yaml:13:29", "'1/10'}"),
    ("judgement-out-of-range", "criteria/extras.yaml:13:29", "12}"),
    ("judgement-self", "criteria/extras.yaml:13:20", "care: 2,"),
    ("level-incomplete", "criteria/extras.yaml:13:11", "swings: {QUAL: 100}"),
    ("level-twice", "criteria/extras.yaml:14:11", "group: care"),
    ("many-defects", "criteria/extras.yaml:14:23", "care: 3}"),
    ("many-defects", "criteria/extras.yaml:17:20", "QUAL: 2,"),
    ("many-defects", "criteria/extras.yaml:23:11", "swings: {care: 80"),
    ("many-defects", "criteria/extras.yaml:24:11", "group: carre"),
    ("many-defects", "criteria/extras.yaml:27:32", "QUAL: 50"),
    ("many-defects", "criteria/extras.yaml:33:11", "ranks: {care: 1, running: 3}"),
    ("many-defects", "criteria/extras.yaml:35:11", "ranks: {QUAL: 1}"),
    ("method-direct", "criteria/extras.yaml:9:5", "method: direct"),
    ("method-mismatch", "criteria/extras.yaml:12:11", "pairwise:"),
    ("participant-duplicate-id", "criteria/extras.yaml:17:11", "id: P1"),
    ("participant-set-id-taken", "criteria/extras.yaml:16:11", "id: P1"),
    ("participants-different-levels", "criteria/extras.yaml:19:11", "id: P2"),
    ("points-zero", "criteria/extras.yaml:13:11", "points: {STAFF: 0"),
    ("ranks-gap", "criteria/extras.yaml:9:11", "ranks: {QUAL: 1, ACCESS: 3"),
    ("reciprocal-mismatch", "criteria/extras.yaml:14:23", "care: 3}"),
    ("several-participants-no-combine", "criteria/extras.yaml:11:7", "participants:"),
    ("swing-no-100", "criteria/extras.yaml:12:11", "swings: {care: 80"),
    # weights.method left out of appraisal.yaml: the file that lacks it
    ("tree-method-direct", "appraisal.yaml:1:1", "appraisal:"),
    ("tree-twice", "criteria/tree.yaml:16:1", "elicitation:"),
    ("unknown-criterion", "criteria/extras.yaml:13:31", "ACCES: 50}"),
    ("unknown-group", "criteria/extras.yaml:12:11", "group: carre"),
    ("written-weights-disagree", "criteria/extras.yaml:10:15", "care: 60,"),
    ("written-weights-disagree", "criteria/extras.yaml:10:25", "running: 40}"),
]


def test_every_elicitation_case_points_at_the_defect() -> None:
    """Every error of the elicitation cases, at the line and column of what is wrong."""
    found = []
    for case in sorted((CASES / "invalid").glob("elicitation-*")):
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
            m = re.match(r"^(\S+?):(\d+):(\d+): error: ", line)
            if m:
                found.append((case.name.removeprefix("elicitation-"), line[: m.end() - 9]))
    assert sorted(found) == sorted((name, where) for name, where, _ in POINTS_AT)
    for name, where, starts in POINTS_AT:
        path, line, column = where.split(":")
        text = (CASES / "invalid" / f"elicitation-{name}" / path).read_text(encoding="utf-8")
        assert text.splitlines()[int(line) - 1][int(column) - 1 :].startswith(starts), name


# -- the weights command -----------------------------------------------------------------


def test_weights_on_the_example(run_cli: RunCli) -> None:
    result = run_cli("weights", str(REPO))
    assert result.exit_code == 0, result
    out = result.stdout
    assert "Global weights by weight set" in out
    assert "Consistency ratio" in out
    for ident in ("CRG1", "CRG2", "CRG3", "clinical.CRG1", "staff_side"):
        assert ident in out
    assert "Value tree: swing weighting" in out
    # CRG3's own omissions (2 of the 15 pairs of enable)
    assert re.search(r"CRG3\s+2\s+of\s+15", out)


def test_weights_for_one_set_shows_it_and_its_participants_only(run_cli: RunCli) -> None:
    result = run_cli("weights", str(REPO), "--set", "clinical")
    assert result.exit_code == 0, result
    out = result.stdout
    for ident in ("clinical.CRG1", "clinical.CRG2", "clinical.CRG3", "Clinical reference group"):
        assert ident in out
    for other in ("staff_side", "patients", "finance", "equal", "Value tree"):
        assert other not in out, other
    assert "Weight sets: clinical = " in out


def test_weights_for_a_participant_alone(run_cli: RunCli) -> None:
    result = run_cli("weights", str(REPO), "--set", "clinical.CRG2")
    assert result.exit_code == 0, result
    assert "Weight sets: clinical.CRG2: each participant's own weights." in result.stdout
    assert "Weight sets: ;" not in result.stdout
    assert "Value tree" not in result.stdout


def test_weights_for_an_unknown_set(run_cli: RunCli) -> None:
    result = run_cli("weights", str(REPO), "--set", "nope")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    errors_shown = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors_shown) == 1
    assert "no weight set 'nope'" in errors_shown[0]
    assert "hint: known weight sets:" in result.stderr
    assert "clinical.CRG1" in result.stderr


def test_weights_as_json(run_cli: RunCli) -> None:
    result = run_cli("weights", str(REPO), "--format", "json")
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    leaves = [n["id"] for n in data["nodes"] if not n["group"]]
    assert len(leaves) == 11
    ids = [s["id"] for s in data["weight_sets"]]
    assert ids[0] == "tree"
    assert {"clinical", "clinical.CRG1", "clinical.CRG2", "clinical.CRG3"} <= set(ids)
    for s in data["weight_sets"]:
        assert math.fsum(s["global"][leaf] for leaf in leaves) == pytest.approx(100), s["id"]
    owners = {s["id"]: s["participant_of"] for s in data["weight_sets"]}
    assert owners["clinical.CRG3"] == "clinical"
    assert owners["clinical"] is None
    elicitations = {e["set"]: e for e in data["elicitations"]}
    assert sorted(elicitations) == ["clinical", "tree"]
    clinical = elicitations["clinical"]
    assert [r["participant"] for r in clinical["records"]] == ["CRG1", "CRG2", "CRG3"]
    for record in clinical["records"]:
        assert [lv["group"] for lv in record["levels"]] == [None, "enable", "improve"]
        for lv in record["levels"]:
            assert math.fsum(lv["local"].values()) == pytest.approx(100)
    crg3 = clinical["records"][2]["levels"]
    assert [lv["consistency"]["missing_comparisons"] for lv in crg3] == [0, 2, 1]
    # the combined matrices are complete (CRG1 and CRG2 made every comparison)
    assert [lv["consistency"]["missing_comparisons"] for lv in clinical["levels"]] == [0, 0, 0]
    # the participant's JSON weights are those of the participant's weight set
    sets = {s["id"]: s for s in data["weight_sets"]}
    for lv in crg3:
        for ident, value in lv["local"].items():
            assert sets["clinical.CRG3"]["local"][ident] == pytest.approx(value)
    # the recorded judgements are kept as written (CRG1: enable over improve 2)
    assert clinical["records"][0]["levels"][0]["recorded"] == {"enable": {"improve": 2.0}}


def test_weights_on_an_invalid_folder(run_cli: RunCli) -> None:
    case = CASES / "invalid" / "elicitation-reciprocal-mismatch"
    result = run_cli("weights", str(case))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"criteria/extras\.yaml:14:23: error: `running` over `care`", result.stderr)


# -- validate stays light ----------------------------------------------------------------


def test_validate_with_an_ahp_record_imports_no_numpy(tmp_path: Path) -> None:
    root = make_folder(tmp_path, weight_set("ahp", REVERSED), tree=FLAT)
    code = (
        "import sys, runpy\n"
        "sys.argv = ['appraise'] + sys.argv[1:]\n"
        "try:\n    runpy.run_module('appraise', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('HEAVY=' + ','.join(m for m in ('numpy', 'pymcdm') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "validate", str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    # the record is read and judged (the warning shows it), without NumPy
    assert "ahp-inconsistent" in result.stderr or "consistency ratio" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HEAVY=", result.stdout


# -- edges that once crashed or misled -----------------------------------------------------


@pytest.mark.parametrize(
    "pairwise", ["{care: {running: 0.11}}", "{care: {running: 9}, running: {care: 0.11}}"]
)
def test_one_ninth_written_as_0_11_is_accepted(
    tmp_path: Path, run_cli: RunCli, pairwise: str
) -> None:
    # the loader accepts 1/9 written 0.11; its reciprocal, 9.09, is above 9
    root = make_folder(
        tmp_path, weight_set("ahp", f"levels:\n  - pairwise: {pairwise}\n"), tree=THREE
    )
    result = run_cli("validate", ".", cwd=root)
    assert result.exit_code == 0, result
    shares = one_set(root).shares()
    if "running: 9" in pairwise:
        # 9 and 0.11 (1/9.09) both ways: the geometric mean sqrt(9 * 9.0909) = 9.045
        ratio = math.sqrt(9 / 0.11)
        assert shares["care"] == pytest.approx(ratio / (1 + ratio), abs=1e-12)
    else:
        # care over running 0.11: care 0.11 / 1.11 = 0.0991, running 1 / 1.11 = 0.9009
        assert shares["care"] == pytest.approx(0.11 / 1.11, abs=1e-12)
    assert run_cli("weights", str(root)).exit_code == 0


def test_judgements_beyond_the_scale_are_still_refused_by_the_engine() -> None:
    from appraise.engine.elicitation import ahp

    assert ahp([[1.0, 0.11], [1 / 0.11, 1.0]]).weights == pytest.approx([0.11 / 1.11, 1 / 1.11])
    with pytest.raises(ValueError, match="between 1/9 and 9"):
        ahp([[1.0, 0.1], [10.0, 1.0]])


def test_weights_shows_a_small_consistency_limit_as_declared(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = make_folder(
        tmp_path, weight_set("ahp", "consistency_limit: 0.001\n" + SAATY), tree=THREE
    )
    out = " ".join(run_cli("weights", str(root)).stdout.split())
    assert "Consistency ratio (limit 0.001, random index 0.58 for 3): agreed 0.033." in out
    assert "agreed: consistency ratio 0.033 is above 0.001." in out
    assert "0.00." not in out


def test_weights_for_a_level_of_one_criterion(tmp_path: Path, run_cli: RunCli) -> None:
    root = make_folder(
        tmp_path,
        weight_set("ahp", "levels:\n  - group: running\n    pairwise: {RISK: {RISK: 1}}\n"),
        tree=THREE,
    )
    out = run_cli("weights", str(root)).stdout
    assert "One criterion: consistent by construction" in out
    assert "Two criteria" not in out


def test_the_trees_own_participants_become_weight_sets(tmp_path: Path) -> None:
    # P1 100 / 160 = 62.5 %, P2 100 / 175 = 57.14 %; mean 59.82, written 60 (within 1)
    tail = textwrap.dedent(
        """\
        elicitation:
          combine: mean_weights
          participants:
            - {id: P1, name: "One", levels: [{swings: {care: 100, running: 60}}]}
            - {id: P2, name: "Two", levels: [{swings: {care: 100, running: 75}}]}
        """
    )
    root = make_folder(tmp_path, tree=THREE, tree_tail=tail, settings="weights:\n  method: swing\n")
    es = one_set(root, "tree")
    assert es.shares()["care"] == pytest.approx((100 / 160 + 100 / 175) / 2, abs=1e-12)
    sets = {ws.id: ws for ws in appraise.problem(root).weight_sets}
    assert list(sets) == ["tree", "tree.P1", "tree.P2"]
    assert sets["tree.P1"].name == "Value tree: P1"
    # the tree keeps its written 60 / 40; each participant's top level is their own
    assert sets["tree"].local[0] == 60
    assert sets["tree.P2"].local[0] == pytest.approx(100 * 100 / 175)
    # below the top level, the participants keep the tree's weights (QUAL 50 of care)
    assert sets["tree.P2"].local[1] == 50
