"""Name derivation (generator.names): one place turns spec names into Python, CLI, env and docs names."""

from __future__ import annotations

import pytest

from generator.names import PYTHON_RESERVED, env_var, kebab, pascal, slug, snake, words


@pytest.mark.parametrize(
    ("name", "snake_", "kebab_", "pascal_"),
    [
        ("CreateCustomerRefund", "create_customer_refund", "create-customer-refund", "CreateCustomerRefund"),
        ("refundId", "refund_id", "refund-id", "RefundId"),
        ("RefundID", "refund_id", "refund-id", "RefundId"),
        ("merchant_order_id", "merchant_order_id", "merchant-order-id", "MerchantOrderId"),
        ("HTTPServer", "http_server", "http-server", "HttpServer"),
        ("TestAPI", "test_api", "test-api", "TestApi"),
        ("UUID", "uuid", "uuid", "Uuid"),
        ("testapi", "testapi", "testapi", "Testapi"),
        ("X-Api-Key", "x_api_key", "x-api-key", "XApiKey"),
        ("getV2Refund", "get_v2_refund", "get-v2-refund", "GetV2Refund"),
        ("v1Refunds", "v1_refunds", "v1-refunds", "V1Refunds"),
        ("query[identifier]", "query_identifier", "query-identifier", "QueryIdentifier"),
        ("a__b", "a_b", "a-b", "AB"),
    ],
)
def test_case_conversions(name: str, snake_: str, kebab_: str, pascal_: str) -> None:
    assert snake(name) == snake_
    assert kebab(name) == kebab_
    assert pascal(name) == pascal_
    assert snake(snake_) == snake_ and kebab(kebab_) == kebab_  # conversions are stable


def test_different_spellings_meet_after_conversion() -> None:
    # why the checker compares converted names: these all become one Python keyword argument
    assert {snake(n) for n in ("refundId", "refund_id", "RefundID", "refund__id")} == {"refund_id"}
    assert words("OrderRowId") == ["order", "row", "id"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Create customer refund", "Create-customer-refund"),  # first letter kept, as OPI's page names
        ("Orders management", "Orders-management"),
        ("Get refund (v2)!", "Get-refund-v2"),
        ("a_b  c", "a-b-c"),
        ("Возврат заказа", "Возврат-заказа"),
    ],
)
def test_slug(title: str, expected: str) -> None:
    assert slug(title) == expected


def test_env_var() -> None:
    assert env_var("cdek", "token") == "OPI_CDEK_TOKEN"
    assert env_var("geins", "api-password") == "OPI_GEINS_API_PASSWORD"
    assert env_var("digitalriver", "base-url") == "OPI_DIGITALRIVER_BASE_URL"


def test_python_reserved_names() -> None:
    assert {"class", "from", "pass", "None", "match", "type", "id", "list", "format"} <= PYTHON_RESERVED
    assert not {"refund", "amount", "token", "uuid", "reference"} & PYTHON_RESERVED


def test_client_keywords_are_exactly_what_generated_constructors_take() -> None:
    """A spec input or environment flag named like a constructor keyword would collide; the list must be whole."""
    import importlib
    import inspect
    import sys
    from pathlib import Path

    from spec_support import ROOT, provider_file

    from generator.names import CLIENT_KEYWORDS

    sys.path.insert(0, str(ROOT / "generated"))
    try:
        for spec in sorted(Path(ROOT / "specs").glob("*.yaml")):
            provider = provider_file(spec)
            package = importlib.import_module(f"opi.{provider.alias}")
            own = {i.name for i in provider.client_inputs}
            if provider.environment_flag is not None:
                own.add(provider.environment_flag.name)
            for client in (package.Client, package.AsyncClient):
                taken = set(inspect.signature(client.__init__).parameters) - {"self"}
                assert taken - own == CLIENT_KEYWORDS, (provider.alias, client.__name__)
    finally:
        sys.path.remove(str(ROOT / "generated"))


def test_the_model_uses_the_names_the_checker_checked() -> None:
    """One derivation (generator.naming.SpecNames) feeds both the checker and the IR of every real spec."""
    from pathlib import Path

    from spec_support import ROOT, load_ok, provider_file

    from generator.naming import SpecNames

    for spec in sorted(Path(ROOT / "specs").glob("*.yaml")):
        names = SpecNames.of(load_ok(spec.read_bytes(), spec.name).data)
        provider = provider_file(spec)
        assert [(i.name, i.option, i.env) for s in provider.schemes for i in s.inputs] == [
            (i.name, i.option, i.env) for i in names.inputs
        ]
        for method, m_names in zip(provider.methods, names.methods, strict=True):
            assert method.py_name == m_names.py
            assert [(p.py_name, p.option, p.env, p.wire) for p in method.parameters] == [
                (p.py, p.option, p.env, p.wire) for p in m_names.params
            ]
            assert method.params_model in (None, m_names.params_model)
            assert method.body_model == m_names.body_model
        assert provider.base_url_env == names.base_url_env
