"""OAuth 2.0 user flows in the clients, against the contract server (tests/oauth_specs/xlogin.yaml): every
method through the sync and async clients on either scheme's tokens, refresh before expiry and once on a
401, rotated refresh tokens kept and told to `on_tokens`, exactly one refresh for 50 parallel calls (asyncio)
and 20 threads, a refused refresh token raising `LoginRequired`; and the contract server's own checks (PKCE
verifier, one-time codes, rotation)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from oauth_support import (
    CLIENT_ID,
    DEVICE_CLIENT_ID,
    Generated,
    generated_xlogin,
    refresh_requests,
    start,
)

from generator.mock import MockServer

SCHEMES = {  # scheme -> (client keywords of access token, refresh token, client id; the client id)
    "browser": (("access_token", "refresh_token", "client_id"), CLIENT_ID),
    "device": (("device_token", "device_refresh_token", "device_client_id"), DEVICE_CLIENT_ID),
}
CALLS = {"get_note": {"note_id": 7}, "add_note": {"text": "Buy milk"}}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    with generated_xlogin(tmp_path_factory.mktemp("oauth")) as g:
        yield g


@pytest.fixture
def server(generated: Generated) -> Iterator[MockServer]:
    with start(generated) as started:
        yield started


def seeded(server: MockServer, scheme: str, value: str = "") -> str:
    token = value or f"{scheme}-refresh-{time.monotonic_ns()}"
    server.app.oauth.seed_refresh(scheme, token, SCHEMES[scheme][1])
    return token


def keywords(scheme: str, refresh: str, access: str | None = None) -> dict[str, Any]:
    (access_kw, refresh_kw, client_kw), client_id = SCHEMES[scheme]
    found = {refresh_kw: refresh, client_kw: client_id}
    return found | ({access_kw: access} if access else {})


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_every_method_on_refreshed_tokens(generated: Generated, server: MockServer, scheme: str, mode: str) -> None:
    refresh = seeded(server, scheme)
    told: list[Any] = []
    kwargs = keywords(scheme, refresh) | {"base_url": server.url, "on_tokens": told.append, "max_retries": 0}

    async def run_async() -> list[Any]:
        async with generated.pkg.AsyncClient(**kwargs) as client:
            return [await getattr(client, m)(**a) for m, a in CALLS.items()]

    if mode == "sync":
        with generated.pkg.Client(**kwargs) as client:
            results = [getattr(client, m)(**a) for m, a in CALLS.items()]
    else:
        results = asyncio.run(run_async())
    assert [r.id for r in results] == [7, 8]
    assert refresh_requests(server) == 1  # the refresh token bought one access token for both calls
    (tokens,) = told
    assert tokens.scheme == scheme and tokens.access_token in server.tokens
    assert tokens.refresh_token and tokens.refresh_token != refresh  # rotated
    assert tokens.expires_at is not None and tokens.expires_at > time.time() + 3000
    assert "access_token" not in repr(tokens) and tokens.access_token not in repr(tokens)
    # The rotated-out refresh token is refused from now on.
    answer = httpx.post(server.url + "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": refresh,
                                                          "client_id": SCHEMES[scheme][1]})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_refreshed_once_on_401_and_rotation_kept(
    generated: Generated, server: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: the client's, httpx's and the contract server's
    told: list[Any] = []
    with generated.pkg.Client(base_url=server.url, on_tokens=told.append,
                              **keywords("browser", seeded(server, "browser"))) as client:
        client.get_note(note_id=7)
        server.expire_tokens()
        client.get_note(note_id=7)  # 401, one refresh with the rotated refresh token, sent again
        server.expire_tokens()
        client.add_note(text="x")
    assert refresh_requests(server) == 3
    assert [r.status for r in server.requests if r.path == "/notes/7"] == [200, 401, 200]
    assert len({t.refresh_token for t in told}) == 3  # each refresh used the one before it (rotation)
    handed_out = set(server.tokens) | set(server.app.oauth.refresh_tokens())
    assert len(handed_out) >= 7 and not [t for t in handed_out if t in caplog.text or t in repr(told)]


def test_refreshed_before_expiry_without_a_401(generated: Generated) -> None:
    with start(generated, ttl=2.0) as server, generated.pkg.Client(
        base_url=server.url, **keywords("device", seeded(server, "device"))
    ) as client:
        client.get_note(note_id=7)
        time.sleep(1.9)  # the client refreshes 10 % of the lifetime early: at 1.8 s
        client.get_note(note_id=7)
        assert refresh_requests(server) == 2
        assert all(r.status == 200 for r in server.requests if r.route)


def test_fifty_parallel_async_calls_make_one_refresh(generated: Generated, server: MockServer) -> None:
    first = seeded(server, "browser")

    async def run() -> None:
        told: list[Any] = []
        async with generated.pkg.AsyncClient(base_url=server.url, on_tokens=told.append,
                                             **keywords("browser", first)) as client:
            await client.get_note(note_id=7)
            server.expire_tokens()
            before = refresh_requests(server)
            results = await asyncio.gather(*(client.get_note(note_id=7) for _ in range(50)))
            assert len(results) == 50 and refresh_requests(server) - before == 1
            assert len(told) == 2

    asyncio.run(run())
    assert sum(1 for r in server.requests if r.status == 401) == 50  # every call met the expired token


def test_twenty_threads_make_one_refresh(generated: Generated, server: MockServer) -> None:
    with generated.pkg.Client(base_url=server.url, **keywords("device", seeded(server, "device"))) as client:
        client.get_note(note_id=7)
        server.expire_tokens()
        before = refresh_requests(server)
        errors: list[BaseException] = []

        def call() -> None:
            try:
                client.get_note(note_id=7)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=call) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert not errors and refresh_requests(server) - before == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_refused_refresh_token_raises_login_required(
    generated: Generated, server: MockServer, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    refused = "never-issued-refresh-token"
    kwargs = keywords("browser", refused) | {"base_url": server.url}

    async def run_async() -> None:
        async with generated.pkg.AsyncClient(**kwargs) as client:
            await client.get_note(note_id=7)

    with pytest.raises(generated.pkg.LoginRequired) as caught:
        if mode == "sync":
            with generated.pkg.Client(**kwargs) as client:
                try:
                    client.get_note(note_id=7)
                finally:  # and again: the refused refresh token is not tried twice
                    with pytest.raises(generated.pkg.LoginRequired, match="no usable refresh token"):
                        client.add_note(text="x")
        else:
            asyncio.run(run_async())
    assert "log in again (opi xlogin login)" in str(caught.value)
    assert caught.value.provider == "xlogin" and "invalid_grant" in caught.value.reason
    assert isinstance(caught.value, generated.pkg.OpiError)
    assert [r.route for r in server.requests] == [None]  # only the refresh: the method was not sent
    assert refused not in caplog.text and refused not in repr(caught.value)


def test_expired_token_without_refresh_token_is_an_authentication_error(
    generated: Generated, server: MockServer
) -> None:
    client = generated.pkg.Client(base_url=server.url, access_token="unknown-access-token", max_retries=0)
    with client, pytest.raises(generated.pkg.AuthenticationError):
        client.get_note(note_id=7)
    assert refresh_requests(server) == 0


def test_missing_credentials_name_both_ways(generated: Generated, server: MockServer) -> None:
    client = generated.pkg.Client(base_url=server.url, client_id=CLIENT_ID)
    with client, pytest.raises(generated.pkg.CredentialsError) as caught:
        client.get_note(note_id=7)
    assert "refresh_token=, client_id=" in str(caught.value) and "access_token=" in str(caught.value)


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _authorize(server: MockServer, challenge: str, redirect: str = "http://127.0.0.1:9/callback") -> str:
    answer = httpx.get(server.url + "/oauth/authorize", params={
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": redirect, "state": "s-1",
        "code_challenge": challenge, "code_challenge_method": "S256"})
    assert answer.status_code == 302
    location = urlparse(answer.headers["location"])
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert location.netloc == "127.0.0.1:9" and query["state"] == "s-1"
    return query["code"]


def test_contract_server_checks_pkce_and_one_time_codes(server: MockServer) -> None:
    verifier = "v" * 50
    exchange = {"grant_type": "authorization_code", "client_id": CLIENT_ID,
                "redirect_uri": "http://127.0.0.1:9/callback"}
    wrong = httpx.post(server.url + "/oauth/token", data=exchange | {
        "code": _authorize(server, _s256(verifier)), "code_verifier": "w" * 50})
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    code = _authorize(server, _s256(verifier))
    right = httpx.post(server.url + "/oauth/token", data=exchange | {"code": code, "code_verifier": verifier})
    assert right.status_code == 200 and {"access_token", "refresh_token", "expires_in"} <= right.json().keys()
    again = httpx.post(server.url + "/oauth/token", data=exchange | {"code": code, "code_verifier": verifier})
    assert again.json()["error"] == "invalid_grant"
    no_pkce = httpx.get(server.url + "/oauth/authorize", params={
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": "http://127.0.0.1:9/cb", "state": "s"})
    assert no_pkce.status_code == 400 and no_pkce.json()["error"] == "invalid_request"
    elsewhere = httpx.get(server.url + "/oauth/authorize", params={
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": "https://evil.example/cb",
        "code_challenge": "x" * 43, "code_challenge_method": "S256"})
    assert elsewhere.status_code == 400


def test_device_polling_honours_pending_slow_down_and_expiry(generated: Generated, server: MockServer) -> None:
    from opi._runtime import oauth_login

    oauth = server.app.oauth
    oauth.pending_polls, oauth.slow_downs, oauth.interval = 2, 1, 1
    slept: list[float] = []
    urls = (server.url + "/oauth/device", server.url + "/oauth/token")
    shown: list[tuple[str, str, str | None]] = []
    with httpx.Client() as web:
        answer = oauth_login.device_code(
            web, urls, (DEVICE_CLIENT_ID, None), "notes.read", token_field="access_token", wait=600,
            show=lambda *a: shown.append(a), sleep=slept.append,
        )
        assert answer["access_token"] in server.tokens
        assert slept == [1.0, 6.0, 6.0, 6.0]  # slow_down adds 5 s; then two pending answers
        assert shown[0][0].endswith("/device") and shown[0][1]
        oauth.device_ttl = 3  # the code expires before the next poll: no endless wait
        oauth.interval = 5
        with pytest.raises(oauth_login.LoginFailed, match="expired"):
            oauth_login.device_code(web, urls, (DEVICE_CLIENT_ID, None), "", token_field="access_token",
                                    wait=600, show=lambda *a: None, sleep=slept.append)


def test_import_pulls_in_no_oauth_library(generated: Generated, tmp_path: Path) -> None:
    code = ("import sys, opi.xlogin; bad = [m for m in ('authlib', 'keyring', 'opi._runtime.oauth_login', "
            "'opi._runtime.token_store') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(generated.out)},
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_openapi_exports_the_flows_and_stays_valid(generated: Generated) -> None:
    from openapi_spec_validator import validate

    from generator.render.openapi import document

    doc = document(generated.provider)
    validate(doc)
    schemes = doc["components"]["securitySchemes"]
    code = schemes["browser"]["flows"]["authorizationCode"]
    assert code["authorizationUrl"] == "https://notes.example.io/oauth/authorize"
    assert code["tokenUrl"] == code["refreshUrl"] == "https://notes.example.io/oauth/token"
    assert code["scopes"] == {"notes.read": "Read notes", "notes.write": "Write notes"}
    assert "PKCE" in schemes["browser"]["description"] and "S256" in schemes["browser"]["description"]
    device = schemes["device"]["flows"]["x-deviceAuthorization"]
    assert device["deviceAuthorizationUrl"] == "https://notes.example.io/oauth/device"


def test_landing_page_explains_each_flow_in_steps(generated: Generated) -> None:
    from markdown_it import MarkdownIt

    text = (generated.out / "docs" / "Login-Notes" / "index.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "Logging in" in headings
    assert "browser: authorization code with PKCE" in headings and "device: device code" in headings
    lists = [i for i, t in enumerate(tokens) if t.type == "ordered_list_open"]
    assert len(lists) == 2
    section = text.split("## Logging in", 1)[1].split("\n## ", 1)[0]
    assert "`opi xlogin login --client-id <id>`" in section
    assert "`opi xlogin login --scheme device --device-client-id <id>`" in section
    assert "`opi xlogin logout --scheme device`" in section and "`LoginRequired`" in section


REFRESH_SPEC = Path(__file__).resolve().parent / "oauth_specs" / "xrefresh.yaml"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_token_method_refresh_token_is_used_then_falls_back(tmp_path: Path, mode: str) -> None:
    """An `oauth2` scheme whose token answer carries a refresh token: the client refreshes with it (rotated)
    rather than asking the token method again, and asks the token method again when it is refused."""
    import importlib

    from spec_support import importable

    from generator.pipeline import load_providers

    with importable([REFRESH_SPEC], tmp_path / "out"):
        pkg = importlib.import_module("opi.xrefresh")
        told: list[Any] = []
        with MockServer.start(load_providers([REFRESH_SPEC])[0]) as server:

            def grants() -> list[str]:
                return [(r.form or {}).get("grant_type", "") for r in server.requests if r.path == "/token"]

            kwargs = {"base_url": server.url, "client_id": "shop-1", "client_secret": "s3cret-7",
                      "on_tokens": told.append}

            async def calls(client: Any) -> None:
                for step in range(3):
                    if step == 2:
                        server.app.oauth._refresh.clear()  # every refresh token revoked
                    server.expire_tokens()
                    result = client.get_order(number=4711)
                    assert (await result if mode == "async" else result).number == 4711

            if mode == "sync":
                with pkg.Client(**kwargs) as client:
                    client.get_order(number=4711)
                    asyncio.run(calls(client))
            else:
                async def run() -> None:
                    async with pkg.AsyncClient(**kwargs) as client:
                        await client.get_order(number=4711)
                        await calls(client)

                asyncio.run(run())
            assert grants() == ["client_credentials", "refresh_token", "refresh_token", "refresh_token",
                                "client_credentials"]
            assert len(told) == 4 and len({t.refresh_token for t in told}) == 4  # each one new (rotated)


def test_keyring_is_used_when_it_has_a_backend(generated: Generated, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend
    from opi._runtime import token_store

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            self.kept: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.kept.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.kept[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            del self.kept[(service, username)]

    before = keyring.get_keyring()
    memory = Memory()
    keyring.set_keyring(memory)
    try:
        monkeypatch.delenv(token_store.STORE_ENV, raising=False)
        store = token_store.store()
        assert isinstance(store, token_store.KeyringStore) and store.where() == "the OS keyring"
        store.save("xlogin/browser", {"access_token": "a-1", "refresh_token": "r-1"})
        assert ("opi", "xlogin/browser") in memory.kept
        assert store.load("xlogin/browser") == {"access_token": "a-1", "refresh_token": "r-1"}
        assert store.delete("xlogin/browser") and not store.delete("xlogin/browser")
        monkeypatch.setenv(token_store.STORE_ENV, "file")
        assert isinstance(token_store.store(), token_store.FileStore)
    finally:
        keyring.set_keyring(before)


def _refresh_failing_once(mode: str, failure: type[httpx.TransportError]) -> Any:
    """An httpx transport whose first refresh request fails with `failure` before it leaves."""

    def failing(request: httpx.Request) -> None:
        if b"grant_type=refresh_token" in request.content:
            transport.refreshes += 1
            if transport.refreshes == 1:
                raise failure("the refresh failed", request=request)

    class Sync(httpx.HTTPTransport):
        refreshes = 0

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            failing(request)
            return super().handle_request(request)

    class Async(httpx.AsyncHTTPTransport):
        refreshes = 0

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            failing(request)
            return await super().handle_async_request(request)

    transport: Any = Sync() if mode == "sync" else Async()
    return transport


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ReadError], ids=["never-left", "maybe-received"])
def test_a_refresh_is_sent_again_only_when_it_never_left(
    generated: Generated, server: MockServer, mode: str, failure: type[httpx.TransportError]
) -> None:
    """A refresh token may be spent on its first use (rotation), so a refresh that may have reached the
    token URL is not sent again; one that could not connect is, within the client's retries."""
    transport = _refresh_failing_once(mode, failure)
    kwargs = keywords("browser", seeded(server, "browser")) | {
        "base_url": server.url, "max_retries": 2, "retry_delay": 0.001, "transport": transport}

    async def run_async() -> Any:
        async with generated.pkg.AsyncClient(**kwargs) as client:
            return await client.get_note(note_id=7)

    def run() -> Any:
        if mode == "sync":
            with generated.pkg.Client(**kwargs) as client:
                return client.get_note(note_id=7)
        return asyncio.run(run_async())

    if failure is httpx.ConnectError:
        run()
        assert (transport.refreshes, refresh_requests(server)) == (2, 1)
    else:
        with pytest.raises(generated.pkg.NetworkError, match="no answer from the token URL"):
            run()
        assert (transport.refreshes, refresh_requests(server)) == (1, 0)
    assert not [r for r in server.requests if r.route and r.status != 200]
