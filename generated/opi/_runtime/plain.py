"""A plain call's first try, sent by a driver (client.py) without the call loop of base.py.

The loop's generator and bookkeeping cost about a tenth of an async call's CPU under load (bench/load.py),
and most calls need none of it before their first request: a method without features (own host, URL
parameter, paging, ...), file answer or upload, fetched token, signature or credential in its URL, called
without `out=` or `accept=`. For such a call `first_request` builds the request exactly as the loop would,
the driver sends it, and `result` decodes a complete success answer as the loop would. Any other answer,
and any failure, goes to the loop as the answer to its first step (`answered`), so retries, typed errors
and never-twice are still decided in one place. With debug logging on, every call runs the loop (it logs
each try).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .base import SEND, Sent, logger
from .decoders import REGISTRY as DECODERS
from .errors import CredentialsError
from .request import prepare, shape
from .response import RawResponse
from .spec import Operation

if TYPE_CHECKING:
    from .base import BaseClient, PlainPlan
    from .download import DownloadTarget
    from .exchange import TimeoutTypes

T = TypeVar("T")


def first_request(
    client: BaseClient,
    op: Operation[Any],
    args: Mapping[str, Any],
    body: Any,
    timeout: TimeoutTypes | None,
    out: DownloadTarget | None,
    accept: str | None,
) -> Sent | None:
    """The first request of a plain call, built as the loop builds it; None for every other call, which
    the loop runs from the start."""
    if out is not None or accept is not None:
        return None
    plans = client._plains
    try:
        plain = plans[op.name]
    except KeyError:
        plain = plans[op.name] = _plan(client, op)
    if plain is None or logger.isEnabledFor(logging.DEBUG):
        return None
    prepared = prepare(client._spec, op, args, body)
    plan, fixed, _, _ = plain
    # Without headers of the call's own, the method's fixed headers: the same dict every time (it is
    # only read, as the loop's are, by either HTTP library).
    headers = client._headers_of(prepared, plan) if prepared.headers else fixed
    wait = client._timeout if timeout is None else timeout
    return prepared, client._base_url + prepared.path, headers, wait


def _plan(client: BaseClient, op: Operation[Any]) -> PlainPlan | None:
    """A plain method's auth plan and fixed headers; None for any other method (decided once per method)."""
    if op.features or op.answer_media or shape(client._spec, op).files:
        return None
    try:
        plan = client._plan(op)
    except CredentialsError:
        return None  # the loop raises it, after it has checked the call's arguments
    if plan.placed or plan.token_schemes or plan.signed:
        return None
    return (
        plan,
        {**client._headers, **plan.headers},
        DECODERS[op.answer_content],
        shape(client._spec, op).response,
    )


def result(client: BaseClient, op: Operation[T], answer: tuple[RawResponse, bool]) -> tuple[T] | None:
    """A plain call's result (in a 1-tuple) when its first answer is a complete success, as the loop
    returns it; None: the loop decides."""
    raw, too_large = answer
    if raw.status_code < 300 and not too_large:
        _, _, decode, model = client._plains[op.name]  # type: ignore[misc]  # a plain call's method is plain
        decoded: T = decode(op.name, raw, model)  # as `BaseClient._result`, minus two lookups
        return (decoded,)
    return None


def answered(step: tuple[Any, ...], sent: Sent, answer: tuple[RawResponse, bool] | BaseException) -> Any:
    """The loop's first step, when it is the request the driver already sent: that request's answer, or
    its failure raised."""
    if step[0] != SEND or step[1:] != sent:  # never sends twice what was sent once
        raise RuntimeError("the call loop's first request is not the one already sent")
    if isinstance(answer, BaseException):
        raise answer
    return answer
