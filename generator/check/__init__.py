"""Stage 2, check: the spec format's JSON Schema, then the rules JSON Schema cannot express.

One module per spec section registers its rules (`core.rule`); `core.walk` runs them. Every rule reports a
Problem pointing at the offending node; nothing stops at the first one.
"""

from __future__ import annotations

from ..load import Document
from ..problems import Problem

# Imported for their rules: each registers its own on import.
from . import (  # noqa: F401
    alternatives,
    auth,
    bodies,
    environments,
    errors,
    examples,
    failures,
    idempotency,
    methods,
    names,
    paging,
    parameters,
    provider,
    responses,
    routes,
    schemas,
    spec_format,
    unions,
    webhooks,
)
from .core import Context, walk


def check(doc: Document) -> list[Problem]:
    """All problems of one loaded spec: format first; semantic rules only on a well-formed spec."""
    ctx = Context(doc)
    walk(ctx)
    return sorted(set(ctx.problems))
