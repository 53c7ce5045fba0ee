"""An answer in several media types (`alternatives`): the caller chooses by `accept=` / `--accept`, the client
sends it as the Accept header and reads the answer by the chosen kind; the result's type follows the choice
(overloads checked with mypy --strict); the contract server negotiates; the docs and OpenAPI list each type.

`GetReport` answers JSON (the default), CSV text or a PDF file; `SummarizeWidgets` (a JSON body) answers
plain text (the default) or JSON with an inline schema.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from client_support import answered
from kinds_support import KEY, MANUAL, MODES, Shapes, call, generated_shapes, opi
from openapi_spec_validator import validate

from generator.runtime.cli_exit import BAD_ARGUMENTS, OK

CSV = "id,size\n7,3\n8,5\n"


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shapes]:
    with generated_shapes(tmp_path_factory.mktemp("media")) as found:
        yield found


def last_accept(s: Shapes, name: str) -> str:
    rec = answered(s.server, name)[-1]
    assert rec.status == 200, rec
    return rec.headers["accept"]


@pytest.mark.parametrize("mode", MODES)
def test_the_caller_chooses_the_media_type(shapes: Shapes, mode: str, tmp_path: Path) -> None:
    report = call(shapes, mode, "get_report", year=2024)
    assert type(report).__name__ == "Report" and report.total == 2 and report.widgets[1].size == 5
    assert report.raw_response.headers["x-report-id"] == "r-1"
    assert last_accept(shapes, "GetReport") == "application/json"
    assert call(shapes, mode, "get_report", accept="text/csv") == CSV
    assert last_accept(shapes, "GetReport") == "text/csv"
    pdf = call(shapes, mode, "get_report", accept="application/pdf")
    assert (pdf.content, pdf.content_type, pdf.filename) == (MANUAL, "application/pdf", "report.pdf")
    target = tmp_path / "отчёт.pdf"
    saved = call(shapes, mode, "get_report", accept="application/pdf", out=target)
    assert target.read_bytes() == MANUAL and saved.path == target
    assert last_accept(shapes, "GetReport") == "application/pdf"


@pytest.mark.parametrize("mode", MODES)
def test_text_by_default_json_when_asked(shapes: Shapes, mode: str) -> None:
    assert call(shapes, mode, "summarize_widgets", ids=[7, 8]) == "2 widgets, 8 in size"
    assert last_accept(shapes, "SummarizeWidgets") == "text/plain"
    summary = call(shapes, mode, "summarize_widgets", ids=[7, 8], accept="application/json")
    assert type(summary).__name__ == "SummarizeWidgetsResponse" and (summary.count, summary.size) == (2, 8)
    body = shapes.pkg.models.SummarizeWidgetsRequest(ids=[7])
    assert call(shapes, mode, "summarize_widgets", body=body, accept="application/json").count == 2
    assert json.loads(answered(shapes.server, "SummarizeWidgets")[-1].body) == {"ids": [7]}


@pytest.mark.parametrize("mode", MODES)
def test_a_media_type_not_declared_is_refused_before_sending(shapes: Shapes, mode: str) -> None:
    before = len(shapes.server.requests)
    with pytest.raises(shapes.pkg.ValidationError) as caught:
        call(shapes, mode, "get_report", accept="text/xml")
    assert caught.value.errors == [
        ("accept", "expected one of application/json, text/csv, application/pdf [literal_error]")]
    assert len(shapes.server.requests) == before


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("text/*", "text/csv"),
        ("text/csv;q=0.5, application/pdf", "application/pdf"),
        ("application/pdf;q=0, text/csv;q=0.1", "text/csv"),
        ("image/png", None),
    ],
)
def test_contract_server_negotiates(shapes: Shapes, accept: str | None, media: str | None) -> None:
    headers = {"x-key": KEY} | ({"accept": accept} if accept is not None else {})
    with httpx.Client() as http:
        answer = http.get(f"{shapes.server.url}/widgets/report", headers=headers)
    if media is None:
        assert answer.status_code == 406
        assert answer.json()["detail"] == (
            "Not acceptable: this answer comes as application/json, text/csv, application/pdf")
        return
    assert answer.status_code == 200 and answer.headers["content-type"].split(";")[0] == media
    assert answer.headers["x-report-id"] == "r-1"


def test_cli_accept_option(shapes: Shapes, tmp_path: Path) -> None:
    run = opi(shapes, "GetReport", cwd=tmp_path)
    assert run.returncode == OK and json.loads(run.stdout)["total"] == 2
    run = opi(shapes, "GetReport", "--accept", "text/csv", cwd=tmp_path)
    assert run.returncode == OK and run.stdout.decode() == CSV + "\n"
    target = tmp_path / "report.pdf"
    run = opi(shapes, "GetReport", "--accept", "application/pdf", "--out", str(target), cwd=tmp_path)
    assert run.returncode == OK, run.stderr
    assert target.read_bytes() == MANUAL and b"bytes of application/pdf written to" in run.stderr
    run = opi(shapes, "GetReport", "--accept", "application/pdf", cwd=tmp_path)  # a pipe: the bytes
    assert run.returncode == OK and run.stdout == MANUAL
    run = opi(shapes, "SummarizeWidgets", "--ids", "[7, 8]", "--accept", "application/json", cwd=tmp_path)
    assert run.returncode == OK and json.loads(run.stdout) == {"count": 2, "size": 8}
    run = opi(shapes, "GetReport", "--accept", "text/xml", cwd=tmp_path)
    assert run.returncode == BAD_ARGUMENTS
    assert b"--accept: expected one of application/json, text/csv, application/pdf" in run.stderr
    run = opi(shapes, "GetReport", "--help", cwd=tmp_path)
    assert b"--accept" in run.stdout


def test_docs_and_openapi_list_each_media_type(shapes: Shapes) -> None:
    page = (shapes.out / "docs" / "Shapes" / "Widgets" / "Get-report.md").read_text(encoding="utf-8")
    assert "accept: Literal['application/json', 'text/csv', 'application/pdf'] = 'application/json'" in page
    assert "-> Report | str | Download`" in page
    assert "| `accept` | `--accept` | string |" in page
    assert ("By `accept` (`--accept`, sent as the `Accept` header): `application/json` (the default): "
            "`Report`; `text/csv`: the answer's text (`str`); `application/pdf`: the file (`Download`).") in page
    doc = json.loads((shapes.out / "openapi" / "bodyshapes.json").read_text(encoding="utf-8"))
    validate(doc)
    answers = doc["paths"]["/widgets/report"]["get"]["responses"]
    content = answers["200"]["content"]
    assert list(content) == ["application/json", "text/csv", "application/pdf"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Report"}
    assert content["text/csv"] == {"schema": {"type": "string"}, "example": CSV}
    assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    assert "406" in answers and "Accept" in answers["406"]["description"]
    summary = doc["paths"]["/widgets/summary"]["post"]["responses"]["200"]["content"]
    assert list(summary) == ["text/plain", "application/json"]
    assert summary["application/json"]["schema"]["required"] == ["count", "size"]  # the inline schema


TYPED = """\
from typing import assert_type

