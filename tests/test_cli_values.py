"""How `opi` turns option text into values, seen in the request a dry run (`--test`) would send.

The five specs cover booleans, integers, numbers, enums, objects and arrays of objects; a small
synthetic spec, generated here, covers dates, date-times and arrays of scalars.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_support import Run, opi

LOCAL = "http://127.0.0.1:9"  # never contacted: a dry run sends nothing
TOKEN = "tok-Values-5ecret-0123456789"
UUID = "f1799065-01de-448c-91cf-8afe7d4c0cfc"
LINE = {"lineItemId": "51274910082", "refundAmount": {"value": 139.23, "currency": "EUR"}}


def dry(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> dict[str, Any]:
    run = opi(*args, "--test", env=env, cwd=cwd)
    assert run.code == 0, run.err
    assert "nothing was sent" in run.err
    shown: dict[str, Any] = run.json()
    return shown


def bad(*args: str) -> Run:
    run = opi(*args, "--base-url", LOCAL, "--test")
    assert run.code == 3, (run.code, run.err)
    assert run.out == ""
    return run


def cdek(*args: str) -> dict[str, Any]:
    return dry("cdek", "CreateCustomerRefund", "--token", TOKEN, "--uuid", UUID, *args)


def geins(*args: str) -> dict[str, Any]:
    env = {"OPI_GEINS_API_PASSWORD": "pw-Values-5ecret-01", "OPI_GEINS_API_KEY": "key-Values-5ecret-01"}
    base = ["geins", "CreateRefund", "--api-user", "shop", "--order-id", "10457"]
    if "--refund-amount" not in args:
        base += ["--refund-amount", "1"]
    return dry(*base, "--base-url", LOCAL, *args, env=env)


def paydo(*args: str, cwd: Path | None = None) -> dict[str, Any]:
    base = [
        "paydo",
        "CreateRefund",
        "--token",
        TOKEN,
        "--transaction-identifier",
        "t-1",
        "--refund-type",
        "2",
    ]
    return dry(*base, "--amount", "10", "--base-url", LOCAL, *args, cwd=cwd)


def digitalriver(*args: str, cwd: Path | None = None) -> dict[str, Any]:
    base = ["digitalriver", "CreateRefund", "--token", TOKEN, "--order-id", "1234567890"]
    fields = ["--refund-type", "productRefund", "--category", "PRODUCT_LEVEL_PRODUCT", "--reason", "R"]
    return dry(*base, *fields, "--base-url", LOCAL, *args, cwd=cwd)


@pytest.mark.seed("cdek")
def test_seed_command_as_written_on_the_seed_page() -> None:
    """The OPI page's command, verbatim, selects the test environment with `--testapi true`."""
    shown = cdek("--tariff", "139", "--testapi", "true")
    assert shown["method"] == "POST"
    assert shown["url"] == f"https://api.edu.cdek.ru/v2/orders/{UUID}/clientReturn"
    assert shown["body"] == {"tariff_code": 139}
    assert shown["headers"]["authorization"] == "***"
    assert cdek("--tariff", "139", "--testapi")["url"].startswith("https://api.edu.cdek.ru/v2/")
    assert cdek("--tariff", "139", "--testapi", "false")["url"].startswith("https://api.cdek.ru/v2/")
    assert cdek("--tariff", "139", "--environment", "TEST")["url"].startswith("https://api.edu.cdek.ru/v2/")
    assert cdek("--tariff=139")["url"].startswith("https://api.cdek.ru/v2/")


@pytest.mark.seed("geins")
def test_booleans() -> None:
    body = geins(
        "--to-balance",
        "true",
        "--settled",
        "FALSE",
        "--skip-refund-events",
        "yes",
        "--refunds-require-approval=0",
    )["body"]
    assert (body["ToBalance"], body["Settled"], body["SkipRefundEvents"], body["RefundsRequireApproval"]) == (
        True,
        False,
        True,
        False,
    )
    run = bad("geins", "CreateRefund", "--order-id", "1", "--refund-amount", "1", "--settled=maybe")
    assert "--settled: expected true or false, got 'maybe'" in run.err


