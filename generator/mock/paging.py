"""The contract server's lists: a configurable number of records served page by page in the method's style.

The records are copies of the first item of the spec's example page, numbered: an integer `id` (or the
field an `after_item` style names; without an `id`, the item's first text or integer field) counts from 1, a
text one gets `-<n>` appended. Without a count set for a
method the records are the example's own items. The page size is the request's limit parameter, else its
default, else the number of items in the example. The answer is the example page with its items replaced,
and its `next` and `has_more` fields set as the style says (the `next` field is left out on the last page).
"""

from __future__ import annotations

import copy
import threading
from typing import Any
from urllib.parse import urlencode

from ..contract import get_path, set_path
from ..ir import Method, Pagination
from ..kinds import PAGING

DEFAULT_SIZE = 10


def _without(data: Any, dotted: str) -> Any:
    head, _, rest = dotted.partition(".")
    if not isinstance(data, dict) or head not in data:
        return data
    out = dict(data)
    if rest:
        out[head] = _without(out[head], rest)
    else:
        del out[head]
    return out


def numbered(example_item: Any, key: str | None, n: int) -> Any:
    item = copy.deepcopy(example_item)
    if isinstance(item, dict) and key is not None and key in item:
        value = item[key]
        if isinstance(value, int) and not isinstance(value, bool):
            item[key] = n
        elif isinstance(value, str):
            item[key] = f"{value}-{n}"
    return item


def _first_scalar(item: dict[str, Any]) -> str | None:
    return next((k for k, v in item.items() if isinstance(v, str | int) and not isinstance(v, bool)), None)


class Pager:
    """Records per paginated method and the page answers; thread-safe, as tests set counts while serving."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[str, list[Any]] = {}

    @staticmethod
    def _key(p: Pagination) -> str | None:
        return p.next if PAGING[p.style].next_in == "item" else "id"

    def serve(self, method: Method, count: int) -> list[Any]:
        """Serve `count` numbered records from now on; returns them (a copy), in order."""
        p = method.pagination
        if p is None:
            raise ValueError(f"{method.name} does not page")
        example = get_path(method.success.example, p.items)
        if not isinstance(example, list) or not example:
            raise ValueError(f"{method.name}: the example page holds no item to copy")
        key = self._key(p)
        if key == "id" and isinstance(example[0], dict) and "id" not in example[0]:
            key = _first_scalar(example[0])  # no `id`: the item's first text or integer field tells them apart
        records = [numbered(example[0], key, n) for n in range(1, count + 1)]
        with self._lock:
            self._records[method.name] = records
        return copy.deepcopy(records)

    def reset(self) -> None:
        with self._lock:
            self._records.clear()

    def page(self, method: Method, values: dict[str, Any], here: str = "") -> tuple[Any, tuple[tuple[str, str], ...]]:
        """(answer body, extra headers) for one page request (`values`: the request's parameters by Python
        name; `here`: the request's URL without its query, for the next-page URL styles)."""
        p = method.pagination
        assert p is not None
        kind = PAGING[p.style]
        example = method.success.example
        with self._lock:
            records = self._records.get(method.name)
        if records is None:
            found = get_path(example, p.items)
            records = found if isinstance(found, list) else []
        size = values.get(p.limit) if p.limit else None
        if not isinstance(size, int) or size < 1:
            param = next((q for q in method.parameters if q.py_name == p.limit), None)
            size = param.default if param is not None and param.has_default else None
        if not isinstance(size, int) or size < 1:
            found = get_path(example, p.items)
            size = len(found) if isinstance(found, list) and found else DEFAULT_SIZE
        begin = kind.begin(values.get(p.parameter), size, p.start, records, self._key(p))
        end = min(len(records), begin + size)
        body = set_path(copy.deepcopy(example), p.items, records[begin:end])
        if p.has_more:
            body = set_path(body, p.has_more, end < len(records))
        following = kind.following(end, records)
        headers: tuple[tuple[str, str], ...] = ()
        if following is not None and kind.url:
            wire = {q.py_name: q.wire for q in method.parameters}
            query = {wire[p.parameter]: following, **({wire[p.limit]: size} if p.limit else {})}
            following = f"{here}?{urlencode(query)}"
            if kind.next_in is None:
                headers = (("link", f'<{following}>; rel="next"'),)
        if p.next and kind.next_in == "answer":
            body = set_path(body, p.next, following) if following is not None else _without(body, p.next)
        return body, headers
