"""aiohttp's connection pool under httpx's API (`httpx-aiohttp`), as the async clients' default (aio.py).

Two things of `httpx-aiohttp` are changed here, because the call loop's guarantees rest on them:
- Its exception map calls every `aiohttp.ClientConnectionError` a `ConnectTimeout`, i.e. "never sent",
  which would let a write be sent again after the server dropped the connection having received it.
  Here only a failure to connect is "not sent"; a dropped connection is a `ReadError`, a malformed answer
  a `RemoteProtocolError`, a read timeout a `ReadTimeout`, as httpx's own transport reports them.
- aiohttp re-sends a PUT or DELETE by itself when a kept-alive connection turns out closed; the call loop
  alone decides what is sent again, so that is switched off.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import yarl
from aiohttp import hdrs
from httpx_aiohttp import AiohttpTransport, HttpxAiohttpClient

from . import aio_send
from .exchange import Timeouts
from .request import Prepared
from .response import RawResponse, media_of
from .schemes import basic

CertTypes = str | tuple[str, str] | tuple[str, str, str]


def translate(exc: BaseException) -> BaseException:
    """The httpx exception that says what an aiohttp failure means for the request (sent or not)."""
    cause = exc.__cause__ if isinstance(exc, httpx.TransportError) and exc.__cause__ is not None else exc
    message = str(cause) or type(cause).__name__
    if isinstance(cause, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message)
    if isinstance(cause, aiohttp.ClientConnectorError):  # DNS, refused, TLS handshake, proxy: not sent
        return httpx.ConnectError(message)
    if isinstance(cause, TimeoutError):  # aiohttp's ServerTimeoutError and SocketTimeoutError included
        return httpx.ReadTimeout(message)
    if isinstance(cause, aiohttp.ClientPayloadError | aiohttp.ClientResponseError):
        return httpx.RemoteProtocolError(message)
    if isinstance(cause, aiohttp.ClientConnectionError):  # disconnected or reset: maybe received
        return httpx.ReadError(message)
    if isinstance(cause, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):  # not sent, as httpx's
        return httpx.UnsupportedProtocol(message)
    if isinstance(cause, aiohttp.ClientError):
        return httpx.RemoteProtocolError(message)
    return exc


class _Stream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                yield chunk
        except Exception as exc:
            mapped = translate(exc)
            if mapped is exc:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        except Exception as exc:
            mapped = translate(exc)
            if mapped is exc:
                raise
            raise mapped from exc


class Transport(AiohttpTransport):
    """`httpx_aiohttp.AiohttpTransport` with the exception meanings and the re-sending the loop needs."""

    def get_client(self) -> aiohttp.ClientSession:
        session = super().get_client()
        if hasattr(session, "_retry_connection"):
            session._retry_connection = False  # no re-send of PUT/DELETE behind the call loop's back
        return session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await super().handle_async_request(request)
        except Exception as exc:
            mapped = translate(exc)
            if mapped is exc:
                raise
            raise mapped from exc
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Stream(response.stream)
        return response


class Client(HttpxAiohttpClient):
    """An `httpx.AsyncClient` whose pools (the direct one and any proxy's from the environment) are
    `Transport`s."""

    def _init_transport(
        self,
        verify: ssl.SSLContext | str | bool = True,
        cert: CertTypes | None = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = httpx.Limits(max_connections=100),  # noqa: B008  (httpx's own default)
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Any,
    ) -> httpx.AsyncBaseTransport:
        if transport is not None:
            return transport
        return Transport(
            verify=verify, cert=cert, trust_env=trust_env, http1=http1, http2=http2, limits=limits
        )

    def _init_proxy_transport(
        self,
        proxy: httpx.Proxy,
        verify: ssl.SSLContext | str | bool = True,
        cert: CertTypes | None = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = httpx.Limits(max_connections=100),  # noqa: B008  (httpx's own default)
        **options: Any,
    ) -> httpx.AsyncBaseTransport:
        return Transport(
            verify=verify,
            cert=cert,
            trust_env=trust_env,
            http1=http1,
            http2=http2,
            limits=limits,
            proxy=proxy,
        )


def _one_timer(t: httpx.Timeout) -> aiohttp.ClientTimeout:
    """One timer per try: the read timeout bounds the whole try, answer included (the promise of the httpx
    path, where `exchange.deadline` checks it per chunk); the connect timeout a new connection. (A read
    timer per chunk and a pool timer cost about 10% of a call's CPU under load; bench/load.py.) Without a
    read timeout, the wait for a pooled connection is still bounded by the pool's."""
    return aiohttp.ClientTimeout(
        total=t.read, sock_connect=t.connect, connect=t.pool if t.read is None else None
    )


class Direct:
    """An async client's own pool, sending straight to aiohttp's connection pool.

    The `httpx.AsyncClient` layer above a transport (request building and URL merging, cookie extraction,
    the response stream's wrappers) costs more CPU per call than aiohttp itself (profile in README), and so
    does most of `ClientSession.request`'s own layer (aio_send.py), so a client that owns its pool skips
    both: the request is the one httpx would send (same URL and query encoding, same headers), the answer
    is read within the same size limit, and failures become the same httpx exceptions (`translate`), so
    the call loop sees no difference. Like the sync direct pool, it carries no cookies between calls. The
    session is made on first use, inside the running event loop."""

    def __init__(self, limits: httpx.Limits, ssl_context: ssl.SSLContext) -> None:
        self._limits = limits
        self._ssl_context = ssl_context  # the client's, made with httpx's settings (aio.own_pools)
        self._session: aiohttp.ClientSession | None = None
        self._client_timeout = Timeouts(_one_timer)
        self.fast = aio_send.usable()  # False: through `ClientSession.request` (tests set it too)

    def _open(self) -> aiohttp.ClientSession:
        # (Proxies from the environment: see aio.own_pools.)
        connector = aiohttp.TCPConnector(
            limit=self._limits.max_connections or 0,
            keepalive_timeout=self._limits.keepalive_expiry,
            ssl=self._ssl_context,
        )
        session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())
        if hasattr(session, "_retry_connection"):
            session._retry_connection = False  # no re-send of PUT/DELETE behind the call loop's back
        self._session = session
        return session

    async def exchange(
        self,
        prepared: Prepared,
        url: str,
        headers: dict[str, str],
        timeout: float | httpx.Timeout,
        limit: int,
    ) -> tuple[RawResponse, bool]:
        """Send once and read the answer, at most `limit` bytes of it: (answer, cut at the limit)."""
        session = self._session or self._open()
        if prepared.query:
            url = f"{url}?{httpx.QueryParams(prepared.query)}"
        # As httpx encoded it (a signature covers it; aiohttp would re-quote `%2F` to `/`); a base URL
        # given with raw spaces or non-ASCII text is still quoted by yarl.
        target = yarl.URL(url, encoded=url.isascii() and " " not in url)
        if "@" in url and (target.raw_user is not None or target.raw_password is not None):
            # A user and password in the URL (a base URL given with them) are Basic auth, as httpx sends
            # them: in place of any `Authorization` of the call's own.
            headers = {**headers, "Authorization": basic.header(target.user or "", target.password or "")}
            target = target.with_user(None)
        try:
            if self.fast:
                response = await aio_send.open_response(
                    session,
                    prepared.method,
                    target,
                    headers,
                    prepared.content,  # type: ignore[arg-type]  # bytes or None here (client._exchange)
                    self._client_timeout(timeout),
                )
            else:  # aiohttp's internals are not the ones aio_send drives
                response = await session.request(
                    prepared.method,
                    target,
                    headers=headers,
                    data=prepared.content,
                    allow_redirects=False,
                    timeout=self._client_timeout(timeout),
                )
            try:
                status, length = response.status, response.content_length
                # A success answer declared too long is not read; an error's body is read up to the limit.
                # (Read here, not through exchange.Body: the try's one timer covers the body, so there is
                # no deadline to check per chunk, and the object and calls cost 2% of a call under load.)
                cut = length is not None and length > limit and status < 300
                chunks: list[bytes] = []
                if not cut:
                    size, content = 0, response.content
                    while chunk := await content.readany():  # b"" at the end (iter_any, minus its generator)
                        size += len(chunk)
                        if size > limit:
                            chunks.append(chunk[: len(chunk) - (size - limit)])
                            cut = True
                            break
                        chunks.append(chunk)
                return RawResponse(
                    status,
                    response.raw_headers,  # made httpx.Headers when read (RawResponse)
                    chunks[0] if len(chunks) == 1 else b"".join(chunks),
                    prepared.method,
                    response.url,  # made text only when asked for
                    media_of(response.headers.get(hdrs.CONTENT_TYPE, "")),
                ), cut
            finally:
                response.release()  # the connection back to the pool, or closed if the answer is not whole
                await response.wait_for_close()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise translate(exc) from exc

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