@pytest.mark.seed("cdek", "geins")
def test_integers_and_numbers_with_spaces_and_decimal_comma() -> None:
    shown = geins("--refund-amount", "1 249,50", "--order-row-id", " 52 311 ")
    assert shown["body"]["RefundAmount"] == 1249.5
    assert shown["body"]["OrderRowId"] == 52311
    assert geins("--refund-amount", "19\u00a0658.45")["body"]["RefundAmount"] == 19658.45
    assert cdek("--tariff", "1 39")["body"] == {"tariff_code": 139}
    assert (
        dry(
            "geins",
            "GetRefund",
            "--api-user",
            "u",
            "--api-password",
            "p-Values-5ecret",
            "--api-key",
            "k-Values-5ecret",
            "--order-id",
            "10 457",
            "--refund-id",
            UUID,
            "--base-url",
            LOCAL,
        )["url"]
        == f"{LOCAL}/API/Order/10457/Refund/{UUID}"
    )
    assert (
        "--refund-amount: expected number, got '1,249.50'"
        in bad("geins", "CreateRefund", "--order-id", "1", "--refund-amount", "1,249.50").err
    )
    assert "--order-id: expected integer, got '1.5'" in bad("geins", "ListRefunds", "--order-id", "1.5").err


@pytest.mark.seed("cdek")
def test_bad_value_is_named_and_nothing_is_sent() -> None:
    run = opi(
        "cdek",
        "CreateCustomerRefund",
        "--token",
        TOKEN,
        "--uuid",
        UUID,
        "--tariff",
        "abc",
        "--base-url",
        LOCAL,
    )
    assert run.code == 3
    assert "--tariff: expected integer, got 'abc'" in run.err
    assert run.out == "" and TOKEN not in run.err


@pytest.mark.seed("digitalriver", "geins")
def test_enums() -> None:
    assert geins("--refund-type", "3")["body"]["RefundType"] == 3
    run = bad("geins", "CreateRefund", "--order-id", "1", "--refund-amount", "1", "--refund-type", "5")
    assert "--refund-type: expected one of 0, 1, 2, 3, got '5'" in run.err
    run = bad(
        "digitalriver",
        "CreateRefund",
        "--order-id",
        "1",
        "--refund-type",
        "productRefund",
        "--reason",
        "R",
        "--category",
        "WHOLE_ORDER",
    )
    assert "--category: expected one of PRODUCT_LEVEL_PRODUCT, ORDER_LEVEL_FULL" in run.err


