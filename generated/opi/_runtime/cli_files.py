"""File answers on the command line: `--out FILE` receives the file as it streams; without it the file
goes to standard output when that is a pipe or a file, and never onto a terminal."""

from __future__ import annotations

import importlib
import sys
from typing import Any

from .accept import choices
from .cli_output import say
from .cli_parse import Invocation
from .decoders import TARGETED


def takes_out(inv: Invocation) -> bool:
    """Whether the command's method answers with a file (its client method takes `out=`)."""
    client = importlib.import_module(inv.table.client_module).Client
    op = sys.modules[client.__module__].PROVIDER.operations.get(inv.command.method)
    if op is None:
        return False
    offered = choices(op)  # an answer in several media types: the one --accept names, else the default
    if not offered:
        return op.answer_content in TARGETED
    wanted = inv.arguments.get("accept", offered[0].media)
    return any(c.media == wanted and c.content in TARGETED for c in offered)


def refused(inv: Invocation) -> str | None:
    """Why the command may not run as given: binary data is not written to a terminal."""
    if inv.out is None and not inv.test and sys.stdout.isatty():
        return "the answer is a file: pass --out FILE (binary data is not written to a terminal)"
    return None


def arguments(inv: Invocation) -> dict[str, Any]:
    """The method's keywords with `out=`: the --out path, else standard output's byte stream."""
    sys.stdout.flush()
    return {**inv.arguments, "out": inv.out if inv.out is not None else sys.stdout.buffer}


def done(inv: Invocation, result: Any) -> None:
    if inv.out is not None:
        name = f" (named {result.filename!r} by the provider)" if result.filename else ""
        say(f"opi: {result.size} bytes of {result.content_type} written to {inv.out}{name}")
    else:
        sys.stdout.buffer.flush()
