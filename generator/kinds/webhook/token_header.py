"""A shared secret token in a header, sent as it is (a bot platform's secret-token header)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ...http_syntax import check_name
from ...problems import JsonPath, Reporter
from .base import WebhookKind

if TYPE_CHECKING:
    from ...ir import WebhookSignature


class TokenHeader(WebhookKind):
    name = "token_header"

    def check(self, report: Reporter, signature: Mapping[str, Any], at: JsonPath) -> None:
        check_name(report, signature["header"], (*at, "header"), key=False)

    def wording(self, signature: WebhookSignature, code: Callable[[str], str]) -> str:
        return (
            f"The {code(signature.header)} header carries the secret token you chose when you registered the "
            "webhook; it is compared in constant time. The body is not signed, so repeats are refused by "
            "remembering the deliveries already received."
        )

    def headers(self, signature: WebhookSignature) -> tuple[str, ...]:
        return (signature.header,)

    def sign(self, signature: WebhookSignature, body: bytes, secret: bytes, now: int, ident: str) -> dict[str, str]:
        return {signature.header: secret.decode("utf-8")}


KIND = TokenHeader()
