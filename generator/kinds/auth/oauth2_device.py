"""OAuth 2.0 device authorization (RFC 8628): the user enters a code on another device."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .oauth2_flow import UserFlowKind, absolute

if TYPE_CHECKING:
    from ...ir import AuthScheme, Provider


class OAuth2Device(UserFlowKind):
    name = "oauth2_device"
    grant = "device_code"

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        # OpenAPI 3.1 has no device flow: it is an extension of the flows object.
        flow = scheme.flow
        assert flow is not None and flow.device_url is not None
        description += " Device authorization grant (RFC 8628), see `x-deviceAuthorization`."
        device = {
            "deviceAuthorizationUrl": absolute(provider, flow.device_url),
            "tokenUrl": absolute(provider, flow.token_url),
            "refreshUrl": absolute(provider, flow.token_url),
            "scopes": self.scopes(scheme),
        }
        return {"type": "oauth2", "description": description, "flows": {"x-deviceAuthorization": device}}

    def steps(self, scheme: AuthScheme, alias: str) -> list[str]:
        flow = scheme.flow
        assert flow is not None
        return [
            f"Run `{self.login(scheme, alias)}`. It asks `{flow.device_url}` for a device code and "
            "prints a user code and a verification URL.",
            "Open the URL on any device and enter the code.",
            "Meanwhile `opi` polls the token URL as the provider says (waiting longer on `slow_down`, until the "
            "code expires) and keeps the access and refresh tokens in the OS keyring, or in a file only you "
            "can read.",
            f"Later `opi {alias} ...` commands use the stored tokens and refresh them when they expire; "
            f"`opi {alias} logout` removes them.",
        ]


KIND = OAuth2Device()