@pytest.mark.seed("paydo")
def test_objects_as_json_text_or_file(tmp_path: Path) -> None:
    meta = {"internal merchant id": "пример", "n": 1}
    assert paydo("--metadata", json.dumps(meta, ensure_ascii=False))["body"]["metadata"] == meta
    (tmp_path / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    assert paydo("--metadata", "meta.json", cwd=tmp_path)["body"]["metadata"] == meta
    assert paydo("--metadata", str(tmp_path / "meta.json"))["body"]["metadata"] == meta
    common = ["paydo", "CreateRefund", "--transaction-identifier", "t", "--refund-type", "2", "--amount", "1"]
    assert "--metadata: expected a JSON object" in bad(*common, "--metadata", "[1, 2]").err
    assert "--metadata: expected a JSON object; invalid JSON" in bad(*common, "--metadata", "{oops").err
    assert "--metadata: file not found: missing.json" in bad(*common, "--metadata", "missing.json").err
    assert (
        "--metadata: expected a JSON object (JSON text or a path to a .json file), got 'plain'"
        in bad(*common, "--metadata", "plain").err
    )


@pytest.mark.seed("digitalriver")
def test_arrays_single_value_file_and_repeats(tmp_path: Path) -> None:
    # One object where an array is expected becomes a one-item array.
    assert digitalriver("--line-items", json.dumps(LINE))["body"]["lineItems"] == [LINE]
    assert digitalriver("--line-items", json.dumps([LINE, LINE]))["body"]["lineItems"] == [LINE, LINE]
    (tmp_path / "lines.json").write_text(json.dumps([LINE]), encoding="utf-8")
    (tmp_path / "line.json").write_text(json.dumps(LINE), encoding="utf-8")
    assert digitalriver("--line-items", "lines.json", cwd=tmp_path)["body"]["lineItems"] == [LINE]
    assert digitalriver("--line-items", "line.json", cwd=tmp_path)["body"]["lineItems"] == [LINE]
    # Repeating an array option adds items.
    repeated = digitalriver("--line-items", json.dumps(LINE), "--line-items", "line.json", cwd=tmp_path)
    assert repeated["body"]["lineItems"] == [LINE, LINE]
    run = bad(
        "digitalriver",
        "CreateRefund",
        "--order-id",
        "1",
        "--refund-type",
        "productRefund",
        "--category",
        "ORDER_LEVEL_FULL",
        "--reason",
        "R",
        "--line-items",
        "[1]",
    )
    assert "--line-items: expected a JSON array of objects" in run.err


@pytest.mark.seed("invoicebox")
def test_model_rules_are_reported_as_options() -> None:
    """What the spec's models reject (here a basket item without its required fields) names the option."""
    run = opi(
        "invoicebox",
        "CreateRefundOrder",
        "--token",
        TOKEN,
        "--parent-id",
        "p",
        "--merchant-order-id",
        "m",
        "--amount",
        "1",
        "--vat-amount",
        "0",
        "--basket-items",
        '{"sku": "a"}',
        "--description",
        "d",
        "--base-url",
        LOCAL,
    )
    assert run.code == 3
    assert "--basket-items[0].name: Field required" in run.err
    assert "nothing was sent" in run.err


@pytest.mark.seed("cdek")
def test_options_errors() -> None:
    run = bad("cdek", "CreateCustomerRefund", "--token", TOKEN, "--uuid", UUID)
    assert "missing required option --tariff" in run.err
    run = bad("cdek", "CreateCustomerRefund", "--token", TOKEN, "--uuid", UUID, "--tarif", "139")
    assert "unknown option --tarif" in run.err and "--tariff" in run.err
    run = bad(
        "cdek", "CreateCustomerRefund", "--token", TOKEN, "--uuid", UUID, "--tariff", "1", "--tariff", "2"
    )
    assert "--tariff: given 2 times" in run.err
    run = bad("cdek", "CreateCustomerRefund", "--token", TOKEN, "--uuid", UUID, "139")
    assert "unexpected argument '139'" in run.err
    run = bad("cdek", "CreateCustomerRefund", "--uuid", UUID, "--tariff", "139")
    assert "--token or --client-id and --client-secret" in run.err
    assert "OPI_CDEK_TOKEN" in run.err and "OPI_CDEK_CLIENT_SECRET" in run.err
    assert (
        "--timeout: expected a positive number"
        in bad("cdek", "GetOrder", "--token", TOKEN, "--uuid", UUID, "--timeout", "0").err
    )
    assert (
        "--environment: expected one of production, test, got 'staging'"
        in bad("cdek", "GetOrder", "--token", TOKEN, "--uuid", UUID, "--environment", "staging").err
    )


SAMPLE_SPEC = """\
format: 1
provider:
  alias: sample
  title: Sample
  description: A synthetic provider for the value rules the real specs lack.
  docs_url: https://example.com/docs
  groups:
    - name: Things
      description: Things.
environments:
  - name: production
    url: https://example.com/api
    default: true
auth:
  schemes:
    bearer:
      type: bearer
      token: {name: token, description: Token, secret: true}
  require: [[bearer]]
errors:
  schema: {$ref: '#/schemas/Error'}
  message: [message]
  answers:
    unauthorized: {status: 401, body: {message: '{message}'}}
    validation: {status: 400, body: {message: '{message}'}}
    not_found: {status: 404, body: {message: '{message}'}}
schemas:
  Error:
    type: object
    description: An error.
    properties:
      message: {type: string, description: Text.}
      contact: {type: string, format: email, description: Who to write to.}
      page: {type: string, format: uri, description: Where to read more.}
      trace: {type: string, format: uuid, description: Trace id.}
methods:
  - name: FindThings
    title: Find things
    description: Finds things
    group: Things
    http: GET /things/{day}
    doc: {title: Things, url: 'https://example.com/docs/things'}
    source: https://example.com/docs/things
    parameters:
      - {name: day, in: path, required: true, description: Day, schema: {type: string, format: date},
         example: '2024-10-11'}
      - {name: since, in: query, description: Since, schema: {type: string, format: date-time}}
      - name: tags
        in: query
        description: Tags
        schema: {type: array, items: {type: string}}
      - name: sizes
        in: query
        description: Sizes
        schema: {type: array, items: {type: integer, enum: [1, 2, 3]}}
    responses:
      '200':
        description: Things.
        schema: {type: object, properties: {n: {type: integer, description: Count.}}}
        example: {n: 1}
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic spec generated into its own package."""
    root = tmp_path_factory.mktemp("sample")
    (root / "sample.yaml").write_text(SAMPLE_SPEC, encoding="utf-8")
    subprocess.run(
        [
            str(Path(sys.executable).parent / "opigen"),
            "generate",
            "--specs",
            str(root / "sample.yaml"),
            "--out",
            str(root / "out"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return root / "out"


def sample_opi(out: Path, *args: str) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
    env["PYTHONPATH"] = str(out)
    code = "import sys; from opi.cli import main; sys.exit(main())"
    proc = subprocess.run(
        [sys.executable, "-c", code, "sample", "FindThings", "--token", TOKEN, "--base-url", LOCAL, *args],
        capture_output=True,
        env=env,
        timeout=30,
        check=False,
    )
    return Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def test_dates_datetimes_and_scalar_arrays(sample: Path) -> None:
    run = sample_opi(
        sample,
        "--day",
        "2024-10-11",
        "--since",
        "2024-10-11T12:00:00+07:00",
        "--tags",
        "red",
        "--sizes",
        "2",
        "--test",
    )
    assert run.code == 0, run.err
    url = run.json()["url"]
    assert url.startswith(f"{LOCAL}/things/2024-10-11?")
    assert "since=2024-10-11T12%3A00%3A00%2B07%3A00" in url
    assert "tags=red" in url and "sizes=2" in url
    run = sample_opi(
        sample,
        "--day",
        "2024-10-11",
        "--tags",
        "red",
        "--tags",
        '["green", "blue"]',
        "--sizes",
        "[1, 3]",
        "--test",
    )
    assert run.code == 0, run.err
    assert "tags=red&tags=green&tags=blue&sizes=1&sizes=3" in run.json()["url"]
    run = sample_opi(sample, "--day", "11.10.2024", "--test")
    assert run.code == 3 and "--day: expected ISO 8601 date (YYYY-MM-DD), got '11.10.2024'" in run.err
    run = sample_opi(sample, "--day", "2024-10-11", "--since", "yesterday", "--test")
    assert run.code == 3 and "--since: expected ISO 8601 date and time" in run.err
    run = sample_opi(sample, "--day", "2024-10-11", "--sizes", "7", "--test")
    assert run.code == 3 and "--sizes: expected one of 1, 2, 3, got '7'" in run.err
    help_text = sample_opi(sample, "--help").out
    assert "--tags <array of string>" in help_text and "--day <string (date)>" in help_text


def test_defaults_and_choices_reach_the_terminal_escaped() -> None:
    """Enum values and defaults come from specs; shown in help or errors, they must not act on the terminal."""
    from generator.runtime.cli_table import value_text

    assert value_text("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m"
    assert value_text("a\nb\u202ec") == "a\\nb\\u202ec"
    assert value_text("Возврат ✓") == "Возврат ✓"
    assert (value_text(True), value_text(2), value_text([1, "x"])) == ("true", "2", '[1, "x"]')


def test_every_string_format_imports_with_the_runtime_dependencies_only(sample: Path) -> None:
    """`format: email` must not need pydantic's optional email-validator: the package depends on httpx and
    pydantic alone."""
    code = (
        "import json; from opi.sample.models import Error; "
        "e = Error.model_validate({'message': 'm', 'contact': 'a@b.example', 'page': 'https://x.example/p', "
        "'trace': 'f1799065-01de-448c-91cf-8afe7d4c0cfc'}); print(json.dumps(e.to_json_dict(), sort_keys=True))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env={**os.environ, "PYTHONPATH": str(sample)}, timeout=60
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout) == {
        "contact": "a@b.example",
        "message": "m",
        "page": "https://x.example/p",
        "trace": "f1799065-01de-448c-91cf-8afe7d4c0cfc",
    }
