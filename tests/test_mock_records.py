"""Uniqueness the spec declares (Invoicebox: merchantOrderId) and the declared lookup by it."""

from __future__ import annotations

import httpx
import pytest
from mock_support import call, provider

from generator.mock import Fault, MockServer

P = provider("invoicebox")
CREATE = P.method("CreateRefundOrder")
LIST = P.method("ListRefundOrders")


def _create(server: MockServer, merchant_order_id: str, **fields: object) -> httpx.Response:
    return call(server, CREATE, merchantOrderId=merchant_order_id, **fields)


def _find(server: MockServer, merchant_order_id: str | None) -> list[dict[str, object]]:
    answer = call(server, LIST, merchantOrderId=merchant_order_id, id=None, parentId=None, status=None,
                  merchantId=None)
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert isinstance(data, list)
    return data


def test_the_write_declares_a_unique_field_and_a_lookup() -> None:
    assert CREATE.safety.field == "merchant_order_id"
    assert CREATE.safety.lookup is not None and CREATE.safety.lookup.method == LIST.py_name


@pytest.mark.seed("invoicebox")
def test_second_refund_with_the_same_merchant_order_id_is_rejected_as_documented() -> None:
    with MockServer.start(P) as server:
        first = _create(server, "R-1", description="first")
        assert first.status_code == 200
        assert first.json()["data"]["merchantOrderId"] == "R-1"
        assert first.json()["data"]["description"] == "first"
        again = _create(server, "R-1", description="second")
        assert again.status_code == 409
        message = "merchantOrderId must be unique: a record with this value already exists"
        assert again.json() == {"error": {
            "message": message, "code": "duplicate",
            "fields": [{"name": "merchantOrderId", "code": "not_unique", "message": message}]}}
        other = _create(server, "R-2")
        assert other.status_code == 200
        assert [r.status for r in server.requests_for("CreateRefundOrder")] == [200, 409, 200]


@pytest.mark.seed("invoicebox")
def test_lookup_by_the_unique_value_returns_the_stored_record() -> None:
    with MockServer.start(P) as server:
        assert _find(server, "R-7") == []
        created = _create(server, "R-7", amount=10.5, vatAmount=1.75, status="draft")
        found = _find(server, "R-7")
        assert found == [created.json()["data"]]
        assert found[0]["amount"] == 10.5 and found[0]["status"] == "draft"
        # Fields the request does not carry come from the documented answer.
        assert found[0]["id"] == CREATE.success.example["data"]["id"]
        assert _find(server, "R-8") == []


@pytest.mark.seed("invoicebox")
def test_lookup_without_the_filter_lists_every_record_or_the_example() -> None:
    with MockServer.start(P) as server:
        assert call(server, LIST, merchantOrderId=None).json() == LIST.success.example
        _create(server, "A")
        _create(server, "B")
        every = _find(server, None)
        assert [r["merchantOrderId"] for r in every] == ["A", "B"]


@pytest.mark.seed("invoicebox")
def test_reset_forgets_records() -> None:
    with MockServer.start(P) as server:
        _create(server, "R-9")
        server.reset()
        assert _find(server, "R-9") == []
        assert _create(server, "R-9").status_code == 200


@pytest.mark.seed("invoicebox")
def test_drop_after_stores_the_record_so_the_lookup_finds_it() -> None:
    with MockServer.start(P) as server:
        server.set_fault("CreateRefundOrder", Fault(drop="after", times=1))
        with pytest.raises(httpx.TransportError):
            _create(server, "R-10")
        assert [r["merchantOrderId"] for r in _find(server, "R-10")] == ["R-10"]
        assert _create(server, "R-10").status_code == 409


@pytest.mark.seed("invoicebox")
def test_drop_before_stores_nothing() -> None:
    with MockServer.start(P) as server:
        server.set_fault("CreateRefundOrder", Fault(drop="before", times=1))
        with pytest.raises(httpx.TransportError):
            _create(server, "R-11")
        assert _find(server, "R-11") == []
        assert _create(server, "R-11").status_code == 200


@pytest.mark.seed("invoicebox")
def test_rejected_writes_store_nothing() -> None:
    with MockServer.start(P) as server:
        assert _create(server, "R-12", amount="lots").status_code == 400
        assert call(server, CREATE, auth=False, merchantOrderId="R-12").status_code == 401
        assert _find(server, "R-12") == []
