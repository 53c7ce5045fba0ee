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
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from . import (
    answer_errors,
    auth,
    failures,
    lookups,
    oauth_refresh,
    param_groups,
    placing,
    retry,
    routes,
    signing,
)
from .accept import answering
from .decoders import REGISTRY as DECODERS
from .download import DownloadTarget, Sink, misfiled
from .errors import CredentialsError, LoginRequired, OpiError, ResponseValidationError
from .exchange import Body, TimeoutTypes
from .masking import Masker, url_password
from .request import Prepared, prepare, shape
from .response import RawResponse, dig
from .schemes import REGISTRY as SCHEMES
from .spec import Operation, ProviderSpec, Scheme

if TYPE_CHECKING:
    import pydantic

    from .decoders import Decoder

    # A plain method's auth plan, fixed headers, and its answer's decoder and model (plain.py).
    PlainPlan = tuple[auth.AuthPlan, dict[str, str], Decoder, type[pydantic.BaseModel] | None]

T = TypeVar("T")
Steps = Generator[tuple[Any, ...], Any, T]  # yields steps, is sent their results, returns T
SEND, SLEEP, LOCK = "send", "sleep", "lock"
# A SEND step's request: what, where, headers, timeout.
Sent = tuple[Prepared, str, dict[str, str], TimeoutTypes]

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
        override = base_url or os.environ.get(spec.base_url_env)
        self._override = override.rstrip("/") if override else None  # every method goes there (routes.py)
        self._base_url = self._override or spec.environments[chosen].rstrip("/")
        self._timeout = timeout
        self._max_retries = max_retries
        self._retry_delay = retry_delay
        self._credentials = auth.Credentials(credentials)
        # A password in the base URL (`https://user:password@host`) is a credential too: masked wherever
        # the client writes a URL (its own log and errors, httpx's log).
        in_url = url_password(self._base_url)
        self._masker = Masker(
            [*(v for k, v in credentials.items() if v and k in spec.secret_inputs), *in_url]
        )
        placing.hide_in_httpx_log([*placing.url_credentials(spec, credentials), *in_url])
        given = dict(headers or {})
        replaced = {name.lower() for name in given}  # header names are case-insensitive
        self._headers = {k: v for k, v in spec.headers.items() if k.lower() not in replaced} | given
        self._tokens = {
            s.name: auth.TokenState(
                s, self._credentials.get(s.inputs[0]), self._credentials.get(auth.refresh_input(s) or "")
            )
            for s in spec.schemes.values()
            if SCHEMES[s.kind].fetches_tokens
        }
        # Told every new token (and rotated refresh token), to persist them; the generated clients of
        # providers with refresh tokens take it as `on_tokens=`.
        self._on_tokens: Callable[[oauth_refresh.Tokens], None] | None = None
        self._plans: dict[str, auth.AuthPlan] = {}
        self._plains: dict[str, PlainPlan | None] = {}  # the plain methods' plans (plain.py)
        # One signer per signing scheme whose credentials were given; its library is imported here.
        self._signers: dict[str, signing.Signer] = {}
        for s in spec.schemes.values():
            make, values = SCHEMES[s.kind].signer, [self._credentials.get(i) for i in s.inputs]
            if make is not None and signing.ready(s, values):
                self._signers[s.name] = make(s, [v or "" for v in values], self._base_url)

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
        accept: str | None = None,
    ) -> Steps[T]:
        """One call: validate, authenticate, send, and retry or look up as the spec allows."""
        media = None
        if op.features or accept is not None:  # most operations have no features: skip their lookups
            param_groups.check(op.name, op.features, args, body)  # rules across parameters, before anything
            op, media = answering(op, accept)  # the media type asked for, when the answer has several
        prepared = prepare(self._spec, op, args, body)
        prepared.target, prepared.declared = out, op.answer_media
        if media is not None:
            prepared.headers["Accept"] = media
        try:
            return (yield from self._sending(op, prepared, timeout))
        finally:
            prepared.close()  # the files a streamed body opened

    def _sending(self, op: Operation[T], prepared: Prepared, timeout: TimeoutTypes | None) -> Steps[T]:
        url, trusted = routes.destination(
            op, prepared.path, self._environment, self._base_url, self._override
        )
        plan = self._plan(op) if trusted else auth.NO_AUTH  # no credential for a host the spec did not name
        masks_url = False
        if plan.placed:
            url = placing.apply(plan.placed, url, prepared)
            masks_url = placing.in_url(plan.placed)
        attempt = 0
        refreshed = resent = False
        wait = self._timeout if timeout is None else timeout
        while True:
            headers = self._headers_of(prepared, plan)
            for scheme in plan.token_schemes:
                name, value = self._tokens[scheme.name].current() or (yield from self._fetch_token(scheme))
                headers[name] = value
            if plan.signed:  # signed as it leaves, again on every try
                signers = tuple(self._signers[s.name] for s in plan.signed)
                headers = yield from signing.sign(signers, prepared, url, headers, wait, self._masker)
            if logger.isEnabledFor(logging.DEBUG):
                self._log_send(op, prepared.method, url, attempt)
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
                yield from self._pause(op.name, failure.value, attempt, None)
                attempt += 1
                resent = True
                continue
            if masks_url:
                raw.mask_url(self._masker.mask)
            status = raw.status_code
            if status < 300:
                if op.answer_media and misfiled(op.answer_media, raw.headers):  # a file method's JSON error
                    raise failures.api_error(self._spec, self._masker, op, raw)
                if too_large:
                    raise failures.too_large(op, raw, self._max_response_bytes)
                check = op.features.get(answer_errors.FEATURE) if op.features else None
                if isinstance(check, answer_errors.FailureInAnswer):  # an error inside a success answer
                    in_answer = answer_errors.failure(self._masker, op.name, check, raw)
                    if in_answer is not None:
                        raise in_answer
                return self._result(op, raw)
            if status == self._spec.unauthorized_status and self._refreshable(plan) and not refreshed:
                # A rejected token means the request was not processed: refresh once and send again.
                refreshed = True
                self._invalidate(plan, headers)
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
            yield from self._pause(op.name, f"HTTP {status}", attempt, api_error.retry_after)
            attempt += 1
            resent = True

    def _headers_of(self, prepared: Prepared, plan: auth.AuthPlan) -> dict[str, str]:
        """A request's headers before tokens and signatures: the client's, the call's, the credentials'."""
        return {**self._headers, **prepared.headers, **plan.headers}

    def _pause(self, name: str, why: str, attempt: int, wait: float | None) -> Steps[None]:
        delay = wait if wait is not None else retry.backoff(attempt, self._retry_delay)
        logger.info(
            "%s: %s; retrying in %.2f s (retry %d of %d)", name, why, delay, attempt + 1, self._max_retries
        )
        yield SLEEP, delay

    def _fetch_token(self, scheme: Scheme) -> Steps[tuple[str, str]]:
        """The header of a new token from the scheme's token method (or of the one a call fetched while
        this one waited for the lock)."""
        state = self._tokens[scheme.name]
        lock = yield LOCK, state  # one fetch at a time per scheme
        try:
            header = state.current()
            if header is None and state.refresh is not None and (scheme.flow or scheme.refresh_field):
                header = yield from self._refreshing(scheme, state)
            if header is None and scheme.flow is not None:  # a user flow without a usable refresh token
                raise LoginRequired(scheme.name, self._spec.alias, "no usable refresh token is left")
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
        refresh = dig(data, scheme.refresh_field) if scheme.refresh_field else None
        lifetime = auth.token_lifetime(dig(data, scheme.expires_field))
        return self._keep(scheme, token, lifetime, refresh if isinstance(refresh, str) else None)

    def _refreshable(self, plan: auth.AuthPlan) -> bool:
        return plan.refreshable or any(self._signers[s.name].refreshable for s in plan.signed)

    def _invalidate(self, plan: auth.AuthPlan, sent: Mapping[str, str]) -> None:
        for scheme in plan.token_schemes:
            self._tokens[scheme.name].invalidate(sent.get(SCHEMES[scheme.kind].header_name(scheme)))
        for scheme in plan.signed:
            self._signers[scheme.name].invalidate()

    def _refreshing(self, scheme: Scheme, state: auth.TokenState) -> Steps[tuple[str, str] | None]:
        """A new access token from the refresh token (None: refused, and a token method can fetch anew)."""
        flow = scheme.flow
        if flow is not None:
            url = oauth_refresh.absolute(self._base_url, flow.token_url)
            client_id = self._credentials.get(flow.client_id)
            secret = self._credentials.get(flow.client_secret or "")
            extra: Mapping[str, str] = {}
        else:  # a token method's refresh token: sent to the same method, with its own credentials
            token_op = self._spec.operations[scheme.token_method or ""]
            url, client_id, secret = self._base_url + token_op.path, None, None
            extra = self._plan(token_op).headers
        what = f"{scheme.name}: refresh"
        prepared = oauth_refresh.request(scheme, state.refresh or "", client_id, secret, url)
        headers, attempt = {**self._headers, **extra, **prepared.headers}, 0
        while True:  # sent again only when it never left: a refresh token may be spent on its first use
            try:
                raw, _ = yield SEND, prepared, url, headers, self._timeout
                break
            except httpx.TransportError as exc:
                if retry.classify(exc) is not retry.Failure.NOT_SENT or attempt >= self._max_retries:
                    detail = self._masker.mask(str(exc) or type(exc).__name__)
                    raise oauth_refresh.unanswered(what, detail) from exc
                yield from self._pause(what, retry.Failure.NOT_SENT.value, attempt, None)
                attempt += 1
        if raw.status_code >= 300:
            refused = oauth_refresh.refused(self._spec.alias, what, raw)
            if refused is None:
                raise ResponseValidationError(f"{what}: HTTP {raw.status_code}", operation=what, raw=raw)
            state.refresh = None
            if flow is None:
                return None
            raise refused
        token, lifetime, rotated = oauth_refresh.answer(scheme, what, raw)
        return self._keep(scheme, token, lifetime, rotated)

    def _keep(
        self, scheme: Scheme, token: str, lifetime: float | None, refresh: str | None
    ) -> tuple[str, str]:
        """Store a new token (masked from now on) and tell the application."""
        self._masker.add(token)
        if refresh:
            self._masker.add(refresh)
        state = self._tokens[scheme.name]
        header = state.store(token, lifetime, refresh)
        if self._on_tokens is not None:
            self._on_tokens(oauth_refresh.tokens(scheme, token, lifetime, state.refresh))
        return header

    def _log_send(self, op: Operation[Any], method: str, url: str, attempt: int) -> None:
        logger.debug("%s %s %s (try %d)", op.name, method, self._masker.mask(url), attempt + 1)

    # --- after sending --------------------------------------------------------------------------------
    def _raw(
        self, response: httpx.Response, prepared: Prepared, body: Body | Sink, media: str
    ) -> tuple[RawResponse, bool]:
        """The answer as read, and whether it was cut at `max_response_bytes`."""
        raw = RawResponse(
            response.status_code,
            response.headers,
            body.content,
            prepared.method,
            response.request.url,
            media,
        )
        raw = body.raw(raw)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s -> HTTP %d", self._masker.mask(raw.url), raw.status_code)
        return raw, body.too_large

    def _result(self, op: Operation[T], raw: RawResponse) -> T:
        model = shape(self._spec, op).response
        result: T = DECODERS[op.answer_content](op.name, raw, model)  # declared Operation[<its result>]
        return result
