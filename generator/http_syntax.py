"""HTTP header syntax (RFC 9110 fields), for every place a spec puts a name or a value into a header."""

from __future__ import annotations

import re

from .problems import JsonPath, Reporter, show

# A header value: visible ASCII with inner spaces, nothing at its ends (a prefix may end with a space).
_VALUE = re.compile(r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$")
_PREFIX = re.compile(r"^[\x21-\x7e][\x20-\x7e]*$")
_NAME = re.compile(r"^[A-Za-z0-9-]+$")
_TEXT = "an HTTP header value must be visible ASCII characters and inner spaces (no line breaks)"


def check_name(ctx: Reporter, name: str, path: JsonPath, *, key: bool = True) -> None:
    if not _NAME.match(name):
        ctx.add(path, f"header name {show(name)} must be letters, digits and -", key=key)


def check_value(ctx: Reporter, value: str, path: JsonPath) -> None:
    if value and not _VALUE.match(value):
        ctx.add(path, f"{_TEXT}: {show(value)}")


def check_prefix(ctx: Reporter, prefix: str, path: JsonPath) -> None:
    """A prefix of a header value: the value's rules, but it may end with the space before what follows."""
    if prefix and not _PREFIX.match(prefix):
        ctx.add(path, f"{_TEXT}: {show(prefix)}")
