"""The exceptions every generated client raises.

```
OpiError                          any error raised by an opi client
├── ValidationError               the call breaks the spec (type, required, enum, length, range); nothing sent
│   └── ParameterGroupError       a rule across parameters is broken (exactly one of, ...); nothing sent
├── CredentialsError              a credential the method needs was not given; nothing sent
├── LoginRequired                 the refresh token was refused (or none is left): log in again; nothing sent
├── TransportError                no usable answer came back
│   ├── ConnectError              could not connect; the request was not sent
│   ├── TimeoutError              no answer in time
│   ├── NetworkError              the connection broke after the request may have been sent
│   └── UncertainWriteError       a write was sent, its outcome is unknown, and it was not sent again
├── ResponseValidationError       a success answer that does not match the spec (`.raw` holds it)
│   └── ResponseTooLargeError     a success answer longer than the client's `max_response_bytes`
└── ApiError                      the provider answered with an error status
    ├── BadRequestError           400
    ├── AuthenticationError       401
    ├── PermissionDeniedError     403
    ├── NotFoundError             404
    ├── ConflictError             409
    ├── UnprocessableEntityError  422
    ├── RateLimitError            429
    └── ServerError               5xx
```

Under failure, each call ends in one of these within its timeout (per try; retries add their tries):

- no answer in time: `TimeoutError` (a read, after its retries); the whole answer, body included, must
  arrive within the timeout, so a provider trickling bytes cannot hold a call forever.
- connection closed without an answer: `NetworkError` (a read, after its retries).
- a write without a safe-retry declaration that was sent and then timed out or lost its connection:
  `UncertainWriteError`, sent exactly once. A write with a unique id is looked up first; when retries are
  spent and the lookup never found it, `UncertainWriteError` names the id (`unique_field`, `unique_value`).
- an error status (5xx bursts, 429 with `Retry-After`): its `ApiError` subclass once retries are spent;
  writes without a safe-retry declaration are never re-sent after one.
- an error page that is not JSON (a proxy's HTML page): the status's `ApiError` subclass; `message` is the
  page's title (or its text), at most 300 characters, never the whole page; `raw` keeps the page.
- a success answer that is not valid JSON, not labelled JSON (e.g. `text/plain`, `text/html`) or does not
  match the spec: `ResponseValidationError`. The request succeeded, so it is not repeated.
- a success answer longer than `max_response_bytes` (16 MiB unless the client says otherwise):
  `ResponseTooLargeError`, a `ResponseValidationError` (the request succeeded; only the answer is unusable),
  after reading at most that many bytes; `raw` holds the bytes read. An error status's body is cut at the
  limit instead and its `ApiError` raised as usual.

- a success answer whose body says the call failed (the spec's `in_success` test, e.g. `"ok": false`): the
  declared `ApiError` class (`ApiError` unless the spec names another), with `status` the 2xx status,
  `message` and `code` read from the answer, `envelope` the answer's JSON and `in_success_answer` True.
  It is raised, never returned as a result, and not retried (the provider processed the call and said no).

Other 4xx statuses raise `ApiError` itself. An `ApiError` carries `status`, the provider's `message`, the
parsed error `envelope` (the provider's error model, or None when the body does not match it), the provider's
error `code` when the spec says where it is (else None), the raw `body` bytes and `raw` (status, headers,
body). Messages never contain credentials.
"""

from __future__ import annotations

from typing import Any

from .response import RawResponse


class OpiError(Exception):
    """Base class of every error an opi client raises."""


class ValidationError(OpiError, ValueError):
    """The call breaks the spec; the request was not sent.

    `errors` lists every problem as (field, rule) pairs; `field` and `rule` are the first one's.
    """

    def __init__(self, operation: str, errors: list[tuple[str, str]]) -> None:
        self.operation = operation
        self.errors = errors
        self.field, self.rule = errors[0]
        text = "; ".join(f"{field}: {rule}" for field, rule in errors)
        super().__init__(f"{operation}: invalid call, nothing was sent: {text}")


class ParameterGroupError(ValidationError):
    """A rule across parameters is broken ("exactly one of", "at least one of", "all or none of"); the
    request was not sent. `rule` is the rule's spec name, `parameters` the Python keywords it names."""

    def __init__(self, operation: str, rule: str, parameters: tuple[str, ...], text: str) -> None:
        self.operation = operation
        self.group_rule = rule
        self.parameters = parameters
        self.errors = [(", ".join(parameters), text)]
        self.field, self.rule = self.errors[0]
        OpiError.__init__(self, f"{operation}: invalid call, nothing was sent: {text}")


