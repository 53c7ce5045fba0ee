"""`opigen mock`: serve providers' contract servers until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import select
import signal
import socket
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from .problems import SpecError

if TYPE_CHECKING:
    # The server pulls in uvicorn and starlette: imported only when `opigen mock` runs, not at every start.
    from .ir import Provider
    from .mock.server import MockServer


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mock = sub.add_parser(
        "mock", help="serve a provider's contract server (on loopback by default) until Ctrl-C",
        description="Serve a contract server that answers as the provider's spec says: routes, auth, "
                    "validation, documented examples and errors. Each request is logged on one line, "
                    "secrets masked.",
    )
    mock.add_argument("provider", nargs="?", help="provider alias, e.g. the name of a spec in specs/")
    mock.add_argument("--all", action="store_true", help="serve every provider, on consecutive ports")
    mock.add_argument("--port", type=int, default=8080, help="port (first port with --all; 0 = any free)")
    mock.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    mock.add_argument("--specs", type=Path, default=Path("specs"), help="folder of spec files")
    mock.add_argument("--token-ttl", type=float, default=None,
                      help="lifetime of issued OAuth tokens in seconds (default: the spec's example)")
    mock.add_argument("--credential", action="append", default=[], metavar="NAME=VALUE",
                      help="accept only this value for a credential input (repeatable)")
    mock.add_argument("--webhook-url", default=None, metavar="URL",
                      help="after a write, send the spec's webhook events there, signed as the provider "
                           "signs, retried with backoff while the receiver fails")
    mock.add_argument("--webhook-secret-env", default=None, metavar="NAME",
                      help="environment variable holding the webhook secret to sign with (default: a fixed "
                           "test secret, printed at start)")
    mock.set_defaults(func=run)


def _credentials(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name:
            raise ValueError(f"--credential expects NAME=VALUE, got {pair.split('=')[0]!r}")
        out[name] = value
    return out


def _providers(args: argparse.Namespace) -> list[Provider]:
    from .mock.specs import find_provider, load_all

    if args.all:
        return load_all(args.specs)
    return [find_provider(args.provider, args.specs)]


class _StopSignals:
    """SIGINT and SIGTERM, made signal-safe: Python's own C-level handler writes each signal's number to
    a socket (`signal.set_wakeup_fd`) and the Python-level handler does nothing, so no lock is ever taken
    inside a handler (`threading.Event.set()` there could deadlock when a second signal interrupted the
    first handler). `wait()` blocks until a stop signal's byte arrives. A context manager: the previous
    handlers and wakeup fd come back on exit."""

    STOP = (signal.SIGINT, signal.SIGTERM)

    def __enter__(self) -> _StopSignals:
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {sig: signal.signal(sig, _ignore) for sig in self.STOP}
        return self

    def wait(self) -> None:
        stops = {int(sig) for sig in self.STOP}
        while True:
            select.select([self._reader], [], [])
            try:
                data = self._reader.recv(4096)
            except BlockingIOError:
                continue
            if stops.intersection(data):
                return

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


def _ignore(signum: int, frame: FrameType | None) -> None:
    """The Python-level handler of stop signals: the wakeup fd already told the main loop."""


def _webhook_options(args: argparse.Namespace, provider: Provider) -> dict[str, Any]:
    """MockServer's webhook keywords for `provider`; none when no URL was given or it sends no webhooks."""
    import os

    if args.webhook_url is None or provider.webhooks is None:
        return {}
    options: dict[str, Any] = {"webhook_url": args.webhook_url}
    if args.webhook_secret_env:
        options["webhook_secret"] = os.environ.get(args.webhook_secret_env, "")
    return options


def run(args: argparse.Namespace) -> int:
    from .mock.server import MockServer

    if bool(args.all) == bool(args.provider):
        print("opigen mock: give a provider alias or --all (not both)", file=sys.stderr)
        return 2
    try:
        credentials = _credentials(args.credential)
        providers = _providers(args)
    except ValueError as exc:
        print(f"opigen mock: {exc}", file=sys.stderr)
        return 2
    except SpecError as exc:
        from .pipeline import report

        report(exc.problems)
        return 1
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    logging.getLogger("opigen.mock").setLevel(logging.INFO)
    servers: list[MockServer] = []
    with _StopSignals() as stop:
        try:
            for i, provider in enumerate(providers):
                port = args.port + i if args.port else 0
                hooks = _webhook_options(args, provider)
                server = MockServer(provider, token_ttl=args.token_ttl, credentials=credentials,
                                    host=args.host, port=port, **hooks).launch()
                servers.append(server)
                print(f"{provider.alias} {server.url}", flush=True)
                if hooks:
                    print(f"{provider.alias} webhooks -> {hooks['webhook_url']}", file=sys.stderr, flush=True)
            print("Serving; press Ctrl-C to stop.", file=sys.stderr, flush=True)
            stop.wait()
        except OSError as exc:
            print(f"opigen mock: cannot listen on {args.host}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        finally:
            for server in servers:
                server.stop()
    print("Stopped.", file=sys.stderr, flush=True)
    return 0
