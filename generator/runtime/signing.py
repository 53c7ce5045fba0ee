"""Signed requests: a hook that sees each request exactly as it leaves, signs it and adds its headers.

A signing scheme kind (`schemes/oauth1.py`, `sigv4.py`, `hmac.py`, `jwt_bearer.py`) makes one `Signer` per
client from the scheme and the client's credentials, when the client is created: that is when the kind's
library (an optional extra of the package) is imported, never by `import opi.<alias>`. Before every try of a
call (retries included, so each try carries a fresh timestamp and nonce) the call loop hands each signer of
the method's auth the request as it will be sent: the method, the URL with its query encoded as httpx
encodes it, the headers, and the body bytes. Bodies streamed from files are not signed: the spec checker
refuses a signing scheme on a method that takes a file.

A signer is a step generator like the call loop (base.py): most sign without I/O and yield nothing; the
JWT-bearer signer yields the loop's LOCK and SEND steps to exchange its assertion for an access token.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Generator, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from .masking import Masker
    from .request import Prepared
    from .spec import Scheme

Steps = Generator[tuple[Any, ...], Any, None]
SEND, LOCK = "send", "lock"  # the call loop's steps (base.py)


def now() -> float:
    """The wall clock signatures are dated with (tests replace it)."""
    return time.time()


class MissingExtraError(ImportError):
    """A signing kind's library is not installed: the message names the package extra that brings it."""

    def __init__(self, scheme: str, extra: str) -> None:
        super().__init__(
            f"auth scheme {scheme!r} signs requests with an optional library: "
            f"pip install 'opi-clients[{extra}]'"
        )


def library(module: str, scheme: str, extra: str) -> ModuleType:
    """Import a signing kind's library, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(scheme, extra) from exc


class Outgoing:
    """One try of a request as it will leave. Signers add to `headers`."""

    __slots__ = ("body", "headers", "method", "timeout", "url")

    def __init__(self, method: str, url: str, headers: dict[str, str], body: bytes, timeout: Any) -> None:
        self.method = method
        self.url = url  # absolute, with the query as sent
        self.headers = headers
        self.body = body  # exactly the bytes sent (b"" without a body)
        self.timeout = timeout


class Signer:
    """Signs the requests of one scheme of one client; this base signs without I/O (`sign`)."""

    refreshable = False  # a 401 answer may be put right by `invalidate` and one more try

    def signing(self, request: Outgoing, masker: Masker) -> Steps:
        self.sign(request)
        return
        yield  # a generator that yields nothing

    def sign(self, request: Outgoing) -> None:
        raise NotImplementedError

    def invalidate(self) -> None:
        """Forget a credential the provider refused (a fetched token)."""


def ready(scheme: Scheme, values: list[str | None]) -> bool:
    """Whether the client has every input the scheme needs (`options["optional"]` lists those it may lack)."""
    optional = scheme.options.get("optional", ())
    return all(v is not None or name in optional for name, v in zip(scheme.inputs, values, strict=True))


def full_url(url: str, query: list[tuple[str, Any]]) -> str:
    """The URL as sent: httpx (and the async direct path, aio_transport) encode the query this way."""
    return str(httpx.URL(url).copy_merge_params(query)) if query else url


def sign(
    signers: tuple[Signer, ...],
    prepared: Prepared,
    url: str,
    headers: Mapping[str, str],
    timeout: Any,
    masker: Masker,
) -> Generator[tuple[Any, ...], Any, dict[str, str]]:
    """The headers of one try, with each signer's added."""
    content = prepared.content
    if content is not None and not isinstance(content, bytes):  # the checker refuses this; a guard
        raise TypeError("a request body streamed from a file cannot be signed")
    request = Outgoing(prepared.method, full_url(url, prepared.query), dict(headers), content or b"", timeout)
    for signer in signers:
        yield from signer.signing(request, masker)
    return request.headers
