"""Which renderers make up `generated/`. A renderer is a plain function; add one line per renderer."""

from __future__ import annotations

from ..pipeline import ProviderRenderer, TreeRenderer
from .package import render_package, render_provider_package

PROVIDER_RENDERERS: list[ProviderRenderer] = [render_provider_package]
TREE_RENDERERS: list[TreeRenderer] = [render_package]
