"""Which renderers make up `generated/`. A renderer is a plain function; add one line per renderer."""

from __future__ import annotations

from collections.abc import Callable

from ..ir import Provider
from .cli import render_cli_entry, render_cli_table
from .docs import render_docs_index, render_provider_docs
from .docs_webhooks import render_webhook_docs
from .openapi import render_openapi
from .package import render_package, render_provider_package
from .webhooks import render_webhooks_module

ProviderRenderer = Callable[[Provider], dict[str, str]]
"""Renders one provider: {relative path: text}."""
TreeRenderer = Callable[[list[Provider]], dict[str, str]]
"""Renders what spans every provider (package root, docs index, CLI entry): {relative path: text}."""

PROVIDER_RENDERERS: list[ProviderRenderer] = [render_provider_docs, render_provider_package, render_cli_table]
PROVIDER_RENDERERS.append(render_openapi)
PROVIDER_RENDERERS.append(render_webhooks_module)
PROVIDER_RENDERERS.append(render_webhook_docs)
TREE_RENDERERS: list[TreeRenderer] = [render_docs_index, render_package, render_cli_entry]
