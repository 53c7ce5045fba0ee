"""The clients every provider's generated `Client` and `AsyncClient` extend.

`BaseClient` holds what does no I/O (configuration, validation, auth plans, retry decisions, answers and
errors); `SyncClient` and `AsyncClient` are siblings that only send, wait and look up, as in httpx.
"""

from __future__ import annotations

import html
import http
import json
import logging
import os
import re
import time
from collections.abc import Mapping
from typing import Any, Self, TypeVar

import httpx
import pydantic

from . import auth, retry
from .errors import (
    ApiError,
    ConnectError,
    CredentialsError,
    NetworkError,
    OpiError,
    ResponseTooLargeError,
    ResponseValidationError,
    TimeoutError,
    TransportError,
    UncertainWriteError,
    error_class,
)
from .masking import Masker
from .request import Prepared, model_class, prepare, shape
from .response import RawResponse
from .spec import NONE, UNIQUE_FIELD, Operation, ProviderSpec, Scheme
from .union_errors import variants_tried

T = TypeVar("T")
TimeoutTypes = float | httpx.Timeout

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
MAX_MESSAGE = 300  # characters of a non-JSON error body kept as an ApiError's message
logger = logging.getLogger("opi")

_TITLE = re.compile(rb"<(title|h1)[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _media_type(headers: Mapping[str, str]) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


def _is_json(media: str) -> bool:
    return media.endswith("/json") or media.endswith("+json")


def _summary(raw: RawResponse) -> str:
    """A short message from an error body that is not JSON: an HTML page's title, or the text's start."""
    head = raw.content[: 64 * 1024]
    if "html" in _media_type(raw.headers) or head.lstrip()[:1] == b"<":
        found = _TITLE.search(head)
        text = found.group(2).decode("utf-8", errors="replace") if found else ""
        text = html.unescape(_TAG.sub(" ", text))
    else:
        text = head[: MAX_MESSAGE * 4].decode("utf-8", errors="replace")
    return " ".join(text.split())[:MAX_MESSAGE]


def _deadline(timeout: TimeoutTypes) -> float | None:
    """When the whole answer, body included, must have arrived (httpx's own timeouts are per read)."""
    seconds = timeout.read if isinstance(timeout, httpx.Timeout) else float(timeout)
    return None if seconds is None else time.monotonic() + seconds


class _Body:
    """An answer's body read up to a limit, and within a deadline."""

    __slots__ = ("_chunks", "_ends", "_limit", "size", "too_large")

    def __init__(self, response: httpx.Response, limit: int, ends: float | None) -> None:
        self._chunks: list[bytes] = []
        self._limit = limit
        self._ends = ends
        self.size = 0
        declared = response.headers.get("content-length", "")
        # A success answer declared too long is not read at all; an error's body is read up to the limit.
        self.too_large = declared.isdigit() and int(declared) > limit and response.status_code < 300

    @property
    def wanted(self) -> bool:
        return not self.too_large

    def add(self, chunk: bytes) -> bool:
        """Keep a chunk; False once the limit is passed (stop reading)."""
        room = self._limit - self.size
        if len(chunk) > room:
            self._chunks.append(chunk[:room])
            self.size = self._limit
            self.too_large = True
            return False
        self._chunks.append(chunk)
        self.size += len(chunk)
        if self._ends is not None and time.monotonic() > self._ends:
            raise httpx.ReadTimeout("the answer did not arrive in full within the timeout")
        return True

    @property
    def content(self) -> bytes:
        return b"".join(self._chunks)


def _dig(data: Any, path: str) -> Any:
    """The value at a dotted path (integer parts index lists), or None."""
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.lstrip("-").isdigit() and -len(data) <= int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


class BaseClient:
    """Configuration and every decision of a call; subclasses do the I/O."""

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
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        chosen = next((env for env, on in flags.items() if on), environment)
        if chosen not in spec.environments:
            raise ValueError(
                f"unknown environment {chosen!r}; expected one of {', '.join(spec.environments)}"
            )
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if max_response_bytes < 1:
            raise ValueError("max_response_bytes must be 1 or more")
        self._max_response_bytes = max_response_bytes
        self._spec = spec
        self._environment = chosen
        base_url = base_url or os.environ.get(spec.base_url_env) or spec.environments[chosen]
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._max_retries = max_retries
        self._retry_delay = retry_delay
        self._credentials = auth.Credentials(credentials)
        self._masker = Masker(v for k, v in credentials.items() if v and k in spec.secret_inputs)
        given = dict(headers or {})
        replaced = {name.lower() for name in given}  # header names are case-insensitive
        self._headers = {k: v for k, v in spec.headers.items() if k.lower() not in replaced} | given
        self._tokens = {
            s.name: auth.TokenState(self._credentials.get(s.inputs[0]))
            for s in spec.schemes.values()
            if s.kind == auth.OAUTH2
        }
        self._plans: dict[str, auth.AuthPlan] = {}

    @property
    def environment(self) -> str:
        return self._environment

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def timeout(self) -> TimeoutTypes:
        """The timeout of every request unless a call passes its own."""
        return self._timeout

    def __repr__(self) -> str:
        # Provider and environment only: nothing a credential could hide in.
        return f"<{type(self).__module__}.{type(self).__qualname__} environment={self._environment!r}>"

    __str__ = __repr__

    # --- before sending -------------------------------------------------------------------------------
    def _plan(self, op: Operation[Any]) -> auth.AuthPlan:
        found = self._plans.get(op.name)
        if found is None:
            found = auth.plan(self._spec, op, self._credentials)
            if found is None:
                raise CredentialsError(op.name, auth.alternatives(self._spec, op))
            self._plans[op.name] = found
        return found

    def _headers_for(self, prepared: Prepared, plan: auth.AuthPlan, tokens: list[str]) -> dict[str, str]:
        headers = {**self._headers, **prepared.headers, **plan.headers}
        for token in tokens:
            headers["Authorization"] = "Bearer " + token
        return headers

    def _token_arguments(self, scheme: Scheme) -> tuple[Operation[Any], dict[str, str]]:
        token_op = self._spec.operations[scheme.token_method or ""]
        return token_op, auth.token_arguments(token_op, self._credentials)

    def _store_token(self, scheme: Scheme, raw: RawResponse) -> str:
        try:
            data = raw.json()
        except ValueError:
            data = None
        token = _dig(data, scheme.token_field)
        if not isinstance(token, str) or not token:
            raise ResponseValidationError(
                f"{scheme.token_method}: the token answer has no {scheme.token_field!r}",
                operation=scheme.token_method or scheme.name,
                raw=raw,
            )
        self._masker.add(token)
        self._tokens[scheme.name].store(token, auth.token_lifetime(_dig(data, scheme.expires_field)))
        return token

    def _invalidate(self, plan: auth.AuthPlan) -> None:
        for scheme in plan.oauth:
            self._tokens[scheme.name].invalidate()

    # --- after sending --------------------------------------------------------------------------------
    def _log_send(self, op: Operation[Any], prepared: Prepared, attempt: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            url = self._masker.mask(self._base_url + prepared.path)
            logger.debug("%s %s %s (try %d)", op.name, prepared.method, url, attempt + 1)

    def _body(self, response: httpx.Response, ends: float | None) -> _Body:
        return _Body(response, self._max_response_bytes, ends)

    def _raw(self, response: httpx.Response, prepared: Prepared, body: _Body) -> RawResponse:
        raw = RawResponse(
            response.status_code,
            response.headers,
            body.content,
            prepared.method,
            response.request.url,
        )
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s -> HTTP %d", self._masker.mask(raw.url), raw.status_code)
        return raw

    def _too_large(self, op: Operation[Any], raw: RawResponse) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"{op.name}: HTTP {raw.status_code} succeeded but the answer is longer than "
            f"max_response_bytes={self._max_response_bytes}; reading stopped there (the bytes read are in "
            ".raw). The request succeeded: do not repeat it because of this error",
            operation=op.name,
            raw=raw,
            limit=self._max_response_bytes,
        )

    def _result(self, op: Operation[T], raw: RawResponse) -> T:
        model = shape(self._spec, op).response
        if model is None:
            return raw  # type: ignore[return-value]  # the operation is declared Operation[RawResponse]
        media = _media_type(raw.headers)
        if media and not _is_json(media):
            # A proxy's page or a mislabelled answer: not the JSON the spec promises, whatever it holds.
            raise ResponseValidationError(
                f"{op.name}: HTTP {raw.status_code} succeeded but the answer is {media[:60]!r}, not JSON; "
                "the raw answer is in .raw",
                operation=op.name,
                raw=raw,
            )
        try:
            result = model.model_validate_json(raw.content or b"{}")
        except pydantic.ValidationError as exc:
            where = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
                for e in exc.errors(include_url=False)[:5]
            )
            raise ResponseValidationError(
                f"{op.name}: HTTP {raw.status_code} succeeded but the answer does not match the spec "
                f"({where}{variants_tried(model, exc)}); the raw answer is in .raw",
                operation=op.name,
                raw=raw,
            ) from None
        # Where ApiModel.raw_response reads it (pydantic's private-state slot; see model.py).
        object.__setattr__(result, "__pydantic_private__", {"raw_response": raw})
        return result  # type: ignore[return-value]  # the operation is declared Operation[<this model>]

    def _api_error(self, op: Operation[Any], raw: RawResponse) -> ApiError:
        try:
            data = raw.json()
        except ValueError:
            data = None
        envelope = None
        error_model = model_class(self._spec, self._spec.error_model)
        if data is not None and error_model is not None:
            try:
                envelope = error_model.model_validate(data)
            except pydantic.ValidationError:
                envelope = None
        message = None
        for path in self._spec.message_paths:
            found = _dig(data, path)
            if found is not None and found != "" and found != [] and found != {}:
                message = found if isinstance(found, str) else json.dumps(found, ensure_ascii=False)
                break
        if message is None:
            text = _summary(raw) if data is None else ""
            message = text or _phrase(raw.status_code)
        error = error_class(raw.status_code)(
            self._masker.mask(message), operation=op.name, raw=raw, envelope=envelope
        )
        error.retry_after = retry.retry_after(raw.headers)
        return error

    def _transport_error(
        self, op: Operation[Any], prepared: Prepared, exc: httpx.TransportError, failure: retry.Failure
    ) -> TransportError:
        detail = self._masker.mask(str(exc) or type(exc).__name__)
        if failure is retry.Failure.NOT_SENT:
            if isinstance(exc, httpx.TimeoutException):
                return TimeoutError(f"{op.name}: could not connect in time: {detail}", operation=op.name)
            return ConnectError(f"{op.name}: could not connect: {detail}", operation=op.name)
        if failure is not retry.Failure.FATAL and op.safety.kind == NONE:
            return UncertainWriteError(
                f"{op.name}: the request was sent but its outcome is unknown ({failure.value}: {detail}); "
                "it was not sent again because the provider offers no safe way to repeat it. "
                "Check the provider's records before trying again.",
                operation=op.name,
            )
        if failure is not retry.Failure.FATAL and op.safety.kind == UNIQUE_FIELD:
            # Raised once retries are spent: a late answer may still have created the record.
            field = op.safety.field or ""
            return UncertainWriteError(
                self._masker.mask(
                    f"{op.name}: the request was sent but its outcome is unknown ({failure.value}: {detail}) "
                    f"and looking it up by {field}={prepared.unique_value!r} did not find it. Look it up "
                    "again before writing with another id; repeating it with the same id is safe."
                ),
                operation=op.name,
                unique_field=field,
                unique_value=prepared.unique_value,
            )
        if failure is retry.Failure.TIMEOUT:
            return TimeoutError(f"{op.name}: no answer in time: {detail}", operation=op.name)
        if failure is retry.Failure.DROPPED:
            return NetworkError(f"{op.name}: the connection broke: {detail}", operation=op.name)
        return TransportError(f"{op.name}: {detail}", operation=op.name)

    def _uncertain(
        self, op: Operation[Any], prepared: Prepared, why: str, cause: OpiError
    ) -> UncertainWriteError:
        field = op.safety.field or ""
        return UncertainWriteError(
            self._masker.mask(
                f"{op.name}: the write may have taken effect ({why}) and looking it up by {field}="
                f"{prepared.unique_value!r} failed: {cause}. Look it up before trying again."
            ),
            operation=op.name,
            unique_field=field,
            unique_value=prepared.unique_value,
        )

    def _lookup_args(self, op: Operation[Any], prepared: Prepared) -> tuple[Operation[Any], dict[str, Any]]:
        lookup = op.safety.lookup
        assert lookup is not None  # UNIQUE_FIELD always declares one (spec check)
        return self._spec.operations[lookup.method], {lookup.parameter: prepared.unique_value}

    @staticmethod
    def _lookup_data(lookup_op: Operation[Any], raw: RawResponse) -> Any:
        try:
            return raw.json()
        except ValueError:
            raise ResponseValidationError(
                f"{lookup_op.name}: the lookup's answer is not JSON", operation=lookup_op.name, raw=raw
            ) from None

    def _found(self, op: Operation[T], prepared: Prepared, raw: RawResponse, data: Any) -> T | None:
        """The write's answer rebuilt from the lookup's, when the lookup found the record."""
        lookup = op.safety.lookup
        assert lookup is not None
        items = _dig(data, lookup.items)
        wire = shape(self._spec, op).unique_wire or ""
        # The lookup filters by the unique value already; records that carry the field must match it too.
        records = [
            r
            for r in (items if isinstance(items, list) else [])
            if isinstance(r, dict) and r.get(wire, prepared.unique_value) == prepared.unique_value
        ]
        if not records:
            return None
        answer: Any = records[0]
        if lookup.result:
            for part in reversed(lookup.result.split(".")):
                answer = {part: answer}
        found = RawResponse(raw.status_code, raw.headers, json.dumps(answer).encode(), raw.method, raw.url)
        logger.info("%s: found the record of an uncertain write by its unique value", op.name)
        return self._result(op, found)

    def _delay(self, attempt: int, wait: float | None) -> float:
        return wait if wait is not None else retry.backoff(attempt, self._retry_delay)

    def _log_retry(self, op: Operation[Any], why: str, delay: float, attempt: int) -> None:
        logger.info(
            "%s: %s; retrying in %.2f s (retry %d of %d)", op.name, why, delay, attempt + 1, self._max_retries
        )


