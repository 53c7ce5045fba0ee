"""Finding the record of a write whose outcome is unknown, by its unique client-chosen value."""

from __future__ import annotations

import json
import logging
from typing import Any

from .errors import ResponseValidationError
from .request import Prepared, shape
from .response import RawResponse, dig
from .spec import Operation, ProviderSpec

logger = logging.getLogger("opi")


def call(spec: ProviderSpec, op: Operation[Any], prepared: Prepared) -> tuple[Operation[Any], dict[str, Any]]:
    """The lookup method and its keywords."""
    lookup = op.safety.lookup
    assert lookup is not None  # UNIQUE_FIELD always declares one (spec check)
    return spec.operations[lookup.method], {lookup.parameter: prepared.unique_value}


def data(lookup_op: Operation[Any], raw: RawResponse) -> Any:
    """The lookup's answer as JSON data."""
    try:
        return raw.json()
    except ValueError:
        raise ResponseValidationError(
            f"{lookup_op.name}: the lookup's answer is not JSON", operation=lookup_op.name, raw=raw
        ) from None


def record(
    spec: ProviderSpec, op: Operation[Any], prepared: Prepared, raw: RawResponse, found: Any
) -> RawResponse | None:
    """The write's answer rebuilt from the lookup's data, when the lookup found the record."""
    lookup = op.safety.lookup
    assert lookup is not None
    items = dig(found, lookup.items)
    wire = shape(spec, op).unique_wire or ""
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
    logger.info("%s: found the record of an uncertain write by its unique value", op.name)
    return RawResponse(raw.status_code, raw.headers, json.dumps(answer).encode(), raw.method, raw.url)
