"""Answer kinds beyond a JSON object: top-level arrays and scalars, empty, text and binary answers.

The test spec `tests/kind_specs/shapes.yaml` has one method per kind. It is generated into a temporary
folder; every method runs against the contract server through the sync and async clients and through the
`opi` command (a subprocess on the generated package), and its docs page and OpenAPI export are read.
"""

from __future__ import annotations

import io
import json
import os
import pty
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pydantic
import pytest
from client_support import Canned, answered, canned_server
from kinds_support import CSV, MANUAL, MANUAL_NAME, MODES, Shapes, call, generated_shapes, opi
from openapi_spec_validator import validate

from generator.runtime.cli_exit import API_ERROR, BAD_ARGUMENTS, OK


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shapes]:
    with generated_shapes(tmp_path_factory.mktemp("shapes")) as found:
        yield found


@pytest.mark.parametrize("mode", MODES)
def test_top_level_array_and_scalar(shapes: Shapes, mode: str) -> None:
    widgets = call(shapes, mode, "list_widgets")
    assert isinstance(widgets, list)
    assert [(w.id, w.size) for w in widgets] == [(7, 3), (8, 5)]
    assert all(type(w).__name__ == "Widget" for w in widgets)
    count = call(shapes, mode, "count_widgets")
    assert count == 2 and type(count) is int


@pytest.mark.parametrize("mode", MODES)
def test_empty_answer_is_none(shapes: Shapes, mode: str) -> None:
    assert call(shapes, mode, "delete_widget", widget_id=7) is None
    assert answered(shapes.server, "DeleteWidget")[-1].path == "/widgets/7"


@pytest.mark.parametrize("mode", MODES)
def test_empty_answer_with_headers_is_a_typed_result(shapes: Shapes, mode: str) -> None:
    got = call(shapes, mode, "archive_widget", widget_id=7)
    assert type(got).__name__ == "ArchiveWidgetResponse"
    assert (got.location, got.retry_after) == ("/archives/7", 30)  # typed by each header's schema
    assert got.raw_response.status_code == 202 and got.raw_response.content == b""
    with pytest.raises(pydantic.ValidationError):  # read-only
        got.location = "/elsewhere"
    lacking = Canned(202, b"", {"location": "/archives/8"})
    with canned_server([lacking]) as (url, _):
        got = call(shapes, mode, "archive_widget", url, widget_id=7)
    assert (got.location, got.retry_after) == ("/archives/8", None)  # a header the answer lacks is None
    wrong = Canned(202, b"", {"retry-after": "soon"})
    with canned_server([wrong]) as (url, _), pytest.raises(shapes.pkg.ResponseValidationError) as caught:
        call(shapes, mode, "archive_widget", url, widget_id=7)
    assert "its headers do not match the spec (Retry-After:" in str(caught.value)


def test_empty_answer_headers_on_the_cli_and_in_the_docs(shapes: Shapes, tmp_path: Path) -> None:
    run = opi(shapes, "ArchiveWidget", "--widget-id", "7", cwd=tmp_path)
    assert run.returncode == OK and json.loads(run.stdout) == {"Location": "/archives/7", "Retry-After": 30}
    archive = page(shapes, "Archive-widget")
    assert "-> ArchiveWidgetResponse`" in archive
    assert "The answer's headers, as [ArchiveWidgetResponse](" in archive
    assert "`result.retry_after`: the `Retry-After` header: Seconds to wait before asking." in archive
    models = (shapes.out / "opi" / "bodyshapes" / "models.py").read_text(encoding="utf-8")
    assert "class ArchiveWidgetResponse(AnswerHeaders):" in models


@pytest.mark.parametrize("mode", MODES)
def test_text_answer_is_str(shapes: Shapes, mode: str) -> None:
    assert call(shapes, mode, "export_widgets") == CSV


@pytest.mark.parametrize("mode", MODES)
def test_binary_answer_as_bytes(shapes: Shapes, mode: str) -> None:
    got = call(shapes, mode, "get_manual", widget_id=7)
    assert got.content == MANUAL
    assert (got.filename, got.content_type, got.size, got.path) == (MANUAL_NAME, "application/pdf", len(MANUAL), None)
    assert got.raw_response.status_code == 200


@pytest.mark.parametrize("mode", MODES)
def test_binary_answer_streamed_to_a_path(shapes: Shapes, mode: str, tmp_path: Path) -> None:
    target = tmp_path / "файл.pdf"
    got = call(shapes, mode, "get_manual", widget_id=7, out=target)
    assert target.read_bytes() == MANUAL
    assert (got.path, got.size, got.content, got.filename) == (target, len(MANUAL), b"", MANUAL_NAME)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["файл.pdf"]  # no temporary file left


