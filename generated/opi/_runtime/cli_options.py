"""The options of `opi` itself: one table that the parser, the help and the spec checker all read.

A spec parameter or credential whose option has one of these names would shadow it, so the generator
reserves every name here (generator/names.py).
"""

from __future__ import annotations

from typing import NamedTuple


class Standard(NamedTuple):
    """An option every command takes besides its parameters and credentials."""

    name: str
    placeholder: str  # "" for a flag (no value, or true/false)
    description: str


# Listed under "Standard:" in every command's help, in this order.
STANDARD = (
    Standard("timeout", "<seconds>", "Seconds to wait for the provider (default: the client's)."),
    Standard(
        "debug", "", "Print the request and the answer to stderr (secrets masked) and full error details."
    ),
    Standard("test", "", "Dry run: print the exact request that would be sent, as JSON; send nothing."),
    Standard("out", "<file>", "Write the result to FILE (UTF-8 JSON) instead of stdout."),
    Standard("help", "", "Show this help."),
)
# Shown with the provider's environments and base-URL variable in each command's help.
ENVIRONMENT = (
    Standard("environment", "<name>", "Which of the provider's environments to call."),
    Standard(
        "base-url",
        "<url>",
        "Send requests to this URL instead of the environment's (a test server, a proxy).",
    ),
)
# `opi --version`: only as the first argument, but a command option of that name would read as it.
TOP_LEVEL = (Standard("version", "", "print the version"),)

COMMAND_OPTIONS = frozenset(s.name for s in (*STANDARD, *ENVIRONMENT))
FLAGS = frozenset(s.name for s in STANDARD if not s.placeholder)
RESERVED = COMMAND_OPTIONS | frozenset(s.name for s in TOP_LEVEL)
