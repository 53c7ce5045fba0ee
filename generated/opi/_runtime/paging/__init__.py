"""Pagination styles, one module per style: how the next page's position is found and the end detected.

`REGISTRY` maps a style's spec name (`pagination.style`) to its module's `KIND`; the paging record
(`Paging`, in `opi._runtime.pages`) names its style, and the page walker (`pages.Walker`) asks the style for
the next position after each page. A style returns None when the page was the last one.
"""

from __future__ import annotations

from . import after_item, cursor, link, next_url, offset, page
from .base import PageView, Style

REGISTRY: dict[str, Style] = {
    k.name: k for k in (cursor.KIND, after_item.KIND, offset.KIND, page.KIND, next_url.KIND, link.KIND)
}

__all__ = ["REGISTRY", "PageView", "Style"]
