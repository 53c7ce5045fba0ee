"""What a pagination style declares on the generator side: its spec rules, docs wording and how the
contract server pages a list of records in it."""

from __future__ import annotations

from typing import Any

from ...problems import JsonPath, Reporter


class PagingKind:
    name: str
    next_in: str | None  # where `next` points: "answer" (a field of the page), "item" (of an item) or None
    numbered: bool  # the position is a number counted from `start` (offset, page) rather than opaque text
    wording: str  # docs: "It pages <wording>."
    url: bool = False  # the next page is named by a whole URL (in `next`, or the Link header when no `next`)

    def check(self, report: Reporter, spec: dict[str, Any], at: JsonPath) -> None:
        """Rules for this style's keys; `at` is the path of the `pagination` declaration."""
        if self.next_in is None and "next" in spec:
            report.add(
                (*at, "next"), f"style '{self.name}' counts its position itself; 'next' does not apply"
            )
        if self.next_in is not None and "next" not in spec:
            report.add(at, f"style '{self.name}' needs 'next' (where the next position is read)")
        if not self.numbered and "start" in spec:
            report.add(
                (*at, "start"), f"'start' goes with a numbered style (offset, page), not '{self.name}'"
            )

    # --- the contract server -----------------------------------------------------------------------------
    def begin(self, position: Any, size: int, start: int, records: list[Any], key: str | None) -> int:
        """The index of the first record of the page asked for with `position` (None: the first page)."""
        raise NotImplementedError

    def following(self, end: int, records: list[Any]) -> Any:
        """The value of the answer's `next` field for the page ending before index `end` (None: no field)."""
        return None
