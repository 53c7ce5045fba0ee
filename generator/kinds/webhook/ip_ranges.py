"""No signature: the provider publishes the address ranges its deliveries come from."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ...problems import JsonPath, Reporter
from .base import WebhookKind

if TYPE_CHECKING:
    from ...ir import WebhookSignature


class IpRanges(WebhookKind):
    name = "ip_ranges"
    needs_secret = False
    mock_secret = ""

    def check(self, report: Reporter, signature: Mapping[str, Any], at: JsonPath) -> None:
        for i, text in enumerate(signature["ranges"]):
            try:
                ipaddress.ip_network(text, strict=True)
            except ValueError as exc:
                report.add((*at, "ranges", i), f"not an address range: {exc}")

    def wording(self, signature: WebhookSignature, code: Callable[[str], str]) -> str:
        ranges = ", ".join(code(r) for r in signature.ranges)
        return (
            "The provider signs nothing; a delivery is trusted only when it comes from one of its address "
            f"ranges: {ranges}. Behind a proxy, pass the original sender's address as `source`."
        )

    def sign(self, signature: WebhookSignature, body: bytes, secret: bytes, now: int, ident: str) -> dict[str, str]:
        return {}


KIND = IpRanges()
