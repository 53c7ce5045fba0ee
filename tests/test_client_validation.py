"""Invalid calls are refused before anything is sent: the error names the keyword and the rule broken."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from client_support import credentials, example_kwargs, package, provider

from generator.mock import MockServer

LONG_ID = "x" * 101


@dataclass(frozen=True)
class Later:
    """with_() evaluated when the test runs (collecting needs no spec)."""

    alias: str
    method: str
    changes: dict[str, Any]

    def kwargs(self) -> dict[str, Any]:
        return with_(self.alias, self.method, **self.changes)


def later(alias: str, method: str, **changes: Any) -> Later:
    return Later(alias, method, changes)


def with_(alias: str, method: str, **changes: Any) -> dict[str, Any]:
    kwargs = example_kwargs(provider(alias), provider(alias).method(method))
    for key, value in changes.items():
        if value is ...:
            kwargs.pop(key)
        else:
            kwargs[key] = value
    return kwargs


_CASES = [
    # (alias, method, keywords, field named in the error, rule type reported)
    (
        "cdek",
        "create_customer_refund",
        later("cdek", "CreateCustomerRefund", tariff="abc"),
        "tariff",
        "int_parsing",
    ),
    ("cdek", "get_order", later("cdek", "GetOrder", uuid="not-a-uuid"), "uuid", "uuid_parsing"),
    (
        "cdek",
        "create_customer_refund",
        later("cdek", "CreateCustomerRefund", tariff=...),
        "tariff",
        "missing",
    ),
    (
        "invoicebox",
        "create_refund_order",
        later("invoicebox", "CreateRefundOrder", merchant_order_id=LONG_ID),
        "merchant_order_id",
        "string_too_long",
    ),
    (
        "invoicebox",
        "create_refund_order",
        later("invoicebox", "CreateRefundOrder", status="paid"),
        "status",
        "literal_error",
    ),
    (
        "invoicebox",
        "create_refund_order",
        later("invoicebox", "CreateRefundOrder", basket_items=[{"sku": "a", "name": "b"}]),
        "basket_items[0].amount",
        "missing",
    ),
    ("invoicebox", "list_refund_orders", {"parent_id": "p" * 37}, "parent_id", "string_too_long"),
    ("invoicebox", "list_refundable_items", {"uuid": 12}, "uuid", "string_type"),
    ("geins", "create_refund", later("geins", "CreateRefund", refund_type=7), "refund_type", "literal_error"),
    ("geins", "get_refund", later("geins", "GetRefund", order_id="ten"), "order_id", "int_parsing"),
    (
        "geins",
        "create_refund",
        later("geins", "CreateRefund", to_balance="maybe"),
        "to_balance",
        "bool_parsing",
    ),
    (
        "digitalriver",
        "create_refund",
        later("digitalriver", "CreateRefund", refund_type=...),
        "refund_type",
        "missing",
    ),
    (
        "digitalriver",
        "create_refund",
        later("digitalriver", "CreateRefund", line_items=..., refund_amount={"value": 2}),
        "refund_amount.currency",
        "missing",
    ),
    ("paydo", "create_refund", later("paydo", "CreateRefund", refund_type=3), "refund_type", "literal_error"),
    ("paydo", "create_refund", later("paydo", "CreateRefund", amount="ten"), "amount", "float_parsing"),
    (
        "paydo",
        "create_refund",
        later("paydo", "CreateRefund", reason="typo"),
        "reason",
        "unexpected keyword argument",
    ),
]
# Each case checks a seed provider's method: it runs when that seed's spec is in specs/.
CASES = [pytest.param(*case, marks=pytest.mark.seed(case[0])) for case in _CASES]


def make(alias: str, url: str, mode: str) -> Any:
    pkg = package(alias)
    return (pkg.Client if mode == "sync" else pkg.AsyncClient)(base_url=url, **credentials(provider(alias)))


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("alias", "method", "kwargs", "field", "rule"), CASES)
def test_invalid_call_is_refused_and_nothing_is_sent(
    servers: dict[str, MockServer],
    alias: str,
    method: str,
    kwargs: dict[str, Any] | Later,
    field: str,
    rule: str,
    mode: str,
) -> None:
    if isinstance(kwargs, Later):
        kwargs = kwargs.kwargs()
    server = servers[alias]
    server.reset()
    pkg = package(alias)
    client = make(alias, server.url, mode)
    with pytest.raises(pkg.ValidationError) as caught:
        if mode == "sync":
            with client:
                getattr(client, method)(**kwargs)
        else:

            async def run() -> None:
                async with client:
                    await getattr(client, method)(**kwargs)

            asyncio.run(run())
    error = caught.value
    assert error.field == field
    assert rule in error.rule
    assert f"{field}: " in str(error) and "nothing was sent" in str(error)
    assert isinstance(error, ValueError)
    assert server.requests == []  # not even a token request


@pytest.mark.seed("invoicebox")
def test_every_problem_is_reported_at_once(servers: dict[str, MockServer]) -> None:
    pkg = package("invoicebox")
    with (
        make("invoicebox", servers["invoicebox"].url, "sync") as client,
        pytest.raises(pkg.ValidationError) as caught,
    ):
        client.create_refund_order(
            **with_("invoicebox", "CreateRefundOrder", merchant_order_id=LONG_ID, amount="x", status="paid")
        )
    assert {f for f, _ in caught.value.errors} == {"merchant_order_id", "amount", "status"}


@pytest.mark.seed("cdek")
def test_body_and_fields_together_are_refused(servers: dict[str, MockServer]) -> None:
    pkg = package("cdek")
    with (
        make("cdek", servers["cdek"].url, "sync") as client,
        pytest.raises(pkg.ValidationError, match="either body"),
    ):
        client.create_customer_refund(
            uuid="f1799065-01de-448c-91cf-8afe7d4c0cfc",
            tariff=139,
            body=pkg.ClientReturnRequest(tariff_code=139),
        )
    assert servers["cdek"].requests == []


@pytest.mark.seed("invoicebox")
def test_defaults_are_sent_and_optional_keywords_left_out(servers: dict[str, MockServer]) -> None:
    server = servers["invoicebox"]
    server.reset()
    with make("invoicebox", server.url, "sync") as client:
        client.create_refund_order(**with_("invoicebox", "CreateRefundOrder", status=...))
        client.list_refund_orders(status="completed")
    create, listing = server.requests
    assert create.json["status"] == "created"  # the spec's default
    assert listing.query == {"status": ["completed"]}
