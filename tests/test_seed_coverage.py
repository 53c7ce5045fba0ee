"""Each provider's spec holds every field of its seed page (../shared/seeds/), checked on the built IR.

The expectations below are written by hand from the seed pages, not derived from the specs: field names,
types, required flags, lengths, enum values, examples, notes and the seed's mistakes (which the spec must
record as errata). Where a spec deliberately differs from its seed (a verified fact, see
../shared/providers.md), the test names the difference and asserts the spec says so.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from spec_support import ROOT, provider_file

from generator import ir

JSON = dict[str, Any]


@cache
def spec(alias: str) -> ir.Provider:
    return provider_file(ROOT / "specs" / f"{alias}.yaml")


def norm(text: str) -> str:
    return " ".join(text.split())


def resolve(provider: ir.Provider, schema: JSON) -> JSON:
    while "$ref" in schema:
        schema = provider.schemas[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def prop(provider: ir.Provider, schema: JSON, *path: str) -> JSON:
    """The schema of a (nested) property; '[]' steps into array items."""
    node = resolve(provider, schema)
    for part in path:
        node = resolve(provider, node["items"] if part == "[]" else node["properties"][part])
    return node


def required(provider: ir.Provider, schema: JSON, *path: str) -> set[str]:
    return set(prop(provider, schema, *path).get("required", ()))


def kind(schema: JSON) -> str:
    """The JSON type, with nullable types (['string', 'null']) reduced to the type."""
    value = schema["type"]
    return value if isinstance(value, str) else next(t for t in value if t != "null")


def param(method: ir.Method, wire: str) -> ir.Parameter:
    return next(p for p in method.parameters if p.wire == wire)


def texts(provider: ir.Provider, method: ir.Method | None = None) -> str:
    """Everything a reader of the docs sees as prose: notes, errata, descriptions."""
    parts = [*provider.errata, *provider.errors.errata, provider.credentials or "", provider.description]
    for m in [method] if method else provider.methods:
        parts += [m.description, *m.notes, *m.errata, *(p.description for p in m.parameters)]
        parts += [r.description for r in m.responses]
    return norm(" ".join(parts))


# --- CDEK (seed 000: OPI page of CreateCustomerRefund) -------------------------------------------------------
SEED_000_TOKEN = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzY29wZSI6WyJsb2NhdGlvbjphbGwiLCJvcmRlcjphbGwiLCJwYXltZW50OmFsbCJd"
)


@pytest.mark.seed("cdek")
def test_cdek_method_and_its_four_parameters() -> None:
    cdek = spec("cdek")
    m = cdek.method("CreateCustomerRefund")
    assert (m.title, m.description) == ("Create customer refund", "Processes customer returns for online store orders")
    # Token | --token | String | Auth token
    token = next(i for i in cdek.inputs if i.name == "token")
    assert (token.option, token.description, token.secret) == ("token", "Auth token", True)
    assert token.example is not None and SEED_000_TOKEN.startswith(token.example.removesuffix("...")[:60])
    # UUID | --uuid | String | Order UUID
    uuid = m.parameters[0]
    assert (uuid.py_name, uuid.option, uuid.location, uuid.required) == ("uuid", "uuid", ir.Location.PATH, True)
    assert (uuid.description, kind(uuid.schema), uuid.example) == (
        "Order UUID", "string", "f1799065-01de-448c-91cf-8afe7d4c0cfc",
    )
    # Tariff | --tariff | Number | Tariff code (from those available under the contract); sent as tariff_code
    tariff = next(p for p in m.parameters if p.py_name == "tariff")
    assert (tariff.option, tariff.wire, tariff.required, tariff.example) == ("tariff", "tariff_code", True, 139)
    assert tariff.description == "Tariff code (from those available under the contract)"
    assert kind(tariff.schema) in ("integer", "number")
    # TestAPI | --testapi | Boolean | Flag to use test API for requests
    flag = cdek.environment_flag
    assert flag is not None
    assert (flag.name, flag.option, flag.description) == ("testapi", "testapi", "Flag to use test API for requests")
    assert flag.environment != cdek.default_environment.name
    assert {p.py_name for p in m.parameters} == {"uuid", "tariff"}


@pytest.mark.seed("cdek")
def test_cdek_tip_link_and_urls() -> None:
    cdek = spec("cdek")
    m = cdek.method("CreateCustomerRefund")
    assert [norm(n) for n in m.notes] == [
        "This method is used if the direct order was delivered by CDEK and the recipient wants to return it in full",
        "If the order was delivered by another service, or you need to return not all items, you must use the "
        "CreateOrder method with is_client_return = true",
    ]
    assert (m.doc_title, m.doc_url) == ("Customer returns", "https://api-docs.cdek.ru/122762174.html")
    assert (m.http_method, m.path) == ("POST", "/orders/{uuid}/clientReturn")
    assert {e.url for e in cdek.environments} == {"https://api.cdek.ru/v2", "https://api.edu.cdek.ru/v2"}
    # "Returns: Map Of KeyAndValue - serialized JSON response from CDEK": a response with an example, never empty
    assert m.success.has_example and m.success.example
    state = prop(cdek, m.success.schema or {}, "requests", "[]", "state")
    assert state["enum"] == ["ACCEPTED", "WAITING", "SUCCESSFUL", "INVALID"]
    assert "v2" in " ".join(cdek.errata)  # OPI's production URL lacks /v2


# --- Invoicebox (seed 001: "Осуществление возврата") ---------------------------------------------------------
# (field, required, type, maxLength, example) of CreateRefundOrderRequest
REFUND_REQUEST = [
    ("parentId", True, "string", 36, "01771534-196a-1105-839a-82422289d6d9"),
    ("merchantOrderId", True, "string", 100, "O-12345"),
    ("amount", True, "number", None, 19658.45),
    ("vatAmount", True, "number", None, 156.56),
    ("basketItems", True, "array", None, None),
    ("description", True, "string", 1000, "Оплата номера в отеле"),
    ("status", False, "string", 50, "created"),
]
# RefundOrderResponse: every field required
REFUND_RESPONSE = [
    ("id", "string", 36, "01771534-1a57-f184-dee3-ebeb91dded75"),
    ("parentId", "string", 36, "01771534-196a-1105-839a-82422289d6d9"),
    ("description", "string", 1000, "Оплата номера в отеле"),
    ("merchantOrderId", "string", 256, "O-12345"),
    ("merchantId", "string", 36, "01771534-1a57-f184-dee3-ebeb91dded76"),
    ("amount", "number", None, 19658.45),
    ("vatAmount", "number", None, 156.56),
    ("currencyId", "string", 3, "RUB"),
    ("basketItems", "array", None, None),
    ("createdAt", "string", None, "2020-12-22T00:00:00+00:00"),
    ("status", "string", 50, "completed"),
]
# BasketItem (linked from the seed; fields verified in providers.md): (field, required, type, maxLength)
ANY_LENGTH = -1  # an enum whose length the sources do not state
BASKET_ITEM = [
    ("sku", True, "string", 500), ("name", True, "string", 500), ("measure", True, "string", 10),
    ("measureCode", True, "string", 4), ("quantity", True, "number", None), ("amount", True, "number", None),
    ("amountWoVat", True, "number", None), ("totalAmount", True, "number", None),
    ("totalVatAmount", True, "number", None), ("vatCode", True, "string", ANY_LENGTH), ("type", True, "string", 10),
    ("paymentType", True, "string", ANY_LENGTH), ("groupName", False, "string", 500),
    ("originCountry", False, "string", 20), ("originCountryCode", False, "string", 4),
    ("grossWeight", False, "number", None), ("netWeight", False, "number", None), ("excise", False, "number", None),
    ("serviceDate", False, "string", None), ("categoryType", False, "string", None),
    ("category", False, "string", 20), ("metaData", False, "object", None),
]


@pytest.mark.seed("invoicebox")
def test_invoicebox_refundable_items() -> None:
    box = spec("invoicebox")
    m = next(m for m in box.methods if m.path.endswith("/refund-basket-item"))
    assert (m.http_method, m.path) == ("GET", "/v3/billing/api/order/order/{uuid}/refund-basket-item")
    assert param(m, "uuid").location is ir.Location.PATH and param(m, "uuid").required
    items = prop(box, m.success.schema or {}, "data")
    assert kind(items) == "array" and resolve(box, items["items"]) is box.schemas["BasketItem"]


@pytest.mark.seed("invoicebox")
@pytest.mark.parametrize(("wire", "is_required", "type_", "max_length", "example"), REFUND_REQUEST)
def test_invoicebox_create_refund_order_request(
    wire: str, is_required: bool, type_: str, max_length: int | None, example: Any
) -> None:
    m = spec("invoicebox").method("CreateRefundOrder")
    assert (m.http_method, m.path) == ("POST", "/v3/billing/api/order/refund-order")
    p = param(m, wire)
    assert (p.location, p.required, kind(p.schema), p.schema.get("maxLength")) == (
        ir.Location.BODY, is_required, type_, max_length,
    )
    if example is not None:
        assert p.example == example
    assert {p.wire for p in m.parameters} == {f[0] for f in REFUND_REQUEST}


@pytest.mark.seed("invoicebox")
def test_invoicebox_status_default_and_uniqueness() -> None:
    m = spec("invoicebox").method("CreateRefundOrder")
    status = param(m, "status")
    assert (status.has_default, status.default) == (True, "created")
    assert {"created", "draft"} <= set(status.type.enum)
    # "a duplicate merchantOrderId is rejected; this prevents accidental double refunds"
    assert m.safety.kind is ir.Idempotency.UNIQUE_FIELD
    assert m.safety.field == "merchant_order_id"
    assert m.safety.lookup is not None
    notes = norm(" ".join(m.notes))
    assert "unique" in notes and "merchantOrderId" in notes and "double refunds" in notes
    assert "only for a paid order" in notes


@pytest.mark.seed("invoicebox")
@pytest.mark.parametrize(("wire", "type_", "max_length", "example"), REFUND_RESPONSE)
def test_invoicebox_refund_order_response(wire: str, type_: str, max_length: int | None, example: Any) -> None:
    box = spec("invoicebox")
    m = box.method("CreateRefundOrder")
    order = m.success.schema or {}
    node = prop(box, order, "data", wire)
    assert (kind(node), node.get("maxLength")) == (type_, max_length)
    assert wire in required(box, order, "data")
    assert set(prop(box, order, "data")["properties"]) >= {f[0] for f in REFUND_RESPONSE}
    if example is not None:
        assert m.success.example["data"][wire] == example
    if wire == "currencyId":
        assert node["enum"] == ["RUB"]
    if wire == "createdAt":
        assert node["format"] == "date-time"


@pytest.mark.seed("invoicebox")
@pytest.mark.parametrize(("wire", "is_required", "type_", "max_length"), BASKET_ITEM)
def test_invoicebox_basket_item(wire: str, is_required: bool, type_: str, max_length: int | None) -> None:
    box = spec("invoicebox")
    item = box.schemas["BasketItem"]
    node = prop(box, item, wire)
    length = node.get("maxLength") if max_length != ANY_LENGTH else ANY_LENGTH
    assert (kind(node), length, wire in item["required"]) == (type_, max_length, is_required)
    enums = {
        "vatCode": ["VATNONE", "RUS_VAT0", "RUS_VAT10", "RUS_VAT20"],
        "paymentType": ["full_prepayment", "prepayment", "advance", "full_payment"],
        "categoryType": ["merchantHonestSignMap", "honestSign"],
    }
    if wire in enums:
        assert node["enum"] == enums[wire]
    if wire == "serviceDate":
        assert node["format"] == "date"


@pytest.mark.seed("invoicebox")
def test_invoicebox_records_the_seed_discrepancy() -> None:
    m = spec("invoicebox").method("CreateRefundOrder")
    errata = norm(" ".join(m.errata))
    assert "string(100)" in errata and "string(256)" in errata


# --- Geins (seed 002: "Creates refund", the NewRefund model) -----------------------------------------------
# (wire, type, required, a phrase of the seed's description)
NEW_REFUND = [
    ("OrderRowId", "integer", False, "The order row that this refund row represents. Commonly used with returns."),
    ("Reference", "string", False, "custom reference for the refund"),
    ("Description", "string", False, "A description of the refund."),
    ("Author", "string", False, "The name of author of the refund."),
    ("RefundAmount", "number", True, "The refund amount."),
    ("ToBalance", "boolean", False, "If true, will refund the amount to the customer's balance."),
    ("Settled", "boolean", False, "won't trigger a refund event"),
    ("RefundType", "integer", False, "What kind of source transaction the refund is derived from."),
    ("SkipRefundEvents", "boolean", False, "If true, will skip sending refund events."),
    ("RefundsRequireApproval", "boolean", False,
     "If set to true, refunds will require approval before being sent. Only applies if Settled is false."),
]


@pytest.mark.seed("geins")
@pytest.mark.parametrize(("wire", "type_", "is_required", "phrase"), NEW_REFUND)
def test_geins_new_refund_fields(wire: str, type_: str, is_required: bool, phrase: str) -> None:
    m = spec("geins").method("CreateRefund")
    p = param(m, wire)
    assert (p.location, kind(p.schema), p.required) == (ir.Location.BODY, type_, is_required)
    assert phrase in norm(p.description)
    assert {p.wire for p in m.parameters if p.location is ir.Location.BODY} == {f[0] for f in NEW_REFUND}


@pytest.mark.seed("geins")
def test_geins_path_refund_type_and_responses() -> None:
    geins = spec("geins")
    m = geins.method("CreateRefund")
    assert (m.http_method, m.path) == ("POST", "/API/Order/{orderId}/Refund")
    order = param(m, "orderId")
    assert (order.location, order.required, kind(order.schema), norm(order.description)) == (
        ir.Location.PATH, True, "integer", "The order id",
    )
    refund_type = param(m, "RefundType").type
    assert refund_type.enum == (0, 1, 2, 3)
    assert [d.split(".")[0] for d in refund_type.enum_descriptions] == ["Default", "InstanceCost", "Shipping",
                                                                        "InvoiceFee"]
    assert refund_type.enum_descriptions[3] == "InvoiceFee. Refund invoice fee."
    assert {r.status: r.description for r in m.responses} == {
        200: "The id of the created refund.", 400: "Bad request.", 404: "Not found.",
    }
    for response in m.responses:
        envelope = resolve(geins, response.schema or {})
        assert envelope.get("required", []) == []  # every field optional
        assert prop(geins, envelope, "Resource")["format"] == "uuid"
        assert kind(prop(geins, envelope, "Message")) == "string"
        assert kind(prop(geins, envelope, "Details", "[]")) == "string"
    assert "immediately" in param(m, "Settled").description
    assert "immediatley" in norm(" ".join(m.errata))  # the seed's typo is recorded, not copied


# --- Digital River (seed 003: "Creating a satisfaction refund") ----------------------------------------------
@pytest.mark.seed("digitalriver")
def test_digitalriver_request() -> None:
    dr = spec("digitalriver")
    m = dr.method("CreateRefund")
    assert (m.http_method, m.path) == ("POST", "/orders/{orderId}/refunds")
    assert param(m, "orderId").location is ir.Location.PATH
    assert set(param(m, "type").type.enum) == {"productRefund", "orderRefund"}
    assert {"PRODUCT_LEVEL_PRODUCT", "ORDER_LEVEL_FULL"} <= set(param(m, "category").type.enum)
    reason = norm(param(m, "reason").description)
    assert "CUSTOMER_SATISFACTION_ISSUE" in reason and "VENDOR_APPROVED_REFUND" in reason
    assert param(m, "comments").example == "Test Product Refund"
    line_items = param(m, "lineItems")
    assert prop(dr, line_items.schema, "[]", "lineItemId")["type"] == "string"
    assert kind(prop(dr, line_items.schema, "[]", "refundAmount", "value")) == "number"
    assert kind(prop(dr, line_items.schema, "[]", "refundAmount", "currency")) == "string"
    assert line_items.example == [{"lineItemId": "51274910082", "refundAmount": {"value": 139.23, "currency": "EUR"}}]
    order_level = param(m, "refundAmount")  # the order-level refund's top-level amount
    assert set(prop(dr, order_level.schema)["properties"]) == {"value", "currency"}
    assert dr.default_environment.url == "https://api.digitalriver.com"
    notes = norm(" ".join(m.notes))
    assert "two ways to create a refund" in notes.lower() and "Global Commerce" in notes


REFUND_FIELDS = ["id", "status", "reason", "comments", "type", "category", "generationDate", "generatedBy", "origin",
                 "overrides", "policy", "currency", "totalRefunded", "outstanding", "totalRequested", "lineItems"]
LINE_ITEM_FIELDS = ["status", "expectedQuantity", "returnedQuantity", "type", "notes", "date", "product", "lineItemId"]


@pytest.mark.seed("digitalriver")
def test_digitalriver_response() -> None:
    dr = spec("digitalriver")
    m = dr.method("CreateRefund")
    assert m.success.status == 200
    refund = prop(dr, m.success.schema or {}, "refunds", "[]")
    assert set(refund["properties"]) >= set(REFUND_FIELDS)
    for money in ("totalRefunded", "outstanding", "totalRequested"):
        assert set(prop(dr, refund, money)["properties"]) >= {"value", "formattedValue"}
    line = prop(dr, refund, "lineItems", "[]")
    assert set(line["properties"]) >= set(LINE_ITEM_FIELDS)
    assert kind(prop(dr, line, "expectedQuantity")) == "integer"
    assert set(prop(dr, line, "product")["properties"]) >= {"companyId", "id", "externalId"}
    example = m.success.example["refunds"][0]
    assert (example["id"], example["status"], example["type"]) == (
        "7613660289", "ReturnAcknowledged", "LineItemLevelSatisfactionRefund",
    )
    assert example["lineItems"][0]["product"] == {"companyId": "fitbit", "id": "5423986700", "externalId": "507BKBK"}
    assert example["totalRequested"] == {"value": 139.23, "formattedValue": "139.23EUR"}


@pytest.mark.seed("digitalriver")
def test_digitalriver_records_the_seed_mistakes() -> None:
    errata = texts(spec("digitalriver"))
    assert "orderRefund" in errata and "productRefund" in errata  # order-level example repeats productRefund
    assert "/order-api" in errata
    assert "customer token" in errata


# --- PayDo (seed 004: "Create refund") ------------------------------------------------------------------------
CREATE_REFUND = [
    ("transactionIdentifier", "string", "Your checkout transaction identifier", "d839c714-1111-0000-1111-73592597c6e1"),
    ("refundType", "integer", "Refund type", 2),
    ("amount", "number", "Refund amount in the currency of the parent transaction", 10),
    ("metadata", "object", "Arbitrary structure object to store any additional merchant data. Result JSON should be "
     "less than 800 kB", {"internal merchant id": "example"}),
]


@pytest.mark.seed("paydo")
@pytest.mark.parametrize(("wire", "type_", "description", "example"), CREATE_REFUND)
def test_paydo_parameters(wire: str, type_: str, description: str, example: Any) -> None:
    m = spec("paydo").method("CreateRefund")
    p = param(m, wire)
    assert (p.location, p.required, kind(p.schema), norm(p.description), p.example) == (
        ir.Location.BODY, True, type_, description, example,
    )
    assert {p.wire for p in m.parameters} == {f[0] for f in CREATE_REFUND}


@pytest.mark.seed("paydo")
def test_paydo_endpoint_refund_type_and_answers() -> None:
    paydo = spec("paydo")
    m = paydo.method("CreateRefund")
    assert (paydo.default_environment.url, m.http_method, m.path) == ("https://paydo.com", "POST", "/v1/refunds/create")
    assert [s.kind for s in paydo.schemes] == ["bearer"]
    refund_type = param(m, "refundType").type
    assert refund_type.enum == (1, 2)
    assert [norm(d).lower().rstrip(".") for d in refund_type.enum_descriptions] == [
        "all transaction amount", "partial amount",
    ]
    success = m.success
    assert success.status == 200
    assert [h.name for h in success.headers] == ["identifier"]
    assert success.example == {"data": "", "status": 1, "identifier": "81962ed0-1111-2222-3333-b3dbf9750399"}
    answers = {r.status: r for r in m.responses}
    assert answers[401].example == {"message": "Full authentication is required to access this resource."}
    assert answers[422].example == {"message": "Refund amount is bigger than transaction amount"}
    assert "Transaction not found" in answers[422].description
    assert "token" in norm(" ".join(m.notes)) and "identifier" in norm(" ".join(m.notes))


@pytest.mark.seed("paydo")
def test_paydo_records_the_seed_mistakes() -> None:
    errata = norm(" ".join(spec("paydo").method("CreateRefund").errata))
    assert '"10"' in errata  # amount example sent as a string
    assert "metadata" in errata and "number" in errata  # metadata documented as a number
    assert "Payment method is not enabled" in errata  # both 422 badges
