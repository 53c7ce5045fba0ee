"""Timeouts and retries against the contract server's injected faults: reads are repeated, a write without a
safe-retry declaration is never sent twice, and a write with a unique id is looked up instead of re-posted."""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from client_support import (
    answered,
    credentials,
    example_kwargs,
    keyed_variant,
    package,
    provider,
    providers,
)

from generator.ir import Idempotency
from generator.mock import Fault, MockServer

UUID = "f1799065-01de-448c-91cf-8afe7d4c0cfc"
FAST = {"retry_delay": 0.001}


@pytest.fixture(scope="module")
def cdek(servers: dict[str, MockServer]) -> MockServer:
    return servers["cdek"]


@pytest.fixture(scope="module")
def box() -> Iterator[MockServer]:
    with MockServer.start(provider("invoicebox")) as server:
        yield server


def cdek_client(server: MockServer, **options: Any) -> Any:
    return package("cdek").Client(base_url=server.url, **credentials(provider("cdek")), **{**FAST, **options})


# --- timeouts ---------------------------------------------------------------------------------------------
@pytest.mark.seed("paydo")
def test_timeout_is_finite_by_default() -> None:
    client = package("paydo").Client(token="t-1234")
    assert client.timeout == 30.0
    assert client._http.timeout.read == 30.0  # the pool's own default is finite too


@pytest.mark.seed("cdek")
def test_client_timeout_and_per_call_timeout(cdek: MockServer) -> None:
    cdek.reset()
    pkg = package("cdek")
    with cdek_client(cdek, timeout=0.2, max_retries=0) as client:
        client.get_order(uuid=UUID)  # fetches the token with no fault set
        cdek.set_fault("GetOrder", Fault(delay=0.6))
        started = time.monotonic()
        with pytest.raises(pkg.TimeoutError):
            client.get_order(uuid=UUID)
        assert time.monotonic() - started < 0.55
        assert client.get_order(uuid=UUID, timeout=3.0).raw_response.status_code == 200  # per call, longer
    with cdek_client(cdek, timeout=10.0, max_retries=0) as client:
        started = time.monotonic()
        with pytest.raises(pkg.TimeoutError):
            client.get_order(uuid=UUID, timeout=0.2)  # per call, shorter
        assert time.monotonic() - started < 0.55
    cdek.clear_faults()


@pytest.mark.seed("cdek")
def test_read_timeout_is_retried(cdek: MockServer) -> None:
    cdek.reset()
    with cdek_client(cdek, timeout=0.3) as client:
        client.get_order(uuid=UUID)
        cdek.set_fault("GetOrder", Fault(delay=0.6, times=1))
        assert client.get_order(uuid=UUID).raw_response.status_code == 200
    assert len(cdek.requests_for("GetOrder")) == 3


# --- reads --------------------------------------------------------------------------------------------------
@pytest.mark.seed("cdek")
@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=503, times=2),
        Fault(status=429, times=2),
        Fault(drop="before", times=2),
        Fault(drop="after", times=2),
    ],
)
def test_read_is_retried_until_it_succeeds(cdek: MockServer, fault: Fault) -> None:
    cdek.reset()
    cdek.set_fault("GetOrder", fault)
    with cdek_client(cdek) as client:
        assert client.get_order(uuid=UUID).entity is not None
    assert len(cdek.requests_for("GetOrder")) == 3


@pytest.mark.seed("cdek")
def test_read_retries_are_bounded(cdek: MockServer) -> None:
    cdek.reset()
    cdek.set_fault("GetOrder", Fault(status=503))
    pkg = package("cdek")
    with cdek_client(cdek, max_retries=1) as client, pytest.raises(pkg.ServerError):
        client.get_order(uuid=UUID)
    assert len(cdek.requests_for("GetOrder")) == 2
    cdek.reset()
    cdek.set_fault("GetOrder", Fault(status=503))
    with cdek_client(cdek, max_retries=0) as client, pytest.raises(pkg.ServerError):
        client.get_order(uuid=UUID)
    assert len(cdek.requests_for("GetOrder")) == 1


@pytest.mark.seed("cdek")
def test_retry_after_is_honoured(cdek: MockServer) -> None:
    cdek.reset()
    with cdek_client(cdek) as client:
        client.get_order(uuid=UUID)
        cdek.set_fault("GetOrder", Fault(retry_after=1, times=1))
        started = time.monotonic()
        client.get_order(uuid=UUID)
        assert time.monotonic() - started >= 0.95
    assert [r.status for r in answered(cdek, "GetOrder")] == [200, 429, 200]


@pytest.mark.seed("cdek")
def test_long_retry_after_is_not_waited_for(cdek: MockServer) -> None:
    cdek.reset()
    cdek.set_fault("GetOrder", Fault(retry_after=3600, times=1))
    pkg = package("cdek")
    with cdek_client(cdek) as client, pytest.raises(pkg.RateLimitError) as caught:
        client.get_order(uuid=UUID)
    assert caught.value.retry_after == 3600
    assert len(cdek.requests_for("GetOrder")) == 1


