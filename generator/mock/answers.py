"""The bodies the contract server answers with, all taken from the spec: examples and error templates."""

from __future__ import annotations

import copy
import http
import json
import math
from typing import Any
from urllib.parse import quote

from jsonschema import Draft202012Validator

from ..contract import ErrorKind, error_answer, fill, get_path, normalize, set_path
from ..ir import AuthScheme, Method, Provider, Response
from ..kinds import ANSWERS
from .faults import Fault
from .state import Answer
from .validation import FORMATS


def _encode(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def json_answer(status: int, body: Any, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    return Answer(status, _encode(body), (("content-type", "application/json"), *headers))


def disposition(filename: str) -> str:
    """`Content-Disposition` of a file answer: an ASCII fallback name and the exact name (RFC 6266)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _header_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


class Answers:
    def __init__(self, provider: Provider, defs: dict[str, Any]) -> None:
        self.provider = provider
        self._defs = defs
        self._validators: dict[str, Draft202012Validator] = {}

    # --- errors --------------------------------------------------------------------------------------
    def error(self, kind: ErrorKind, message: str, field: str = "") -> Answer:
        answer = error_answer(self.provider, kind)
        return json_answer(answer.status, fill(answer.body, message, field))

    def not_allowed(self, verb: str, allowed: tuple[str, ...]) -> Answer:
        template = error_answer(self.provider, ErrorKind.NOT_FOUND).body
        body = fill(template, f"Method {verb} is not allowed here; allowed: {', '.join(allowed)}")
        return json_answer(405, body, (("allow", ", ".join(allowed)),))

    def fault(self, fault: Fault) -> Answer:
        """An injected failure: only the message, at the provider's first message path."""
        status = fault.answer_status or 500
        paths = self.provider.errors.message_paths
        message = f"Injected fault: HTTP {status}"
        body = set_path({}, paths[0], message) if paths else {"message": message}
        headers = (("retry-after", str(fault.retry_after)),) if fault.retry_after is not None else ()
        return json_answer(status, body, headers)

    @staticmethod
    def malformed(answer: Answer) -> Answer:
        """The same answer with a body that is not valid JSON."""
        cut = answer.body[: len(answer.body) // 2]
        try:
            json.loads(cut)
        except ValueError:
            pass
        else:
            cut = b'{"truncated": '
        headers = tuple(h for h in answer.headers if h[0] != "content-type")
        return Answer(answer.status, cut, (("content-type", "application/json"), *headers))

    @staticmethod
    def html_page(status: int, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
        """An error page as a proxy in front of the provider serves it: HTML, long, no JSON anywhere."""
        try:
            title = f"{status} {http.HTTPStatus(status).phrase}"
        except ValueError:
            title = f"{status} Error"
        filler = "".join(f"<!-- filler line {i}: proxies pad their pages past a browser's minimum -->\n"
                         for i in range(40))
        page = (f"<!DOCTYPE html>\n<html>\n<head><title>{title}</title></head>\n<body>\n"
                f"<h1>{title}</h1>\n<p>The upstream server did not answer properly.</p>\n<hr>\n"
                f"<address>gateway</address>\n{filler}</body>\n</html>\n")
        kept = tuple(h for h in headers if h[0] != "content-type")
        return Answer(status, page.encode("ascii"), (("content-type", "text/html; charset=utf-8"), *kept))

    @staticmethod
    def relabelled(answer: Answer, content_type: str) -> Answer:
        """The same answer under another Content-Type."""
        headers = tuple(h for h in answer.headers if h[0] != "content-type")
        return Answer(answer.status, answer.body, (("content-type", content_type), *headers))

    # --- successes -----------------------------------------------------------------------------------
    def example(self, method: Method) -> Any:
        return copy.deepcopy(method.success.example)

    def success(self, method: Method, body: Any = None, *, use_body: bool = False,
                response: Response | None = None) -> Answer:
        """The success answer (or `response`, one of its other media types) with its example or `body`."""
        response = response or method.success
        headers = tuple(
            (h.name.lower(), _header_text(h.example)) for h in response.headers if h.example is not None
        )
        kind = ANSWERS[response.content]
        media = kind.media_types(response.media_type)
        if (not use_body and not response.has_example) or not media:
            return Answer(response.status, b"", headers)
        content = kind.encode(body if use_body else copy.deepcopy(response.example))
        if response.filename:
            headers = (("content-disposition", disposition(response.filename)), *headers)
        return Answer(response.status, content, (("content-type", media[0]), *headers))

    def token(self, method: Method, scheme: AuthScheme, token: str, ttl: float) -> Answer:
        body = self.example(method)
        body = body if isinstance(body, dict) else {}
        documented = get_path(body, scheme.expires_field)
        # An integer lifetime in the example (the usual `expires_in`) stays an integer.
        expires: float = ttl if isinstance(documented, float) else max(1, math.ceil(ttl))
        body = set_path(body, scheme.token_field, token)
        body = set_path(body, scheme.expires_field, expires)
        return self.success(method, body, use_body=True)

    def _conforms(self, method: Method, body: Any) -> bool:
        response = method.success
        if response.schema is None:
            return True
        key = method.name
        if key not in self._validators:
            schema = {**normalize(response.schema), "$defs": self._defs}
            self._validators[key] = Draft202012Validator(schema, format_checker=FORMATS)
        return bool(self._validators[key].is_valid(body))

    def created(self, method: Method, fields: dict[str, Any], result: str | None) -> tuple[Any, Any]:
        """(answer body, record): the success example with the request's fields overlaid where its keys
        match, keeping only overlays that still fit the documented answer."""
        body = self.example(method)
        record = get_path(body, result) if result else body
        if not isinstance(record, dict):
            return body, record
        for key, value in fields.items():
            if key not in record:
                continue
            trial = {**record, key: copy.deepcopy(value)}
            candidate = set_path(body, result, trial) if result else trial
            if self._conforms(method, candidate):
                record, body = trial, candidate
        return body, record

    def listing(self, method: Method, items: str, records: list[Any]) -> Answer:
        return self.success(method, set_path(self.example(method), items, records), use_body=True)