@pytest.mark.parametrize("mode", MODES)
def test_binary_answer_streamed_to_a_file_object(shapes: Shapes, mode: str) -> None:
    sink = io.BytesIO(b"head:")
    sink.seek(0, io.SEEK_END)
    got = call(shapes, mode, "get_manual", widget_id=7, out=sink)
    assert sink.getvalue() == b"head:" + MANUAL
    assert got.size == len(MANUAL) and got.path is None


@pytest.fixture()
def broken_server() -> Iterator[str]:
    """A server that promises a 100000-byte PDF, sends 1000 bytes and closes the connection."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/pdf\r\ncontent-length: 100000\r\n\r\n"
                    + b"%" * 1000
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=5)


@pytest.mark.parametrize("mode", MODES)
def test_broken_download_leaves_no_file(shapes: Shapes, mode: str, tmp_path: Path, broken_server: str) -> None:
    target = tmp_path / "manual.pdf"
    with pytest.raises(shapes.pkg.NetworkError):
        call(shapes, mode, "get_manual", broken_server, widget_id=7, out=target)
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"earlier file")  # an earlier file at the path stays as it was
    with pytest.raises(shapes.pkg.NetworkError):
        call(shapes, mode, "get_manual", broken_server, widget_id=7, out=target)
    assert [p.name for p in tmp_path.iterdir()] == ["manual.pdf"] and target.read_bytes() == b"earlier file"
    sink = io.BytesIO(b"head:")
    sink.seek(0, io.SEEK_END)
    with pytest.raises(shapes.pkg.NetworkError):
        call(shapes, mode, "get_manual", broken_server, widget_id=7, out=sink)
    assert sink.getvalue() == b"head:"  # cut back to where it stood


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [404, 200])
def test_file_method_json_error_stays_typed(shapes: Shapes, mode: str, status: int, tmp_path: Path) -> None:
    """A file method answered with the provider's JSON error (even under 200) raises the typed error and
    writes no file."""
    error = Canned(status, json.dumps({"detail": "Нет такого"}).encode(), {"content-type": "application/json"})
    target = tmp_path / "manual.pdf"
    with canned_server([error]) as (url, _), pytest.raises(shapes.pkg.ApiError) as caught:
        call(shapes, mode, "get_manual", url, widget_id=7, out=target)
    assert caught.value.message == "Нет такого" and caught.value.status == status
    assert (status == 404) == isinstance(caught.value, shapes.pkg.NotFoundError)
    assert list(tmp_path.iterdir()) == []


# --- the command line --------------------------------------------------------------------------------


def test_cli_every_kind(shapes: Shapes, tmp_path: Path) -> None:
    run = opi(shapes, "ListWidgets", cwd=tmp_path)
    assert run.returncode == OK and json.loads(run.stdout) == [{"id": 7, "size": 3}, {"id": 8, "size": 5}]
    run = opi(shapes, "CountWidgets", cwd=tmp_path)
    assert run.returncode == OK and json.loads(run.stdout) == 2
    run = opi(shapes, "DeleteWidget", "--widget-id", "7", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (OK, b"")
    run = opi(shapes, "ExportWidgets", cwd=tmp_path)
    assert run.returncode == OK and run.stdout.decode("utf-8") == CSV + "\n"


def test_cli_file_with_out(shapes: Shapes, tmp_path: Path) -> None:
    target = tmp_path / "руководство.pdf"
    run = opi(shapes, "GetManual", "--widget-id", "7", "--out", str(target), cwd=tmp_path)
    assert run.returncode == OK, run.stderr
    assert target.read_bytes() == MANUAL and run.stdout == b""
    assert f"{len(MANUAL)} bytes of application/pdf written to {target}".encode() in run.stderr
    assert MANUAL_NAME.encode() in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_cli_debug_streams_a_file_answer(shapes: Shapes, tmp_path: Path) -> None:
    """--debug shows a file answer's size and head, and streams it on: the file still arrives whole."""
    target = tmp_path / "m.pdf"
    run = opi(shapes, "GetManual", "--widget-id", "7", "--out", str(target), "--debug", cwd=tmp_path)
    assert run.returncode == OK, run.stderr
    assert target.read_bytes() == MANUAL
    head = repr(MANUAL[:64]).encode()
    assert f"< ({len(MANUAL)} bytes of application/pdf, streamed; first 64: ".encode() + head + b")" in run.stderr
    assert b"< content-type: application/pdf" in run.stderr


