"""A sync client's own pool: httpcore's, the pool under `httpx.Client`, without the httpx client layer.

`httpx.Client` takes each request through its URL parser, header merging, cookie jar, auth and redirect
layers before its transport hands it to httpcore: on the bench machine about 130 µs of CPU per call, more
than the call's own validation and decoding together (README, benchmarks). A sync client that owns its
pool sends its in-memory requests straight to httpcore instead, as the request `httpx.Client` would send:
- the same request line and headers: the URL as `httpx.URL` encodes it, httpx's default headers under the
  call's own, `Host` and `Content-Length` as `httpx.Request` adds them;
- the answer decoded by httpx when it is content-encoded, and read within the same size cap and deadline
  (`exchange.Body`);
- every httpcore failure raised as the httpx exception of the same name, as httpx's transport maps it,
  so the call loop sees no difference.
Bodies streamed from files and answers streamed to `out=` still go through the `httpx.Client`.
"""

from __future__ import annotations

import re
import ssl
import threading
from collections.abc import Iterable, Iterator

import httpcore
import httpx

from .exchange import Body, Timeouts, TimeoutTypes, deadline, declared, proxied, undecodable
from .request import Prepared, QueryItems
from .response import RawResponse
from .schemes import basic

# A URL that `httpx.URL` keeps exactly as it is: no query or userinfo, no `.` or `..` segment, only
# characters its path encoding keeps, every `%` an escape. Any other URL is read by `httpx.URL` itself.
_KEPT = re.compile(
    r"https?://[a-z0-9.\-]+(?::[0-9]+)?"
    r"(?:/(?!\.\.?(?:/|$))(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*"
).fullmatch
_ZERO_LENGTH = frozenset({"POST", "PUT", "PATCH"})  # methods httpx sends `Content-Length: 0` without a body
_FAILURES = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.ProxyError,
    httpcore.UnsupportedProtocol,
)


def _mapped(exc: Exception) -> Exception:
    """The httpx exception httpx's own transport raises for an httpcore one (the two name them alike)."""
    for kind in type(exc).__mro__:
        found = getattr(httpx, kind.__name__, None)
        if isinstance(found, type) and issubclass(found, httpx.TransportError):
            return found(str(exc))
    return exc


