"""The NGSI-LD query language ``q`` (ETSI GS CIM 009 V1.8.1 clause 4.9), through GET /entities
(6.4.3.2).

Each check creates a few entities of a private type whose values are chosen so that a broker
ignoring the filter, or implementing the operator wrongly (``>`` as ``>=``, OR as AND, left to
right instead of AND before OR, ...), returns a different set than the one 4.9 prescribes.
Regular expressions are anchored, so full-match and substring readings of 4.9 agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from mim_suite.checks.base import CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1.query import (
    Rows,
    expect_selection,
    ids_in,
    populate,
    prop,
    rel,
    select_ids,
)
from mim_suite.model import NGSI_LD, Strength

AREA = "query-language"


@dataclass(frozen=True)
class QCase:
    """One q check: entities to create, the q to send, the labels that must come back."""

    check_id: str
    requirement: str
    rows: Rows
    q: str
    expected: tuple[str, ...]
    encode_by_hand: bool = False


def _levels(*values: Any) -> dict[str, dict[str, Any]]:
    return {f"level {v!r}": {"level": prop(v)} for v in values}


def _brands(*names: str) -> dict[str, dict[str, Any]]:
    return {name: {"brandName": prop(name)} for name in names}


def _observed(*months: str) -> dict[str, dict[str, Any]]:
    return {
        f"observed 2024-{m}": {"level": prop(1, observedAt=f"2024-{m}-01T00:00:00Z")}
        for m in months
    }


_MIXED: Rows = {
    f"{level} {brand}": {"level": prop(level), "brandName": prop(brand)}
    for level, brand in ((10, "Audi"), (20, "Audi"), (20, "Mercedes"), (30, "Mercedes"))
}
_DATASET = "urn:ngsi-ld:Dataset:mimtest-second"
_P1, _P2 = "urn:ngsi-ld:OffStreetParking:mimtest-P1", "urn:ngsi-ld:OffStreetParking:mimtest-P2"

CASES = (
    QCase("MIM1.QLANG.EQ", "q attr==number matches exactly the entities with that value.",
          _levels(10, 20, 30), "level==20", ("level 20",)),
    QCase("MIM1.QLANG.NEQ", "q attr!=number matches the entities whose value differs.",
          _levels(10, 20, 30), "level!=20", ("level 10", "level 30")),
    QCase("MIM1.QLANG.GT", "q attr>number matches only values strictly greater.",
          _levels(10, 20, 30), "level>20", ("level 30",)),
    QCase("MIM1.QLANG.GE", "q attr>=number matches values greater or equal.",
          _levels(10, 20, 30), "level>=20", ("level 20", "level 30")),
    QCase("MIM1.QLANG.LT", "q attr<number matches only values strictly less.",
          _levels(10, 20, 30), "level<20", ("level 10",)),
    QCase("MIM1.QLANG.LE", "q attr<=number matches values less or equal.",
          _levels(10, 20, 30), "level<=20", ("level 10", "level 20")),
    QCase("MIM1.QLANG.STRING.EQ", 'q attr=="text" matches exactly that string, not prefixes.',
          _brands("Mercedes", "Mercedes-Benz", "Audi"), 'brandName=="Mercedes"', ("Mercedes",)),
    QCase("MIM1.QLANG.STRING.NEQ", 'q attr!="text" matches the entities with another string.',
          _brands("Mercedes", "Mercedes-Benz", "Audi"), 'brandName!="Mercedes"',
          ("Audi", "Mercedes-Benz")),
    QCase("MIM1.QLANG.TYPE_MISMATCH", "A q value of another data type than the attribute value"
          ' does not match (the string "20" is not the number 20).',
          {"number 20": {"level": prop(20)}, "string 20": {"level": prop("20")}},
          'level=="20"', ("string 20",)),
    QCase("MIM1.QLANG.BOOLEAN", "q attr==true matches the entities whose value is true.",
          {"true": {"inService": prop(True)}, "false": {"inService": prop(False)}},
          "inService==true", ("true",)),
    QCase("MIM1.QLANG.RANGE", "q attr==a..b matches values in the range, both ends included.",
          _levels(10, 20, 30, 40), "level==20..30", ("level 20", "level 30")),
    QCase("MIM1.QLANG.LIST", "q attr==a,b matches values equal to any listed value.",
          _levels(10, 20, 30), "level==10,30", ("level 10", "level 30")),
    QCase("MIM1.QLANG.AND", "q terms joined by ; must all hold.",
          _MIXED, 'level>=20;brandName=="Audi"', ("20 Audi",)),
    QCase("MIM1.QLANG.OR", "q terms joined by | match when any holds.",
          _MIXED, 'level==10|brandName=="Mercedes"', ("10 Audi", "20 Mercedes", "30 Mercedes")),
    QCase("MIM1.QLANG.PRECEDENCE", "In q the AND operator ; binds tighter than the OR operator |.",
          _MIXED, 'level==10|level==20;brandName=="Mercedes"', ("10 Audi", "20 Mercedes")),
    QCase("MIM1.QLANG.PARENTHESES", "A parenthesised q association is evaluated first.",
          _MIXED, '(level==10|level==20);brandName=="Mercedes"', ("20 Mercedes",)),
    QCase("MIM1.QLANG.SUBATTRIBUTE", "A dotted q path attr.sub compares the sub-attribute's value.",
          {"accuracy 0.9": {"level": prop(10, accuracy=prop(0.9))},
           "accuracy 0.1": {"level": prop(20, accuracy=prop(0.1))},
           "no accuracy": {"level": prop(30)}},
          "level.accuracy>0.5", ("accuracy 0.9",)),
    QCase("MIM1.QLANG.METADATA", "A q path attr.observedAt compares the observedAt DateTime.",
          _observed("01", "06", "12"), "level.observedAt>2024-03-01T00:00:00Z",
          ("observed 2024-06", "observed 2024-12")),
    QCase("MIM1.QLANG.DATETIME", "A q range of DateTimes matches in temporal order.",
          _observed("01", "06", "12"),
          "level.observedAt==2024-03-01T00:00:00Z..2024-09-01T00:00:00Z", ("observed 2024-06",)),
    QCase("MIM1.QLANG.COMPOUND", 'A q path attr[member]=="x" compares a member of a JSON object'
          " value.",
          {"city Porto": {"address": prop({"city": "Porto", "street": "Rua A"})},
           "city Berlin": {"address": prop({"city": "Berlin"})},
           "street Porto": {"address": prop({"street": "Porto"})}},
          'address[city]=="Porto"', ("city Porto",)),
    QCase("MIM1.QLANG.REGEX", "q attr~=regex matches the string values in the pattern's language.",
          _brands("Mercedes", "Mercedes-Benz", "Audi"), "brandName~=^Mer.*s$", ("Mercedes",)),
    QCase("MIM1.QLANG.NOT_REGEX", "q attr!~=regex matches the string values outside the pattern.",
          _brands("Mercedes", "Mercedes-Benz", "Audi"), "brandName!~=^Mer.*s$",
          ("Audi", "Mercedes-Benz")),
    QCase("MIM1.QLANG.EXISTS", "q with a bare attribute name matches the entities having it.",
          {"with brandName": {"brandName": prop("Audi")}, "without": {"level": prop(1)}},
          "brandName", ("with brandName",)),
    QCase("MIM1.QLANG.RELATIONSHIP", 'q rel=="URI" matches Relationships by their object.',
          {"P1": {"isParked": rel(_P1)}, "P2": {"isParked": rel(_P2)}},
          f'isParked=="{_P1}"', ("P1",)),
    QCase("MIM1.QLANG.MULTI_INSTANCE", "A q term matches when any instance (datasetId) of a"
          " multi-attribute satisfies it.",
          {"default 10, dataset 50": {"level": [prop(10), prop(50, datasetId=_DATASET)]},
           "only 20": {"level": prop(20)}, "only 50": {"level": prop(50)}},
          "level==50", ("default 10, dataset 50", "only 50")),
    QCase("MIM1.QLANG.PERCENT_ENCODED", "A q percent-encoded as UTF-8 (space as %20, non-ASCII"
          " letters) is decoded before evaluation.",
          _brands("Citroën C4", "Citroen C4", "Citroën"), 'brandName=="Citroën C4"',
          ("Citroën C4",), encode_by_hand=True),
)  # fmt: skip


async def _matching(ctx: CheckContext, kind: str, case: QCase) -> list[str]:
    if not case.encode_by_hand:
        return await select_ids(ctx, {"type": kind, "q": case.q})
    path = f"/entities?type={quote(kind, safe='')}&q={quote(case.q, safe='')}"
    return ids_in(ctx, await ctx.get(path), f"GET {path}")


def _register(case: QCase) -> None:
    async def run(ctx: CheckContext) -> None:
        kind = ctx.type_name("Query")
        ids = await populate(ctx, kind, case.rows)
        got = await _matching(ctx, kind, case)
        expect_selection(ctx, got, case.expected, ids, f"q={case.q}")

    run.__name__ = run.__qualname__ = "q_" + case.check_id.rsplit("QLANG.", 1)[1].lower()
    check(
        case.check_id,
        mim=MIM,
        area=AREA,
        requirement=case.requirement,
        source=NGSI_LD("4.9"),
        strength=Strength.SHALL,
        writes=True,
    )(run)


def cases() -> Mapping[str, QCase]:
    """The q cases by check id (for tests and documentation)."""
    return {c.check_id: c for c in CASES}


for _case in CASES:
    _register(_case)
