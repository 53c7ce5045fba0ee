"""What a webhook verification scheme declares on the generator side: its spec rules, its docs wording and
how the contract server signs a delivery as the provider would. The runtime side that verifies is
`generator/runtime/webhooks/kinds/`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ...problems import JsonPath, Reporter

if TYPE_CHECKING:
    from ...ir import WebhookSignature


class WebhookKind:
    name: str
    needs_secret: bool = True  # the receiver needs a shared secret (all but ip_ranges)
    mock_secret: str = "opigen-mock-webhook-secret"  # what the contract server signs with unless told

    def check(self, report: Reporter, signature: Mapping[str, Any], at: JsonPath) -> None:
        """Spec rules that hold for this scheme only; `at` is the signature's path."""

    def wording(self, signature: WebhookSignature, code: Callable[[str], str]) -> str:
        """Docs: how a delivery is signed, one or two sentences of Markdown; `code` makes a spec value an
        inline code span."""
        raise NotImplementedError

    def headers(self, signature: WebhookSignature) -> tuple[str, ...]:
        """The headers a delivery carries for this scheme (the OpenAPI export's header parameters)."""
        return ()

    def sign(self, signature: WebhookSignature, body: bytes, secret: bytes, now: int, ident: str) -> dict[str, str]:
        """The headers the provider would send with `body` (the contract server's deliveries)."""
        raise NotImplementedError
