"""Parameters of one method: their names as Python keywords, CLI options and wire names, and their values."""

from __future__ import annotations

from typing import Any

from .. import http_syntax as headers
from ..names import CLIENT_KEYWORDS, RESERVED_CLI_OPTIONS, kebab
from .core import Context, Node, rule
from .names import RESERVED_PY, clash
from .schemas import check_instance


def _client_inputs(ctx: Context, method: dict[str, Any]) -> dict[str, str]:
    """Python names the client (and every CLI command) takes for itself: name -> what it is."""
    taken = {i.name: f"the auth input '{i.name}'" for i in ctx.names.inputs}
    flag = ctx.data.get("environment_flag")
    if flag:
        taken[flag["name"]] = f"the environment flag '{flag['name']}'"
    # The client fills its token method's parameters from its own keywords (model.client_inputs).
    for token_method, names in zip(ctx.methods, ctx.names.methods, strict=True):
        if token_method["name"] in ctx.names.token_methods and token_method is not method:
            for p, p_names in zip(token_method.get("parameters") or [], names.params, strict=True):
                if "const" not in p:
                    what = f"(a parameter of token method {token_method['name']})"
                    taken.setdefault(p_names.py, f"the client keyword '{p_names.py}' {what}")
    return taken


@rule("parameters")
def parameter_names(ctx: Context, node: Node) -> None:
    """A parameter is a keyword of its method and an option of its command: each name once, none reserved."""
    client = _client_inputs(ctx, node.method)
    client_options = {kebab(name): what for name, what in client.items()}
    is_token = node.method["name"] in ctx.names.token_methods
    taken_py: dict[str, int] = {}
    taken_cli: dict[str, int] = {}
    taken_wire: dict[tuple[str, str], int] = {}
    params: list[dict[str, Any]] = node.value or []
    for j, (p, p_names) in enumerate(zip(params, ctx.names.methods[node.index].params, strict=True)):
        here = (*node.path, j)
        py, option = p_names.py, p_names.option
        option_at = (*here, "cli") if "cli" in p else (*here, "name")
        shown = f"'{p['name']}'" if py == p["name"] else f"'{p['name']}' (Python '{py}')"
        # A token method's parameters are client constructor keywords too (model.client_inputs).
        constructor = CLIENT_KEYWORDS if is_token and "const" not in p else frozenset()
        clashes = clash(py, RESERVED_PY | constructor)
        if clashes:
            rename = "rename it and keep the wire name in 'field'"
            ctx.add((*here, "name"), f"parameter name {shown} {clashes}; {rename}")
        if py in taken_py:
            first = taken_py[py]
            message = f"parameter {shown} collides with parameters[{first}] ('{params[first]['name']}')"
            ctx.add((*here, "name"), message)
        elif option in taken_cli:
            ctx.add(option_at, f"CLI option --{option} is used twice (also parameters[{taken_cli[option]}])")
        taken_py.setdefault(py, j)
        taken_cli.setdefault(option, j)
        if option in RESERVED_CLI_OPTIONS:
            ctx.add(option_at, f"CLI option --{option} is reserved for the CLI itself")
        if py in client:
            ctx.add((*here, "name"), f"parameter {shown} collides with {client[py]}")
        elif option in client_options:
            ctx.add(option_at, f"CLI option --{option} collides with {client_options[option]}")
        wire = (p["in"], p_names.wire.lower() if p["in"] == "header" else p_names.wire)
        if wire in taken_wire:
            at = (*here, "field") if "field" in p else (*here, "name")
            ctx.add(at, f"two parameters send '{wire[1]}' in the {wire[0]}")
        taken_wire.setdefault(wire, j)


@rule("parameters")
def values(ctx: Context, node: Node) -> None:
    """Const, default and example values: which go together, and that each fits the parameter's schema."""
    for j, p in enumerate(node.value or []):
        here = (*node.path, j)
        if "const" in p:
            for key in ("required", "default"):
                if key in p:
                    ctx.add((*here, key), f"a const parameter takes no '{key}'", key=True)
            check_instance(ctx, p["const"], p["schema"], (*here, "const"), "const")
            continue
        if p.get("required") and "default" in p:
            ctx.add((*here, "default"), "a required parameter cannot have a default", key=True)
        if "default" in p:
            check_instance(ctx, p["default"], p["schema"], (*here, "default"), "default")
        if "example" in p:
            check_instance(ctx, p["example"], p["schema"], (*here, "example"))
        elif p.get("required"):
            ctx.add(here, f"required parameter '{p['name']}' needs an example", key=True)


@rule("parameters")
def header_parameters(ctx: Context, node: Node) -> None:
    """What a header parameter sends must be a valid header name and value."""
    params: list[dict[str, Any]] = node.value or []
    for j, (p, p_names) in enumerate(zip(params, ctx.names.methods[node.index].params, strict=True)):
        if p["in"] != "header":
            continue
        here = (*node.path, j)
        headers.check_name(ctx, p_names.wire, (*here, "field" if "field" in p else "name"))
        for key in ("example", "default", "const"):
            if isinstance(p.get(key), str):
                headers.check_value(ctx, p[key], (*here, key))