async def _sleep(seconds: float) -> None:
    import asyncio  # here, not at the top: sync-only programs never pay for importing asyncio

    await asyncio.sleep(seconds)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


class SyncClient(BaseClient):
    """Blocking client; one pooled `httpx.Client` each. Use it as a context manager or call close()."""

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
        self._http = http_client or httpx.Client(transport=transport, timeout=timeout)

    def close(self) -> None:
        """Close the connection pool (not an `http_client` passed in by the caller)."""
        if self._owns_http:
            self._http.close()

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
    ) -> T:
        prepared = prepare(self._spec, op, args, body)
        return self._send(op, prepared, self._plan(op), timeout)

    def _exchange(
        self, prepared: Prepared, url: str, headers: dict[str, str], timeout: TimeoutTypes
    ) -> tuple[RawResponse, bool]:
        """Send once and read the answer, at most `max_response_bytes` of it: (answer, cut at the limit)."""
        request = self._http.build_request(
            prepared.method,
            url,
            params=prepared.query or None,
            headers=headers,
            content=prepared.content,
            timeout=timeout,
        )
        ends = _deadline(timeout)
        response = self._http.send(request, stream=True)
        try:
            body = self._body(response, ends)
            if body.wanted:
                for chunk in response.iter_bytes():
                    if not body.add(chunk):
                        break
        except httpx.DecodingError as exc:
            # A body that cannot be decoded (e.g. broken gzip) is as unusable as a cut connection.
            raise httpx.RemoteProtocolError(f"undecodable answer: {exc}") from exc
        finally:
            response.close()
        return self._raw(response, prepared, body), body.too_large

    def _tokens_for(self, plan: auth.AuthPlan) -> list[str]:
        tokens = []
        for scheme in plan.oauth:
            state = self._tokens[scheme.name]
            token = state.current()
            if token is None:
                with state.lock:
                    token = state.current() or self._fetch_token(scheme)
            tokens.append(token)
        return tokens

    def _fetch_token(self, scheme: Scheme) -> str:
        token_op, args = self._token_arguments(scheme)
        result = self._call(token_op, args)
        return self._store_token(scheme, result.raw_response)

    def _send(
        self, op: Operation[T], prepared: Prepared, plan: auth.AuthPlan, timeout: TimeoutTypes | None
    ) -> T:
        attempt = 0
        refreshed = resent = False
        url = self._base_url + prepared.path
        wait = self._timeout if timeout is None else timeout
        while True:
            headers = self._headers_for(prepared, plan, self._tokens_for(plan) if plan.oauth else [])
            self._log_send(op, prepared, attempt)
            retries_left = attempt < self._max_retries
            try:
                raw, too_large = self._exchange(prepared, url, headers, wait)
            except httpx.TransportError as exc:
                failure = retry.classify(exc)
                action = retry.after_failure(op, failure, retries_left)
                error = self._transport_error(op, prepared, exc, failure)
                if action is retry.Action.LOOKUP:
                    found = self._lookup(op, prepared, failure.value)
                    if found is not None:
                        return found
                    if not retries_left:
                        raise error from exc
                elif action is retry.Action.RAISE:
                    raise error from exc
                delay = self._delay(attempt, None)
                self._log_retry(op, failure.value, delay, attempt)
                time.sleep(delay)
                attempt += 1
                resent = True
                continue
            status = raw.status_code
            if status < 300:
                if too_large:
                    raise self._too_large(op, raw)
                return self._result(op, raw)
            if status == self._spec.unauthorized_status and plan.refreshable and not refreshed:
                # A rejected token means the request was not processed: refresh once and send again.
                refreshed = True
                self._invalidate(plan)
                continue
            api_error = self._api_error(op, raw)
            action = retry.after_status(op, status, retries_left, api_error.retry_after, resent)
            if action is retry.Action.LOOKUP:
                found = self._lookup(op, prepared, f"HTTP {status}")
                if found is not None:
                    return found
                if status == 409 or not retries_left:
                    raise api_error
            elif action is retry.Action.RAISE:
                raise api_error
            delay = self._delay(attempt, api_error.retry_after)
            self._log_retry(op, f"HTTP {status}", delay, attempt)
            time.sleep(delay)
            attempt += 1
            resent = True

    def _lookup(self, op: Operation[T], prepared: Prepared, why: str) -> T | None:
        lookup_op, args = self._lookup_args(op, prepared)
        try:
            result = self._call(lookup_op, args)
            data = self._lookup_data(lookup_op, result.raw_response)
        except OpiError as exc:
            raise self._uncertain(op, prepared, why, exc) from exc
        return self._found(op, prepared, result.raw_response, data)


