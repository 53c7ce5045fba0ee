"""Request body kinds beyond JSON and flat forms: multipart uploads, raw binary bodies and text bodies.

Every method of `tests/kind_specs/shapes.yaml` that sends one runs against the contract server through the
sync and async clients and the `opi` command; what arrived is read back from the server's record. Files
are given as a path (with a non-ASCII name), bytes and an open binary file, and are streamed, not read
whole: a file object is read in chunks, which the tests observe.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from client_support import answered
from kinds_support import KEY, MANUAL, MODES, Shapes, call, generated_shapes, opi
from openapi_spec_validator import validate
from spec_support import edited, method

from generator.kinds import BODIES
from generator.mock import RecordedRequest
from generator.runtime.cli_exit import BAD_ARGUMENTS, OK


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shapes]:
    with generated_shapes(tmp_path_factory.mktemp("shapes")) as found:
        yield found


def last(s: Shapes, name: str) -> RecordedRequest:
    found = answered(s.server, name)
    assert found, name
    return found[-1]


def parts(rec: RecordedRequest) -> dict[str, Any]:
    parsed = BODIES["multipart"].parse(rec.body, rec.headers["content-type"].split(";")[0])
    assert isinstance(parsed, dict), parsed
    return parsed


class Chunked(io.BytesIO):
    """A binary file that records the size of every read, to show it is read in chunks."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.reads: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.reads.append(-1 if size is None else size)
        return super().read(size)


@pytest.mark.parametrize("mode", MODES)
def test_multipart_upload_from_a_path(shapes: Shapes, mode: str, tmp_path: Path) -> None:
    source = tmp_path / "руководство «7».pdf"
    source.write_bytes(MANUAL)
    widget = call(shapes, mode, "upload_manual", widget_id=7, document=source, title="Руководство", pages=12)
    assert (widget.id, widget.size) == (7, 3)
    rec = last(shapes, "UploadManual")
    assert rec.status == 200 and rec.path == "/widgets/7/manuals"
    assert rec.headers["content-length"] == str(len(rec.body))  # the length is known: files are sized
    got = parts(rec)
    assert (got["title"], got["pages"]) == ("Руководство", "12")
    assert (got["document"], got["document"].data, got["document"].media_type) == (
        source.name, MANUAL, "application/pdf")


@pytest.mark.parametrize("mode", MODES)
def test_multipart_upload_from_bytes_and_a_file_object(shapes: Shapes, mode: str) -> None:
    call(shapes, mode, "upload_manual", widget_id=7, document=b"\x00raw\xff", title="T")
    got = parts(last(shapes, "UploadManual"))
    assert (got["document"].data, got["document"], got["title"]) == (b"\x00raw\xff", "document", "T")
    assert "pages" not in got
    big = MANUAL * 300  # about 300 KiB: read in several chunks, not at once
    stream = Chunked(big, "/somewhere/заметки.pdf")
    call(shapes, mode, "upload_manual", widget_id=7, document=stream, title="T")
    got = parts(last(shapes, "UploadManual"))
    assert (got["document"].data, got["document"]) == (big, "заметки.pdf")
    assert len([n for n in stream.reads if n > 0]) > 1 and all(0 < n < len(big) for n in stream.reads if n > 0)


@pytest.mark.parametrize("mode", MODES)
def test_multipart_part_media_type_as_declared(shapes: Shapes, mode: str, tmp_path: Path) -> None:
    """`document` declares application/pdf: sent so whatever its name says; `cover` declares none: guessed.
    File names go out as given, non-ASCII letters and quotes included."""
    source = tmp_path / 'отчёт «Q1» "итог".txt'
    source.write_bytes(MANUAL)
    cover = tmp_path / "обложка.png"
    cover.write_bytes(b"\x89PNG")
    call(shapes, mode, "upload_manual", widget_id=7, document=source, cover=cover, title="T")
    rec = last(shapes, "UploadManual")
    assert rec.status == 200
    got = parts(rec)
    assert (got["document"], got["document"].media_type, got["document"].data) == (
        source.name, "application/pdf", MANUAL)
    assert (got["cover"], got["cover"].media_type) == ("обложка.png", "image/png")


def test_contract_server_refuses_a_part_of_another_media_type(shapes: Shapes) -> None:
    files = {"document": ("m.txt", b"text", "text/plain"), "title": (None, b"T")}
    with httpx.Client() as http:
        answer = http.post(f"{shapes.server.url}/widgets/7/manuals", files=files, headers={"x-key": KEY})
    assert answer.status_code == 400
    assert answer.json() == {"detail": "document must be sent as application/pdf, not text/plain",
                             "field": "document"}


