"""The rules across parameters and the constraints the seed providers' pages state, as their specs transcribe
them: CDEK's order by number takes `cdek_number` or `im_number` (exactly one), a Digital River refund carries
`lineItems` (product level) or `refundAmount` (order level), a Geins refund amount is greater than 0. Each is
checked through the generated client against the contract server: nothing is sent when it is broken."""

from __future__ import annotations

from typing import Any

import pytest
from client_support import credentials, example_kwargs, package, provider

from generator.mock import MockServer


def _refused(alias: str, method: str, kwargs: dict[str, Any], error: str) -> Any:
    p = provider(alias)
    pkg = package(alias)
    m = p.method(method)
    with MockServer.start(p) as server, pkg.Client(base_url=server.url, **credentials(p)) as client:
        with pytest.raises(getattr(pkg, error)) as caught:
            getattr(client, m.py_name)(**kwargs)
        assert server.requests == []
    return caught.value


@pytest.mark.seed("cdek")
def test_cdek_order_by_number_takes_exactly_one_number() -> None:
    m = provider("cdek").method("GetOrderByNumber")
    assert [(g.rule, g.parameters) for g in m.parameter_groups] == [
        ("exactly_one_of", ("cdek_number", "im_number"))
    ]
    both = {"cdek_number": "1106207236", "im_number": "ORDER-2024-15"}
    exc = _refused("cdek", "GetOrderByNumber", both, "ParameterGroupError")
    assert exc.parameters == ("cdek_number", "im_number")
    _refused("cdek", "GetOrderByNumber", {}, "ParameterGroupError")


@pytest.mark.seed("digitalriver")
def test_digitalriver_refund_has_line_items_or_an_order_amount() -> None:
    p = provider("digitalriver")
    m = p.method("CreateRefund")
    assert [(g.rule, g.parameters) for g in m.parameter_groups] == [
        ("exactly_one_of", ("line_items", "refund_amount"))
    ]
    assert any("exactly one of them" in e for e in m.errata)
    kwargs = example_kwargs(p, m)
    assert "line_items" in kwargs and "refund_amount" not in kwargs  # the product-level example
    both = {**kwargs, "refund_amount": {"value": 2, "currency": "USD"}}
    assert _refused("digitalriver", "CreateRefund", both, "ParameterGroupError").parameters == (
        "line_items", "refund_amount"
    )


@pytest.mark.seed("geins")
def test_geins_refund_amount_is_greater_than_zero() -> None:
    p = provider("geins")
    m = p.method("CreateRefund")
    amount = next(q for q in m.parameters if q.wire == "RefundAmount")
    assert amount.schema.get("exclusiveMinimum") == 0
    assert any("greater than 0" in e for e in m.errata)
    exc = _refused("geins", "CreateRefund", {**example_kwargs(p, m), "refund_amount": 0}, "ValidationError")
    assert exc.field == "refund_amount"
