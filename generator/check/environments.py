"""Environments, and the environment flag that picks one of them."""

from __future__ import annotations

from ..names import CLIENT_KEYWORDS, RESERVED_CLI_OPTIONS
from .core import Context, Node, rule
from .names import RESERVED_PY, clash


@rule("environments")
def environments(ctx: Context, node: Node) -> None:
    envs = node.value
    seen: set[str] = set()
    for i, env in enumerate(envs):
        if env["name"] in seen:
            ctx.add(("environments", i, "name"), f"duplicate environment '{env['name']}'")
        seen.add(env["name"])
    defaults = [i for i, e in enumerate(envs) if e.get("default")]
    if len(envs) > 1 and not defaults:
        ctx.add(("environments",), "one environment must have 'default: true'", key=True)
    for i in defaults[1:]:
        first = envs[defaults[0]]["name"]
        ctx.add(("environments", i, "default"), f"only one environment can be the default ('{first}' is)")
    flag = ctx.data.get("environment_flag")
    if flag:
        here = ("environment_flag", "environment")
        if flag["environment"] not in seen:
            ctx.add(here, f"unknown environment '{flag['environment']}' (known: {', '.join(sorted(seen))})")
        elif len(envs) == 1:
            ctx.add(("environment_flag",), "an environment flag needs a second environment", key=True)
        elif envs[defaults[0] if defaults else 0]["name"] == flag["environment"]:
            ctx.add(here, "the flag must select a non-default environment")


@rule("environments")
def flag_name(ctx: Context, _: Node) -> None:
    """The flag is a keyword of every client constructor and an option of every command."""
    flag = ctx.data.get("environment_flag")
    if not flag:
        return
    name, option = flag["name"], ctx.names.flag_option
    here = ("environment_flag", "name")
    clashes = clash(name, RESERVED_PY | CLIENT_KEYWORDS)
    if clashes:
        ctx.add(here, f"environment flag name '{name}' {clashes}")
    elif option in RESERVED_CLI_OPTIONS:
        ctx.add(here, f"environment flag name '{name}' collides with the standard CLI option --{option}")
    elif name in {i.name for i in ctx.names.inputs}:
        ctx.add(here, f"environment flag name '{name}' collides with the auth input '{name}'")
