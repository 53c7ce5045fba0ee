"""The contract server as a plain ASGI application: route, check auth, validate, answer from the spec."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote

from ..contract import ErrorKind, token_methods
from ..ir import AuthScheme, Idempotency, Lookup, Method, Provider
from ..kinds.base import Received
from . import accept, routes
from .answers import Answers
from .auth import AuthChecker, token_answer
from .examples import Chooser, UnknownExample
from .faults import Fault, FaultBook
from .in_answer import failure, group_problem
from .masking import Masker
from .oauth import OAuthServer
from .paging import Pager
from .routing import Matched, NoRoute, NotAllowed, Router
from .state import Answer, RecordedRequest, ServerState
from .validation import Checked, Incoming, Problem, RequestValidator, parse_form, parse_json

if TYPE_CHECKING:
    from .webhooks import Deliverer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Transports = MutableMapping[tuple[str, int], asyncio.Transport]

LOGGER = logging.getLogger("opigen.mock")


def _key(value: Any) -> str:
    """A unique value as a lookup key (types matter: '12' and 12 differ)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _headers(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        out[key] = f"{out[key]}, {text}" if key in out else text
    return out


class ContractApp:
    def __init__(self, provider: Provider, *, state: ServerState, faults: FaultBook,
                 credentials: Mapping[str, str], transports: Transports) -> None:
        self.provider = provider
        self.state = state
        self.faults = faults
        self.transports = transports
        self.validator = RequestValidator(provider)
        self.router = Router(provider, self.validator.defs)
        self.answers = Answers(provider, self.validator.defs)
        self.auth = AuthChecker(provider, state, credentials)
        self.oauth = OAuthServer(provider, state, credentials)  # the user flows' endpoints, if any
        self.masker = Masker(provider, self.auth.header_names())
        self.pager = Pager()  # the records each paginated method serves
        self.chooser = Chooser()  # which named example a method answers with
        self.deliverer: Deliverer | None = None  # set by MockServer when a webhook URL was given
        self._issuers: dict[str, AuthScheme] = {}
        for scheme in provider.schemes:
            if scheme.token_method:
                self._issuers.setdefault(scheme.token_method, scheme)
        self._token_methods = token_methods(provider)
        self._lookups: dict[str, tuple[Method, Lookup]] = {}
        for method in provider.methods:
            lookup = method.safety.lookup
            if method.safety.kind is Idempotency.UNIQUE_FIELD and lookup is not None:
                self._lookups.setdefault(lookup.method, (method, lookup))

    # --- ASGI ----------------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        body = await self._read_body(receive)
        raw_path = (scope.get("raw_path") or scope["path"].encode("utf-8")).decode("latin-1")
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        query_string = scope.get("query_string", b"").decode("latin-1")
        incoming = Incoming(scope["method"], unquote(raw_path), query, _headers(scope), body,
                            raw_path + (f"?{query_string}" if query_string else ""))
        match = self.router.match(incoming.verb, raw_path, query)
        route = match.method.name if isinstance(match, Matched) else None
        record = RecordedRequest(
            method=incoming.verb, path=incoming.path, query=query, headers=incoming.headers, body=body,
            json=parse_json(incoming), form=parse_form(incoming), route=route, status=None,
        )
        slot = self.state.received(record)
        status: int | None = None

        def answered(code: int | None) -> None:
            # Recorded before the answer leaves, so a client that got it also finds it recorded.
            nonlocal status
            status = code
            self.state.answered(slot, record, code)

        try:
            await self._serve(scope, receive, send, incoming, match, self.faults.take(route), answered)
        except asyncio.CancelledError:
            # The server is stopping and has cut this connection: nothing is left to answer.
            return
        finally:
            values = match.path_values if isinstance(match, Matched) else {}
            LOGGER.info("%s", self.masker.line(record, values, status, time.perf_counter() - started))

    async def _serve(self, scope: Scope, receive: Receive, send: Send, incoming: Incoming,
                     match: Matched | NotAllowed | NoRoute, fault: Fault | None,
                     answered: Callable[[int | None], None]) -> None:
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.drop == "before":
            await self._drop(scope, receive, send)
            return
        if fault is not None and fault.in_answer and isinstance(match, Matched):
            answer = failure(match.method, ErrorKind.VALIDATION, "Injected fault: a failure in a success answer") \
                or self.answers.fault(fault)
        elif fault is not None and fault.answer_status is not None:
            answer = self.answers.fault(fault)
        else:
            answer = self.handle(incoming, match)
        if fault is not None and fault.drop == "after":
            await self._drop(scope, receive, send)
            return
        if fault is not None and fault.malformed:
            answer = self.answers.malformed(answer)
        if fault is not None and fault.html:
            answer = self.answers.html_page(answer.status, answer.headers)
        if fault is not None and fault.content_type is not None:
            answer = self.answers.relabelled(answer, fault.content_type)
        answered(answer.status)
        if self.deliverer is not None and isinstance(match, Matched) and 200 <= answer.status < 300:
            self.deliverer.after(match.method.name)  # the events the spec sends after this write
        if fault is not None and fault.huge:
            await self._stream(send, answer, fault.huge)
        else:
            await self._send(send, answer)

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    @staticmethod
    async def _read_body(receive: Receive) -> bytes:
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    @staticmethod
    async def _send(send: Send, answer: Answer) -> None:
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers]
        headers.append((b"content-length", str(len(answer.body)).encode()))
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})

    @staticmethod
    async def _stream(send: Send, answer: Answer, size: int) -> None:
        """`size` bytes of one JSON string, in chunks and without Content-Length: a client learns the
        size only by reading, so only a reading limit protects its memory."""
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        head, tail = b'{"padding": "', b'"}'
        chunk = b"x" * 65536
        remaining = max(0, size - len(head) - len(tail))
        await send({"type": "http.response.body", "body": head, "more_body": True})
        while remaining > 0:
            piece = chunk if remaining >= len(chunk) else chunk[:remaining]
            # A client that gave up has closed the connection; the server then drops these sends.
            await send({"type": "http.response.body", "body": piece, "more_body": True})
            remaining -= len(piece)
        await send({"type": "http.response.body", "body": tail})

    async def _drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Close the connection without a byte of answer, so the client sees a transport error."""
        client = scope.get("client")
        transport = self.transports.get((client[0], client[1])) if client else None
        if transport is None:
            # Not under our server: start an answer that never completes; the server closes the connection.
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]})
            return
        transport.close()
        try:
            async with asyncio.timeout(1.0):
                while (await receive())["type"] != "http.disconnect":
                    pass
        except TimeoutError:
            pass

    # --- the contract ----------------------------------------------------------------------------------
    def handle(self, incoming: Incoming, match: Matched | NotAllowed | NoRoute) -> Answer:
        flow_answer = self.oauth.handle(incoming)
        if flow_answer is not None:
            return flow_answer
        received = Received(incoming.verb, f"http://{incoming.headers.get('host', '')}{incoming.target}",
                            incoming.headers, incoming.body)
        if isinstance(match, NoRoute | NotAllowed) and incoming.verb == "POST":
            issued = self.auth.token_endpoint(received)  # a signing kind's token URL (JWT bearer)
            if issued is not None:
                return token_answer(*issued, self.state)
        if isinstance(match, NoRoute):
            return self.answers.error(ErrorKind.NOT_FOUND, match.message)
        if isinstance(match, NotAllowed):
            return self.answers.not_allowed(incoming.verb, match.allowed)
        method = match.method
        placed = routes.placed(self.auth.schemes(), method, incoming, match.path_values)
        refused = self.auth.check(method, received, placed)
        if refused is not None:
            return self.answers.error(ErrorKind.UNAUTHORIZED, refused)
        if method.name in self._token_methods:
            refreshed = self.oauth.method_refresh(self._issuers[method.name], incoming)
            if refreshed is not None:
                return refreshed
        checked = self.validator.check(method, match.path_values, incoming)
        if not isinstance(checked, Problem):
            checked = group_problem(method, checked.values) or checked
        if isinstance(checked, Problem):
            in_answer = failure(method, checked.kind, checked.message, checked.field)
            return in_answer or self.answers.error(checked.kind, checked.message, checked.field)
        if method.name in self._token_methods:
            return self._issue(method, checked)
        answer = accept.chosen(method, incoming.headers.get("accept"))
        if answer is None:
            return accept.not_acceptable(self.provider, method)
        if answer is not method.success:  # another media type of the same answer: its example
            return self.answers.success(method, response=answer)
        try:
            named, value = self.chooser.pick(method, incoming.headers)  # a named example asked for
        except UnknownExample as exc:
            return self.answers.error(ErrorKind.VALIDATION, str(exc))
        if named:
            return self.answers.success(method, value, use_body=True)
        here = f"http://{incoming.headers.get('host', '')}{incoming.path}"  # a next-page URL's base
        return self._respond(method, match, checked, here)

    def _issue(self, method: Method, checked: Checked) -> Answer:
        refused = self.auth.token_request(method, checked.values)
        if refused is not None:
            return self.answers.error(ErrorKind.UNAUTHORIZED, refused)
        scheme = self._issuers[method.name]
        answer = self.answers.token(method, scheme, self.state.issue_token(), self.state.token_ttl)
        return self.oauth.with_refresh(scheme, answer)

    def _respond(self, method: Method, match: Matched, checked: Checked, here: str = "") -> Answer:
        if method.safety.kind is Idempotency.UNIQUE_FIELD and method.safety.field:
            return self._create(method, match, checked)
        if method.py_name in self._lookups:
            return self._look_up(method, checked)
        if method.pagination is not None:
            return self._page(method, checked, here)
        return self.answers.success(method)

    def _create(self, method: Method, match: Matched, checked: Checked) -> Answer:
        field = method.safety.field
        param = next(p for p in method.parameters if p.py_name == field)
        unique = checked.values.get(param.py_name)
        lookup = method.safety.lookup
        fields = {**match.path_values, **checked.body}
        body, record = self.answers.created(method, fields, lookup.result if lookup else None)
        if unique is not None and not self.state.create_record(method.name, _key(unique), record):
            message = f"{param.wire} must be unique: a record with this value already exists"
            return self.answers.error(ErrorKind.CONFLICT, message, param.wire)
        return self.answers.success(method, body, use_body=True)

    def _look_up(self, method: Method, checked: Checked) -> Answer:
        write, lookup = self._lookups[method.py_name]
        value = checked.values.get(lookup.parameter)
        records = self.state.records(write.name, None if value is None else _key(value))
        if value is None and not records:
            return self.answers.success(method)
        return self.answers.listing(method, lookup.items, records)

    def _page(self, method: Method, checked: Checked, here: str) -> Answer:
        body, headers = self.pager.page(method, checked.values, here)
        answer = self.answers.success(method, body, use_body=True)
        return Answer(answer.status, answer.body, (*answer.headers, *headers))
