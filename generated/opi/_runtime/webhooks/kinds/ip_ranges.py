"""No signature: the provider names the address ranges it sends from, and the sender must be in one."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable

from ..core import KEEP_UNTIMED, Delivery, Signature, Verified, WebhookVerificationError


def build(signature: Signature) -> Callable[[Delivery], Verified]:
    networks = tuple(ipaddress.ip_network(r, strict=False) for r in signature.ranges)

    def verify(delivery: Delivery) -> Verified:
        if delivery.source is None:
            raise WebhookVerificationError(
                "forbidden_source", "the sender's address is unknown (pass source=)"
            )
        try:
            address = ipaddress.ip_address(delivery.source)
        except ValueError:
            raise WebhookVerificationError(
                "forbidden_source", "the sender's address is not an IP address"
            ) from None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not any(address in net for net in networks):
            raise WebhookVerificationError(
                "forbidden_source", f"{address} is not in the provider's address ranges"
            )
        return Verified(hashlib.sha256(delivery.body).hexdigest(), delivery.now + KEEP_UNTIMED)

    return verify
