"""The contract server's Python API and command: start and stop, recorded requests, masked request log,
`opigen mock` in a subprocess (one provider, --all, Ctrl-C), and a new spec served for free."""

from __future__ import annotations

import logging
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from mock_support import ALIASES, ROOT, call, client_for, credentials, new_provider, provider
from provider_support import seeds_present

from generator.mock import MockServer, RecordedRequest

OPIGEN = str(Path(sys.executable).parent / "opigen")


@pytest.mark.seed("paydo")
def test_start_listens_on_loopback_and_stop_is_quick() -> None:
    p = provider("paydo")
    with MockServer.start(p) as server:
        assert server.url.startswith("http://127.0.0.1:") and server.port > 0
        assert httpx.get(server.url + "/v1/refunds/user-refunds").status_code == 401
        started = time.monotonic()
    assert time.monotonic() - started < 1.0
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/v1/refunds/user-refunds")


@pytest.mark.seed("cdek", "geins")
def test_two_servers_run_side_by_side_on_free_ports() -> None:
    with MockServer.start(provider("cdek")) as one, MockServer.start(provider("geins")) as two:
        assert one.port != two.port
        assert httpx.get(one.url + "/orders").status_code == 401
        assert httpx.get(two.url + "/API/Order/1/Refund/List").status_code == 401


@pytest.mark.seed("geins")
def test_start_alias_resolves_the_spec() -> None:
    with MockServer.start_alias("geins", specs_dir=ROOT / "specs") as server:
        assert server.provider.alias == "geins"
        assert call(server, server.provider.method("ListRefunds")).status_code == 200


@pytest.mark.seed("cdek")
def test_requests_are_recorded_in_order_with_their_parts() -> None:
    p = provider("cdek")
    with MockServer.start(p) as server:
        token = call(server, p.method("GetToken"))
        assert token.status_code == 200
        call(server, p.method("CreateCustomerRefund"))
        httpx.get(server.url + "/nowhere?a=1&a=2", headers={"X-Trace": "t"})
        got = server.requests
        assert [(r.method, r.route, r.status) for r in got] == [
            ("POST", "GetToken", 200), ("POST", "GetToken", 200), ("POST", "CreateCustomerRefund", 202),
            ("GET", None, 404),
        ]
        first, refund, nowhere = got[0], got[2], got[3]
        assert first.form is not None and first.form["grant_type"] == "client_credentials"
        assert first.json is None
        assert refund.path == "/orders/f1799065-01de-448c-91cf-8afe7d4c0cfc/clientReturn"
        assert refund.json == {"tariff_code": 139} and refund.body == b'{"tariff_code":139}'
        assert refund.headers["authorization"].startswith("Bearer ")
        assert nowhere.query == {"a": ["1", "2"]} and nowhere.headers["x-trace"] == "t"
        assert [r.route for r in server.requests_for("GetToken")] == ["GetToken", "GetToken"]
        server.reset()
        assert server.requests == []


@pytest.mark.seed("paydo")
def test_recorded_requests_hide_credentials_in_their_repr() -> None:
    p = provider("paydo")
    with MockServer.start(p, credentials={"token": "very-secret-token"}) as server:
        call(server, p.method("ListRefunds"), creds={"token": "very-secret-token"})
        recorded = server.requests[0]
    assert isinstance(recorded, RecordedRequest)
    assert "very-secret-token" not in repr(recorded) and "very-secret-token" not in str(recorded)


@pytest.mark.seed("cdek", "geins")
def test_each_request_is_logged_on_one_line_with_secrets_masked(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="opigen.mock")
    cdek, geins = provider("cdek"), provider("geins")
    creds = credentials(geins)
    with MockServer.start(cdek) as one, MockServer.start(geins, credentials=creds) as two:
        call(one, cdek.method("GetToken"), client_secret="form-secret-value")
        call(two, geins.method("ListRefunds"), creds=creds)
        httpx.post(one.url + "/oauth/token", json={"client_secret": "json-secret-value"})
    lines = [r.getMessage() for r in caplog.records if r.name == "opigen.mock"]
    assert len(lines) == 3
    assert all("\n" not in line for line in lines)
    text = "\n".join(lines)
    for secret in ("form-secret-value", "json-secret-value", *creds.values()):
        assert secret not in text
    assert '"client_secret": "***"' in text
    assert "credentials authorization=***, x-apikey=***" in text
    assert "cdek POST /oauth/token -> 200 GetToken" in text