@pytest.mark.parametrize("mode", MODES)
def test_raw_binary_body(shapes: Shapes, mode: str, tmp_path: Path) -> None:
    source = tmp_path / "файл.pdf"
    source.write_bytes(MANUAL)
    for given in (source, str(source), MANUAL, io.BytesIO(MANUAL)):
        assert call(shapes, mode, "put_blob", name="manual-7", data=given) is None
        rec = last(shapes, "PutBlob")
        assert (rec.status, rec.body, rec.path) == (204, MANUAL, "/blobs/manual-7")
        assert rec.headers["content-type"] == "application/pdf"
        assert rec.headers["content-length"] == str(len(MANUAL))


@pytest.mark.parametrize("mode", MODES)
def test_text_body(shapes: Shapes, mode: str) -> None:
    note = "# Заметка\n\nстрока 2 — ✓"
    assert call(shapes, mode, "add_note", widget_id=7, note=note) == "# Заметка\nline 2"
    rec = last(shapes, "AddNote")
    assert rec.status == 200 and rec.body == note.encode("utf-8")
    assert rec.headers["content-type"] == "text/markdown; charset=utf-8"


@pytest.mark.parametrize("mode", MODES)
def test_bad_files_are_refused_before_sending(shapes: Shapes, mode: str, tmp_path: Path) -> None:
    before = len(shapes.server.requests)
    with pytest.raises(shapes.pkg.ValidationError) as caught:
        call(shapes, mode, "upload_manual", widget_id=7, document=tmp_path / "missing.pdf", title="T")
    assert caught.value.errors == [("document", "no such file [file_not_found]")]
    with pytest.raises(shapes.pkg.ValidationError) as caught:
        call(shapes, mode, "put_blob", name="x", data=12)
    assert caught.value.errors == [("data", "expected a path, bytes or an open binary file [file_type]")]
    with pytest.raises(shapes.pkg.ValidationError) as caught:
        call(shapes, mode, "upload_manual", widget_id=7, title="T")
    assert caught.value.errors == [("document", "Field required [missing]")]
    assert len(shapes.server.requests) == before


def test_a_path_is_closed_after_the_call(shapes: Shapes, tmp_path: Path) -> None:
    import gc
    import warnings

    source = tmp_path / "m.pdf"
    source.write_bytes(MANUAL)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        call(shapes, "sync", "put_blob", name="x", data=source)
        gc.collect()  # an unclosed file would warn (an error here) when collected


# --- the command line --------------------------------------------------------------------------------


def test_cli_file_as_a_path_or_base64(shapes: Shapes, tmp_path: Path) -> None:
    source = tmp_path / "руководство.pdf"
    source.write_bytes(MANUAL)
    run = opi(shapes, "UploadManual", "--widget-id", "7", "--document", str(source), "--title", "Т", cwd=tmp_path)
    assert run.returncode == OK, run.stderr
    assert json.loads(run.stdout) == {"id": 7, "size": 3}
    got = parts(last(shapes, "UploadManual"))
    assert (got["document"], got["document"].data, got["title"]) == (source.name, MANUAL, "Т")
    encoded = base64.b64encode(b"\x00small\xff").decode()
    run = opi(shapes, "PutBlob", "--name", "b", "--data", encoded, cwd=tmp_path)
    assert (run.returncode, run.stdout) == (OK, b""), run.stderr
    assert last(shapes, "PutBlob").body == b"\x00small\xff"
    run = opi(shapes, "AddNote", "--widget-id", "7", "--note", "строка", cwd=tmp_path)
    assert run.returncode == OK and last(shapes, "AddNote").body == "строка".encode()


def test_cli_refuses_a_file_option_that_is_neither(shapes: Shapes, tmp_path: Path) -> None:
    before = len(shapes.server.requests)
    run = opi(shapes, "PutBlob", "--name", "b", "--data", "no-such-file.pdf", cwd=tmp_path)
    assert run.returncode == BAD_ARGUMENTS
    assert b"the path of a file, or its content as Base64 text" in run.stderr
    assert len(shapes.server.requests) == before


# --- the spec format, docs and OpenAPI ---------------------------------------------------------------


def _file_param(d: dict[str, Any], where: str) -> None:
    method(d, "CreateRefund")["parameters"].append(
        {"name": "scan", "in": where, "description": "A scan", "schema": {"type": "string", "format": "binary"}})


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: _file_param(d, "body"),
         ("a file parameter cannot be sent in a json body; use body content multipart, binary",
          "$.methods[3].parameters[3].schema.format")),
        (lambda d: _file_param(d, "query"),
         ("a file parameter is sent in a body, not in the query", "$.methods[3].parameters[3].schema.format")),
        (lambda d: method(d, "CreateRefund")["body"].update(content="binary"),
         ("a binary body has exactly one 'in: body' parameter", "$.methods[3].parameters[1]")),
        (lambda d: method(d, "CreateRefund")["body"].update(content="text", media_type="application/pdf"),
         ("a text body's media type is text/*, not 'application/pdf'", "$.methods[3].body.media_type")),
    ],
)
def test_spec_rules(edit: Any, expected: tuple[str, str]) -> None:
    found = [(p.message, p.path) for p in edited(edit)]
    assert expected in found, found


