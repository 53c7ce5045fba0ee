"""The `Logging in` section of a provider's landing page: each OAuth 2.0 user flow in steps, with the
`opi <provider> login` command, its scopes, and how an application keeps the tokens."""

from __future__ import annotations

from ..ir import Provider
from ..kinds import AUTH
from ..kinds.auth.oauth2_flow import UserFlowKind
from .mdx import code, md

TITLES = {"authorization_code": "authorization code with PKCE", "device_code": "device code"}


def login_section(provider: Provider) -> str:
    """Markdown for the landing page, or "" when the spec has no user flow."""
    schemes = [s for s in provider.schemes if s.flow is not None]
    if not schemes:
        return ""
    alias = provider.alias
    lines = [
        "## Logging in",
        "",
        f"The tokens of these schemes come from a user's login. {code(f'opi {alias} login')} runs it and keeps "
        "the tokens in the OS keyring (with the `keyring` extra and a usable backend), else in a file only you "
        f"can read; later {code(f'opi {alias} ...')} commands use and refresh them, and "
        f"{code(f'opi {alias} logout')} removes them. Logging in needs the `oauth` extra: "
        f"{code('pip install ./generated[oauth]')}.",
        "",
    ]
    for scheme in schemes:
        flow = scheme.flow
        kind = AUTH[scheme.kind]
        assert flow is not None and isinstance(kind, UserFlowKind)
        option = "" if scheme is schemes[0] else f" --scheme {scheme.name}"
        lines += [f"### {md(scheme.name)}: {TITLES.get(flow.grant, flow.grant)}", ""]
        steps = kind.steps(scheme, alias)
        if option:  # the second and later schemes are named on the command line
            steps = [s.replace(f"opi {alias} login", f"opi {alias} login{option}")
                     .replace(f"opi {alias} logout", f"opi {alias} logout{option}") for s in steps]
        lines += [f"{n}. {step}" for n, step in enumerate(steps, start=1)]
        lines.append("")
        if flow.scopes:
            lines += ["Scopes asked for (`--scope` asks for others):", ""]
            lines += [f"- {code(name)}: {md(what)}" for name, what in flow.scopes]
            lines.append("")
    token, refresh = schemes[0].inputs[0].name, schemes[0].inputs[1].name
    lines += [
        f"In Python, pass the tokens to the client ({code(f'Client({token}=..., {refresh}=..., ...)')}); it "
        "refreshes the access token before it expires and once when it is refused, one refresh at a time, "
        f"and calls {code('on_tokens=')} with every new pair so that your application can keep them. A refused "
        f"refresh token raises {code('LoginRequired')}: the user logs in again.",
        "",
    ]
    return "\n".join(lines)
