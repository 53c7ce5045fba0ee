"""The contract server under uvicorn, in a background thread with its own event loop."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..contract import get_path
from ..ir import Provider
from .app import ContractApp, Transports
from .faults import Fault, FaultBook
from .state import RecordedRequest, ServerState
from .webhooks import start_deliveries

_START_TIMEOUT = 10.0
_GRACE = 0.5  # seconds that requests in flight get to finish when the server stops
_DEFAULT_TTL = 3600.0


def _protocol(transports: Transports) -> type[H11Protocol]:
    """uvicorn's HTTP/1.1 protocol, remembering each connection's transport so that the app can close a
    connection without answering (ASGI itself has no way to do that)."""

    class Protocol(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if self.client:
                transports[self.client] = transport

        def connection_lost(self, exc: Exception | None) -> None:
            if self.client:
                transports.pop(self.client, None)
            super().connection_lost(exc)

    return Protocol


def default_token_ttl(provider: Provider) -> float:
    """The lifetime the spec's token example promises (its expires field), or an hour."""
    for scheme in provider.schemes:
        if scheme.issues_tokens and scheme.token_method:
            method = next((m for m in provider.methods if m.name == scheme.token_method), None)
            expires = get_path(method.success.example, scheme.expires_field) if method else None
            if isinstance(expires, int | float) and not isinstance(expires, bool) and expires > 0:
                return float(expires)
    return _DEFAULT_TTL


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say TCP, and without it a
    # keep-alive answer written in two parts waits ~40 ms for the delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class MockServer:
    """A running contract server for one provider. Use `MockServer.start(...)` as a context manager."""

    def __init__(self, provider: Provider, *, token_ttl: float | None = None,
                 credentials: Mapping[str, str] | None = None, host: str = "127.0.0.1",
                 port: int = 0, webhook_url: str | None = None, webhook_secret: str | None = None,
                 webhook_wait: float | None = None) -> None:
        self.provider = provider
        credentials = dict(credentials or {})
        seeded = tuple(
            credentials[s.inputs[0].name] for s in provider.schemes
            if (s.issues_tokens or s.flow is not None) and s.inputs and s.inputs[0].name in credentials
        )
        ttl = token_ttl if token_ttl is not None else default_token_ttl(provider)
        self._state = ServerState(seeded, ttl)
        self._faults = FaultBook()
        self._transports: Transports = {}
        transports = self._transports
        self.app = ContractApp(provider, state=self._state, faults=self._faults, credentials=credentials,
                               transports=transports)
        self.deliverer = start_deliveries(provider, webhook_url, webhook_secret, webhook_wait)
        self.app.deliverer = self.deliverer
        self._socket = _bind(host, port)
        bound = self._socket.getsockname()
        self.host, self.port = host, int(bound[1])
        config = uvicorn.Config(
            self.app, http=_protocol(transports), ws="none", lifespan="off", log_config=None,
            access_log=False, log_level="warning", timeout_keep_alive=5,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"opigen-mock-{provider.alias}", daemon=True)
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # --- life cycle ----------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported by launch()
            self._error = exc

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self._server.serve(sockets=[self._socket])

    def _cut_connections(self) -> None:
        for transport in list(self._transports.values()):
            transport.abort()

    def launch(self) -> MockServer:
        """Start serving; returns once the server accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                message = f"contract server for {self.provider.alias} did not start"
                raise RuntimeError(message) from self._error
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop serving, within a second: requests still in flight after half of it are cut."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=_GRACE)
        if self._thread.is_alive() and self._loop is not None:
            self._server.force_exit = True
            self._loop.call_soon_threadsafe(self._cut_connections)
            self._thread.join(timeout=5)
        self._socket.close()
        if self.deliverer is not None:
            self.deliverer.close()

    @classmethod
    @contextmanager
    def start(cls, provider: Provider, *, token_ttl: float | None = None,
              credentials: dict[str, str] | None = None, host: str = "127.0.0.1",
              port: int = 0, **webhooks: Any) -> Iterator[MockServer]:
        """`webhooks`: webhook_url, webhook_secret, webhook_wait (see `mock/webhooks.py`)."""
        server = cls(provider, token_ttl=token_ttl, credentials=credentials, host=host, port=port,
                     **webhooks).launch()
        try:
            yield server
        finally:
            server.stop()

    @classmethod
    @contextmanager
    def start_alias(cls, alias: str, *, specs_dir: Path = Path("specs"),
                    **options: Any) -> Iterator[MockServer]:
        """`start` for the provider with this alias among the specs in `specs_dir`."""
        from .specs import find_provider

        with cls.start(find_provider(alias, specs_dir), **options) as server:
            yield server

    # --- what tests look at --------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received, in order (also rejected and dropped ones)."""
        return self._state.requests()

    def requests_for(self, method: str) -> list[RecordedRequest]:
        """The requests routed to one spec method (by its name, e.g. 'CreateRefund')."""
        return [r for r in self.requests if r.route == method]

    @property
    def tokens(self) -> list[str]:
        """The tokens this server knows (seeded and issued), e.g. for tests that scan output for leaks."""
        return self._state.tokens()

    def records(self, method: str) -> list[Any]:
        """The records a write with a unique client-chosen id stored (by spec method name), oldest first."""
        return self._state.records(method)

    def serve_records(self, method: str, count: int) -> list[Any]:
        """Make a paginated method (by spec method name) serve `count` records across its pages, copies of
        its example item with numbered ids; returns them in order (see `mock/paging.py`)."""
        found = next((m for m in self.provider.methods if m.name == method), None)
        if found is None:
            raise ValueError(f"{self.provider.alias} has no method {method!r}")
        return self.app.pager.serve(found, count)

    def use_example(self, method: str, name: str | None) -> None:
        """Answer a method (by spec method name) with its named example `name` from now on (None: its
        `example` again); one request can ask for one with `Prefer: example=<name>` (`mock/examples.py`)."""
        found = next((m for m in self.provider.methods if m.name == method), None)
        if found is None:
            raise ValueError(f"{self.provider.alias} has no method {method!r}")
        self.app.chooser.use(found, name)

    def set_fault(self, method: str, fault: Fault) -> None:
        if all(m.name != method for m in self.provider.methods):
            known = ", ".join(m.name for m in self.provider.methods)
            raise ValueError(f"{self.provider.alias} has no method {method!r}; its methods: {known}")
        self._faults.set(method, fault)

    def clear_faults(self) -> None:
        self._faults.clear()

    def expire_tokens(self) -> None:
        """Every token issued so far becomes expired, so clients' refresh-on-401 can be tested."""
        self._state.expire_tokens()

    def reset(self) -> None:
        """Forget requests, records, tokens and faults."""
        self._state.reset()
        self._faults.clear()
        self.app.pager.reset()
        self.app.chooser.reset()

    def __repr__(self) -> str:
        return f"MockServer({self.provider.alias} at {self.url})"
