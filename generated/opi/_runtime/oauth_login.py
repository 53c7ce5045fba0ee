"""The OAuth 2.0 user flows of `opi <provider> login`: authorization code with PKCE, and device code.

The protocol pieces come from authlib (the `oauth` extra, imported only here): the state and the PKCE
verifier (`generate_token`), the S256 challenge (RFC 7636), the authorization URL, the check of the
redirect's `state`, and the token request bodies. This module does the I/O around them: a one-shot HTTP
server on a 127.0.0.1 port the OS picks catches the redirect; the device flow polls the token URL as
RFC 8628 says (`authorization_pending`, `slow_down` adds 5 seconds, until the code expires).
"""

from __future__ import annotations

import http.server
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx

from .spec import UserFlow

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
PAGE = b"<!doctype html><title>opi</title><p>Logged in. You can close this window and return to the terminal."


class LoginFailed(Exception):
    """The login did not end with tokens; the message says why (it never holds a token)."""


def _authlib() -> Any:
    try:
        from authlib.common import security
        from authlib.oauth2.rfc6749 import parameters
        from authlib.oauth2.rfc7636 import create_s256_code_challenge
    except ImportError as exc:
        raise LoginFailed(
            "logging in needs the `oauth` extra (authlib): pip install 'opi-clients[oauth]'"
        ) from exc
    return security.generate_token, parameters, create_s256_code_challenge


def _answer(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        data = None
    return data if isinstance(data, dict) else {}


def _tokens(response: httpx.Response, field: str) -> dict[str, Any]:
    data = _answer(response)
    if response.status_code >= 300 or not isinstance(data.get(field), str):
        code = data.get("error") or f"HTTP {response.status_code}"
        raise LoginFailed(f"the token URL refused the login ({code})")
    return data


class _Catcher(http.server.BaseHTTPRequestHandler):
    """Answers the browser's redirect and keeps its query."""

    caught: dict[str, str] | None = None

    def do_GET(self) -> None:  # http.server calls it by this name
        url = urlparse(self.path)
        if url.path != "/callback":
            self.send_error(404)
            return
        type(self).caught = {k: v[0] for k, v in parse_qs(url.query).items() if v}
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: Any) -> None:  # the query holds the code: never logged
        return


def authorization_code(
    web: httpx.Client,
    flow: UserFlow,
    urls: tuple[str, str],
    client: tuple[str, str | None],
    scope: str,
    *,
    show: Callable[[str], None],
    wait: float,
    token_field: str,
) -> dict[str, Any]:
    """Tokens from the authorization-code flow; `urls` is (authorization URL, token URL), `client` the
    client id and secret; `show` is told the URL to open."""
    generate_token, parameters, challenge_of = _authlib()
    state, verifier = generate_token(30), generate_token(64)
    handler: type[_Catcher] = type("Catcher", (_Catcher,), {"caught": None})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    try:
        redirect = f"http://127.0.0.1:{server.server_address[1]}/callback"
        extra = (
            {"code_challenge": challenge_of(verifier), "code_challenge_method": "S256"} if flow.pkce else {}
        )
        url = parameters.prepare_grant_uri(
            urls[0], client[0], "code", redirect_uri=redirect, scope=scope or None, state=state, **extra
        )
        show(url)
        ends = time.monotonic() + wait
        while handler.caught is None and time.monotonic() < ends:
            server.timeout = max(0.05, min(1.0, ends - time.monotonic()))
            server.handle_request()
        caught = handler.caught
    finally:
        server.server_close()
    if caught is None:
        raise LoginFailed(f"no answer from the browser within {wait:.0f} s")
    if "error" in caught:
        raise LoginFailed(f"the provider refused the login ({caught['error']})")
    try:
        code = parameters.parse_authorization_code_response(redirect + "?" + _query(caught), state=state)[
            "code"
        ]
    except Exception as exc:  # authlib's MismatchingStateException, MissingCodeException
        raise LoginFailed(
            "the redirect's state or code is wrong: not the login this command started"
        ) from exc
    fields = {"code": code, "redirect_uri": redirect, "client_id": client[0]}
    if flow.pkce:
        fields["code_verifier"] = verifier
    if client[1]:
        fields["client_secret"] = client[1]
    body = parameters.prepare_token_request("authorization_code", **fields)
    return _tokens(web.post(urls[1], content=body, headers=FORM), token_field)


def _query(values: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(values)


def device_code(
    web: httpx.Client,
    urls: tuple[str, str],
    client: tuple[str, str | None],
    scope: str,
    *,
    show: Callable[[str, str, str | None], None],
    wait: float,
    token_field: str,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Tokens from the device flow; `urls` is (device authorization URL, token URL); `show` is told the
    verification URL, the user code and the URL with the code in it (if the provider gives one)."""
    _, parameters, _ = _authlib()
    fields = {"client_id": client[0], **({"client_secret": client[1]} if client[1] else {})}
    asked = {**fields, "scope": scope} if scope else fields
    response = web.post(urls[0], data=asked, headers={"Accept": "application/json"})
    started = _answer(response)
    if response.status_code >= 300 or not isinstance(started.get("device_code"), str):
        raise LoginFailed(
            f"the device authorization URL refused ({started.get('error') or response.status_code})"
        )
    show(
        str(started.get("verification_uri", "")),
        str(started.get("user_code", "")),
        started.get("verification_uri_complete"),
    )
    interval = float(started.get("interval") or 5)
    lifetime = started.get("expires_in")
    ends = time.monotonic() + min(wait, float(lifetime) if isinstance(lifetime, int | float) else wait)
    body = parameters.prepare_token_request(DEVICE_GRANT, device_code=started["device_code"], **fields)
    while time.monotonic() + interval < ends:
        sleep(interval)
        answer = web.post(urls[1], content=body, headers=FORM)
        error = _answer(answer).get("error") if answer.status_code >= 300 else None
        if error == "authorization_pending":
            continue
        if error == "slow_down":
            interval += 5
            continue
        return _tokens(answer, token_field)
    raise LoginFailed("the device code expired before the login was approved")
