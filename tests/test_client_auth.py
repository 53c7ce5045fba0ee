"""Auth flows of the generated clients against the contract server: OAuth2 token fetch, cache, refresh before
expiry and once on a rejected token; given tokens; missing credentials; default headers; environments."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest
from client_support import answered, credentials, package, provider

from generator.mock import Fault, MockServer

UUID = "f1799065-01de-448c-91cf-8afe7d4c0cfc"


@pytest.fixture(scope="module")
def cdek(servers: dict[str, MockServer]) -> MockServer:
    return servers["cdek"]


@pytest.fixture(scope="module")
def dr(servers: dict[str, MockServer]) -> MockServer:
    return servers["digitalriver"]


class Tokens:
    """Records every access token the server hands out, read from the real answers (httpx event hook)."""

    def __init__(self) -> None:
        self.issued: list[str] = []

    def hook(self, response: httpx.Response) -> None:
        if response.request.url.path.endswith(("/oauth/token", "/auth")) and response.status_code == 200:
            response.read()
            self.issued.append(response.json()["access_token"])

    async def ahook(self, response: httpx.Response) -> None:
        if response.request.url.path.endswith(("/oauth/token", "/auth")) and response.status_code == 200:
            await response.aread()
            self.issued.append(response.json()["access_token"])


def bearer(server: MockServer, route: str) -> list[str]:
    return [r.headers["authorization"].removeprefix("Bearer ") for r in answered(server, route)]


@pytest.mark.seed("cdek")
def test_token_fetched_once_then_reused(cdek: MockServer) -> None:
    cdek.reset()
    tokens = Tokens()
    with httpx.Client(event_hooks={"response": [tokens.hook]}) as http:
        client = package("cdek").Client(base_url=cdek.url, http_client=http, **credentials(provider("cdek")))
        for _ in range(3):
            client.get_order(uuid=UUID)
        client.create_refusal(uuid=UUID)
    assert [r.route for r in cdek.requests] == [
        "GetToken",
        "GetOrder",
        "GetOrder",
        "GetOrder",
        "CreateRefusal",
    ]
    assert len(tokens.issued) == 1
    assert set(bearer(cdek, "GetOrder") + bearer(cdek, "CreateRefusal")) == {tokens.issued[0]}


@pytest.mark.seed("cdek")
def test_async_token_fetched_once_for_concurrent_calls(cdek: MockServer) -> None:
    cdek.reset()
    tokens = Tokens()

    async def run() -> None:
        async with httpx.AsyncClient(event_hooks={"response": [tokens.ahook]}) as http:
            client = package("cdek").AsyncClient(
                base_url=cdek.url, http_client=http, **credentials(provider("cdek"))
            )
            await asyncio.gather(*(client.get_order(uuid=UUID) for _ in range(10)))

    asyncio.run(run())
    assert len(cdek.requests_for("GetToken")) == 1
    assert set(bearer(cdek, "GetOrder")) == set(tokens.issued)
    assert len(answered(cdek, "GetOrder")) == 10


@pytest.mark.seed("cdek")
def test_threads_share_one_token_fetch(cdek: MockServer) -> None:
    cdek.reset()
    errors: list[BaseException] = []
    with package("cdek").Client(base_url=cdek.url, **credentials(provider("cdek"))) as client:

        def work() -> None:
            try:
                for _ in range(3):
                    client.get_order(uuid=UUID)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    assert not errors
    assert len(cdek.requests_for("GetToken")) == 1
    assert len(cdek.requests_for("GetOrder")) == 18


@pytest.mark.seed("cdek")
def test_token_refreshed_shortly_before_expiry(cdek: MockServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from opi._runtime import auth

    cdek.reset()
    clock = [1000.0]
    monkeypatch.setattr(auth, "now", lambda: clock[0])
    tokens = Tokens()
    with httpx.Client(event_hooks={"response": [tokens.hook]}) as http:
        client = package("cdek").Client(base_url=cdek.url, http_client=http, **credentials(provider("cdek")))
        client.get_order(uuid=UUID)
        clock[0] += 3000  # the server's token lives 3599 s: still good
        client.get_order(uuid=UUID)
        assert len(tokens.issued) == 1
        clock[0] += 560  # 39 s before expiry: inside the refresh margin, so a new token is fetched first
        client.get_order(uuid=UUID)
    assert len(tokens.issued) == 2
    assert bearer(cdek, "GetOrder") == [tokens.issued[0], tokens.issued[0], tokens.issued[1]]


@pytest.mark.seed("cdek")
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_rejected_token_refreshed_once_and_request_repeated(cdek: MockServer, mode: str) -> None:
    cdek.reset()
    tokens = Tokens()
    pkg = package("cdek")
    if mode == "sync":
        with httpx.Client(event_hooks={"response": [tokens.hook]}) as http:
            client = pkg.Client(base_url=cdek.url, http_client=http, **credentials(provider("cdek")))
            client.get_order(uuid=UUID)
            cdek.expire_tokens()
            result = client.create_customer_refund(uuid=UUID, tariff=139)
    else:

        async def run() -> Any:
            async with httpx.AsyncClient(event_hooks={"response": [tokens.ahook]}) as http:
                client = pkg.AsyncClient(base_url=cdek.url, http_client=http, **credentials(provider("cdek")))
                await client.get_order(uuid=UUID)
                cdek.expire_tokens()
                return await client.create_customer_refund(uuid=UUID, tariff=139)

        result = asyncio.run(run())
    assert result.raw_response.status_code == 202
    routes = [(r.route, r.status) for r in cdek.requests]
    assert routes == [
        ("GetToken", 200),
        ("GetOrder", 200),
        ("CreateCustomerRefund", 401),
        ("GetToken", 200),
        ("CreateCustomerRefund", 202),
    ]
    assert bearer(cdek, "CreateCustomerRefund") == tokens.issued  # old token, then the new one


@pytest.mark.seed("digitalriver")
def test_provider_specific_unauthorized_status_triggers_the_refresh(dr: MockServer) -> None:
    """Digital River answers a bad token with 403 (its documented `unauthorized` answer)."""
    dr.reset()
    with package("digitalriver").Client(base_url=dr.url, **credentials(provider("digitalriver"))) as client:
        client.get_refunds_available(order_id="1234567890")
        dr.expire_tokens()
        client.get_refunds_available(order_id="1234567890")
    assert [(r.route, r.status) for r in dr.requests] == [
        ("GetToken", 200),
        ("GetRefundsAvailable", 200),
        ("GetRefundsAvailable", 403),
        ("GetToken", 200),
        ("GetRefundsAvailable", 200),
    ]


@pytest.mark.seed("cdek")
def test_refresh_happens_only_once(cdek: MockServer) -> None:
    cdek.reset()
    cdek.set_fault("GetOrder", Fault(status=401))
    pkg = package("cdek")
    with (
        pkg.Client(base_url=cdek.url, **credentials(provider("cdek"))) as client,
        pytest.raises(pkg.AuthenticationError) as caught,
    ):
        client.get_order(uuid=UUID)
    assert caught.value.status == 401
    assert [r.route for r in cdek.requests] == ["GetToken", "GetOrder", "GetToken", "GetOrder"]


@pytest.mark.seed("cdek")
def test_given_token_is_used_as_is_and_never_refreshed() -> None:
    p = provider("cdek")
    with MockServer.start(p, credentials={"token": "given-token-1234"}) as server:
        pkg = package("cdek")
        with pkg.Client(base_url=server.url, token="given-token-1234") as client:
            client.get_order(uuid=UUID)
            server.expire_tokens()
            with pytest.raises(pkg.AuthenticationError, match="Token expired"):
                client.get_order(uuid=UUID)
        assert [r.route for r in server.requests] == ["GetOrder", "GetOrder"]
        assert bearer(server, "GetOrder") == ["given-token-1234", "given-token-1234"]


@pytest.mark.seed("cdek")
def test_given_token_with_credentials_is_refreshed_when_rejected(cdek: MockServer) -> None:
    cdek.reset()
    with package("cdek").Client(
        base_url=cdek.url, token="stale-token-1234", **credentials(provider("cdek"))
    ) as c:
        c.get_order(uuid=UUID)
    assert [(r.route, r.status) for r in cdek.requests] == [
        ("GetOrder", 401),
        ("GetToken", 200),
        ("GetOrder", 200),
    ]


@pytest.mark.seed("cdek", "digitalriver", "geins", "invoicebox", "paydo")
@pytest.mark.parametrize(
    ("alias", "given", "wanted"),
    [
        ("cdek", {}, "pass token= or client_id=, client_secret="),
        ("cdek", {"client_id": "only-the-id"}, "pass token= or client_id=, client_secret="),
        ("invoicebox", {}, "pass token="),
        ("paydo", {}, "pass token="),
        (
            "geins",
            {"api_user": "user", "api_password": "pass-1234"},
            "pass api_user=, api_password=, api_key=",
        ),
        (
            "digitalriver",
            {"username": "u", "password": "p-1234"},
            "pass token= or username=, password=, api_key=",
        ),
    ],
)
def test_missing_credentials_raise_before_sending(alias: str, given: dict[str, str], wanted: str) -> None:
    p = provider(alias)
    pkg = package(alias)
    method = next(m for m in p.methods if m.auth and m.http_method == "GET")
    kwargs = {q.py_name: q.example for q in method.parameters
              if not q.is_const and q.py_name not in method.example_leaves_out()}
    with MockServer.start(p) as server, pkg.Client(base_url=server.url, **given) as client:
        with pytest.raises(pkg.CredentialsError) as caught:
            getattr(client, method.py_name)(**kwargs)
        assert wanted in str(caught.value)
        assert server.requests == []


@pytest.mark.seed("cdek")
def test_token_method_needs_no_token(cdek: MockServer) -> None:
    cdek.reset()
    with package("cdek").Client(base_url=cdek.url) as client:
        answer = client.get_token(**{k: v for k, v in credentials(provider("cdek")).items()})
    assert answer.token_type == "bearer"
    assert answer.expires_in > 0
    assert "authorization" not in cdek.requests[0].headers


@pytest.mark.seed("invoicebox")
def test_default_headers_sent_and_overridable() -> None:
    p = provider("invoicebox")
    pkg = package("invoicebox")
    with MockServer.start(p) as server:
        with pkg.Client(base_url=server.url, token="t-1234") as client:
            client.check_token()
        with pkg.Client(
            base_url=server.url, token="t-1234", headers={"user-agent": "Shop/2.1 (opi 0.1)"}
        ) as client:
            client.check_token()
        first, second = server.requests
    assert first.headers["user-agent"] == "opi/0.1 (opigen 0.1)"
    assert second.headers["user-agent"] == "Shop/2.1 (opi 0.1)"
    assert first.headers["accept"] == second.headers["accept"] == "application/json"


@pytest.mark.seed("cdek", "digitalriver")
def test_environments_by_spec_name_flag_and_override(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPI_CDEK_BASE_URL", "OPI_DIGITALRIVER_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    cdek = package("cdek")
    assert cdek.Client().base_url == "https://api.cdek.ru/v2"
    assert cdek.Client(environment="test").base_url == "https://api.edu.cdek.ru/v2"
    assert cdek.Client(testapi=True).base_url == "https://api.edu.cdek.ru/v2"
    assert cdek.AsyncClient(testapi=True).environment == "test"
    assert cdek.Client(base_url="http://127.0.0.1:9/v2/").base_url == "http://127.0.0.1:9/v2"
    dr = package("digitalriver").Client(environment="client_test")
    assert dr.base_url == "https://api-cte-ext.digitalriver.com"
    with pytest.raises(ValueError, match="unknown environment 'staging'"):
        cdek.Client(environment="staging")  # type: ignore[arg-type]
    monkeypatch.setenv(provider("cdek").base_url_env, "http://127.0.0.1:8/v2")
    assert cdek.Client(testapi=True).base_url == "http://127.0.0.1:8/v2"  # the variable replaces every URL
    assert cdek.Client(base_url="http://127.0.0.1:7").base_url == "http://127.0.0.1:7"  # the keyword wins
