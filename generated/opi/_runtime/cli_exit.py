"""The exit codes of `opi`, with the meanings `opi --help` lists."""

from __future__ import annotations

OK = 0
UNKNOWN_PROVIDER = 1
UNKNOWN_METHOD = 2
BAD_ARGUMENTS = 3
API_ERROR = 4
NETWORK_ERROR = 5
UNCERTAIN_WRITE = 6
BAD_ANSWER = 7
WEBHOOK_REFUSED = 8
OTHER_ERROR = 99
INTERRUPTED = 130  # Ctrl+C, as shells report it

EXIT_CODES = (
    (OK, "success, or help was shown"),
    (UNKNOWN_PROVIDER, "unknown provider"),
    (UNKNOWN_METHOD, "unknown method"),
    (
        BAD_ARGUMENTS,
        "invalid arguments: unknown or missing option, bad value, missing credentials; nothing sent",
    ),
    (API_ERROR, "the provider answered with an error: status and message on stderr, its body on stdout"),
    (NETWORK_ERROR, "network failure or timeout: no answer came back"),
    (
        UNCERTAIN_WRITE,
        "a write was sent but its outcome is unknown; it was not sent again, check before retrying",
    ),
    (BAD_ANSWER, "the provider answered success but not as its spec says; the answer is printed as received"),
    (
        WEBHOOK_REFUSED,
        "`webhooks verify`: the delivery is not authentic or not a valid event (reason on stderr)",
    ),
    (OTHER_ERROR, "any other failure (for example the --out file could not be written)"),
)