def test_docs_and_openapi(shapes: Shapes) -> None:
    page = (shapes.out / "docs" / "Shapes" / "Widgets" / "Upload-manual.md").read_text(encoding="utf-8")
    assert "sent as multipart/form-data (files and fields as parts)" in page
    assert "| `document` | `--document` | file | ✔ |" in page
    doc = json.loads((shapes.out / "openapi" / "bodyshapes.json").read_text(encoding="utf-8"))
    validate(doc)
    upload = doc["paths"]["/widgets/{id}/manuals"]["post"]["requestBody"]["content"]
    schema = upload["multipart/form-data"]["schema"]
    assert schema["properties"]["document"] == {"type": "string", "format": "binary", "description": "The manual file"}
    assert schema["required"] == ["document", "title"]
    assert upload["multipart/form-data"]["encoding"] == {"document": {"contentType": "application/pdf"}}
    assert "The manual file<br/>Sent as `application/pdf`." in page
    blob = doc["paths"]["/blobs/{name}"]["put"]["requestBody"]["content"]
    assert list(blob) == ["application/pdf"] and blob["application/pdf"]["schema"]["format"] == "binary"
    note = doc["paths"]["/widgets/{id}/notes"]["post"]["requestBody"]["content"]["text/markdown"]
    assert note["example"] == "# Заметка\nline 2"


@pytest.mark.parametrize("mode", MODES)
def test_values_go_out_as_given(shapes: Shapes, mode: str) -> None:
    """A string the caller passes reaches the wire unchanged (a date-time is not written again)."""
    import datetime as dt

    call(shapes, mode, "list_widgets", since="2018-07-18T10:51:18.139Z")
    assert last(shapes, "ListWidgets").query["since"] == ["2018-07-18T10:51:18.139Z"]
    call(shapes, mode, "list_widgets", since=dt.datetime(2018, 7, 18, 10, 51, 18, tzinfo=dt.UTC))
    assert last(shapes, "ListWidgets").query["since"] == ["2018-07-18T10:51:18Z"]
    with pytest.raises(shapes.pkg.ValidationError):
        call(shapes, mode, "list_widgets", since="18.07.2018")


# --- nested form keys, bracket notation in the query, JSON in a query parameter or a header -------------


@pytest.mark.parametrize("mode", MODES)
def test_form_with_nested_fields_in_bracket_notation(shapes: Shapes, mode: str) -> None:
    widget = call(shapes, mode, "create_charge", amount=2000, metadata={"order_id": "37"},
                  items=[{"sku": "A1", "qty": 2}, {"sku": "Б2", "qty": 1}], expand=["charge", "customer"])
    assert (widget.id, widget.size) == (7, 3)
    rec = last(shapes, "CreateCharge")
    assert rec.status == 200  # the contract server read the nested fields back and found them valid
    assert rec.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sorted(parse_qsl(rec.body.decode())) == sorted([
        ("amount", "2000"), ("metadata[order_id]", "37"), ("items[0][sku]", "A1"), ("items[0][qty]", "2"),
        ("items[1][sku]", "Б2"), ("items[1][qty]", "1"), ("expand[]", "charge"), ("expand[]", "customer"),
    ])


@pytest.mark.parametrize("mode", MODES)
def test_query_in_bracket_notation_and_json_in_query_and_header(shapes: Shapes, mode: str) -> None:
    markup = {"keyboard": [[{"text": "Да"}]], "resize": True}
    call(shapes, mode, "list_widgets", metadata={"order_id": "37", "note": "a b"}, expand=["charge"],
         markup=markup, api_arg={"keyboard": [], "resize": False})
    rec = last(shapes, "ListWidgets")
    assert rec.status == 200
    assert rec.query["metadata[order_id]"] == ["37"] and rec.query["metadata[note]"] == ["a b"]
    assert rec.query["expand[]"] == ["charge"]
    assert json.loads(rec.query["reply_markup"][0]) == markup  # a typed value, serialized by the client
    assert json.loads(rec.headers["shapes-api-arg"]) == {"keyboard": [], "resize": False}


def test_bracket_notation_rules() -> None:
    def styled(d: dict[str, Any]) -> None:
        method(d, "CreateRefund")["parameters"][1]["style"] = "brackets"
        method(d, "CreateRefund")["body"]["style"] = "brackets"
    found = [(p.message, p.path) for p in edited(styled)]
    assert ("only a form body has a style, not a json body", "$.methods[3].body.style") in found
    assert ("bracket notation is for query parameters; a form body declares it as body.style",
            "$.methods[3].parameters[1].style") in found
