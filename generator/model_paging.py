"""A method's `pagination` declaration as the IR's `Pagination` (parameters by their Python names)."""

from __future__ import annotations

from typing import Any

from . import ir

ROOT = "$"  # `items: $`: the answer itself is the list of items


def pagination(
    spec: dict[str, Any] | None, raw_params: list[dict[str, Any]], params: tuple[ir.Parameter, ...]
) -> ir.Pagination | None:
    if spec is None:
        return None
    py = {raw["name"]: p.py_name for raw, p in zip(raw_params, params, strict=True)}
    limit = spec.get("limit")
    size = next((p.default for p in params if limit and p.py_name == py[limit] and p.has_default), None)
    return ir.Pagination(
        style=spec["style"],
        items="" if spec["items"] == ROOT else spec["items"],  # "": the answer is the list itself
        parameter=py[spec["parameter"]],
        next=spec.get("next"),
        limit=py[limit] if limit else None,
        has_more=spec.get("has_more"),
        start=int(spec.get("start", 0)),
        short_page=bool(spec.get("short_page", limit is not None)),
        size=size if isinstance(size, int) and not isinstance(size, bool) else None,
        note=spec.get("note", ""),
    )
