"""`opi <provider> webhooks listen|verify`: receive a provider's webhooks, or check one saved delivery.

    opi <provider> webhooks listen --port 8000 --secret-env NAME [--host 127.0.0.1] [--max-events N]
    opi <provider> webhooks verify --body FILE --header 'Name: value' ... [--secret-env NAME] [--source IP]

Both print each verified event as one JSON line on stdout ({"event": ..., "data": ...}); a refused
delivery is reported on stderr with its reason. `listen` serves on 127.0.0.1 unless --host says otherwise.
The secret is read from an environment variable (default OPI_<ALIAS>_WEBHOOK_SECRET), never from argv.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

from .cli_exit import BAD_ARGUMENTS, INTERRUPTED, OK, UNKNOWN_METHOD, WEBHOOK_REFUSED
from .cli_output import say, write
from .cli_table import ProviderTable


def run_webhooks(table: ProviderTable, argv: list[str]) -> int:
    name = f"{table.client_module}.webhooks"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        say(f"opi {table.alias}: this provider declares no webhooks.")
        return UNKNOWN_METHOD
    parser = _parser(table.alias)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed usage or help
        return OK if exc.code == 0 else BAD_ARGUMENTS
    secret = os.environ.get(args.secret_env or f"OPI_{table.alias.upper()}_WEBHOOK_SECRET", "")
    if module.NEEDS_SECRET and not secret:
        say(
            f"opi {table.alias} webhooks: no secret: set {args.secret_env or f'OPI_{table.alias.upper()}_WEBHOOK_SECRET'}"
        )
        return BAD_ARGUMENTS
    if args.command == "verify":
        return _verify(module, args, secret)
    return _listen(module, args, secret)


def _parser(alias: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"opi {alias} webhooks", description="Receive or check webhooks.")
    sub = parser.add_subparsers(dest="command", required=True)
    listen = sub.add_parser("listen", help="serve a receiver; print each verified event as a JSON line")
    listen.add_argument("--port", type=int, required=True, help="port (0: any free port)")
    listen.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    listen.add_argument("--max-events", type=int, default=0, help="stop after this many events (0: never)")
    verify = sub.add_parser("verify", help="check one saved delivery; print its event as a JSON line")
    verify.add_argument("--body", required=True, help="file holding the raw body ('-': standard input)")
    verify.add_argument("--header", action="append", default=[], metavar="'Name: value'", help="repeatable")
    verify.add_argument("--source", default=None, help="the sender's IP address (ip_ranges schemes)")
    for command in (listen, verify):
        command.add_argument(
            "--secret-env",
            default=None,
            metavar="NAME",
            help=f"environment variable holding the secret (default OPI_{alias.upper()}_WEBHOOK_SECRET)",
        )
    return parser


def _line(event: Any) -> str:
    data = event.data.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return json.dumps({"event": event.name, "data": data}, ensure_ascii=False) + "\n"


def _verify(module: ModuleType, args: argparse.Namespace, secret: str) -> int:
    limit = module.RECEIVER.max_bytes
    try:
        if args.body == "-":
            body = sys.stdin.buffer.read(limit + 1)
        else:
            with Path(args.body).open("rb") as handle:
                body = handle.read(limit + 1)  # a longer body is refused without reading it all
    except OSError as exc:
        say(f"opi webhooks verify: cannot read {args.body}: {exc.strerror or exc}")
        return BAD_ARGUMENTS
    headers = []
    for text in args.header:
        name, colon, value = text.partition(":")
        if not colon or not name.strip():
            say(f"opi webhooks verify: --header expects 'Name: value', got {text.split(':')[0]!r}")
            return BAD_ARGUMENTS
        headers.append((name.strip(), value.strip()))
    try:
        event = module.verify(body, headers, secret, source=args.source, replays=None)
    except module.WebhookVerificationError as exc:
        say(f"opi webhooks verify: refused ({exc.reason}): {exc}")
        return WEBHOOK_REFUSED
    write("stdout", _line(event))
    return OK


def _listen(module: ModuleType, args: argparse.Namespace, secret: str) -> int:
    limit = module.RECEIVER.max_bytes
    guard = module.ReplayGuard()
    lock = threading.Lock()
    count = [0]

    class Handler(BaseHTTPRequestHandler):
        timeout = 10  # seconds a connection may stay silent (a slow sender cannot hold a thread forever)

        def do_POST(self) -> None:
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                self._answer(411, {"error": "length_required"})
                return
            if int(length) > limit:
                self._answer(413, {"error": "too_large"})
                return
            body = self.rfile.read(int(length))
            try:
                event = module.verify(
                    body, list(self.headers.items()), secret, source=self.client_address[0], replays=guard
                )
            except module.WebhookVerificationError as exc:
                say(f"refused ({exc.reason}): {exc}")
                self._answer(module.status_of(exc), {"error": exc.reason, "message": str(exc)})
                return
            with lock:
                write("stdout", _line(event))
                count[0] += 1
                done = bool(args.max_events) and count[0] >= args.max_events
            self._answer(200, {"ok": True})
            if done:
                threading.Thread(target=server.shutdown, daemon=True).start()

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *values: Any) -> None:
            """Quiet: the events are the output."""

    try:
        server = ThreadingHTTPServer((args.host, args.port), Handler)
    except OSError as exc:
        say(f"opi webhooks listen: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
        return BAD_ARGUMENTS
    host = f"[{args.host}]" if ":" in args.host else args.host
    say(f"Listening on http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        return INTERRUPTED
    finally:
        server.server_close()
    return OK
