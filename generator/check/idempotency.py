"""Idempotency of a write: which keys each kind takes, and that a unique field's lookup can find the write."""

from __future__ import annotations

from .core import Context, Node, rule

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@rule("idempotency")
def idempotency(ctx: Context, node: Node) -> None:
    spec, here = node.value, node.path
    if spec is None:
        return
    verb = node.method["http"].partition(" ")[0]
    if verb not in WRITE_METHODS:
        ctx.add(here, f"{verb} is safe to retry already; idempotency is for writes", key=True)
        return
    kind = spec["kind"]
    if kind == "header" and "header" not in spec:
        ctx.add(here, "kind 'header' needs 'header' (the idempotency header's name)", key=True)
    if kind != "header" and "header" in spec:
        ctx.add((*here, "header"), f"'header' goes with kind 'header', not '{kind}'", key=True)
    if kind != "unique_field":
        for key in ("field", "lookup"):
            if key in spec:
                ctx.add((*here, key), f"'{key}' goes with kind 'unique_field', not '{kind}'", key=True)
        return
    if "field" not in spec or "lookup" not in spec:
        ctx.add(here, "kind 'unique_field' needs 'field' and 'lookup'", key=True)
        return
    names = {p["name"]: p for p in node.method.get("parameters") or []}
    field = names.get(spec["field"])
    if field is None:
        known = ", ".join(names) or "none"
        ctx.add((*here, "field"), f"unknown parameter '{spec['field']}' (known: {known})")
    elif not field.get("required"):
        ctx.add((*here, "field"), f"the unique field '{spec['field']}' must be a required parameter")
    lookup = spec["lookup"]
    target = next((m for m in ctx.methods if m["name"] == lookup["method"]), None)
    if target is None:
        ctx.add((*here, "lookup", "method"), f"unknown method '{lookup['method']}'")
    elif target["http"].split(" ")[0] != "GET":
        ctx.add((*here, "lookup", "method"), f"lookup method '{lookup['method']}' must be a GET")
    elif lookup["parameter"] not in {p["name"] for p in target.get("parameters") or []}:
        ctx.add(
            (*here, "lookup", "parameter"),
            f"method '{lookup['method']}' has no parameter '{lookup['parameter']}'",
        )
