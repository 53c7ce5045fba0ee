"""`opi <provider> login` and `opi <provider> logout`, and the stored tokens later commands use.

`login` runs the scheme's OAuth 2.0 user flow (oauth_login.py) and keeps the tokens in the OS keyring or
a file only the user can read (token_store.py); `logout` removes them. A later `opi <provider> <Method>`
passes the stored tokens to the client (an expired access token is left out, so the client refreshes it
first) and saves a rotated refresh token. No token is printed: only where they are kept.
"""

from __future__ import annotations

import importlib
import os
import time
from typing import Any

from . import token_store
from .cli_exit import BAD_ARGUMENTS, OK, OTHER_ERROR
from .cli_output import say
from .cli_table import Option, ProviderTable
from .spec import ProviderSpec, Scheme

USAGE = (
    "usage: opi {alias} login [--scheme NAME] [--<client id option> ID] [--scope 'a b'] [--no-browser] "
    "[--base-url URL] [--environment NAME] [--timeout SECONDS]\n       opi {alias} logout [--scheme NAME]"
)
NO_BROWSER_ENV = "OPI_NO_BROWSER"
EARLY = 30.0  # a stored access token this close to its expiry is left out: the client refreshes first


def flows(spec: ProviderSpec) -> list[Scheme]:
    return [s for s in spec.schemes.values() if s.flow is not None]


def _spec(table: ProviderTable) -> ProviderSpec:
    client = importlib.import_module(table.client_module).Client
    provider: ProviderSpec = importlib.import_module(client.__module__).PROVIDER
    return provider


def _options(args: list[str]) -> dict[str, str] | str:
    """`--name value` and `--name=value` pairs (`--no-browser` alone), or the usage problem."""
    found: dict[str, str] = {}
    rest = list(args)
    while rest:
        word = rest.pop(0)
        if not word.startswith("--"):
            return f"unexpected argument {word!r}"
        name, eq, value = word[2:].partition("=")
        if name == "no-browser":
            found[name] = "1"
            continue
        if not eq:
            if not rest:
                return f"--{name} needs a value"
            value = rest.pop(0)
        found[name] = value
    return found


def _value(given: dict[str, str], option: Option | None) -> str | None:
    if option is None:
        return None
    value = given.pop(option.name, None)
    if value is None and option.env:
        value = os.environ.get(option.env) or None
    return value


def _browser(url: str, given: dict[str, str]) -> None:
    """Open `url` in a browser, only when one exists and neither the user nor a test run said not to."""
    if "no-browser" in given or os.environ.get(NO_BROWSER_ENV) or "PYTEST_CURRENT_TEST" in os.environ:
        return
    import webbrowser

    try:
        webbrowser.get()
    except webbrowser.Error:
        return
    import threading

    # In a thread: a console browser may run until it quits, while the redirect must be caught here.
    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()


def run_login(table: ProviderTable, action: str, args: list[str]) -> int:
    name = f"opi {table.alias} {action}"
    spec = _spec(table)
    schemes = flows(spec)
    given = _options(args)
    if isinstance(given, str) or not schemes:
        say(f"{name}: {given if isinstance(given, str) else 'this provider declares no OAuth login flow'}")
        say(USAGE.format(alias=table.alias))
        return BAD_ARGUMENTS
    wanted = given.pop("scheme", schemes[0].name)
    scheme = next((s for s in schemes if s.name == wanted), None)
    if scheme is None:
        say(f"{name}: unknown scheme {wanted!r}; the login schemes are {', '.join(s.name for s in schemes)}")
        return BAD_ARGUMENTS
    store = token_store.store()
    key = token_store.key(table.alias, scheme.name)
    if action == "logout":
        removed = store.delete(key)
        say(f"{name}: {'removed the tokens from' if removed else 'no tokens were kept in'} {store.where()}")
        return OK
    return _login(table, spec, scheme, given, store, key)


