"""`--all` and `--max-items` of a command whose method pages: every item as one JSON value per line, written
as each page arrives (so the first items show before the last page is fetched).

The two options are rows of the command's own options (built with the method's, `render/records.py`) under
keywords no spec parameter can have (`_all`, `_max_items`); `execute` takes them out before calling.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cli_output import write
from .cli_table import Option

ALL, MAX_ITEMS = "_all", "_max_items"

OPTIONS = (
    Option(
        "all",
        ALL,
        "boolean",
        "boolean",
        "Every item of every page, one JSON value per line, as pages arrive.",
    ),
    Option("max-items", MAX_ITEMS, "integer", "integer", "With --all: stop after this many items."),
)


def take(arguments: dict[str, object]) -> tuple[bool, int | None, str | None]:
    """(--all given, --max-items, a usage problem or None), with both removed from `arguments`."""
    every = bool(arguments.pop(ALL, False))
    limit = arguments.pop(MAX_ITEMS, None)
    if limit is not None and not every:
        return every, None, "--max-items goes with --all"
    if isinstance(limit, int) and limit < 0:
        return every, None, "--max-items: expected 0 or more"
    return every, limit if isinstance(limit, int) else None, None


def _line(item: Any, shown: Callable[[Any], Any]) -> str:
    to_json = getattr(item, "to_json_dict", None)
    data = to_json() if callable(to_json) else item
    return json.dumps(shown(data), ensure_ascii=False) + "\n"


def stream(
    client: Any,
    method: str,
    arguments: dict[str, object],
    max_items: int | None,
    out: str | None,
    shown: Callable[[Any], Any],
) -> None:
    """Write every item of the method's pages, one JSON line each, to stdout or the file `out`."""
    items = getattr(client, f"iter_{method}")(**arguments, max_items=max_items)
    if out is None:
        for item in items:
            write("stdout", _line(item, shown))
        return
    with Path(out).open("w", encoding="utf-8") as file:
        for item in items:
            file.write(_line(item, shown))
            file.flush()
