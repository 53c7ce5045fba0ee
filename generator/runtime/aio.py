"""Which pool an async client builds for itself: aiohttp's when the `aiohttp` extra is installed.

httpcore's async pool, not the call loop, limits an `AsyncClient` running many calls at once (about 120
requests/s at 200 at a time, against over 1,000 through aiohttp on the same machine). So an `AsyncClient`
without `http_client=` or `transport=` sends through aiohttp (aio_transport.py) when
`pip install 'opi-clients[aiohttp]'` put `httpx-aiohttp` there, and through httpx's own transport
otherwise; `transport=httpx.AsyncHTTPTransport()` chooses httpx's explicitly. With aiohttp, a call's
exchange goes straight to aiohttp (`aio_transport.Direct`), skipping the httpx client layer's CPU cost. Nothing here is imported
before an async client is created, so importing a provider's package never imports aiohttp.
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING

import httpx

from .exchange import proxied

if TYPE_CHECKING:
    from .aio_transport import Direct

# The pool of an async client's own transport, either one: as many connections as a batch job usually
# runs calls at once, kept alive between calls (measured in bench/load.py; see README's benchmarks).
LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=200, keepalive_expiry=15.0)


def own_pool(
    timeout: float | httpx.Timeout,
    transport: httpx.AsyncBaseTransport | None,
    verify: ssl.SSLContext | bool = True,
) -> httpx.AsyncClient:
    """The `httpx.AsyncClient` an async client sends with when not handed one."""
    if transport is None:
        try:
            from .aio_transport import Client
        except ImportError:  # the extra is not installed: httpx's own pool, same limits
            pass
        else:
            return Client(timeout=timeout, limits=LIMITS, verify=verify)
    return httpx.AsyncClient(transport=transport, timeout=timeout, limits=LIMITS, verify=verify)


def own_pools(timeout: float | httpx.Timeout) -> tuple[httpx.AsyncClient, Direct | None]:
    """An async client's own `httpx.AsyncClient` and the direct pool beside it, sharing one SSL context
    (each takes about 25 ms to make). The direct pool is None without the extra, or when the environment
    names a proxy: then calls go through the `httpx.AsyncClient`, on aiohttp too."""
    ssl_context = httpx.create_ssl_context()
    http = own_pool(timeout, None, ssl_context)
    if proxied():
        return http, None
    try:
        from .aio_transport import Direct
    except ImportError:
        return http, None
    return http, Direct(LIMITS, ssl_context)
