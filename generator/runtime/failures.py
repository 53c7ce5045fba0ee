"""The exceptions a call raises after an error answer or a transport failure, messages masked."""

from __future__ import annotations

import html
import http
import json
import re
from typing import Any

import httpx
import pydantic

from . import retry
from .errors import (
    ApiError,
    ConnectError,
    NetworkError,
    OpiError,
    ResponseTooLargeError,
    TimeoutError,
    TransportError,
    UncertainWriteError,
    error_class,
)
from .masking import Masker
from .request import Prepared, model_class
from .response import RawResponse, dig, media_type
from .spec import NONE, UNIQUE_FIELD, Operation, ProviderSpec

MAX_MESSAGE = 300  # characters of a non-JSON error body kept as an ApiError's message

_TITLE = re.compile(rb"<(title|h1)[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _summary(raw: RawResponse) -> str:
    """A short message from an error body that is not JSON: an HTML page's title, or the text's start."""
    head = raw.content[: 64 * 1024]
    if "html" in media_type(raw.headers) or head.lstrip()[:1] == b"<":
        found = _TITLE.search(head)
        text = found.group(2).decode("utf-8", errors="replace") if found else ""
        text = html.unescape(_TAG.sub(" ", text))
    else:
        text = head[: MAX_MESSAGE * 4].decode("utf-8", errors="replace")
    return " ".join(text.split())[:MAX_MESSAGE]


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def api_error(spec: ProviderSpec, masker: Masker, op: Operation[Any], raw: RawResponse) -> ApiError:
    """The error of an error status: the provider's envelope and message, and its Retry-After."""
    try:
        data = raw.json()
    except ValueError:
        data = None
    envelope = None
    error_model = model_class(spec, spec.error_model)
    if data is not None and error_model is not None:
        try:
            envelope = error_model.model_validate(data)
        except pydantic.ValidationError:
            envelope = None
    message = None
    for path in spec.message_paths:
        found = dig(data, path)
        if found is not None and found != "" and found != [] and found != {}:
            message = found if isinstance(found, str) else json.dumps(found, ensure_ascii=False)
            break
    if message is None:
        text = _summary(raw) if data is None else ""
        message = text or _phrase(raw.status_code)
    error = error_class(raw.status_code)(masker.mask(message), operation=op.name, raw=raw, envelope=envelope)
    error.retry_after = retry.retry_after(raw.headers)
    return error


def too_large(op: Operation[Any], raw: RawResponse, limit: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"{op.name}: HTTP {raw.status_code} succeeded but the answer is longer than "
        f"max_response_bytes={limit}; reading stopped there (the bytes read are in "
        ".raw). The request succeeded: do not repeat it because of this error",
        operation=op.name,
        raw=raw,
        limit=limit,
    )


def transport_error(
    masker: Masker, op: Operation[Any], prepared: Prepared, exc: httpx.TransportError, failure: retry.Failure
) -> TransportError:
    detail = masker.mask(str(exc) or type(exc).__name__)
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
            masker.mask(
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


def uncertain(
    masker: Masker, op: Operation[Any], prepared: Prepared, why: str, cause: OpiError
) -> UncertainWriteError:
    """A write that may have taken effect, and whose lookup failed."""
    field = op.safety.field or ""
    return UncertainWriteError(
        masker.mask(
            f"{op.name}: the write may have taken effect ({why}) and looking it up by {field}="
            f"{prepared.unique_value!r} failed: {cause}. Look it up before trying again."
        ),
        operation=op.name,
        unique_field=field,
        unique_value=prepared.unique_value,
    )
