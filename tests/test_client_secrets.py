"""Credentials never show in a client's repr or str, in log records or in exception messages."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from client_support import Canned, canned_server, credentials, package, provider, providers

from generator.mock import Fault, MockServer

UUID = "f1799065-01de-448c-91cf-8afe7d4c0cfc"


class Tokens:
    def __init__(self) -> None:
        self.issued: list[str] = []

    def hook(self, response: httpx.Response) -> None:
        if response.request.url.path.endswith("/oauth/token") and response.status_code == 200:
            response.read()
            self.issued.append(response.json()["access_token"])


def all_text(records: list[logging.LogRecord]) -> str:
    return "\n".join(r.getMessage() for r in records)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.DEBUG, logger="opi"):
        yield caplog


@pytest.mark.parametrize("alias", [p.alias for p in providers()])
def test_repr_and_str_show_provider_and_environment_only(alias: str) -> None:
    pkg = package(alias)
    secrets = {**credentials(provider(alias)), "token": f"{alias}-given-token-s3cr3t"}
    given = {k: v for k, v in secrets.items() if k in {i.name for i in provider(alias).client_inputs}}
    for cls in (pkg.Client, pkg.AsyncClient):
        client = cls(**given)
        text = repr(client) + str(client) + repr(client._credentials) + repr(list(client._tokens.values()))
        assert f"opi.{alias}.client.{cls.__name__}" in repr(client)
        assert "environment=" in repr(client)
        for value in given.values():
            assert value not in text


@pytest.mark.seed("cdek")
def test_full_flow_logs_no_secret(logs: pytest.LogCaptureFixture) -> None:
    p = provider("cdek")
    tokens = Tokens()
    with (
        MockServer.start(p, credentials=credentials(p)) as server,
        httpx.Client(event_hooks={"response": [tokens.hook]}) as http,
    ):
        server.set_fault("GetOrder", Fault(status=503, times=1))
        with package("cdek").Client(
            base_url=server.url, http_client=http, retry_delay=0.001, **credentials(p)
        ) as client:
            client.get_order(uuid=UUID)
            server.expire_tokens()
            client.create_customer_refund(uuid=UUID, tariff=139)
    text = all_text(logs.records)
    assert "GetOrder" in text and "retrying" in text  # the log does say what happened
    assert len(tokens.issued) == 2
    for secret in [*credentials(p).values(), *tokens.issued]:
        assert secret not in text


@pytest.mark.seed("invoicebox")
def test_error_messages_mask_secrets_echoed_by_the_provider() -> None:
    p = provider("invoicebox")
    pkg = package("invoicebox")
    token = "ib-token-echoed-s3cr3t"
    body = {"error": {"message": f"Token {token} is revoked", "code": "unauthorized", "fields": []}}
    with (
        canned_server([Canned(401, json.dumps(body).encode(), {})]) as (url, _),
        pkg.Client(base_url=url, token=token) as client,
        pytest.raises(pkg.AuthenticationError) as caught,
    ):
        client.check_token()
    assert caught.value.message == "Token *** is revoked"
    assert token not in str(caught.value) and token not in repr(caught.value)
    assert p.errors.model == type(caught.value.envelope).__name__


@pytest.mark.seed("cdek")
def test_missing_credentials_and_validation_errors_carry_no_values() -> None:
    pkg = package("cdek")
    with pkg.Client(client_id="cdek-id-only-value") as client:
        with pytest.raises(pkg.CredentialsError) as missing:
            client.get_order(uuid=UUID)
        with pytest.raises(pkg.ValidationError) as invalid:
            client.get_token(client_id="id-value-1234", client_secret=12345678)  # type: ignore[arg-type]
    assert "cdek-id-only-value" not in str(missing.value)
    assert invalid.value.field == "client_secret"
    assert "12345678" not in str(invalid.value)


@pytest.mark.seed("cdek")
def test_raw_response_repr_shows_no_body() -> None:
    p = provider("cdek")
    with MockServer.start(p) as server, package("cdek").Client(base_url=server.url) as client:
        answer = client.get_token(client_id="id-1234", client_secret="secret-1234")
    assert answer.access_token not in repr(answer.raw_response)
    assert "200" in repr(answer.raw_response)


@pytest.mark.seed("paydo")
def test_transport_errors_mask_secrets_in_urls(logs: pytest.LogCaptureFixture) -> None:
    """A secret in the URL (here a token-bearing base URL) is masked in errors and logs."""
    pkg = package("paydo")
    token = "paydo-token-in-url-s3cr3t"
    with (
        pkg.Client(base_url=f"http://127.0.0.1:9/{token}", token=token, max_retries=0) as client,
        pytest.raises(pkg.ConnectError) as caught,
    ):
        client.list_refunds()
    assert token not in str(caught.value)
    assert token not in all_text(logs.records)


def test_masker_replaces_longest_secret_first() -> None:
    from opi._runtime.masking import Masker

    masker = Masker(["abcd", "abcdefgh", "xy"])
    assert masker.mask("key abcdefgh and abcd and xy") == "key *** and *** and xy"
    assert masker.headers({"Authorization": "Bearer zzz", "X-ApiKey": "k", "Accept": "abcd"}) == {
        "Authorization": "***",
        "X-ApiKey": "***",
        "Accept": "***",
    }
