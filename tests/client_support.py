"""Shared pieces of the generated-client tests: providers, credentials, a spec method's example call and the
request the provider's docs prescribe for it, and a canned-answer loopback server."""

from __future__ import annotations

import asyncio
import importlib
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

from provider_support import ROOT, provider, providers, token_inputs
from provider_support import client_credentials as credentials

from generator.ir import Location, Method, Provider
from generator.mock import MockServer, RecordedRequest
from generator.pipeline import load_providers

__all__ = ["ROOT", "credentials", "provider", "providers", "token_inputs"]


def package(alias: str) -> ModuleType:
    return importlib.import_module(f"opi.{alias}")


def example_kwargs(p: Provider, m: Method) -> dict[str, Any]:
    """Every keyword of a method at its spec example (save those a rule across parameters leaves out); a
    token method gets the client's credentials."""
    creds = credentials(p)
    left_out = m.example_leaves_out()
    return {
        q.py_name: creds.get(q.py_name, q.example)
        for q in m.parameters
        if not q.is_const and q.py_name not in left_out
    }


def invoke(client: Any, m: Method, kwargs: dict[str, Any], mode: str) -> Any:
    """Call a method on a fresh client ("sync" or "async"), closing the client afterwards."""
    if mode == "sync":
        with client:
            return getattr(client, m.py_name)(**kwargs)

    async def run() -> Any:
        async with client:
            return await getattr(client, m.py_name)(**kwargs)

    return asyncio.run(run())


@contextmanager
def keyed_variant(work: Path) -> Iterator[tuple[ModuleType, Provider]]:
    """PayDo's spec with CreateRefund declaring `kind: header` (no provider spec uses an idempotency key
    header yet), generated into `work` as `opi.paydokey`; yields (package, provider)."""
    import yaml
    from spec_support import importable

    data = yaml.safe_load((ROOT / "specs" / "paydo.yaml").read_text(encoding="utf-8"))
    data["provider"]["alias"] = "paydokey"
    refund = next(m for m in data["methods"] if m["name"] == "CreateRefund")
    refund["idempotency"] = {
        "kind": "header",
        "header": "Idempotency-Key",
        "note": "The key makes a repeat safe.",
    }
    spec = work / "paydokey.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with importable([spec], work / "out"):
        yield importlib.import_module("opi.paydokey"), load_providers([spec])[0]


def answered(server: MockServer, route: str) -> list[RecordedRequest]:
    """The requests of one route once the server has recorded its answers (it records just after sending)."""
    deadline = time.monotonic() + 2.0
    while True:
        found = server.requests_for(route)
        if all(r.status is not None for r in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.005)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


@dataclass
class Expected:
    path: str
    query: dict[str, list[str]]
    body: Any  # JSON value, form dict, or None


def expected_request(p: Provider, m: Method, kwargs: dict[str, Any]) -> Expected:
    """What the docs prescribe for a call with these keywords: the path with its values, the query and the
    body keyed by wire names with constants and defaults added."""
    path = m.path
    query: dict[str, list[str]] = {}
    body: dict[str, Any] = {}
    for q in m.parameters:
        value = q.const if q.is_const else kwargs.get(q.py_name, q.default if q.has_default else None)
        if value is None:
            continue
        if q.location is Location.PATH:
            path = path.replace("{" + q.wire + "}", _text(value))
        elif q.location is Location.QUERY:
            query[q.wire] = [_text(value)]
        elif q.location is Location.BODY:
            body[q.wire] = value
    if m.body_content is None:
        return Expected(path, query, None)
    if m.body_content == "form":
        return Expected(path, query, {k: _text(v) for k, v in body.items()})
    return Expected(path, query, body)


@dataclass
class Canned:
    status: int
    body: bytes
    headers: dict[str, str]


@contextmanager
def canned_server(
    answers: list[Canned],
    recorded: list[tuple[str, list[tuple[str, str]], bytes]] | None = None,
    tls: ssl.SSLContext | None = None,
) -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that answers the given answers in turn (the last one repeats).

    Yields its URL and the list of request lines it received; `recorded` gets each request whole: its
    request line, its header lines as sent and its body. With `tls` (a server context) it speaks HTTPS."""
    seen: list[str] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            with lock:
                seen.append(f"{self.command} {self.path}")
                if recorded is not None:
                    recorded.append((self.requestline, list(self.headers.items()), body))
                answer = answers[min(len(seen), len(answers)) - 1]
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def head_server(answer: Callable[[bytes], bytes | None], connections: int) -> Iterator[tuple[str, list[bytes]]]:
    """A loopback server reading requests on kept-alive connections (bodies are not read): for each request
    head, `answer(head)` gives the bytes to send back, or None to close the connection without answering
    (it may also wait first). At most `connections` connections are accepted. Yields its URL and the heads
    it read."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)
    seen: list[bytes] = []

    def serve_one(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            buffer = b""
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                seen.append(head)
                reply = answer(head)
                if reply is None:
                    return
                try:
                    conn.sendall(reply)
                except OSError:
                    return

    def serve() -> None:
        for _ in range(connections):  # bounded
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", seen
    finally:
        listener.close()
        thread.join(timeout=6)


def _a_json_read() -> tuple[Provider, Method]:
    """A JSON read whose call sends one request (no token to fetch first)."""
    for p in providers():
        fetched = {s.name for s in p.schemes if s.issues_tokens}
        for m in p.methods:
            schemes = {name for option in m.auth for name in option}
            if m.http_method == "GET" and m.success.content == "json" and not schemes & fetched:
                return p, m
    raise AssertionError("no JSON read in specs/")


def a_read_and_its_answer() -> tuple[Provider, Method, bytes, dict[str, str]]:
    """A JSON read of a spec in specs/ whose call sends one request, and its success answer from the
    contract server (body and Content-Type), for canned servers to give back."""
    p, m = _a_json_read()
    with (
        MockServer.start(p, credentials=credentials(p)) as server,
        package(p.alias).Client(base_url=server.url, **credentials(p)) as client,
    ):
        raw = getattr(client, m.py_name)(**example_kwargs(p, m)).raw_response
    return p, m, raw.content, {"Content-Type": raw.headers["content-type"]}
