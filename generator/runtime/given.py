"""Dates and date-times as the caller wrote them.

A generated model types a `format: date-time` field as `datetime` and a `format: date` field as `date`,
so values are checked and answers come back typed. Pydantic alone would write a parsed value again in its
own form (`2018-07-18T10:51:18.139Z` goes out as `2018-07-18T10:51:18.139000Z`), which some providers
refuse or read differently. The models import `AwareDatetime`, `datetime` and `date` from here instead:
the same types, except that a value given as ISO 8601 text keeps that text and is serialized as it was
written (in JSON and form bodies, multipart fields, and answers dumped again). A value given as a
`datetime` or `date` object, or as text that is not ISO 8601 (a Unix timestamp), is written by pydantic.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AwareDatetime as _AwareDatetime
from pydantic import (
    SerializerFunctionWrapHandler,
    ValidatorFunctionWrapHandler,
    WrapSerializer,
    WrapValidator,
)

__all__ = ["AwareDatetime", "GivenDate", "GivenDatetime", "date", "datetime"]


class GivenDatetime(dt.datetime):
    """A `datetime` that remembers the text it was read from (`.text`)."""

    text: str

    def __repr__(self) -> str:
        return repr(dt.datetime(**_fields(self)))


class GivenDate(dt.date):
    """A `date` that remembers the text it was read from (`.text`)."""

    text: str

    def __repr__(self) -> str:
        return repr(dt.date(self.year, self.month, self.day))


def _fields(value: dt.datetime) -> dict[str, Any]:
    return {
        "year": value.year,
        "month": value.month,
        "day": value.day,
        "hour": value.hour,
        "minute": value.minute,
        "second": value.second,
        "microsecond": value.microsecond,
        "tzinfo": value.tzinfo,
        "fold": value.fold,
    }


def _keep(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Pydantic's own check and parse; ISO 8601 text is kept beside the parsed value."""
    parsed = handler(value)
    # Text that parsed is ISO 8601 (`YYYY-...`) or a Unix timestamp; only the former is kept. (Runs for
    # every date-time of every answer: no regex, no keyword dict.)
    if not isinstance(value, str):
        return parsed
    text = value.strip()
    if text[4:5] != "-" or not text[:4].isdigit():
        return parsed
    kind = _GIVEN.get(type(parsed))
    if kind is None:
        return parsed
    # Made from the parsed value's pickle state: one C constructor call, fold and time zone included.
    made: GivenDatetime | GivenDate = kind(*parsed.__reduce_ex__(4)[1])
    made.text = text
    return made


_GIVEN: dict[type, type[GivenDatetime] | type[GivenDate]] = {dt.datetime: GivenDatetime, dt.date: GivenDate}


def _write(value: Any, handler: SerializerFunctionWrapHandler) -> Any:
    text = getattr(value, "text", None) if isinstance(value, GivenDatetime | GivenDate) else None
    return text if isinstance(text, str) else handler(value)


_KEEP = WrapValidator(_keep)
_WRITE = WrapSerializer(_write, when_used="json")

AwareDatetime = Annotated[_AwareDatetime, _KEEP, _WRITE]
datetime = Annotated[dt.datetime, _KEEP, _WRITE]  # named like the class the models import
date = Annotated[dt.date, _KEEP, _WRITE]
