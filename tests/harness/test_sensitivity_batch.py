"""Batch checks fail on a platform broken in the matching way, with readable evidence."""

from __future__ import annotations

from typing import Any

import pytest

from mim_suite.checks import catalogue
from tests.harness.breakage import Breakage
from tests.harness.test_sensitivity_attributes import (
    Platform,
    Rewrite,
    assert_fails,
    breaking,
    misreading,
)

OPS = "/entityOperations/"
ERRORS = "https://uri.etsi.org/ngsi-ld/errors/"


def _op(name: str) -> str:
    return OPS + name + "$"


def _no_errors(body: Any) -> Any:
    return {**body, "errors": []} if isinstance(body, dict) else body


def _internal_errors(body: Any) -> Any:
    """Every BatchEntityError turned into an InternalError."""
    if not isinstance(body, dict):
        return body
    errors = [
        {**e, "error": {**e.get("error", {}), "type": ERRORS + "InternalError"}}
        for e in body.get("errors", [])
    ]
    return {**body, "errors": errors}


def _retype(error_type: str) -> Any:
    return lambda b: {**b, "type": ERRORS + error_type} if isinstance(b, dict) else b


def _one_more_id(body: Any) -> Any:
    return [*body, "urn:ngsi-ld:Thing:updated-too"] if isinstance(body, list) else body


def _wrapped(body: Any) -> Any:
    return [body] if isinstance(body, dict) else body


def _no_nulls(body: Any) -> Any:
    return [item for item in body if item is not None] if isinstance(body, list) else body


CASES: list[tuple[str, Platform]] = [
    # Batch create
    ("MIM1.BATCH.CREATE.201", breaking(Breakage(method="POST", path=_op("create"), status=200))),
    (
        "MIM1.BATCH.CREATE.VISIBLE",
        misreading(Rewrite("POST", _op("create"), answer=201, answer_body=[])),
    ),
    (
        "MIM1.BATCH.CREATE.207",
        breaking(Breakage(method="POST", path=_op("create"), edit_body=_no_errors)),
    ),
    (
        "MIM1.BATCH.CREATE.UNTOUCHED",
        misreading(  # an upsert in update mode passed off as a create
            Rewrite(
                "POST",
                _op("create"),
                path_sub=("create$", "upsert"),
                add_params={"options": "update"},
            ),
            breakages=(Breakage(method="POST", path=_op("create"), status=207),),
        ),
    ),
    (
        "MIM1.BATCH.CREATE.INVALID",
        breaking(Breakage(method="POST", path=_op("create"), status=201)),
    ),
    (
        "MIM1.BATCH.CREATE.NULLITEM",
        misreading(Rewrite("POST", _op("create"), edit_request=_no_nulls)),
    ),
    (
        "MIM1.BATCH.CREATE.NOTARRAY",
        misreading(Rewrite("POST", _op("create"), edit_request=_wrapped)),
    ),
    (
        "MIM1.BATCH.CREATE.EMPTY",
        breaking(Breakage(method="POST", path=_op("create"), edit_body=_retype("InternalError"))),
    ),
    # Batch upsert
    ("MIM1.BATCH.UPSERT.201", breaking(Breakage(method="POST", path=_op("upsert"), status=200))),
    ("MIM1.BATCH.UPSERT.204", breaking(Breakage(method="POST", path=_op("upsert"), status=200))),
    (
        "MIM1.BATCH.UPSERT.MIXED",
        breaking(Breakage(method="POST", path=_op("upsert"), edit_body=_one_more_id)),
    ),
    (
        "MIM1.BATCH.UPSERT.REPLACE",
        misreading(Rewrite("POST", _op("upsert"), add_params={"options": "update"})),
    ),
    (
        "MIM1.BATCH.UPSERT.UPDATE",
        breaking(Breakage(method="POST", path=_op("upsert"), drop_params=("options",))),
    ),
    ("MIM1.BATCH.UPSERT.EMPTY", breaking(Breakage(method="POST", path=_op("upsert"), status=500))),
    # Batch update
    ("MIM1.BATCH.UPDATE.204", breaking(Breakage(method="POST", path=_op("update"), status=200))),
    ("MIM1.BATCH.UPDATE.APPLIED", misreading(Rewrite("POST", _op("update"), answer=204))),
    (
        "MIM1.BATCH.UPDATE.207",
        breaking(Breakage(method="POST", path=_op("update"), edit_body=_internal_errors)),
    ),
    (
        "MIM1.BATCH.UPDATE.NOOVERWRITE",
        breaking(Breakage(method="POST", path=_op("update"), drop_params=("options",))),
    ),
    (
        "MIM1.BATCH.UPDATE.EMPTY",
        breaking(Breakage(method="POST", path=_op("update"), edit_body=_retype("InvalidRequest"))),
    ),
    # Batch delete
    ("MIM1.BATCH.DELETE.204", misreading(Rewrite("POST", _op("delete"), answer=204))),
    (
        "MIM1.BATCH.DELETE.207",
        breaking(Breakage(method="POST", path=_op("delete"), edit_body=_internal_errors)),
    ),
    ("MIM1.BATCH.DELETE.EMPTY", misreading(Rewrite("POST", _op("delete"), answer=204))),
    # Batch merge
    ("MIM1.BATCH.MERGE.204", breaking(Breakage(method="POST", path=_op("merge"), status=200))),
    (
        "MIM1.BATCH.MERGE.APPLIED",  # an update (replacing speed) passed off as a merge
        misreading(Rewrite("POST", _op("merge"), path_sub=("merge$", "update"))),
    ),
    ("MIM1.BATCH.MERGE.207", breaking(Breakage(method="POST", path=_op("merge"), status=204))),
]


@pytest.mark.parametrize(("check_id", "platform"), CASES, ids=[c[0] for c in CASES])
async def test_check_fails_on_broken_platform(check_id: str, platform: Platform) -> None:
    await assert_fails(check_id, platform)


async def test_every_case_names_a_check() -> None:
    known = {c.info.id for c in catalogue()}
    assert [c for c, _ in CASES if c not in known] == []