def _login(
    table: ProviderTable,
    spec: ProviderSpec,
    scheme: Scheme,
    given: dict[str, str],
    store: token_store.FileStore | token_store.KeyringStore,
    key: str,
) -> int:
    from . import oauth_login  # here: it imports httpx (and authlib when the flow runs)

    name = f"opi {table.alias} login"
    flow = scheme.flow
    assert flow is not None
    by_kwarg = {o.kwarg: o for o in table.credentials}
    client_id = _value(given, by_kwarg.get(flow.client_id))
    secret = _value(given, by_kwarg.get(flow.client_secret or ""))
    option = by_kwarg.get(flow.client_id)
    if not client_id:
        say(
            f"{name}: the OAuth client id is missing: --{option.name if option else 'client-id'}"
            + (f" or {option.env}" if option and option.env else "")
        )
        return BAD_ARGUMENTS
    environment = given.pop("environment", spec.default_environment)
    base = (
        given.pop("base-url", None) or os.environ.get(spec.base_url_env) or spec.environments.get(environment)
    )
    scope = given.pop("scope", " ".join(flow.scopes))
    try:
        wait = float(given.pop("timeout", "300"))
    except ValueError:
        say(f"{name}: --timeout takes seconds")
        return BAD_ARGUMENTS
    if base is None or given.keys() - {"no-browser"}:
        unknown = ", ".join(f"--{k}" for k in given.keys() - {"no-browser"}) or f"environment {environment}"
        say(f"{name}: unknown {unknown}")
        say(USAGE.format(alias=table.alias))
        return BAD_ARGUMENTS
    base = base.rstrip("/")

    def url(u: str | None) -> str:
        return "" if u is None else u if "://" in u else base + u

    def show_url(address: str) -> None:
        say(f"{name}: open this URL to log in (waiting up to {wait:.0f} s):\n{address}")
        _browser(address, given)

    def show_code(address: str, user_code: str, complete: str | None) -> None:
        say(f"{name}: open {address} and enter the code {user_code} (waiting up to {wait:.0f} s)")
        if complete:
            _browser(complete, given)

    import httpx

    try:
        with httpx.Client(timeout=30.0) as http:
            if flow.grant == "device_code":
                answer = oauth_login.device_code(
                    http,
                    (url(flow.device_url), url(flow.token_url)),
                    (client_id, secret),
                    scope,
                    show=show_code,
                    wait=wait,
                    token_field=scheme.token_field,
                )
            else:
                answer = oauth_login.authorization_code(
                    http,
                    flow,
                    (url(flow.authorization_url), url(flow.token_url)),
                    (client_id, secret),
                    scope,
                    show=show_url,
                    wait=wait,
                    token_field=scheme.token_field,
                )
    except oauth_login.LoginFailed as exc:
        say(f"{name}: {exc}")
        return OTHER_ERROR
    except httpx.HTTPError as exc:
        say(f"{name}: network failure: {type(exc).__name__}")
        return OTHER_ERROR
    store.save(key, entry(scheme, answer, client_id))
    say(f"{name}: logged in ({scheme.name}); the tokens are kept in {store.where()}")
    return OK


def entry(scheme: Scheme, answer: dict[str, Any], client_id: str | None) -> token_store.Entry:
    """What is stored of a token answer."""
    from .auth import token_lifetime

    lifetime = token_lifetime(answer.get(scheme.expires_field))
    refresh = answer.get(scheme.refresh_field or "refresh_token")
    return {
        "access_token": answer[scheme.token_field],
        "refresh_token": refresh if isinstance(refresh, str) else None,
        "expires_at": None if lifetime is None else time.time() + lifetime,
        "client_id": client_id,
    }


def stored(table: ProviderTable, credentials: dict[str, str]) -> tuple[dict[str, str], Any]:
    """The client keywords the stored tokens give (for the schemes the command line gave no token), and
    the `on_tokens` callback that saves refreshed ones (None without stored tokens)."""
    spec = _spec(table)
    store: token_store.FileStore | token_store.KeyringStore | None = None
    keywords: dict[str, str] = {}
    kept: dict[str, tuple[str, token_store.Entry]] = {}
    for scheme in flows(spec):
        assert scheme.flow is not None
        if any(credentials.get(i) for i in scheme.inputs[:2]):
            continue
        store = store or token_store.store()
        key = token_store.key(table.alias, scheme.name)
        found = store.load(key)
        if not found:
            continue
        kept[scheme.name] = (key, found)
        expires = found.get("expires_at")
        if found.get("access_token") and not (
            isinstance(expires, int | float) and expires < time.time() + EARLY
        ):
            keywords[scheme.inputs[0]] = found["access_token"]
        if found.get("refresh_token"):
            keywords[scheme.inputs[1]] = found["refresh_token"]
        if found.get("client_id") and not credentials.get(scheme.flow.client_id):
            keywords[scheme.flow.client_id] = found["client_id"]
    if not kept or store is None:
        return keywords, None
    chosen = store

    def save(tokens: Any) -> None:
        where = kept.get(tokens.scheme)
        if where is None:
            return
        key, old = where
        chosen.save(
            key,
            {
                **old,
                "access_token": tokens.access_token,
                "refresh_token": tokens.refresh_token,
                "expires_at": tokens.expires_at,
            },
        )

    return keywords, save


def stand_ins(table: ProviderTable, credentials: dict[str, str], token: str) -> dict[str, str]:
    """A stand-in access token for each user-flow scheme the command line gave none (a dry run)."""
    return {
        s.inputs[0]: token for s in flows(_spec(table)) if not any(credentials.get(i) for i in s.inputs[:2])
    }


def is_login(table: ProviderTable, word: str) -> bool:
    """`login`/`logout` is this module's unless the spec has a method of that name."""
    return word in ("login", "logout") and word not in {c.name.lower() for c in table.commands}