class CredentialsError(OpiError):
    """The method needs credentials the client was not given; the request was not sent."""

    def __init__(self, operation: str, alternatives: list[list[str]]) -> None:
        self.operation = operation
        self.alternatives = alternatives
        wanted = " or ".join(", ".join(f"{name}=" for name in names) for names in alternatives)
        super().__init__(f"{operation} needs credentials: pass {wanted} to the client")


class LoginRequired(OpiError):
    """The provider refused the refresh token (or there is none left): the user must log in again
    (`opi <provider> login`, or the application's own login). Nothing of the call was sent."""

    def __init__(self, operation: str, provider: str, reason: str) -> None:
        self.operation = operation
        self.provider = provider
        self.reason = reason
        super().__init__(f"{operation}: {reason}; log in again (opi {provider} login)")


class TransportError(OpiError):
    """No usable answer came back from the provider."""

    def __init__(self, message: str, *, operation: str) -> None:
        self.operation = operation
        super().__init__(message)


class ConnectError(TransportError):
    """The client could not connect; the request was not sent."""


class TimeoutError(TransportError):
    """No answer came within the timeout."""


class NetworkError(TransportError):
    """The connection broke after the request may have been sent."""


class UncertainWriteError(TransportError):
    """A write was sent but its outcome is unknown; the client did not send it again.

    `unique_field` and `unique_value` name the client-chosen id to look the record up by, when the spec
    declares one. Check the provider's state before writing again.
    """

    def __init__(
        self, message: str, *, operation: str, unique_field: str | None = None, unique_value: Any = None
    ) -> None:
        self.unique_field = unique_field
        self.unique_value = unique_value
        super().__init__(message, operation=operation)


class ResponseValidationError(OpiError):
    """The provider answered with a success status, but the answer does not match the spec.

    The request succeeded: do not repeat a write because of this error. `raw` holds the answer.
    """

    def __init__(self, message: str, *, operation: str, raw: RawResponse) -> None:
        self.operation = operation
        self.raw = raw
        self.status = raw.status_code
        super().__init__(message)


class ResponseTooLargeError(ResponseValidationError):
    """A success answer longer than the client's `max_response_bytes`; reading stopped at the limit.

    The request succeeded (do not repeat a write because of it); `raw` holds the bytes read, `limit` the
    limit in bytes.
    """

    def __init__(self, message: str, *, operation: str, raw: RawResponse, limit: int) -> None:
        self.limit = limit
        super().__init__(message, operation=operation, raw=raw)


class ApiError(OpiError):
    """The provider answered with an error status."""

    def __init__(self, message: str, *, operation: str, raw: RawResponse, envelope: Any = None) -> None:
        self.operation = operation
        self.status = raw.status_code
        self.message = message
        self.envelope = envelope
        self.raw = raw
        self.body = raw.content
        self.retry_after: float | None = None
        self.code: Any = None  # the provider's error code, when the spec says where it is
        self.in_success_answer = False  # True: a 2xx answer that says the call failed
        super().__init__(f"{operation}: HTTP {raw.status_code}: {message}")


class BadRequestError(ApiError):
    """400: the provider rejected the request."""


class AuthenticationError(ApiError):
    """401: missing, wrong or expired credentials."""


class PermissionDeniedError(ApiError):
    """403: the credentials do not allow this request."""


class NotFoundError(ApiError):
    """404: no such resource."""


class ConflictError(ApiError):
    """409: the request conflicts with the provider's state (for example a duplicate id)."""


class UnprocessableEntityError(ApiError):
    """422: the provider could not process the request's data."""


class RateLimitError(ApiError):
    """429: too many requests; `retry_after` holds the provider's wait in seconds, if it sent one."""


class ServerError(ApiError):
    """5xx: the provider failed."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class(status: int) -> type[ApiError]:
    """The exception class for an error status."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, ApiError)


__all__ = [
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConnectError",
    "CredentialsError",
    "LoginRequired",
    "NetworkError",
    "NotFoundError",
    "OpiError",
    "ParameterGroupError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerError",
    "TimeoutError",
    "TransportError",
    "UncertainWriteError",
    "UnprocessableEntityError",
    "ValidationError",
]
