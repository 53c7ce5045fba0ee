"""The clients every provider's generated `Client` and `AsyncClient` extend.

Both run the one call loop of `BaseClient` (base.py), a generator of I/O steps; each is only its driver:
it sends an exchange, sleeps or takes a token lock the way its I/O model does, as in httpx's sibling
`Client` and `AsyncClient`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from . import aio, plain
from .base import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, SEND, SLEEP, BaseClient, Sent, Steps, logger
from .download import DownloadTarget
from .exchange import TimeoutTypes, build, deadline, receiver, undecodable
from .request import Prepared
from .response import RawResponse
from .spec import Operation, ProviderSpec

if TYPE_CHECKING:
    from . import aio_transport, core_transport

__all__ = ["DEFAULT_MAX_RESPONSE_BYTES", "DEFAULT_TIMEOUT", "AsyncClient", "SyncClient", "TimeoutTypes"]

T = TypeVar("T")


async def _sleep(seconds: float) -> None:
    import asyncio  # here, not at the top: sync-only programs never pay for importing asyncio

    await asyncio.sleep(seconds)


class SyncClient(BaseClient):
    """Blocking client; one pooled `httpx.Client` each, whose in-memory requests go straight to httpcore's
    pool when the client made it (core_transport.py). Use it as a context manager or call close()."""

    def __init__(
        self,
        spec: ProviderSpec,
        *,
        credentials: Mapping[str, str | None],
        environment: str,
        flags: Mapping[str, bool],
        base_url: str | None,
        timeout: TimeoutTypes,
        max_retries: int,
        retry_delay: float,
        headers: Mapping[str, str] | None,
        http_client: httpx.Client | None,
        transport: httpx.BaseTransport | None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        super().__init__(
            spec,
            credentials=credentials,
            environment=environment,
            flags=flags,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_delay=retry_delay,
            headers=headers,
            max_response_bytes=max_response_bytes,
        )
        self._owns_http = http_client is None
        self._direct: core_transport.Direct | None = None
        if http_client is None and transport is None:
            # Its own pool, without the httpx client layer, for in-memory requests (core_transport.py).
            from . import core_transport  # here: it imports httpcore, as creating an httpx.Client does

            self._http, self._direct = core_transport.own_pool(timeout)
        else:
            self._http = http_client or httpx.Client(transport=transport, timeout=timeout)
        # The pool's own timeout is the client's: a call that keeps it lets httpx use it as it is.
        self._pool_timeout = timeout if http_client is None else None

    def close(self) -> None:
        """Close the connection pool (not an `http_client` passed in by the caller)."""
        if self._owns_http:
            self._http.close()
        if self._direct is not None:
            self._direct.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(
        self,
        op: Operation[T],
        args: Mapping[str, Any],
        *,
        body: Any = None,
        timeout: TimeoutTypes | None = None,
        out: DownloadTarget | None = None,
        accept: str | None = None,
    ) -> T:
        sent = plain.first_request(self, op, args, body, timeout, out, accept)
        if sent is None:
            return self._drive(self._calling(op, args, body, timeout, out, accept))
        answer: tuple[RawResponse, bool] | BaseException
        try:
            answer = self._exchange(*sent)
        except httpx.TransportError as exc:
            answer = exc
        else:
            done = plain.result(self, op, answer)
            if done is not None:
                return done[0]
        return self._drive(self._sending(op, sent[0], timeout), (sent, answer))

    def _drive(
        self,
        steps: Steps[T],
        first: tuple[Sent, tuple[RawResponse, bool] | BaseException] | None = None,
    ) -> T:
        """Run the loop's steps; `first`: its first request, already sent, and the answer (plain.py)."""
        result: Any = None
        error: BaseException | None = None
        try:
            while True:
                step = steps.send(result) if error is None else steps.throw(error)
                error = None
                try:
                    kind = step[0]
                    if kind == SEND and first is not None:
                        replay, first = first, None
                        result = plain.answered(step, *replay)
                    elif kind == SEND:
                        result = self._exchange(step[1], step[2], step[3], step[4])
                    elif kind == SLEEP:
                        time.sleep(step[1])
                        result = None
                    else:  # LOCK
                        result = step[1].lock
                        result.acquire()
                except BaseException as exc:  # the loop decides; what it does not handle comes back out
                    error = exc
        except StopIteration as done:
            returned: T = done.value
            return returned

    def _exchange(
        self, prepared: Prepared, url: str, headers: dict[str, str], timeout: TimeoutTypes
    ) -> tuple[RawResponse, bool]:
        """Send once and read the answer, at most `max_response_bytes` of it: (answer, cut at the limit)."""
        content = prepared.content
        if (
            self._direct is not None
            and prepared.target is None
            and (content is None or type(content) is bytes)
        ):
            answer = self._direct.exchange(prepared, url, headers, timeout, self._max_response_bytes)
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("%s -> HTTP %d", self._masker.mask(answer[0].url), answer[0].status_code)
            return answer
        same = timeout is self._pool_timeout
        request = build(self._http, prepared, url, headers, httpx.USE_CLIENT_DEFAULT if same else timeout)
        ends = deadline(timeout)
        response = self._http.send(request, stream=True, follow_redirects=False)  # credentials stay home
        body, media = receiver(response, prepared, self._max_response_bytes, ends)
        try:
            if body.wanted:
                for chunk in response.iter_bytes():
                    if not body.add(chunk):
                        break
            body.finish()
        except httpx.DecodingError as exc:
            body.discard()
            raise undecodable(exc) from exc
        except BaseException:
            body.discard()  # a broken transfer leaves no half-written file
            raise
        finally:
            response.close()
        return self._raw(response, prepared, body, media)


