"""`BaseClient`: a client's configuration, and the call loop written once for both clients.

The loop (`_calling`) is a sans-I/O generator. It makes every decision of a call (validation, auth,
retries, the token refresh, the lookup of an uncertain write, which error to raise) and yields a step
whenever it needs I/O: `(SEND, prepared, url, headers, timeout)` -> `(answer, cut at the limit)`,
`(SLEEP, seconds)` -> None, `(LOCK, token state)` -> the lock taken, which the loop releases. A driver
(`SyncClient._call`, `AsyncClient._call` in client.py) performs each step and sends its result back, or
throws the step's exception into the generator, so the `except httpx.TransportError` handling lives here
only. A token fetch or a lookup is a nested call: `yield from` the same loop.

Why not generate the sync client from the async one (unasync)? No code generation step to run and keep
in sync, one loop to read and test, and each driver is a small loop over three kinds of step. Steps
are plain tuples and a call is one generator: no closures or objects per call beyond what the request
needs (about 1 µs per call over the former hand-written pair).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Generator, Mapping
from typing import Any, TypeVar

import httpx

from . import answer_errors, auth, failures, lookups, param_groups, retry
from .decoders import REGISTRY as DECODERS
from .download import DownloadTarget, Sink, misfiled
from .errors import CredentialsError, OpiError, ResponseValidationError
from .exchange import Body, TimeoutTypes
from .masking import Masker
from .request import Prepared, prepare, shape
from .response import RawResponse, dig
from .schemes import REGISTRY as SCHEMES
from .spec import Operation, ProviderSpec, Scheme

T = TypeVar("T")
Steps = Generator[tuple[Any, ...], Any, T]  # yields steps, is sent their results, returns T
SEND, SLEEP, LOCK = "send", "sleep", "lock"

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
logger = logging.getLogger("opi")


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
            s.name: auth.TokenState(s, self._credentials.get(s.inputs[0]))
            for s in spec.schemes.values()
            if SCHEMES[s.kind].fetches_tokens
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

    # --- the call loop ----------------------------------------------------------------------------------
    def _calling(
        self,
        op: Operation[T],
        args: Mapping[str, Any],
        body: Any = None,
        timeout: TimeoutTypes | None = None,
        out: DownloadTarget | None = None,
    ) -> Steps[T]:
        """One call: validate, authenticate, send, and retry or look up as the spec allows."""
        param_groups.check(op.name, op.features, args, body)  # rules across parameters, before anything
        prepared = prepare(self._spec, op, args, body)
        prepared.target, prepared.declared = out, op.answer_media
        try:
            return (yield from self._sending(op, prepared, timeout))
        finally:
            prepared.close()  # the files a streamed body opened

    def _sending(self, op: Operation[T], prepared: Prepared, timeout: TimeoutTypes | None) -> Steps[T]:
        plan = self._plan(op)
        attempt = 0
        refreshed = resent = False
        url = self._base_url + prepared.path
        wait = self._timeout if timeout is None else timeout
        while True:
            headers = {**self._headers, **prepared.headers, **plan.headers}
            for scheme in plan.token_schemes:
                name, value = self._tokens[scheme.name].current() or (yield from self._fetch_token(scheme))
                headers[name] = value
            self._log_send(op, prepared, attempt)
            retries_left = attempt < self._max_retries
            try:
                raw, too_large = yield SEND, prepared, url, headers, wait
            except httpx.TransportError as exc:
                failure = retry.classify(exc)
                action = retry.after_failure(op, failure, retries_left)
                error = failures.transport_error(self._masker, op, prepared, exc, failure)
                if action is retry.Action.LOOKUP:
                    found = yield from self._lookup(op, prepared, failure.value)
                    if found is not None:
                        return found
                    if not retries_left:
                        raise error from exc
                elif action is retry.Action.RAISE:
                    raise error from exc
                yield from self._pause(op, failure.value, attempt, None)
                attempt += 1
                resent = True
                continue
            status = raw.status_code
            if status < 300:
                if misfiled(op.answer_media, raw.headers):  # a file method's JSON error under a 2xx
                    raise failures.api_error(self._spec, self._masker, op, raw)
                if too_large:
                    raise failures.too_large(op, raw, self._max_response_bytes)
                check = op.features.get(answer_errors.FEATURE)
                if isinstance(check, answer_errors.FailureInAnswer):  # an error inside a success answer
                    in_answer = answer_errors.failure(self._masker, op.name, check, raw)
                    if in_answer is not None:
                        raise in_answer
                return self._result(op, raw)
            if status == self._spec.unauthorized_status and plan.refreshable and not refreshed:
                # A rejected token means the request was not processed: refresh once and send again.
                refreshed = True
                self._invalidate(plan)
                continue
            api_error = failures.api_error(self._spec, self._masker, op, raw)
            action = retry.after_status(op, status, retries_left, api_error.retry_after, resent)
            if action is retry.Action.LOOKUP:
                found = yield from self._lookup(op, prepared, f"HTTP {status}")
                if found is not None:
                    return found
                if status == 409 or not retries_left:
                    raise api_error
            elif action is retry.Action.RAISE:
                raise api_error
            yield from self._pause(op, f"HTTP {status}", attempt, api_error.retry_after)
            attempt += 1
            resent = True

    def _pause(self, op: Operation[Any], why: str, attempt: int, wait: float | None) -> Steps[None]:
        delay = wait if wait is not None else retry.backoff(attempt, self._retry_delay)
        logger.info(
            "%s: %s; retrying in %.2f s (retry %d of %d)", op.name, why, delay, attempt + 1, self._max_retries
        )
        yield SLEEP, delay

    def _fetch_token(self, scheme: Scheme) -> Steps[tuple[str, str]]:
        """The header of a new token from the scheme's token method (or of the one a call fetched while
        this one waited for the lock)."""
        state = self._tokens[scheme.name]
        lock = yield LOCK, state  # one fetch at a time per scheme
        try:
            header = state.current()
            if header is None:
                token_op = self._spec.operations[scheme.token_method or ""]
                args = auth.token_arguments(token_op, self._credentials)
                result = yield from self._calling(token_op, args)
                header = self._store_token(scheme, result.raw_response)
            return header
        finally:
            lock.release()

    def _lookup(self, op: Operation[T], prepared: Prepared, why: str) -> Steps[T | None]:
        lookup_op, args = lookups.call(self._spec, op, prepared)
        try:
            result = yield from self._calling(lookup_op, args)
            data = lookups.data(lookup_op, result.raw_response)
        except OpiError as exc:
            raise failures.uncertain(self._masker, op, prepared, why, exc) from exc
        found = lookups.record(self._spec, op, prepared, result.raw_response, data)
        return None if found is None else self._result(op, found)

    # --- before sending -------------------------------------------------------------------------------
    def _plan(self, op: Operation[Any]) -> auth.AuthPlan:
        found = self._plans.get(op.name)
        if found is None:
            found = auth.plan(self._spec, op, self._credentials)
            if found is None:
                raise CredentialsError(op.name, auth.alternatives(self._spec, op))
            self._plans[op.name] = found
        return found

    def _store_token(self, scheme: Scheme, raw: RawResponse) -> tuple[str, str]:
        try:
            data = raw.json()
        except ValueError:
            data = None
        token = dig(data, scheme.token_field)
        if not isinstance(token, str) or not token:
            raise ResponseValidationError(
                f"{scheme.token_method}: the token answer has no {scheme.token_field!r}",
                operation=scheme.token_method or scheme.name,
                raw=raw,
            )
        self._masker.add(token)
        return self._tokens[scheme.name].store(token, auth.token_lifetime(dig(data, scheme.expires_field)))

    def _invalidate(self, plan: auth.AuthPlan) -> None:
        for scheme in plan.token_schemes:
            self._tokens[scheme.name].invalidate()

    def _log_send(self, op: Operation[Any], prepared: Prepared, attempt: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            url = self._masker.mask(self._base_url + prepared.path)
            logger.debug("%s %s %s (try %d)", op.name, prepared.method, url, attempt + 1)

    # --- after sending --------------------------------------------------------------------------------
    def _raw(
        self, response: httpx.Response, prepared: Prepared, body: Body | Sink
    ) -> tuple[RawResponse, bool]:
        """The answer as read, and whether it was cut at `max_response_bytes`."""
        raw = RawResponse(
            response.status_code,
            response.headers,
            body.content,
            prepared.method,
            response.request.url,
        )
        raw = body.raw(raw)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s -> HTTP %d", self._masker.mask(raw.url), raw.status_code)
        return raw, body.too_large

    def _result(self, op: Operation[T], raw: RawResponse) -> T:
        model = shape(self._spec, op).response
        result: T = DECODERS[op.answer_content](op.name, raw, model)  # declared Operation[<its result>]
        return result