from opi._runtime.download import Download
from opi.bodyshapes import AsyncClient, Client
from opi.bodyshapes.models import Report, SummarizeWidgetsResponse


def use(client: Client) -> None:
    assert_type(client.get_report(), Report)
    assert_type(client.get_report(year=2024, accept="application/json"), Report)
    assert_type(client.get_report(accept="text/csv"), str)
    assert_type(client.get_report(accept="application/pdf", out="r.pdf"), Download)
    assert_type(client.summarize_widgets(ids=[7]), str)
    assert_type(client.summarize_widgets(ids=[7], accept="application/json"), SummarizeWidgetsResponse)


async def use_async(client: AsyncClient) -> None:
    assert_type(await client.get_report(accept="text/csv"), str)
    assert_type(await client.summarize_widgets(ids=[7], accept="application/json"), SummarizeWidgetsResponse)
"""

WRONG = """\
from opi.bodyshapes import Client


def use(client: Client) -> None:
    client.get_report(accept="text/xml")
    client.get_report(accept="text/csv", out="r.csv")
"""


def test_result_type_follows_the_choice_under_mypy_strict(shapes: Shapes) -> None:
    (shapes.out / "typed_use.py").write_text(TYPED, encoding="utf-8")
    (shapes.out / "wrong_use.py").write_text(WRONG, encoding="utf-8")
    mypy = str(Path(sys.executable).parent / "mypy")
    good = subprocess.run([mypy, "--strict", "opi", "typed_use.py"], cwd=shapes.out, capture_output=True,
                          text=True, timeout=300, check=False)
    assert good.returncode == 0, good.stdout
    bad = subprocess.run([mypy, "--strict", "wrong_use.py"], cwd=shapes.out, capture_output=True, text=True,
                         timeout=300, check=False)
    assert bad.returncode == 1
    assert "wrong_use.py:5: error: No overload variant" in bad.stdout
    assert "wrong_use.py:6: error: No overload variant" in bad.stdout
