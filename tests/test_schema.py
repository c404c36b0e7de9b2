"""The JSON Schemas: complete descriptions, in sync with the repository, true to the files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from appraise.files.loading import discover
from appraise.files.models import FILE_MODELS
from appraise.files.schema import KINDS, schema_for, schema_text
from appraise.files.yamlio import read_yaml
from conftest import CASES, REPO


def _all_models(model: type[BaseModel], seen: set[type[BaseModel]]) -> None:
    import typing

    if model in seen:
        return
    seen.add(model)
    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            annotation = stack.pop()
            annotation = getattr(annotation, "FORMAT", annotation)  # ScoreCell → Cell
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                _all_models(annotation, seen)
            stack.extend(typing.get_args(annotation))


def test_every_field_of_every_model_has_a_description() -> None:
    models: set[type[BaseModel]] = set()
    for model in FILE_MODELS.values():
        _all_models(model, models)
    assert len(models) >= 20
    for model in models:
        assert model.__doc__, model.__name__
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no description"


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_json_schema(kind: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema_for(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_repository_schema_files_are_current(kind: str) -> None:
    """``schema/`` is what the example's editor lines use; regenerate with
    ``appraise schema --write schema``."""
    assert (REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8") == (
        schema_text(kind)
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _kind_of(folder_kind: str, data: Any) -> str:
    if folder_kind == "scores" and isinstance(data, dict) and "moderation" in data:
        return "moderation"
    return folder_kind


@pytest.mark.parametrize("folder", [REPO, CASES / "valid" / "small"], ids=["example", "small"])
def test_schema_validates_the_example_files(folder: Path) -> None:
    found, issues = discover(folder)
    assert issues == []
    checked = 0
    for folder_kind, path, _ in found:
        doc, problems = read_yaml(path)
        assert doc is not None, problems
        kind = _kind_of(folder_kind, doc.data)
        jsonschema.validate(_jsonable(doc.data), schema_for(kind))
        checked += 1
    assert checked >= 7


def test_schema_rejects_what_the_models_reject() -> None:
    sheet = {
        "scorer": {"id": "P1", "name": "P1", "role": "r"},
        "scores": {"BAU": {"ACC": {"score": 5, "rationle": "typo"}}},
    }
    with pytest.raises(jsonschema.ValidationError, match="rationle"):
        jsonschema.validate(sheet, schema_for("scores"))
    sheet["scores"]["BAU"]["ACC"] = {"score": "5"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(sheet, schema_for("scores"))


def test_example_files_point_editors_at_the_schema() -> None:
    found, _ = discover(REPO)
    for folder_kind, path, _ in found:
        doc, _ = read_yaml(path)
        assert doc is not None
        kind = _kind_of(folder_kind, doc.data)
        first = path.read_text(encoding="utf-8").splitlines()[0]
        prefix = "./" if path.parent == REPO else "../"
        assert first == f"# yaml-language-server: $schema={prefix}schema/{kind}.schema.json", path


def test_cells_are_held_compactly_and_dump_as_their_format() -> None:
    """Score cells are validated by the file-format models and held as slotted
    records (no per-instance dict), which dump exactly as the models would."""
    from appraise.files.models import ModerationFile, ScoreSheet

    sheet = ScoreSheet.model_validate(
        {
            "scorer": {"id": "P1", "name": "A", "role": "B"},
            "scores": {
                "O1": {
                    "C1": {"score": 7.0, "rationale": "r", "low": 6.0, "high": 8.0},
                    "C2": {"score": 3.0, "evidence": ["a", "b"]},
                }
            },
        }
    )
    cell = sheet.scores["O1"]["C1"]
    assert not hasattr(cell, "__dict__")
    assert cell.as_json() == {
        "score": 7.0,
        "rationale": "r",
        "low": 6.0,
        "high": 8.0,
        "evidence": [],
    }
    assert sheet.scores["O1"]["C2"].evidence == ("a", "b")
    assert sheet.model_dump(mode="json")["scores"]["O1"]["C2"]["evidence"] == ["a", "b"]
    moderated = ModerationFile.model_validate(
        {
            "moderation": {"chair": "X"},
            "scores": {
                "O1": {
                    "C1": {"score": 6.0, "note": "n", "dissent": [{"scorer": "P1", "reason": "q"}]}
                }
            },
        }
    )
    agreed = moderated.scores["O1"]["C1"]
    assert agreed.as_json() == {
        "score": 6.0,
        "note": "n",
        "dissent": [{"scorer": "P1", "score": None, "reason": "q"}],
    }
