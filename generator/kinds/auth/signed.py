"""What the signing auth kinds (oauth1, sigv4, hmac, jwt_bearer) share on the generator side.

A signing kind's credential is not a header value the user supplies: the client computes it per request
from the method, the URL, the headers and the exact body bytes (`generator/runtime/signing.py`). So each
kind names the package extra its client library comes in, words its docs paragraph, and the contract server
recomputes the signature over the request as received (`AuthKind.verify_request`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ...problems import Reporter
from ..base import AuthKind, Expect, Known, Received, TokenState

if TYPE_CHECKING:
    from ...ir import AuthScheme

TOLERANCE = 300  # seconds a signed timestamp may be off the contract server's clock


class SigningKind(AuthKind):
    extra: str | None = None  # the generated package's optional extra with the client library
    library: str = ""  # docs: the library that signs, e.g. "[botocore](...)"

    optional_roles: frozenset[str] = frozenset()  # roles a spec may leave out; declared, a client may lack them

    def check(self, report: Reporter, name: str, scheme: Mapping[str, Any], data: Mapping[str, Any]) -> None:
        check_no_files(report, name, data)

    def roles_of(self, scheme: Mapping[str, Any]) -> dict[str, Any]:
        """`roles`: the roles the spec declares, in the order of the runtime scheme's inputs; `optional`: the
        input names a client may leave out."""
        present = [role for role in self.roles if role in scheme]
        optional = [scheme[r].get("name", r) for r in present if r in self.optional_roles]
        return {"roles": present, "optional": optional} if optional else {"roles": present}

    def verify(
        self, scheme: AuthScheme, headers: Mapping[str, str], expect: Expect, token_state: TokenState
    ) -> str | None:
        return "Missing credentials: the request is not signed" if not headers else None

    def verify_request(self, scheme: AuthScheme, request: Received, known: Known, token_state: TokenState
                       ) -> str | None:
        raise NotImplementedError

    def wording(self, scheme: AuthScheme, code: Callable[[str], str]) -> str:
        """The landing page's paragraph: what is signed, how, and which headers carry it (Markdown; spec
        values go through `code`, which makes an inline code span of any text)."""
        raise NotImplementedError

    def token_path(self, scheme: AuthScheme) -> str | None:
        """The path of a token endpoint the kind brings (not a spec method), served by the contract server."""
        return None

    def issue(self, scheme: AuthScheme, request: Received, known: Known) -> tuple[int, dict[str, Any]]:
        """The contract server's answer at `token_path`: (status, JSON body); on 200 it adds the token."""
        raise NotImplementedError


def check_no_files(report: Reporter, name: str, data: Mapping[str, Any]) -> None:
    """A signature covers the body's bytes, and a file body is streamed from disk, never held to be signed:
    a method that can use this scheme must not take a file."""
    default = data["auth"]["require"]
    for i, method in enumerate(data["methods"]):
        needs = method.get("auth", default)
        if needs == "none" or not any(name in alternative for alternative in needs):
            continue
        for j, param in enumerate(method.get("parameters") or []):
            if param.get("in") == "body" and (param.get("schema") or {}).get("format") == "binary":
                report.add(("methods", i, "parameters", j),
                           f"auth scheme '{name}' signs the request body, and a file body is streamed "
                           "unsigned: give this method another scheme or no file parameter")


def target(url: str) -> str:
    """The path and query of an absolute URL, as a server receives them."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def within(stamp: str, now: float, tolerance: float = TOLERANCE) -> bool:
    """Whether a Unix timestamp (seconds, or milliseconds when longer than 11 digits) is near `now`."""
    if not stamp.isdigit():
        return False
    seconds = int(stamp) / (1000 if len(stamp) > 11 else 1)
    return abs(seconds - now) <= tolerance
