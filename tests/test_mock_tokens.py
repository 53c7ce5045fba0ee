"""OAuth token flows of the contract server: client credentials (CDEK) and password grant (Digital River):
tokens are issued fresh, carry the configured lifetime, expire, and only issued ones are accepted."""

from __future__ import annotations

import time

import httpx
import pytest
from mock_support import auth_headers, call, client_for, credentials, example_request, message_at, provider

from generator.ir import Provider
from generator.mock import MockServer

OAUTH = ("cdek", "digitalriver")


def _oauth(p: Provider) -> tuple[str, str]:
    """(token method, a method that needs its tokens)."""
    s = next(s for s in p.schemes if s.kind == "oauth2")
    guarded = next(m for m in p.methods if m.http_method == "GET" and any(s.name in alt for alt in m.auth))
    return s.token_method or "", guarded.name


def _token(server: MockServer, client: httpx.Client) -> tuple[str, int]:
    p = server.provider
    method = p.method(_oauth(p)[0])
    request = example_request(method)
    request["headers"].update(auth_headers(client, p, method, credentials(p)))
    answer = client.request(**request)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body["access_token"], body["expires_in"]


def _use(client: httpx.Client, p: Provider, token: str) -> httpx.Response:
    request = example_request(p.method(_oauth(p)[1]))
    request["headers"]["Authorization"] = f"Bearer {token}"
    return client.request(**request)


@pytest.mark.seed("cdek", "digitalriver")
@pytest.mark.parametrize("alias", OAUTH)
def test_token_lifetime_defaults_to_the_documented_expires_in(alias: str) -> None:
    p = provider(alias)
    documented = p.method(_oauth(p)[0]).success.example["expires_in"]
    with MockServer.start(p, credentials=credentials(p)) as server, \
            client_for(server) as client:
        first, expires = _token(server, client)
        second, _ = _token(server, client)
        assert expires == documented
        assert first != second
        assert _use(client, p, first).status_code == 200
        assert _use(client, p, second).status_code == 200


@pytest.mark.seed("cdek", "digitalriver")
@pytest.mark.parametrize("alias", OAUTH)
def test_tokens_expire_after_the_configured_ttl(alias: str) -> None:
    p = provider(alias)
    unauthorized = p.errors.answers["unauthorized"].status
    with MockServer.start(p, token_ttl=0.4, credentials=credentials(p)) as server, \
            client_for(server) as client:
        token, expires = _token(server, client)
        assert expires == 1  # an integer lifetime stays an integer, rounded up
        assert _use(client, p, token).status_code == 200
        time.sleep(0.5)
        answer = _use(client, p, token)
        assert answer.status_code == unauthorized
        assert message_at(p, answer.json()) == "Token expired"
        fresh, _ = _token(server, client)
        assert _use(client, p, fresh).status_code == 200


@pytest.mark.seed("cdek", "digitalriver")
@pytest.mark.parametrize("alias", OAUTH)
def test_expire_tokens_makes_every_issued_token_expired(alias: str) -> None:
    p = provider(alias)
    unauthorized = p.errors.answers["unauthorized"].status
    with MockServer.start(p) as server, client_for(server) as client:
        tokens = [_token(server, client)[0] for _ in range(2)]
        server.expire_tokens()
        for token in tokens:
            assert _use(client, p, token).status_code == unauthorized
        refreshed, _ = _token(server, client)
        assert _use(client, p, refreshed).status_code == 200
        server.reset()
        answer = _use(client, p, refreshed)
        assert answer.status_code == unauthorized
        assert message_at(p, answer.json()) == "Invalid token"


@pytest.mark.seed("cdek", "digitalriver")
@pytest.mark.parametrize("alias", OAUTH)
def test_only_tokens_issued_by_the_server_are_accepted(alias: str) -> None:
    p = provider(alias)
    example_token = p.method(_oauth(p)[0]).success.example["access_token"]
    with MockServer.start(p) as server, client_for(server) as client:
        answer = _use(client, p, example_token)
        assert answer.status_code == p.errors.answers["unauthorized"].status
        assert message_at(p, answer.json()) == "Invalid token"


@pytest.mark.seed("cdek")
def test_client_credentials_are_checked_when_the_server_is_given_them() -> None:
    p = provider("cdek")
    m = p.method("GetToken")
    with MockServer.start(p, credentials={"client_id": "acct", "client_secret": "pw"}) as server:
        refused = call(server, m, client_id="acct", client_secret="wrong")
        assert refused.status_code == 401
        assert message_at(p, refused.json()) == "Invalid client credentials"
        accepted = call(server, m, client_id="acct", client_secret="pw")
        assert accepted.status_code == 200


@pytest.mark.seed("digitalriver")
def test_password_grant_needs_the_confidential_key() -> None:
    p = provider("digitalriver")
    m = p.method("GetToken")
    with MockServer.start(p, credentials={"api_key": "conf-key"}) as server:
        missing = call(server, m, auth=False)
        assert missing.status_code == 403
        described = missing.json()["errors"]["error"][0]["description"]
        assert described == "Missing credentials: no Authorization header"
        wrong = call(server, m, creds={"api_key": "other"})
        assert wrong.status_code == 403
        assert call(server, m, creds={"api_key": "conf-key"}).status_code == 200
        other_grant = call(server, m, creds={"api_key": "conf-key"}, grant_type="client_credentials")
        assert other_grant.status_code == 400


@pytest.mark.seed("cdek")
def test_a_token_given_as_credential_counts_as_issued() -> None:
    p = provider("cdek")
    with MockServer.start(p, credentials={"token": "preset"}) as server, \
            client_for(server) as c:
        assert _use(c, p, "preset").status_code == 200
        server.expire_tokens()
        assert _use(c, p, "preset").status_code == 401
        server.reset()  # configuration survives a reset
        assert _use(c, p, "preset").status_code == 200
