"""One request on an aiohttp pool without `ClientSession.request`'s per-request layer (used by
`aio_transport.Direct`).

For every request, `ClientSession._request` runs steps a generated client never needs: merging session
headers, joining a base URL, netrc, proxy and cookie lookups, trace hooks, middlewares, the redirect loop.
Under load they cost 15-20 µs of an async call's CPU, more than the typed answer does (bench/load.py).
`open_response` runs only the steps one request needs, with the objects and in the order `_request`
uses: the one timer of the try, the request, a connection from the pool, the answer's reading
parameters, send, then the status line and headers. The timer stays on the connection, so it bounds the
body too. Failures are the exceptions `_request` raises for them, so `aio_transport.translate` reads them
alike.

These objects are aiohttp's own internals (the same in 3.10, 3.11 and 3.14, where this was tested);
`usable()` checks their shape once, and where it differs `Direct` sends through `ClientSession.request`:
slower, the same on the wire.
"""

from __future__ import annotations

import asyncio
import functools
import inspect

import aiohttp
import yarl
from aiohttp import ClientRequest, ClientResponse, ClientTimeout

try:
    from aiohttp.helpers import TimeoutHandle
except ImportError:  # another aiohttp: `usable()` says so, and `Direct` sends through the session
    TimeoutHandle = None  # type: ignore[assignment,misc]

# Every parameter open_response gives each internal it calls, by name (checked by `usable`).
_SHAPES = {
    ("client_reqrep", "ClientRequest", "__init__"): {
        *("method", "url", "headers", "data", "loop", "timer", "session", "traces"),
    },
    ("connector", "BaseConnector", "connect"): {"req", "traces", "timeout"},
    ("client_proto", "ResponseHandler", "set_response_params"): {"timer", "skip_payload", "read_timeout"},
    ("helpers", "TimeoutHandle", "__init__"): {"loop", "timeout", "ceil_threshold"},
    ("client_reqrep", "ClientRequest", "send"): {"conn"},
    ("client_reqrep", "ClientResponse", "start"): {"connection"},
}
_ANY = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


@functools.cache
def usable() -> bool:
    """Whether the installed aiohttp's internals take what `open_response` gives them: each one accepts
    every parameter given, and needs none that is not."""
    import importlib

    try:
        for (module, cls, method), given in _SHAPES.items():
            owner = getattr(importlib.import_module(f"aiohttp.{module}"), cls)
            parameters = dict(inspect.signature(getattr(owner, method)).parameters)
            parameters.pop("self", None)
            needed = {n for n, p in parameters.items() if p.default is p.empty and p.kind not in _ANY}
            if not needed <= given <= parameters.keys():
                return False
    except (ImportError, AttributeError, TypeError, ValueError):
        return False
    return True


async def open_response(
    session: aiohttp.ClientSession,
    method: str,
    url: yarl.URL,
    headers: dict[str, str],
    data: bytes | None,
    timeout: ClientTimeout,
) -> ClientResponse:
    """Send one request and read its answer's head; the caller reads the body and releases the answer.
    The URL carries no user or password (`Direct` has made them an `Authorization` header)."""
    connector = session.connector
    assert connector is not None  # an open session has one
    if url.scheme not in ("http", "https"):
        raise aiohttp.NonHttpUrlClientError(url)
    loop = asyncio.get_running_loop()
    tm = TimeoutHandle(loop, timeout.total, ceil_threshold=timeout.ceil_threshold)
    handle = tm.start()
    timer = tm.timer()
    try:
        with timer:
            request = ClientRequest(
                method, url, headers=headers, data=data, loop=loop, timer=timer, session=session, traces=[]
            )
            try:
                conn = await connector.connect(request, traces=[], timeout=timeout)
            except TimeoutError as exc:
                raise aiohttp.ConnectionTimeoutError(f"Connection timeout to host {url}") from exc
            assert conn.protocol is not None  # a connection just taken from the pool has one
            conn.protocol.set_response_params(
                timer=timer, skip_payload=method == "HEAD", read_timeout=timeout.sock_read
            )
            try:
                response = await request.send(conn)
                try:
                    await response.start(conn)
                except BaseException:
                    response.close()
                    raise
            except BaseException:
                conn.close()
                raise
    except BaseException as exc:
        tm.close()
        if handle is not None:
            handle.cancel()
        if isinstance(exc, OSError) and not isinstance(exc, aiohttp.ClientError | TimeoutError):
            raise aiohttp.ClientOSError(*exc.args) from exc  # as `_request` reports a socket's failure
        raise
    if handle is not None:  # the timer runs until the connection goes back to the pool: body included
        if response.connection is not None:
            response.connection.add_callback(handle.cancel)
        else:
            handle.cancel()
    return response