class AsyncClient(BaseClient):
    """Asyncio client; one pooled `httpx.AsyncClient` per instance. Use `async with` or await aclose()."""

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
        self._http = http_client or httpx.AsyncClient(transport=transport, timeout=timeout)

    async def aclose(self) -> None:
        """Close the connection pool (not an `http_client` passed in by the caller)."""
        if self._owns_http:
            await self._http.aclose()

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
    ) -> T:
        prepared = prepare(self._spec, op, args, body)
        return await self._send(op, prepared, self._plan(op), timeout)

    async def _exchange(
        self, prepared: Prepared, url: str, headers: dict[str, str], timeout: TimeoutTypes
    ) -> tuple[RawResponse, bool]:
        """Send once and read the answer, at most `max_response_bytes` of it: (answer, cut at the limit)."""
        request = self._http.build_request(
            prepared.method,
            url,
            params=prepared.query or None,
            headers=headers,
            content=prepared.content,
            timeout=timeout,
        )
        ends = _deadline(timeout)
        response = await self._http.send(request, stream=True)
        try:
            body = self._body(response, ends)
            if body.wanted:
                async for chunk in response.aiter_bytes():
                    if not body.add(chunk):
                        break
        except httpx.DecodingError as exc:
            raise httpx.RemoteProtocolError(f"undecodable answer: {exc}") from exc
        finally:
            await response.aclose()
        return self._raw(response, prepared, body), body.too_large

    async def _tokens_for(self, plan: auth.AuthPlan) -> list[str]:
        tokens = []
        for scheme in plan.oauth:
            state = self._tokens[scheme.name]
            token = state.current()
            if token is None:
                async with state.async_lock:
                    token = state.current() or await self._fetch_token(scheme)
            tokens.append(token)
        return tokens

    async def _fetch_token(self, scheme: Scheme) -> str:
        token_op, args = self._token_arguments(scheme)
        result = await self._call(token_op, args)
        return self._store_token(scheme, result.raw_response)

    async def _send(
        self, op: Operation[T], prepared: Prepared, plan: auth.AuthPlan, timeout: TimeoutTypes | None
    ) -> T:
        attempt = 0
        refreshed = resent = False
        url = self._base_url + prepared.path
        wait = self._timeout if timeout is None else timeout
        while True:
            headers = self._headers_for(prepared, plan, await self._tokens_for(plan) if plan.oauth else [])
            self._log_send(op, prepared, attempt)
            retries_left = attempt < self._max_retries
            try:
                raw, too_large = await self._exchange(prepared, url, headers, wait)
            except httpx.TransportError as exc:
                failure = retry.classify(exc)
                action = retry.after_failure(op, failure, retries_left)
                error = self._transport_error(op, prepared, exc, failure)
                if action is retry.Action.LOOKUP:
                    found = await self._lookup(op, prepared, failure.value)
                    if found is not None:
                        return found
                    if not retries_left:
                        raise error from exc
                elif action is retry.Action.RAISE:
                    raise error from exc
                delay = self._delay(attempt, None)
                self._log_retry(op, failure.value, delay, attempt)
                await _sleep(delay)
                attempt += 1
                resent = True
                continue
            status = raw.status_code
            if status < 300:
                if too_large:
                    raise self._too_large(op, raw)
                return self._result(op, raw)
            if status == self._spec.unauthorized_status and plan.refreshable and not refreshed:
                refreshed = True
                self._invalidate(plan)
                continue
            api_error = self._api_error(op, raw)
            action = retry.after_status(op, status, retries_left, api_error.retry_after, resent)
            if action is retry.Action.LOOKUP:
                found = await self._lookup(op, prepared, f"HTTP {status}")
                if found is not None:
                    return found
                if status == 409 or not retries_left:
                    raise api_error
            elif action is retry.Action.RAISE:
                raise api_error
            delay = self._delay(attempt, api_error.retry_after)
            self._log_retry(op, f"HTTP {status}", delay, attempt)
            await _sleep(delay)
            attempt += 1
            resent = True

    async def _lookup(self, op: Operation[T], prepared: Prepared, why: str) -> T | None:
        lookup_op, args = self._lookup_args(op, prepared)
        try:
            result = await self._call(lookup_op, args)
            data = self._lookup_data(lookup_op, result.raw_response)
        except OpiError as exc:
            raise self._uncertain(op, prepared, why, exc) from exc
        return self._found(op, prepared, result.raw_response, data)
