"""SQL for the attribute pre-filter (:class:`~reference_server.store.base.Condition`)."""

from __future__ import annotations

from reference_server.store.base import AttrTest

__all__ = ["index_row", "test_sql"]

_SQL_OPS = {"eq": "=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}

IndexRow = tuple[str, str, int, float | None, str | None, int]


def index_row(tenant: str, seq: int, attr: str, element: object) -> IndexRow:
    """One ``attr_index`` row: a number, a string, or a wildcard (``WILDCARD`` or any other
    value, which the index cannot compare)."""
    if isinstance(element, int | float) and not isinstance(element, bool):
        return (tenant, attr, seq, float(element), None, 0)
    if isinstance(element, str):
        return (tenant, attr, seq, None, element, 0)
    return (tenant, attr, seq, None, None, 1)


def test_sql(test: AttrTest, tenant: str, params: list[object]) -> str:
    """A query for the ``seq`` of entities passing one attribute test; appends parameters.

    Two index-seekable branches: the matching elements, and the wildcards.
    """
    select = "SELECT seq FROM attr_index WHERE tenant = ? AND attr = ?"
    params.extend([tenant, test.attr])
    if test.op == "exists":
        return select
    predicate = _test_sql(test, params)
    params.extend([tenant, test.attr])
    return f"{select} AND {predicate} UNION ALL {select} AND wild = 1"


def _test_sql(test: AttrTest, params: list[object]) -> str:
    numbers = [v for v in test.values if isinstance(v, int | float)]
    strings = [v for v in test.values if isinstance(v, str)]
    if test.op in ("eq", "in"):
        parts = []
        if numbers:
            parts.append(f"num IN ({', '.join('?' for _ in numbers)})")
            params.extend(float(n) for n in numbers)
        if strings:
            parts.append(f"str IN ({', '.join('?' for _ in strings)})")
            params.extend(strings)
        return "(" + " OR ".join(parts) + ")" if parts else "0"
    column = "num" if numbers else "str"
    if test.op == "between":
        params.extend(test.values[:2])
        return f"{column} BETWEEN ? AND ?"
    params.append(test.values[0])
    return f"{column} {_SQL_OPS[test.op]} ?"