@pytest.mark.seed("cdek")
def test_async_read_is_retried(cdek: MockServer) -> None:
    cdek.reset()
    cdek.set_fault("GetOrderByNumber", Fault(status=503, times=1))

    async def run() -> Any:
        async with package("cdek").AsyncClient(
            base_url=cdek.url, **credentials(provider("cdek")), **FAST
        ) as c:
            return await c.get_order_by_number(cdek_number="1106207236")

    assert asyncio.run(run()).raw_response.status_code == 200
    assert len(cdek.requests_for("GetOrderByNumber")) == 2


# --- writes without a safe-retry declaration ----------------------------------------
UNSAFE_WRITES = [
    (p.alias, m.name) for p in providers() for m in p.methods if m.safety.kind is Idempotency.NONE and m.auth
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("drop", ["after", "before"])
@pytest.mark.parametrize(("alias", "name"), UNSAFE_WRITES)
def test_unsafe_write_is_sent_exactly_once_after_a_dropped_connection(
    alias: str, name: str, drop: str, mode: str
) -> None:
    p = provider(alias)
    m = p.method(name)
    pkg = package(alias)
    with MockServer.start(p, credentials=credentials(p)) as server:
        server.set_fault(name, Fault(drop=drop))  # every attempt would be dropped
        client = (pkg.Client if mode == "sync" else pkg.AsyncClient)(
            base_url=server.url, max_retries=5, **credentials(p), **FAST
        )
        with pytest.raises(pkg.UncertainWriteError) as caught:
            if mode == "sync":
                with client:
                    getattr(client, m.py_name)(**example_kwargs(p, m))
            else:

                async def run() -> None:
                    async with client:
                        await getattr(client, m.py_name)(**example_kwargs(p, m))

                asyncio.run(run())
        assert len(server.requests_for(name)) == 1
    assert "was not sent again" in str(caught.value)


@pytest.mark.seed("cdek")
@pytest.mark.parametrize("fault", [Fault(delay=0.6), Fault(status=503), Fault(status=429), Fault(status=500)])
def test_unsafe_write_is_not_repeated_after_a_timeout_or_an_error_status(
    cdek: MockServer, fault: Fault
) -> None:
    cdek.reset()
    pkg = package("cdek")
    with cdek_client(cdek, timeout=0.3, max_retries=5) as client:
        client.get_order(uuid=UUID)
        cdek.set_fault("CreateCustomerRefund", fault)
        with pytest.raises(pkg.OpiError) as caught:
            client.create_customer_refund(uuid=UUID, tariff=139)
    expected = pkg.UncertainWriteError if fault.delay else pkg.ApiError
    assert isinstance(caught.value, expected)
    assert len(cdek.requests_for("CreateCustomerRefund")) == 1
    cdek.clear_faults()


class CountingTransport(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.attempts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        return super().handle_request(request)


@pytest.mark.seed("paydo")
def test_write_that_never_left_is_retried_on_connect_errors() -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    transport = CountingTransport()
    pkg = package("paydo")
    with (
        pkg.Client(
            base_url=f"http://127.0.0.1:{port}", token="t-1234", transport=transport, max_retries=2, **FAST
        ) as client,
        pytest.raises(pkg.ConnectError),
    ):
        client.create_refund(**example_kwargs(provider("paydo"), provider("paydo").method("CreateRefund")))
    assert transport.attempts == 3


# --- a write with a unique client-chosen id and a lookup ------------------------------
def refund_kwargs(merchant_order_id: str) -> dict[str, Any]:
    p = provider("invoicebox")
    return {**example_kwargs(p, p.method("CreateRefundOrder")), "merchant_order_id": merchant_order_id}


def box_client(server: MockServer, **options: Any) -> Any:
    return package("invoicebox").Client(base_url=server.url, token="t-1234", **{**FAST, **options})


@pytest.mark.seed("invoicebox")
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_uncertain_unique_write_is_looked_up_not_reposted(box: MockServer, mode: str) -> None:
    box.reset()
    box.set_fault("CreateRefundOrder", Fault(drop="after", times=1))  # created, but the answer is lost
    if mode == "sync":
        with box_client(box) as client:
            result = client.create_refund_order(**refund_kwargs("R-lookup-1"))
    else:

        async def run() -> Any:
            async with package("invoicebox").AsyncClient(base_url=box.url, token="t-1234", **FAST) as client:
                return await client.create_refund_order(**refund_kwargs("R-lookup-1"))

        result = asyncio.run(run())
    assert result.data.merchant_order_id == "R-lookup-1"
    assert type(result).__name__ == "RefundOrderEnvelope"
    assert len(box.requests_for("CreateRefundOrder")) == 1
    [lookup] = box.requests_for("ListRefundOrders")
    assert lookup.query == {"merchantOrderId": ["R-lookup-1"]}
    assert result.raw_response.url.endswith("merchantOrderId=R-lookup-1")


@pytest.mark.seed("invoicebox")
def test_unique_write_not_found_by_lookup_is_sent_again(box: MockServer) -> None:
    box.reset()
    box.set_fault("CreateRefundOrder", Fault(drop="before", times=1))  # lost before it was handled
    with box_client(box) as client:
        result = client.create_refund_order(**refund_kwargs("R-resend-1"))
    assert result.data.merchant_order_id == "R-resend-1"
    assert [r.route for r in box.requests] == ["CreateRefundOrder", "ListRefundOrders", "CreateRefundOrder"]
    with box_client(box) as client:
        assert len(client.list_refund_orders(merchant_order_id="R-resend-1").data) == 1  # one refund only


@pytest.mark.seed("invoicebox")
def test_unique_write_after_a_server_error_is_looked_up(box: MockServer) -> None:
    box.reset()
    box.set_fault("CreateRefundOrder", Fault(status=500, times=1))
    with box_client(box) as client:
        result = client.create_refund_order(**refund_kwargs("R-500-1"))
    assert result.data.merchant_order_id == "R-500-1"
    assert [r.route for r in box.requests] == ["CreateRefundOrder", "ListRefundOrders", "CreateRefundOrder"]


@pytest.mark.seed("invoicebox")
def test_failed_lookup_raises_an_uncertain_write_naming_the_id(box: MockServer) -> None:
    box.reset()
    box.set_fault("CreateRefundOrder", Fault(drop="after"))
    box.set_fault("ListRefundOrders", Fault(status=500))
    pkg = package("invoicebox")
    with box_client(box) as client, pytest.raises(pkg.UncertainWriteError) as caught:
        client.create_refund_order(**refund_kwargs("R-unknown-1"))
    assert caught.value.unique_field == "merchant_order_id"
    assert caught.value.unique_value == "R-unknown-1"
    assert "merchant_order_id='R-unknown-1'" in str(caught.value)
    assert len(box.requests_for("CreateRefundOrder")) == 1


@pytest.mark.seed("invoicebox")
def test_unique_write_gives_up_when_retries_are_spent(box: MockServer) -> None:
    box.reset()
    box.set_fault("CreateRefundOrder", Fault(drop="before"))
    pkg = package("invoicebox")
    with box_client(box, max_retries=1) as client, pytest.raises(pkg.UncertainWriteError) as caught:
        client.create_refund_order(**refund_kwargs("R-never-1"))
    assert [r.route for r in box.requests] == ["CreateRefundOrder", "ListRefundOrders"] * 2
    # The outcome is unknown (a late answer may yet create it): the caller gets the id to look it up by.
    assert (caught.value.unique_field, caught.value.unique_value) == ("merchant_order_id", "R-never-1")


# --- the rules themselves ------------------------------------------------------------
def test_backoff_grows_and_retry_after_parses() -> None:
    from opi._runtime import retry

    for attempt in range(4):
        delay = retry.backoff(attempt, 0.5)
        assert 0.25 * 2**attempt <= delay <= 0.5 * 2**attempt
    assert retry.backoff(20, 0.5) <= retry.MAX_DELAY
    assert retry.retry_after({"retry-after": "7"}) == 7.0
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (retry.retry_after({"retry-after": later}) or 0) <= 31
    assert retry.retry_after({"retry-after": "soon"}) is None
    assert retry.retry_after({}) is None


# --- a write with an idempotency key header (no provider spec uses one yet: a variant of one is made)
@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    with keyed_variant(tmp_path_factory.mktemp("keyed")) as found:
        yield found


@pytest.mark.seed("paydo")  # the keyed variant is made from PayDo's spec
def test_idempotency_key_is_repeated_on_retries_and_new_per_call(keyed: tuple[Any, Any]) -> None:
    pkg, p = keyed
    m = p.method("CreateRefund")
    with MockServer.start(p) as server, pkg.Client(base_url=server.url, token="t-1234", **FAST) as client:
        server.set_fault("CreateRefund", Fault(drop="after", times=1))  # handled, answer lost: retried
        first = client.create_refund(**example_kwargs(p, m))
        server.set_fault("CreateRefund", Fault(status=503, times=1))
        second = client.create_refund(**example_kwargs(p, m))
        requests = answered(server, "CreateRefund")
    keys = [r.headers["idempotency-key"] for r in requests]
    assert len(keys) == 4
    assert keys[0] == keys[1] and keys[2] == keys[3] and keys[0] != keys[2]
    assert first.raw_response.status_code == second.raw_response.status_code == 200
