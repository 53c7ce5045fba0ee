"""Where requests go: per-method hosts, URLs taken from a parameter, and credentials in the query, the
path or the body (the helpers that read these from a spec are in `generator/routes.py`)."""

from __future__ import annotations

from typing import Any

from ..problems import JsonPath
from ..routes import BODY, PATH, QUERY, declared_origins, needs, origin, placed_schemes, url_parameter
from .core import Context, Node, rule

BODIES_WITH_FIELDS = ("json", "form", "multipart")


@rule("environments")
def hosts(ctx: Context, node: Node) -> None:
    """Every environment names the same hosts, so a method's host exists wherever the client is pointed."""
    envs = node.value
    names = {h: e["name"] for e in reversed(envs) for h in e.get("hosts") or {}}
    for i, env in enumerate(envs):
        missing = [h for h in names if h not in (env.get("hosts") or {})]
        for host in missing:
            at: JsonPath = ("environments", i, "hosts") if "hosts" in env else ("environments", i)
            ctx.add(at, f"environment '{env['name']}' has no host '{host}' (declared by '{names[host]}')",
                    key="hosts" not in env)


@rule("methods")
def method_hosts(ctx: Context, _: Node) -> None:
    known = sorted({h for e in ctx.data["environments"] for h in e.get("hosts") or {}})
    for i, method in enumerate(ctx.methods):
        host = method.get("host")
        if host is None:
            continue
        if url_parameter(method["http"]) is not None:
            ctx.add(("methods", i, "host"), "the method's URL is a parameter; 'host' does not apply")
        elif host not in known:
            listed = ", ".join(known) if known else "no environment declares 'hosts'"
            ctx.add(("methods", i, "host"), f"unknown host '{host}' (known: {listed})")


def _resolved(ctx: Context, schema: Any) -> Any:
    seen: set[str] = set()
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"] not in seen:
        seen.add(schema["$ref"])
        schema = ctx.schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


@rule("methods")
def url_parameters(ctx: Context, _: Node) -> None:
    """`PUT {upload_url}`: the parameter is an absolute URL, and its example is on a declared host (where
    `base_url=` can redirect it to a test server)."""
    declared = declared_origins(ctx.data)
    for i, method in enumerate(ctx.methods):
        wire = url_parameter(method["http"])
        if wire is None:
            continue
        for j, param in enumerate(method.get("parameters") or []):
            names = ctx.names.methods[i].params[j]
            if param["in"] != "path" or names.wire != wire:
                continue
            here: JsonPath = ("methods", i, "parameters", j)
            schema = _resolved(ctx, param["schema"])
            if not isinstance(schema, dict) or schema.get("type") != "string" or schema.get("format") != "uri":
                ctx.add((*here, "schema"), f"the URL parameter '{wire}' must be {{type: string, format: uri}}")
            example = param.get("example")
            if isinstance(example, str) and not origin(example)[1]:
                ctx.add((*here, "example"), f"example '{example}' is not an absolute http(s) URL")
            elif isinstance(example, str) and origin(example) not in declared:
                ctx.add((*here, "example"), f"example URL '{example}' is not on a host the spec declares "
                        "(environments, their hosts or auth.hosts)")


def _auth_at(method: dict[str, Any], i: int) -> JsonPath:
    return ("methods", i, "auth") if "auth" in method else ("methods", i, "http")


@rule("methods")
def placed_credentials(ctx: Context, _: Node) -> None:
    """A key in the query, path or body has room there and does not clash with a parameter."""
    places = {where: placed_schemes(ctx.data, where) for where in (QUERY, PATH, BODY)}
    for i, method in enumerate(ctx.methods):
        alternatives = needs(method, ctx.data)
        used = {name for alternative in alternatives for name in alternative}
        path = method["http"].partition(" ")[2]
        params = method.get("parameters") or []
        wires = {(p["in"], ctx.names.methods[i].params[j].wire): j for j, p in enumerate(params)}
        for name, scheme in places[PATH].items():
            placeholder = "{" + str(scheme["name"]) + "}"
            if name in used and placeholder not in path:
                ctx.add(_auth_at(method, i), f"scheme '{name}' puts its key in the path: the path needs "
                        f"'{placeholder}'")
            elif placeholder in path and not all(name in alternative for alternative in alternatives):
                ctx.add(("methods", i, "http"), f"path placeholder '{placeholder}' is scheme '{name}''s key, "
                        "which every auth alternative of the method must send")
            j = wires.get(("path", str(scheme["name"])))
            if j is not None and name in used:
                ctx.add(("methods", i, "parameters", j), f"path parameter '{scheme['name']}' is the "
                        f"placeholder of scheme '{name}''s key")
        for where in (QUERY, BODY):
            for name, scheme in places[where].items():
                if name not in used:
                    continue
                j = wires.get((where, str(scheme["name"])))
                if j is not None:
                    ctx.add(("methods", i, "parameters", j), f"{where} parameter '{scheme['name']}' is also "
                            f"where scheme '{name}' sends its key")
                content = (method.get("body") or {}).get("content")
                if where == BODY and content not in BODIES_WITH_FIELDS:
                    ctx.add(_auth_at(method, i), f"scheme '{name}' sends its key in the body: the method "
                            "needs a json, form or multipart body")