# --- `opigen mock` ------------------------------------------------------------------------------------
def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([OPIGEN, "mock", *args, "--specs", str(ROOT / "specs")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)


def _stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=10)
    finally:
        process.kill()
    return process.returncode, err


@pytest.mark.seed("invoicebox")
def test_opigen_mock_serves_one_provider_and_stops_on_ctrl_c() -> None:
    process = _serve("invoicebox", "--port", "0")
    assert process.stdout is not None
    alias, url = process.stdout.readline().split()
    assert alias == "invoicebox" and url.startswith("http://127.0.0.1:")
    answer = httpx.get(url + "/v3/security/api/auth/auth", headers={"Authorization": "Bearer abc"})
    assert answer.status_code == 200
    started = time.monotonic()
    code, err = _stop(process)
    assert code == 0 and time.monotonic() - started < 5
    assert "invoicebox GET /v3/security/api/auth/auth -> 200 CheckToken" in err
    assert "credentials authorization=***" in err and "Bearer abc" not in err


@pytest.mark.seed("paydo")
def test_opigen_mock_all_serves_every_provider_on_consecutive_ports() -> None:
    process = _serve("--all", "--port", "0")
    assert process.stdout is not None
    served = dict(process.stdout.readline().split() for _ in ALIASES)
    try:
        assert sorted(served) == sorted(ALIASES)
        assert len(set(served.values())) == len(ALIASES)
        assert httpx.get(served["paydo"] + "/v1/refunds/user-refunds").status_code == 401
    finally:
        code, _ = _stop(process)
    assert code == 0


def _free_ports(count: int) -> int:
    """The first of `count` consecutive ports that are free on 127.0.0.1 right now."""
    for _ in range(50):
        base = random.randrange(20000, 60000)
        sockets: list[socket.socket] = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise AssertionError("no free port range")


def test_opigen_mock_all_uses_consecutive_ports_from_port() -> None:
    base = _free_ports(len(ALIASES))
    process = _serve("--all", "--port", str(base))
    assert process.stdout is not None
    try:
        served = [process.stdout.readline().split() for _ in ALIASES]
        assert served == [[alias, f"http://127.0.0.1:{base + i}"] for i, alias in enumerate(ALIASES)]
    finally:
        code, _ = _stop(process)
    assert code == 0


@pytest.mark.seed("cdek")
def test_opigen_mock_unknown_alias_fails_with_the_known_ones() -> None:
    result = subprocess.run([OPIGEN, "mock", "nope", "--specs", str(ROOT / "specs")], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert "no spec with alias 'nope'" in result.stderr and "cdek" in result.stderr


# --- a new spec -----------------------------------------------------------------------------------------
def test_a_new_spec_gets_its_server_for_free(tmp_path: Path) -> None:
    p = new_provider(tmp_path)
    with MockServer.start(p, credentials={"api_key": "k1"}) as server, client_for(server) as c:
        assert c.get("/widgets/7").json() == {"detail": "Missing credentials: no X-Key header"}
        assert c.get("/widgets/7", headers={"X-Key": "k2"}).status_code == 401
        assert c.get("/widgets/7", headers={"X-Key": "k1"}).json() == {"id": 7, "size": 3}
        low = c.get("/widgets/0", headers={"X-Key": "k1"})
        assert (low.status_code, low.json()) == (400, {"detail": "id must be >= 1", "field": "id"})
        assert c.get("/widgets/x", headers={"X-Key": "k1"}).status_code == 404


def test_no_provider_name_in_the_server_or_the_export() -> None:
    """The code was written knowing the seed providers: none of their names or hosts may be in it."""
    seeds = seeds_present()
    assert seeds
    words = set(seeds) | {provider(a).title.lower() for a in seeds}
    hosts = {e.url.split("//")[1].split("/")[0] for a in seeds for e in provider(a).environments}
    files = [*sorted((ROOT / "generator" / "mock").glob("*.py")), ROOT / "generator" / "contract.py",
             ROOT / "generator" / "render" / "openapi.py", ROOT / "generator" / "commands.py"]
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        found = [w for w in (*words, *hosts) if w in text]
        assert not found, f"{path.relative_to(ROOT)} names {found}"
