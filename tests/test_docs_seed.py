"""The page generated for seed 000 holds at least everything the seed page (an OPI doc page) holds.

The seed is read and parsed here, so the test follows the seed rather than a copy of its text.
"""

from __future__ import annotations

import ast
import json
import re

import pytest
from docs_support import ROOT, Page, codes, one_line, plain, spec_docs

pytestmark = pytest.mark.seed("cdek")  # the page of seed 000, CDEK

SEED = ROOT.parent / "shared" / "seeds" / "000_bd90ce1759ee72fd.txt"
PAGE = "docs/CDEK/Orders-management/Create-customer-refund.md"
TYPES = {"String": ("string",), "Number": ("integer", "number"), "Boolean": ("boolean",)}


def seed() -> Page:
    return Page.parse(SEED.read_text(encoding="utf-8"))


def page() -> Page:
    return Page.parse(spec_docs()[PAGE])


def test_title_description_and_signature() -> None:
    ours, theirs = page(), seed()
    assert ours.headings(1) == theirs.headings(1) == ["Create customer refund"]
    description = one_line(plain(theirs.paragraphs()[0]))
    assert description == "Processes customer returns for online store orders"
    assert description in [one_line(plain(p)) for p in ours.paragraphs()]
    # OPI shows the BSL function; ours shows the Python method with the same inputs.
    [bsl] = [
        c for p in theirs.paragraphs() for c in codes(p) if c.startswith("Function CreateCustomerRefund")
    ]
    [python] = [
        c for p in ours.paragraphs() for c in codes(p) if c.startswith("client.create_customer_refund(")
    ]
    for name in re.findall(r"Val (\w+)", bsl):
        if name not in ("Token", "TestAPI"):  # constructor arguments of Client in ours
            assert f"{name.lower()}: " in python


def test_every_seed_parameter_is_in_the_table() -> None:
    [table] = seed().tables()
    ours = page().tables()[0]
    assert ours.header[:2] == table.header[:2] and ours.header[-1] == table.header[-1] == "Description"
    rows = {t[0].strip("`"): t for t in ours.texts}
    assert len(table.texts) == 4
    for name, option, kind, description in table.texts:
        row = rows[name.lower()]
        assert row[1].strip("`") == option
        assert row[2].split(" ")[0] in TYPES[kind]
        assert row[4].split("\n")[0] == description


def test_tip_notes_and_doc_link() -> None:
    def tip(p: Page) -> Page:
        return Page.fragment(p.body.split(":::tip", 1)[1].split("\n:::", 1)[0])

    theirs, ours = tip(seed()), tip(page())
    ours_texts = [one_line(plain(p)) for p in ours.paragraphs()]
    for paragraph in theirs.paragraphs():
        assert one_line(plain(paragraph)) in ours_texts
    assert theirs.links() == ["https://api-docs.cdek.ru/122762174.html"]
    assert ours.links()[-1] == theirs.links()[0]


def test_code_example_passes_the_seed_values() -> None:
    [bsl] = seed().fence('bsl title="Code example"')
    [python] = page().fence('python title="Code example"')
    values = {k: json.loads(v) for k, v in re.findall(r"^\s*(\w+)\s*=\s*(.+?);$", bsl, re.M) if k != "Result"}
    calls = {
        ast.unparse(node.func): {k.arg: ast.literal_eval(k.value) for k in node.keywords}
        for node in ast.walk(ast.parse(python))
        if isinstance(node, ast.Call)
    }
    assert calls["client.create_customer_refund"] == {"uuid": values["UUID"], "tariff": values["Tariff"]}
    client = calls["Client"]
    assert "True);" in bsl and client["testapi"] is True  # the seed calls the test API
    assert client["token"].endswith("...")
    assert values["Token"].startswith(client["token"].removesuffix("..."))  # a shortened form of the seed's


def test_cli_example_has_the_seed_options() -> None:
    [seed_cli] = seed().fence('sh title="CLI command example"')
    [bash] = page().fence('bash title="CLI command example"')
    assert "opi cdek CreateCustomerRefund" in bash and "oint cdek CreateCustomerRefund" in seed_cli
    for option in re.findall(r"(--\w+) ", seed_cli):
        assert f"  {option} " in bash
    assert '--token "***"' in bash  # the seed printed the whole token; ours never does
    assert '--uuid "f1799065-01de-448c-91cf-8afe7d4c0cfc"' in bash
    assert "--tariff 139" in bash and "--testapi true" in bash
    assert "export OPI_CDEK_TOKEN=" in bash


def test_result_and_returns() -> None:
    ours = page()
    assert seed().fence('json title="Result"') == ["\n"]  # the seed's Result is empty: a defect we fix
    [result] = ours.fence('json title="Result"')
    answer = json.loads(result)
    assert answer["requests"][0]["type"] == "CREATE_CLIENT_RETURN"
    assert any(plain(p).startswith("Returns: EntityResponse") for p in ours.paragraphs())
    assert ours.meta["sidebar_position"] >= 1
