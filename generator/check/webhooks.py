"""The `webhooks` section: each event's payload is a named object model whose example fits it and names the
event; event names and pages are unique; `after` names writes; the scheme's own rules (its kind)."""

from __future__ import annotations

from typing import Any

from ..kinds import WEBHOOKS
from ..names import slug
from .core import Context, Node, rule
from .schemas import check_instance

_READS = ("GET", "HEAD")


def _follow(value: Any, path: list[str]) -> Any:
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


@rule("webhooks")
def scheme(ctx: Context, node: Node) -> None:
    if node.value is None:
        return
    signature = node.value["signature"]
    WEBHOOKS[signature["scheme"]].check(ctx, signature, ("webhooks", "signature"))


@rule("webhooks")
def events(ctx: Context, node: Node) -> None:
    if node.value is None:
        return
    field = node.value["type_field"].split(".")
    writes = {m["name"] for m in ctx.methods if m["http"].split(" ", 1)[0].upper() not in _READS}
    known = {m["name"] for m in ctx.methods}
    names: set[str] = set()
    slugs: set[str] = set()
    for i, event in enumerate(node.value["events"]):
        at = ("webhooks", "events", i)
        name = event["name"]
        if name in names:
            ctx.add((*at, "name"), f"duplicate event '{name}'")
        elif slug(name).lower() in slugs:
            ctx.add((*at, "name"), f"event '{name}' has the same docs page as another event")
        names.add(name)
        slugs.add(slug(name).lower())
        ref = str(event["schema"].get("$ref", ""))
        target = ref.rsplit("/", 1)[-1]
        if not ref.startswith("#/schemas/") or ctx.schemas.get(target, {}).get("type") != "object":
            ctx.add((*at, "schema"), "an event's schema must be a $ref to an object schema in schemas")
            continue
        check_instance(ctx, event["example"], event["schema"], (*at, "example"))
        if _follow(event["example"], field) != name:
            ctx.add((*at, "example"), f"the example's {'.'.join(field)} must be the event name '{name}'")
        for j, method in enumerate(event.get("after", ())):
            if method not in known:
                ctx.add((*at, "after", j), f"unknown method '{method}'")
            elif method not in writes:
                ctx.add((*at, "after", j), f"'{method}' is a read; events follow writes")
