"""Writing to the console as `opi` does: UTF-8 whatever the console's locale, so Cyrillic stays readable."""

from __future__ import annotations

import sys


def write(stream: str, text: str) -> None:
    out = sys.stdout if stream == "stdout" else sys.stderr
    out.flush()
    out.buffer.write(text.encode("utf-8"))
    out.buffer.flush()


def say(text: str) -> None:
    """A message on stderr, one line or more."""
    write("stderr", text if text.endswith("\n") else text + "\n")