class AsyncClient(BaseClient):
    """Asyncio client; one pooled `httpx.AsyncClient` per instance (over aiohttp by default, see aio.py).
    Use `async with` or await aclose()."""

    def __init__(
        self,
        spec: ProviderSpec,
        *,
        credentials: Mapping[str, str | None],
        environment: str,
        flags: Mapping[str, bool],
        base_url: str | None,
        timeout: TimeoutTypes,
        max_retries: int,
        retry_delay: float,
        headers: Mapping[str, str] | None,
        http_client: httpx.AsyncClient | None,
        transport: httpx.AsyncBaseTransport | None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        super().__init__(
            spec,
            credentials=credentials,
            environment=environment,
            flags=flags,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_delay=retry_delay,
            headers=headers,
            max_response_bytes=max_response_bytes,
        )
        self._owns_http = http_client is None
        self._direct: aio_transport.Direct | None = None
        if http_client is None and transport is None:
            self._http, self._direct = aio.own_pools(timeout)
        else:
            self._http = http_client or aio.own_pool(timeout, transport)

    async def aclose(self) -> None:
        """Close the connection pool (not an `http_client` passed in by the caller)."""
        if self._owns_http:
            await self._http.aclose()
        if self._direct is not None:
            await self._direct.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _call(
        self,
        op: Operation[T],
        args: Mapping[str, Any],
        *,
        body: Any = None,
        timeout: TimeoutTypes | None = None,
        out: DownloadTarget | None = None,
        accept: str | None = None,
    ) -> T:
        sent = plain.first_request(self, op, args, body, timeout, out, accept)
        if sent is None:
            return await self._drive(self._calling(op, args, body, timeout, out, accept))
        answer: tuple[RawResponse, bool] | BaseException
        try:
            answer = await self._exchange(*sent)
        except httpx.TransportError as exc:
            answer = exc
        else:
            done = plain.result(self, op, answer)
            if done is not None:
                return done[0]
        return await self._drive(self._sending(op, sent[0], timeout), (sent, answer))

    async def _drive(
        self,
        steps: Steps[T],
        first: tuple[Sent, tuple[RawResponse, bool] | BaseException] | None = None,
    ) -> T:
        """Run the loop's steps; `first`: its first request, already sent, and the answer (plain.py)."""
        result: Any = None
        error: BaseException | None = None
        try:
            while True:
                step = steps.send(result) if error is None else steps.throw(error)
                error = None
                try:
                    kind = step[0]
                    if kind == SEND and first is not None:
                        replay, first = first, None
                        result = plain.answered(step, *replay)
                    elif kind == SEND:
                        result = await self._exchange(step[1], step[2], step[3], step[4])
                    elif kind == SLEEP:
                        await _sleep(step[1])
                        result = None
                    else:  # LOCK
                        result = step[1].async_lock
                        await result.acquire()
                except BaseException as exc:  # cancellation too: the loop's `finally` releases its lock
                    error = exc
        except StopIteration as done:
            returned: T = done.value
            return returned

    async def _exchange(
        self, prepared: Prepared, url: str, headers: dict[str, str], timeout: TimeoutTypes
    ) -> tuple[RawResponse, bool]:
        """Send once and read the answer, at most `max_response_bytes` of it: (answer, cut at the limit)."""
        # The client's own pool, on aiohttp, without the httpx client layer (aio.py), for the plain calls:
        # a body streamed from disk and an answer streamed to `out=` go through `self._http` (also aiohttp).
        content = prepared.content
        in_memory = prepared.target is None and (content is None or type(content) is bytes)
        if self._direct is not None and in_memory:
            answer = await self._direct.exchange(prepared, url, headers, timeout, self._max_response_bytes)
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("%s -> HTTP %d", self._masker.mask(answer[0].url), answer[0].status_code)
            return answer
        request = build(self._http, prepared, url, headers, timeout)
        ends = deadline(timeout)
        response = await self._http.send(request, stream=True, follow_redirects=False)
        body, media = receiver(response, prepared, self._max_response_bytes, ends)
        from .spool import Spool  # here, not at the top: it imports asyncio (see _sleep)

        spool = Spool(body)  # a file's writes go to a worker thread, off the event loop
        try:
            if body.wanted:
                async for chunk in response.aiter_bytes():
                    if not await spool.add(chunk):
                        break
            await spool.finish()
        except httpx.DecodingError as exc:
            await spool.discard()
            raise undecodable(exc) from exc
        except BaseException:
            await spool.discard()  # a broken transfer leaves no half-written file
            raise
        finally:
            await response.aclose()
        return self._raw(response, prepared, body, media)