class _Stream(httpx.SyncByteStream):
    """An httpcore answer's body, for `httpx.Response` to decode."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks


class Direct:
    """httpcore's connection pool, made on first use with `httpx.Client`'s default limits; `defaults`: the
    header lines `httpx.Client` adds to every request, `ssl_context`: the client's (httpx's settings)."""

    def __init__(self, defaults: list[tuple[bytes, bytes]], ssl_context: ssl.SSLContext) -> None:
        self._ssl_context = ssl_context
        self._defaults = [(name, value, name.decode("ascii").lower()) for name, value in defaults]
        self._pool: httpcore.ConnectionPool | None = None
        self._opening = threading.Lock()
        self._origins: dict[str, tuple[httpx.URL, bytes, str]] = {}
        self._timeout = Timeouts(httpx.Timeout.as_dict)  # httpcore's form: the four values by name

    def _open(self) -> httpcore.ConnectionPool:
        with self._opening:  # threads sharing a client make one pool
            if self._pool is None:
                limits = httpx.Limits()  # httpx.Client's own defaults
                self._pool = httpcore.ConnectionPool(
                    ssl_context=self._ssl_context,
                    max_connections=limits.max_connections,
                    max_keepalive_connections=limits.max_keepalive_connections,
                    keepalive_expiry=limits.keepalive_expiry,
                )
            return self._pool

    def _url(self, url: str, query: QueryItems) -> tuple[httpcore.URL, bytes, str, str | None]:
        """(URL, `Host` header, URL as text, `Authorization` from a user and password in it), as
        `httpx.Client` makes them from `url` and `query`."""
        if not query and _KEPT(url):  # only the origin needs reading, once per origin
            split = url.find("/", url.index("//") + 2)
            origin, path = (url, "") if split < 0 else (url[:split], url[split:])
            found = self._origins.get(origin)
            if found is None:
                parsed = httpx.URL(origin + "/")
                found = (parsed, parsed.netloc, str(parsed)[:-1])
                if len(self._origins) >= 64:  # bounded: a feature may send to hosts from parameters
                    self._origins.clear()
                self._origins[origin] = found
            parsed, host, prefix = found
            return _core(parsed, path.encode("ascii") or b"/"), host, prefix + path, None
        whole = httpx.URL(url, params=query) if query else httpx.URL(url)  # as httpx.Request makes it
        # A user and password in the URL (a base URL given with them) are Basic auth, as httpx.Client sends
        # them: in place of any `Authorization` of the call's own.
        auth = basic.header(whole.username, whole.password or "") if whole.userinfo else None
        return _core(whole, whole.raw_path), whole.netloc, str(whole), auth

    def _headers(
        self, host: bytes, headers: dict[str, str], content: bytes | None, method: str
    ) -> list[tuple[bytes, bytes]]:
        """The header lines in `httpx.Request`'s order: `Host` and an empty write's `Content-Length: 0`,
        then httpx.Client's defaults the call does not set, the call's own, and a body's length."""
        given = {name.lower() for name in headers}
        lines = [] if "host" in given else [(b"Host", host)]
        length = "content-length" not in given and "transfer-encoding" not in given
        if length and not content and method in _ZERO_LENGTH:
            lines.append((b"Content-Length", b"0"))
        lines += [(name, value) for name, value, lower in self._defaults if lower not in given]
        lines += [(name.encode("ascii"), value.encode("ascii")) for name, value in headers.items()]
        if length and content:
            lines.append((b"Content-Length", str(len(content)).encode("ascii")))
        return lines

    def exchange(
        self, prepared: Prepared, url: str, headers: dict[str, str], timeout: TimeoutTypes, limit: int
    ) -> tuple[RawResponse, bool]:
        """Send once and read the answer, at most `limit` bytes of it: (answer, cut at the limit)."""
        content = prepared.content
        if content is not None and type(content) is not bytes:  # the client sends files through httpx
            raise TypeError("a body streamed from files is sent through the httpx.Client")
        target, host, text, auth = self._url(url, prepared.query)
        if auth is not None:
            headers = {**headers, "Authorization": auth}
        request = httpcore.Request(
            prepared.method,
            target,
            headers=self._headers(host, headers, content, prepared.method),
            content=content or b"",
            extensions={"timeout": self._timeout(timeout)},
        )
        ends = deadline(timeout)
        try:
            response = (self._pool or self._open()).handle_request(request)
        except _FAILURES as exc:
            raise _mapped(exc) from exc
        try:
            length, media, encoded = declared(response.headers)
            body = Body(limit, ends, response.status, length)
            if body.wanted:
                chunks: Iterable[bytes] = response.iter_stream()
                if encoded:  # decoded by httpx (gzip and deflate; br and zstd when their packages are there)
                    chunks = httpx.Response(
                        response.status, headers=response.headers, stream=_Stream(chunks)
                    ).iter_bytes()
                for chunk in chunks:
                    if not body.add(chunk):
                        break
        except httpx.DecodingError as exc:
            raise undecodable(exc) from exc
        except _FAILURES as exc:
            raise _mapped(exc) from exc
        finally:
            response.close()
        raw = RawResponse(
            response.status, tuple(response.headers), body.content, prepared.method, text, media
        )
        return raw, body.too_large

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


def _core(url: httpx.URL, target: bytes) -> httpcore.URL:
    return httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=target)


def own_pool(timeout: TimeoutTypes) -> tuple[httpx.Client, Direct | None]:
    """A sync client's own `httpx.Client` and the direct pool beside it (None when the environment names
    a proxy), sharing one SSL context: each takes about 25 ms to make, once per client."""
    ssl_context = httpx.create_ssl_context()
    http = httpx.Client(verify=ssl_context, timeout=timeout)
    return http, None if proxied() else Direct(http.headers.raw, ssl_context)
