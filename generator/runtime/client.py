"""The clients every provider's generated `Client` and `AsyncClient` extend.

`BaseClient` holds what does no I/O (configuration, validation, auth plans, retry decisions, answers and
errors); `SyncClient` and `AsyncClient` are siblings that only send, wait and look up, as in httpx.
"""

from __future__ import annotations

import http
import json
import logging
import os
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
    ResponseValidationError,
    TimeoutError,
    TransportError,
    UncertainWriteError,
    error_class,
)
from .masking import Masker
from .request import Prepared, model_class, prepare, shape
from .response import RawResponse
from .spec import NONE, Operation, ProviderSpec, Scheme

T = TypeVar("T")
TimeoutTypes = float | httpx.Timeout

DEFAULT_TIMEOUT = 30.0
logger = logging.getLogger("opi")


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
    ) -> None:
        chosen = next((env for env, on in flags.items() if on), environment)
        if chosen not in spec.environments:
            raise ValueError(
                f"unknown environment {chosen!r}; expected one of {', '.join(spec.environments)}"
            )
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
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

    def _raw(self, response: httpx.Response, prepared: Prepared) -> RawResponse:
        raw = RawResponse(
            response.status_code,
            response.headers,
            response.content,
            prepared.method,
            response.request.url,
        )
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s -> HTTP %d", self._masker.mask(raw.url), raw.status_code)
        return raw

    def _result(self, op: Operation[T], raw: RawResponse) -> T:
        model = shape(self._spec, op).response
        if model is None:
            return raw  # type: ignore[return-value]  # the operation is declared Operation[RawResponse]
        try:
            result = model.model_validate_json(raw.content or b"{}")
        except pydantic.ValidationError as exc:
            where = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
                for e in exc.errors(include_url=False)[:5]
            )
            raise ResponseValidationError(
                f"{op.name}: HTTP {raw.status_code} succeeded but the answer does not match the spec "
                f"({where}); the raw answer is in .raw",
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
            text = raw.text.strip()
            message = text[:300] if text and data is None else _phrase(raw.status_code)
        error = error_class(raw.status_code)(
            self._masker.mask(message), operation=op.name, raw=raw, envelope=envelope
        )
        error.retry_after = retry.retry_after(raw.headers)
        return error

    def _transport_error(
        self, op: Operation[Any], exc: httpx.TransportError, failure: retry.Failure
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

    def _found(self, op: Operation[T], prepared: Prepared, raw: RawResponse) -> T | None:
        """The write's answer rebuilt from the lookup's, when the lookup found the record."""
        lookup = op.safety.lookup
        assert lookup is not None
        items = _dig(raw.json(), lookup.items)
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
                response = self._http.request(
                    prepared.method,
                    url,
                    params=prepared.query or None,
                    headers=headers,
                    content=prepared.content,
                    timeout=wait,
                )
            except httpx.TransportError as exc:
                failure = retry.classify(exc)
                action = retry.after_failure(op, failure, retries_left)
                error = self._transport_error(op, exc, failure)
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
            raw = self._raw(response, prepared)
            status = raw.status_code
            if status < 300:
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
        except OpiError as exc:
            raise self._uncertain(op, prepared, why, exc) from exc
        return self._found(op, prepared, result.raw_response)


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
                response = await self._http.request(
                    prepared.method,
                    url,
                    params=prepared.query or None,
                    headers=headers,
                    content=prepared.content,
                    timeout=wait,
                )
            except httpx.TransportError as exc:
                failure = retry.classify(exc)
                action = retry.after_failure(op, failure, retries_left)
                error = self._transport_error(op, exc, failure)
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
            raw = self._raw(response, prepared)
            status = raw.status_code
            if status < 300:
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
        except OpiError as exc:
            raise self._uncertain(op, prepared, why, exc) from exc
        return self._found(op, prepared, result.raw_response)
