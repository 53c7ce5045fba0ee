"""Running commands: exit codes for each failure kind, --test, --out, --debug, environment variables and
secrets, through the installed `opi` against the contract server."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import Run, opi, provider

from generator.mock import Fault, MockServer

UUID = "f1799065-01de-448c-91cf-8afe7d4c0cfc"
CLIENT_ID = "cdek-Client-Id-0123456789"
CLIENT_SECRET = "cdek-Client-5ecret-0123456789"
TOKEN = "cdek-Given-T0ken-0123456789"
IB_TOKEN = "invoicebox-T0ken-0123456789"
SECRETS = (CLIENT_SECRET, TOKEN, IB_TOKEN)


@pytest.fixture(scope="module")
def cdek() -> Iterator[MockServer]:
    creds = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "token": TOKEN}
    with MockServer.start(provider("cdek"), credentials=creds) as server:
        yield server


@pytest.fixture(scope="module")
def invoicebox() -> Iterator[MockServer]:
    with MockServer.start(provider("invoicebox"), credentials={"token": IB_TOKEN}) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh(cdek: MockServer, invoicebox: MockServer) -> None:
    cdek.reset()
    invoicebox.reset()


def no_secrets(run: Run, *extra: str) -> None:
    for secret in (*SECRETS, *extra):
        assert secret not in run.out and secret not in run.err


def refund(server: MockServer, *args: str, env: dict[str, str] | None = None) -> Run:
    """The seed page's command against the contract server, the token fetched from client credentials."""
    creds = {"OPI_CDEK_CLIENT_ID": CLIENT_ID, "OPI_CDEK_CLIENT_SECRET": CLIENT_SECRET}
    return opi(
        "cdek",
        "CreateCustomerRefund",
        "--uuid",
        UUID,
        "--tariff",
        "139",
        "--base-url",
        server.url,
        *args,
        env={**creds, **(env or {})},
    )


@pytest.mark.seed("invoicebox")
def test_success_exit_0_and_pretty_utf8_json(invoicebox: MockServer) -> None:
    run = opi(
        "invoicebox",
        "ListRefundableItems",
        "--uuid",
        "01771534-196a-1105-839a-82422289d6d9",
        "--base-url",
        invoicebox.url,
        env={"OPI_INVOICEBOX_TOKEN": IB_TOKEN},
    )
    assert run.code == 0, run.err
    assert run.err == ""
    data = run.json()
    assert run.out == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert '"measure": "шт"' in run.out  # Cyrillic readable, not \u escapes
    no_secrets(run)


@pytest.mark.seed("cdek")
def test_secrets_from_environment_and_base_url_from_its_variable(cdek: MockServer) -> None:
    run = opi(
        "cdek", "GetOrder", "--uuid", UUID, env={"OPI_CDEK_TOKEN": TOKEN, "OPI_CDEK_BASE_URL": cdek.url}
    )
    assert run.code == 0, run.err
    [rec] = cdek.requests_for("GetOrder")
    assert rec.headers["authorization"] == f"Bearer {TOKEN}"
    # An option beats its environment variable.
    run = opi(
        "cdek",
        "GetOrder",
        "--uuid",
        UUID,
        "--token",
        "cdek-Wrong-T0ken-000000",
        env={"OPI_CDEK_TOKEN": TOKEN, "OPI_CDEK_BASE_URL": cdek.url},
    )
    assert run.code == 4
    no_secrets(run, "cdek-Wrong-T0ken-000000")
    # Client credentials from the environment: the client fetches its token first.
    cdek.reset()
    run = refund(cdek)
    assert run.code == 0, run.err
    assert [r.route for r in cdek.requests] == ["GetToken", "CreateCustomerRefund"]
    assert run.json()["requests"][0]["state"] == "ACCEPTED"
    no_secrets(run)


@pytest.mark.seed("cdek")
def test_api_error_exit_4_with_message_and_body(cdek: MockServer) -> None:
    run = opi(
        "cdek",
        "GetOrder",
        "--uuid",
        UUID,
        "--base-url",
        cdek.url,
        env={"OPI_CDEK_TOKEN": "cdek-Bad-T0ken-0123456789"},
    )
    assert run.code == 4
    assert "HTTP 401:" in run.err
    body = run.json()
    message = body["requests"][0]["errors"][0]["message"]
    assert message and message in run.err  # the provider's message, as its error paths say
    no_secrets(run, "cdek-Bad-T0ken-0123456789")
    cdek.set_fault("GetOrder", Fault(status=404))
    run = opi("cdek", "GetOrder", "--uuid", UUID, "--base-url", cdek.url, env={"OPI_CDEK_TOKEN": TOKEN})
    assert run.code == 4 and "HTTP 404: Injected fault: HTTP 404" in run.err


@pytest.mark.seed("cdek")
def test_network_failure_exit_5() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run = opi("cdek", "GetOrder", "--uuid", UUID, "--token", TOKEN, "--base-url", f"http://127.0.0.1:{port}")
    assert run.code == 5
    assert "network failure" in run.err and "could not connect" in run.err
    assert run.out == ""
    no_secrets(run)


@pytest.mark.seed("cdek")
def test_timeout_of_a_read_exit_5(cdek: MockServer) -> None:
    cdek.set_fault("GetOrder", Fault(delay=1.0))
    run = opi(
        "cdek", "GetOrder", "--uuid", UUID, "--token", TOKEN, "--base-url", cdek.url, "--timeout", "0.2"
    )
    assert run.code == 5
    assert "no answer in time" in run.err


