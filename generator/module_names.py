"""The module-level names of a generated client module and models module.

The client template's import lines are rendered from `CLIENT_IMPORTS`, and `names.RESERVED_MODEL_NAMES`
is derived from these lists: a model class named like one of them would shadow it (or be renamed by the
model generator, so the client would name a class that does not exist). Low-level on purpose: the checker
imports it through `names`.
"""

from __future__ import annotations

from .runtime import spec

# The client module's imports after `from __future__ import annotations`, in groups separated by a blank
# line (standard library, third party, the runtime). Unused ones are removed by ruff when formatting.
CLIENT_IMPORTS: tuple[tuple[str, ...], ...] = (
    (
        "import datetime as dt",
        "from collections.abc import AsyncIterator, Callable, Iterator, Mapping",
        "from typing import TYPE_CHECKING, Any, Literal, overload",
    ),
    ("import httpx",),
    (
        "from opi._runtime.client import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, TimeoutTypes",
        "from opi._runtime.client import AsyncClient as _AsyncBase",
        "from opi._runtime.client import SyncClient as _SyncBase",
        "from opi._runtime.download import Download, DownloadTarget",
        "from opi._runtime.uploads import FileInput",
        "from opi._runtime.response import RawResponse",
        "from opi._runtime.oauth_refresh import Tokens",
        f"from opi._runtime.spec import {', '.join(sorted(spec.__all__))}",  # every record class
        "from opi._runtime.pages import Paging, aiter_items, aiter_pages, iter_items, iter_pages",
        "from opi._runtime.accept import MediaChoice",
        "from opi._runtime.routes import Route",
        "from opi._runtime.answer_errors import FailureInAnswer",
        "from opi._runtime.param_groups import ParameterRule",
    ),
)

# What the client template defines at module level.
CLIENT_DEFINES = ("_Ops", "PROVIDER", "Client", "AsyncClient")

# What datamodel-code-generator's models module imports or defines besides the spec's models (its root
# `Model`, which the renderer drops): tests/test_names.py checks this against real generated models.
MODELS_NAMES = frozenset({
    "Annotated", "AnswerHeaders", "Any", "AnyUrl", "ApiModel", "AwareDatetime", "ConfigDict", "EmailStr", "Field", "Literal",
    "Model", "Optional", "RootModel", "UUID", "Union", "date",
})


def bound_names(statement: str) -> tuple[str, ...]:
    """The names an `import a.b as c` or `from m import x, y as z` statement binds."""
    imported = statement.split(" import ", 1)[1] if statement.startswith("from ") else statement[len("import "):]
    names = []
    for part in imported.split(","):
        words = part.split()
        names.append(words[-1] if "as" in words else words[0].split(".")[0])
    return tuple(names)


CLIENT_NAMES = frozenset(
    {name for group in CLIENT_IMPORTS for statement in group for name in bound_names(statement)}
    | set(CLIENT_DEFINES)
)
