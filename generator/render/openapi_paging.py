"""A paginated method's `pagination` in the OpenAPI export: the operation extension `x-pagination`.

It carries the spec's declaration with parameters by their wire names (as in the operation's `parameters`)
and `items: "$"` for an answer that is the list itself; keys the method does not declare are left out.
"""

from __future__ import annotations

from typing import Any

from ..ir import Method

EXTENSION = "x-pagination"


def x_pagination(method: Method) -> dict[str, Any] | None:
    p = method.pagination
    if p is None:
        return None
    wire = {q.py_name: q.wire for q in method.parameters}
    out: dict[str, Any] = {"style": p.style, "items": p.items or "$", "parameter": wire[p.parameter]}
    if p.next is not None:
        out["next"] = p.next
    if p.limit is not None:
        out["limit"] = wire[p.limit]
        out["short_page"] = p.short_page
    if p.has_more is not None:
        out["has_more"] = p.has_more
    if p.start:
        out["start"] = p.start
    return out