@pytest.mark.seed("cdek")
def test_uncertain_write_exit_6_and_sent_once(cdek: MockServer) -> None:
    cdek.set_fault("CreateCustomerRefund", Fault(drop="after"))
    run = refund(cdek, env={"OPI_CDEK_TOKEN": TOKEN})
    assert run.code == 6
    assert "outcome is unknown" in run.err
    assert len(cdek.requests_for("CreateCustomerRefund")) == 1  # never sent twice
    no_secrets(run)


@pytest.mark.seed("cdek")
def test_answer_not_matching_the_spec_exit_7(cdek: MockServer) -> None:
    cdek.set_fault("GetOrder", Fault(malformed=True))
    run = opi("cdek", "GetOrder", "--uuid", UUID, "--token", TOKEN, "--base-url", cdek.url)
    assert run.code == 7
    assert "does not match the spec" in run.err


@pytest.mark.seed("cdek", "invoicebox")
def test_dry_run_sends_nothing(cdek: MockServer, invoicebox: MockServer) -> None:
    run = refund(cdek, "--test")
    assert run.code == 0, run.err
    assert cdek.requests == []
    shown = run.json()
    assert shown["method"] == "POST"
    assert shown["url"] == f"{cdek.url}/orders/{UUID}/clientReturn"
    assert shown["body"] == {"tariff_code": 139}
    assert shown["headers"]["authorization"] == "***"
    assert shown["headers"]["content-type"] == "application/json"
    assert "first get an access token: POST" in run.err
    no_secrets(run)
    # The token method itself: its secret field is masked in the shown form body.
    run = opi(
        "cdek",
        "GetToken",
        "--client-id",
        CLIENT_ID,
        "--base-url",
        cdek.url,
        "--test",
        env={"OPI_CDEK_CLIENT_SECRET": CLIENT_SECRET},
    )
    assert run.code == 0, run.err
    assert cdek.requests == []
    assert run.json()["body"] == f"client_id={CLIENT_ID}&client_secret=***&grant_type=client_credentials"
    no_secrets(run)
    body = {
        "sku": "s",
        "name": "Номер",
        "measure": "шт",
        "measureCode": "796",
        "quantity": 1,
        "amount": 10,
        "amountWoVat": 10,
        "totalAmount": 10,
        "totalVatAmount": 0,
        "vatCode": "VATNONE",
        "type": "service",
        "paymentType": "full_payment",
    }
    run = opi(
        "invoicebox",
        "CreateRefundOrder",
        "--parent-id",
        "p",
        "--merchant-order-id",
        "m-1",
        "--amount",
        "10",
        "--vat-amount",
        "0",
        "--basket-items",
        json.dumps(body, ensure_ascii=False),
        "--description",
        "Возврат",
        "--base-url",
        invoicebox.url,
        "--test",
        env={"OPI_INVOICEBOX_TOKEN": IB_TOKEN},
    )
    assert run.code == 0, run.err
    assert invoicebox.requests == []
    shown = run.json()
    assert shown["body"]["basketItems"] == [body] and shown["body"]["status"] == "created"
    assert "Возврат" in run.out
    assert shown["headers"]["user-agent"] == provider("invoicebox").headers[0].value
    no_secrets(run)


@pytest.mark.seed("cdek")
def test_out_writes_the_result_to_a_file(cdek: MockServer, tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    run = opi(
        "cdek", "GetOrder", "--uuid", UUID, "--token", TOKEN, "--base-url", cdek.url, "--out", str(target)
    )
    assert run.code == 0, run.err
    assert run.out == ""
    assert str(target) in run.err
    written = target.read_text(encoding="utf-8")
    assert json.loads(written)["entity"]["uuid"] == UUID
    assert written.endswith("}\n")
    # A folder that does not exist is a bad argument, found before anything is sent.
    cdek.reset()
    run = opi(
        "cdek",
        "GetOrder",
        "--uuid",
        UUID,
        "--token",
        TOKEN,
        "--base-url",
        cdek.url,
        "--out",
        str(tmp_path / "missing" / "result.json"),
    )
    assert run.code == 3 and "does not exist" in run.err
    assert cdek.requests == []
    # --test with --out writes the request instead.
    run = refund(cdek, "--test", "--out", str(target))
    assert run.code == 0 and run.out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["body"] == {"tariff_code": 139}


@pytest.mark.seed("cdek")
def test_debug_shows_requests_and_answers_with_secrets_masked(cdek: MockServer) -> None:
    run = refund(cdek, "--debug")
    assert run.code == 0, run.err
    assert "> POST " + cdek.url + "/oauth/token" in run.err
    assert f"client_id={CLIENT_ID}&client_secret=***" in run.err
    assert '"access_token": "***"' in run.err
    assert f"> POST {cdek.url}/orders/{UUID}/clientReturn" in run.err
    assert "> authorization: ***" in run.err
    assert "< 202 Accepted" in run.err
    assert '"tariff_code": 139' in run.err
    assert run.json()["requests"][0]["state"] == "ACCEPTED"
    no_secrets(run)
    # The token the client fetched is masked everywhere too.
    [_, refund_request] = cdek.requests
    issued = refund_request.headers["authorization"].removeprefix("Bearer ")
    assert issued not in run.err and issued not in run.out
    # Full error detail: the exception class and the answer.
    cdek.reset()
    cdek.set_fault("CreateCustomerRefund", Fault(status=500))
    run = refund(cdek, "--debug", env={"OPI_CDEK_TOKEN": TOKEN})
    assert run.code == 4
    assert "ServerError" in run.err and "< 500" in run.err
    no_secrets(run)
