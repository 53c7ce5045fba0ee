"""The `opi` command: one pure-data command table per provider plus the entry module listing them.

The tables live in `opi/cli/<alias>.py`, not inside the provider packages: importing `opi.<alias>.x` would
run the provider's `__init__` (client and models, hence httpx and pydantic), and help must start fast.
The rows themselves are built in `records.py`.
"""

from __future__ import annotations

from .. import __version__
from ..ir import Provider
from .cli_rules import credential_ways, terminal_text
from .env import render
from .package import header
from .pycode import pycode
from .records import provider_table

__all__ = ["credential_ways", "render_cli_entry", "render_cli_table", "terminal_text"]


def render_cli_table(provider: Provider) -> dict[str, str]:
    return {
        f"opi/cli/{provider.alias}.py": render(
            "cli/table.py.j2", table=provider_table(provider), p=provider, header=header(provider)
        )
    }


def render_cli_entry(providers: list[Provider]) -> dict[str, str]:
    entries = [pycode((p.alias, terminal_text(p.title), terminal_text(p.description))) for p in providers]
    return {"opi/cli/__init__.py": render("cli/entry.py.j2", entries=entries, version=pycode(__version__))}
