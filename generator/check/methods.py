"""Methods: their names and titles, and the path of their `http` line against their path parameters."""

from __future__ import annotations

import re

from ..names import CLIENT_MEMBERS
from ..routes import credential_placeholders
from .core import Context, Node, rule
from .names import clash

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@rule("methods")
def names_and_titles(ctx: Context, _: Node) -> None:
    by_name: dict[str, int] = {}
    by_py: dict[str, int] = {}
    titles: dict[tuple[str, str], int] = {}
    for i, (method, names) in enumerate(zip(ctx.methods, ctx.names.methods, strict=True)):
        name, py = method["name"], names.py
        if name.lower() in by_name:
            first = ctx.methods[by_name[name.lower()]]["name"]
            same = "" if first == name else f" ('{first}' differs only in case)"
            ctx.add(("methods", i, "name"), f"duplicate method '{name}'{same}")
        by_name.setdefault(name.lower(), i)
        if py in by_py and ctx.methods[by_py[py]]["name"].lower() != name.lower():
            other = ctx.methods[by_py[py]]["name"]
            ctx.add(("methods", i, "name"), f"method '{name}' collides with '{other}' as '{py}'")
        by_py.setdefault(py, i)
        clashes = clash(py, CLIENT_MEMBERS)
        if clashes:
            ctx.add(("methods", i, "name"), f"method name '{name}' (Python '{py}') {clashes}")
        key = (method["group"], method["title"].lower())
        if key in titles:
            title, group = method["title"], method["group"]
            ctx.add(("methods", i, "title"), f"duplicate title '{title}' in group '{group}'")
        titles.setdefault(key, i)


@rule("methods")
def paths(ctx: Context, _: Node) -> None:
    """Each {placeholder} of a path is one required path parameter, and each path parameter is in the path."""
    for i, (method, names) in enumerate(zip(ctx.methods, ctx.names.methods, strict=True)):
        path = method["http"].partition(" ")[2]
        params = method.get("parameters") or []
        placeholders = _PLACEHOLDER.findall(path)
        if len(set(placeholders)) != len(placeholders):
            ctx.add(("methods", i, "http"), "path repeats a placeholder")
        if "{" in _PLACEHOLDER.sub("", path) or "}" in _PLACEHOLDER.sub("", path):
            ctx.add(("methods", i, "http"), "unbalanced braces in path")
        path_params = {names.params[j].wire: j for j, p in enumerate(params) if p["in"] == "path"}
        credentials = credential_placeholders(method, ctx.data)  # filled by a path credential
        for placeholder in placeholders:
            if placeholder not in path_params and placeholder not in credentials:
                ctx.add(("methods", i, "http"), f"path placeholder '{{{placeholder}}}' has no path parameter")
        for wire, j in path_params.items():
            here = ("methods", i, "parameters", j)
            if wire not in placeholders:
                ctx.add(here, f"path parameter '{wire}' is not in the path '{path}'")
            elif not params[j].get("required"):
                at = (*here, "required") if "required" in params[j] else (*here, "name")
                ctx.add(at, "path parameters must be required: true")