def _peak_rss_kib(s: Shapes, cwd: Path, url: str, *args: str) -> int:
    """The peak RSS of `opi bodyshapes GetManual *args` (a child of a process that only waits for it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
    env |= {"PYTHONPATH": str(s.out), "OPI_BODYSHAPES_API_KEY": "k", "OPI_BODYSHAPES_BASE_URL": url}
    code = (
        "import resource, subprocess, sys\n"
        "run = subprocess.run([sys.executable, '-c', 'import sys; from opi.cli import main; sys.exit(main())', "
        "'bodyshapes', 'GetManual', '--widget-id', '7', *sys.argv[1:]], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL, timeout=120)\n"
        "print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180, check=True)
    status, peak = done.stdout.split()
    assert status == str(OK), done.stderr
    return int(peak)


def test_cli_debug_does_not_hold_a_file_answer_in_memory(shapes: Shapes, tmp_path: Path) -> None:
    big = Canned(200, b"%PDF" + b"\0" * (96 * 1024 * 1024), {"content-type": "application/pdf"})
    with canned_server([big]) as (url, _):
        plain = _peak_rss_kib(shapes, tmp_path, url, "--out", str(tmp_path / "a.pdf"))
        debug = _peak_rss_kib(shapes, tmp_path, url, "--out", str(tmp_path / "b.pdf"), "--debug")
    assert (tmp_path / "b.pdf").stat().st_size == 96 * 1024 * 1024 + 4
    assert debug - plain < 24 * 1024, (plain, debug)  # reading the 96 MiB whole would add at least 96 MiB


def test_cli_file_to_a_pipe(shapes: Shapes, tmp_path: Path) -> None:
    run = opi(shapes, "GetManual", "--widget-id", "7", cwd=tmp_path)
    assert run.returncode == OK and run.stdout == MANUAL


def test_cli_refuses_binary_on_a_terminal(shapes: Shapes, tmp_path: Path) -> None:
    before = len(shapes.server.requests_for("GetManual"))
    leader, follower = pty.openpty()
    try:
        run = opi(shapes, "GetManual", "--widget-id", "7", cwd=tmp_path, stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert run.returncode == BAD_ARGUMENTS
    assert b"pass --out FILE (binary data is not written to a terminal)" in run.stderr
    assert len(shapes.server.requests_for("GetManual")) == before  # refused before sending


def test_cli_file_method_error(shapes: Shapes, tmp_path: Path) -> None:
    run = opi(shapes, "GetManual", "--widget-id", "0", "--out", str(tmp_path / "m.pdf"), cwd=tmp_path)
    assert run.returncode == BAD_ARGUMENTS and list(tmp_path.iterdir()) == []
    error = Canned(404, json.dumps({"detail": "gone"}).encode(), {"content-type": "application/json"})
    with canned_server([error]) as (url, _):
        run = opi(shapes, "GetManual", "--widget-id", "7", "--out", str(tmp_path / "m.pdf"), cwd=tmp_path,
                  base_url=url)
    assert run.returncode == API_ERROR and b"HTTP 404: gone" in run.stderr
    assert list(tmp_path.iterdir()) == []


# --- docs and OpenAPI --------------------------------------------------------------------------------


def page(s: Shapes, name: str) -> str:
    return (s.out / "docs" / "Shapes" / "Widgets" / f"{name}.md").read_text(encoding="utf-8")


def test_docs_say_what_comes_back(shapes: Shapes) -> None:
    manual = page(shapes, "Get-manual")
    assert "-> Download`" in manual and "out: DownloadTarget | None = None" in manual
    assert "Returns: The file, as a `Download`" in manual and "sent as `application/pdf`" in manual
    assert "`--out FILE`" in manual and "--out get_manual.pdf" in manual and 'out="get_manual.pdf"' in manual
    assert f"({len(MANUAL)} bytes of application/pdf)" in manual
    export = page(shapes, "Export-widgets")
    assert "Returns: The answer's text (`str`), sent as `text/csv`." in export
    assert "```text title=\"Result\"\n" + CSV + "```" in export
    assert "Returns: Nothing (`None`)." in page(shapes, "Delete-widget")
    assert "-> list[Widget]`" in page(shapes, "List-widgets")
    assert "Returns: `int`." in page(shapes, "Count-widgets")


def test_openapi_lays_out_each_kind(shapes: Shapes) -> None:
    doc = json.loads((shapes.out / "openapi" / "bodyshapes.json").read_text(encoding="utf-8"))
    validate(doc)
    paths = doc["paths"]
    pdf = paths["/widgets/{id}/manual.pdf"]["get"]["responses"]
    assert pdf["200"]["content"] == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    assert "application/json" in pdf["404"]["content"]
    assert "content" not in paths["/widgets/{id}"]["delete"]["responses"]["204"]
    csv = paths["/widgets/export"]["get"]["responses"]["200"]["content"]
    assert csv == {"text/csv": {"schema": {"type": "string"}, "example": CSV}}
    listed = paths["/widgets"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["type"] == "array"


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("attachment; filename=\"a_b.pdf\"; filename*=UTF-8''%D1%84%20%E2%84%96.pdf", "ф №.pdf"),
        ('attachment; filename="plain.pdf"', "plain.pdf"),
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ('attachment; filename="C:\\\\x\\\\y.pdf"', "y.pdf"),
        ("inline", None),
    ],
)
def test_file_name_from_content_disposition(header: str, name: str | None) -> None:
    from generator.runtime.download import filename_of

    assert filename_of({"content-disposition": header}) == name
