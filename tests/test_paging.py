"""Pagination, from the test spec tests/paging_specs/xpages.yaml (one list method per style): the contract
server serves N numbered records across pages, and the sync and async iterators return exactly those records,
in order, without duplicates; also with max_items, when a page fails once and is retried, and they stop with
a clear error on a repeated cursor or the same page twice."""

from __future__ import annotations

import ast
import asyncio
import copy
import importlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from spec_support import importable

from generator import kinds
from generator.ir import Provider
from generator.mock import MockServer
from generator.mock.faults import Fault
from generator.pipeline import generate, load_providers
from generator.problems import SpecError
from generator.runtime import paging

SPEC = Path(__file__).resolve().parent / "paging_specs" / "xpages.yaml"
SCHEMA = Path(__file__).resolve().parent.parent / "generator" / "spec.schema.json"
TOKEN = "pages-token-s3cr3t"
STYLES = {"ListByCursor": "cursor", "ListAfterItem": "after_item", "ListByOffset": "offset", "ListByPage": "page",
          "ListByNextUrl": "next_url", "ListByLink": "link", "SearchNotes": "cursor",
          "ListPlain": "page"}  # ListPlain: `items: $`, the answer is the bare list
METHODS = list(STYLES)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType, Provider]]:
    with importable([SPEC], tmp_path_factory.mktemp("paging") / "out") as out:
        yield out, importlib.import_module("opi.xpages"), load_providers([SPEC])[0]


@pytest.fixture
def server(generated: tuple[Path, ModuleType, Provider]) -> Iterator[MockServer]:
    with MockServer.start(generated[2], credentials={"token": TOKEN}) as started:
        yield started


def py(method: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in method).lstrip("_")


def dump(item: Any) -> Any:
    return item.to_json_dict()


def items(pkg: ModuleType, url: str, method: str, mode: str, **kwargs: Any) -> list[Any]:
    if mode == "sync":
        with pkg.Client(base_url=url, token=TOKEN, retry_delay=0.01) as client:
            return [dump(i) for i in getattr(client, "iter_" + py(method))(**kwargs)]

    async def run() -> list[Any]:
        async with pkg.AsyncClient(base_url=url, token=TOKEN, retry_delay=0.01) as client:
            return [dump(i) async for i in getattr(client, "iter_" + py(method))(**kwargs)]

    return asyncio.run(run())


BROKEN = [  # (replace, with, the problems as printed after the file name)
    ("parameter: cursor, next: next_cursor", "parameter: position, next: next_cursor",
     ["98:58: unknown parameter 'position' (known: cursor, limit) (at $.methods[0].pagination.parameter)"]),
    ("next: next_cursor, limit: limit", "next: cursor_next, limit: limit",
     ["98:72: the 200 answer has no field 'cursor_next' (at $.methods[0].pagination.next)"]),
    ("items: result.notes, parameter: skip", "items: result.items, parameter: skip",
     ["143:40: the 200 answer has no list at 'result.items' (at $.methods[2].pagination.items)"]),
    ("parameter: skip, limit: count}", "parameter: skip, limit: count, next: total}",
     ["143:91: style 'offset' counts its position itself; 'next' does not apply (at $.methods[2].pagination.next)"]),
    ("next: id, has_more: has_more", "next: uid, has_more: data",
     ["121:73: the items at 'data' have no field 'uid' (at $.methods[1].pagination.next)",
      "121:88: the 200 answer has no boolean field 'data' (at $.methods[1].pagination.has_more)"]),
    ("parameter: skip, limit: count}", "parameter: skip, limit: number}",
     ["143:78: unknown parameter 'number' (known: skip, count) (at $.methods[2].pagination.limit)"]),
    ("name: count\n", "name: max_items\n",
     ["143:78: unknown parameter 'count' (known: skip, max_items) (at $.methods[2].pagination.limit)",
      "146:15: 'max_items' would clash with the --all/--max-items options of a paginated method "
      "(at $.methods[2].parameters[1].name)"]),
    ("style: cursor, items: items, parameter: cursor,", "style: pages, items: items, parameter: cursor,",
     ['98:25: "pages" is not one of: "cursor", "after_item", "offset", "page", "next_url", "link" '
      "(at $.methods[0].pagination.style)"]),
]


@pytest.mark.parametrize(("old", "new", "problems"), BROKEN)
def test_bad_pagination_is_a_located_problem_and_writes_nothing(tmp_path: Path, old: str, new: str,
                                                                problems: list[str]) -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert text.count(old) == 1
    spec = tmp_path / "xpages.yaml"
    spec.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        generate([spec], tmp_path / "out")
    assert [str(p).removeprefix(f"{spec}:") for p in caught.value.problems] == problems
    assert not (tmp_path / "out").exists()


def test_styles_are_kinds_on_both_sides() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert set(kinds.PAGING) == set(schema["$defs"]["pagination"]["properties"]["style"]["enum"])
    assert set(paging.REGISTRY) == set(kinds.PAGING)
    assert set(STYLES.values()) == set(kinds.PAGING)  # every style (SearchNotes: a cursor in a POST body)
    for registry in (kinds.PAGING, paging.REGISTRY):
        assert all(kind.name == name for name, kind in registry.items())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("count", [0, 1, 7, 8])
def test_iterator_returns_exactly_the_served_records(generated: tuple[Path, ModuleType, Provider],
                                                     server: MockServer, method: str, mode: str,
                                                     count: int) -> None:
    served = server.serve_records(method, count)
    size = 3 if method in METHODS[:2] else 2
    got = items(generated[1], server.url, method, mode, **({"limit": size} if size == 3 else {}))
    assert got == served
    assert len({g["id"] for g in got}) == count
    full = -(-count // size)  # pages holding items
    # Each page asked for once: the cursor and has_more styles know the last page; offset knows it from a
    # short page (an empty one after a full last page); page numbers (short_page off) ask one empty page.
    expected = {"ListByCursor": max(1, full), "ListAfterItem": max(1, full), "ListByOffset": count // size + 1,
                "ListByPage": full + 1, "ListByNextUrl": max(1, full), "ListByLink": max(1, full),
                "SearchNotes": max(1, full), "ListPlain": count // size + 1}[method]
    assert len(server.requests_for(method)) == expected


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("method", METHODS)
def test_max_items_stops_early(generated: tuple[Path, ModuleType, Provider], server: MockServer,
                               method: str, mode: str) -> None:
    served = server.serve_records(method, 9)
    assert items(generated[1], server.url, method, mode, max_items=3) == served[:3]
    assert len(server.requests_for(method)) == 2  # two pages of two hold the three items; no more asked
    assert items(generated[1], server.url, method, mode, max_items=0) == []


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("method", METHODS)
def test_a_page_failing_once_is_retried(generated: tuple[Path, ModuleType, Provider], server: MockServer,
                                        method: str, mode: str) -> None:
    served = server.serve_records(method, 6)
    pkg = generated[1]
    if mode == "sync":
        with pkg.Client(base_url=server.url, token=TOKEN, retry_delay=0.01) as client:
            walk = getattr(client, "iter_" + py(method))()
            got = [dump(next(walk)), dump(next(walk))]  # the first page
            server.set_fault(method, Fault(status=503, times=1))  # the second page fails once
            got += [dump(i) for i in walk]
    else:
        async def run() -> list[Any]:
            async with pkg.AsyncClient(base_url=server.url, token=TOKEN, retry_delay=0.01) as client:
                walk = getattr(client, "iter_" + py(method))()
                out = [dump(await anext(walk)), dump(await anext(walk))]
                server.set_fault(method, Fault(status=503, times=1))
                return out + [dump(i) async for i in walk]

        got = asyncio.run(run())
    assert got == served
    assert [r.status for r in server.requests_for(method)][1:3] == [503, 200]


@pytest.mark.parametrize("method", METHODS)
def test_a_failure_midway_raises_after_the_items_already_yielded(
        generated: tuple[Path, ModuleType, Provider], server: MockServer, method: str) -> None:
    served = server.serve_records(method, 6)
    pkg = generated[1]
    got: list[Any] = []
    with pkg.Client(base_url=server.url, token=TOKEN, max_retries=0) as client:
        walk = getattr(client, "iter_" + py(method))()
        got += [dump(next(walk)), dump(next(walk))]
        server.set_fault(method, Fault(status=500))
        with pytest.raises(pkg.ServerError):
            got += [dump(i) for i in walk]
    assert got == served[:2]


def _answer(example: dict[str, Any], **changes: Any) -> httpx.Response:
    return httpx.Response(200, json={**copy.deepcopy(example), **changes})


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_repeated_cursor_stops_with_a_clear_error(generated: tuple[Path, ModuleType, Provider],
                                                    mode: str) -> None:
    pkg = generated[1]
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url.params.get("cursor")))
        cursor = {"None": "a", "a": "b"}.get(sent[-1], "a")  # a, b, then a again
        return _answer({"items": [{"id": len(sent), "text": "x"}]}, next_cursor=cursor)

    with pytest.raises(pkg.OpiError, match="position 'a' a second time"):
        if mode == "sync":
            with pkg.Client(base_url="http://pages.test", token=TOKEN,
                            transport=httpx.MockTransport(handler)) as client:
                list(client.iter_list_by_cursor())
        else:
            async def run() -> None:
                async with pkg.AsyncClient(base_url="http://pages.test", token=TOKEN,
                                           transport=httpx.MockTransport(handler)) as client:
                    [i async for i in client.iter_list_by_cursor()]

            asyncio.run(run())
    assert sent == ["None", "a", "b"]


def test_the_same_page_twice_stops_with_a_clear_error(generated: tuple[Path, ModuleType, Provider]) -> None:
    pkg = generated[1]
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:  # ignores the offset: always the same page
        calls.append(request.url.params.get("skip"))
        return _answer({"result": {"notes": [{"id": 1, "text": "x"}, {"id": 2, "text": "y"}]}})

    with pkg.Client(base_url="http://pages.test", token=TOKEN, transport=httpx.MockTransport(handler)) as client:
        walk = client.iter_list_by_offset()
        assert [next(walk).id, next(walk).id] == [1, 2]
        with pytest.raises(pkg.OpiError, match="same page twice"):
            next(walk)
    assert calls == ["0", "2"]


def test_an_endless_list_stops_at_max_pages(generated: tuple[Path, ModuleType, Provider]) -> None:
    from opi._runtime.pages import PaginationError, iter_items

    pkg = generated[1]

    def handler(request: httpx.Request) -> httpx.Response:  # a fresh cursor every time, never an end
        n = int(request.url.params.get("cursor", "c0")[1:]) + 1
        return _answer({"items": [{"id": n, "text": "x"}]}, next_cursor=f"c{n}")

    with pkg.Client(base_url="http://pages.test", token=TOKEN, transport=httpx.MockTransport(handler)) as client:
        op = type(client).__module__  # the generated module holds the operation records
        ops = importlib.import_module(op)._Ops
        with pytest.raises(PaginationError, match="more than 50 pages"):
            list(iter_items(client, ops.list_by_cursor, {}, max_pages=50))


def test_pages_are_typed_answers(generated: tuple[Path, ModuleType, Provider], server: MockServer) -> None:
    pkg = generated[1]
    server.serve_records("ListAfterItem", 5)
    with pkg.Client(base_url=server.url, token=TOKEN) as client:
        pages = list(client.pages_list_after_item(limit=2))
    assert [type(p).__name__ for p, _ in pages] == ["StripePage"] * 3
    assert [p.has_more for p, _ in pages] == [True, True, False]
    assert [[i.id for i in got] for _, got in pages] == [[1, 2], [3, 4], [5]]
    assert {type(i).__name__ for _, got in pages for i in got} == {"Note"}  # as iter_/pages_ are annotated
    asked = [r.query.get("starting_after") for r in server.requests_for("ListAfterItem")]
    assert asked == [None, ["2"], ["4"]]


def cli(out: Path, url: str, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
    env.update(PYTHONPATH=str(out), OPI_XPAGES_TOKEN=TOKEN)
    code = "import sys; from opi.cli import main; sys.exit(main())"
    return subprocess.Popen([sys.executable, "-c", code, "xpages", *args, "--base-url", url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def run_cli(out: Path, url: str, *args: str) -> tuple[int, str, str]:
    proc = cli(out, url, *args)
    stdout, stderr = proc.communicate(timeout=60)
    return proc.returncode, stdout, stderr


@pytest.mark.parametrize("method", METHODS)
def test_cli_all_prints_every_item_as_a_json_line(generated: tuple[Path, ModuleType, Provider],
                                                   server: MockServer, method: str) -> None:
    served = server.serve_records(method, 7)
    code, stdout, stderr = run_cli(generated[0], server.url, method, "--all")
    assert (code, stderr) == (0, "")
    assert [json.loads(line) for line in stdout.splitlines()] == served
    code, stdout, _ = run_cli(generated[0], server.url, method, "--all", "--max-items", "3")
    assert code == 0 and [json.loads(line) for line in stdout.splitlines()] == served[:3]


def test_cli_without_all_prints_the_one_page(generated: tuple[Path, ModuleType, Provider],
                                             server: MockServer) -> None:
    server.serve_records("ListByCursor", 7)
    code, stdout, _ = run_cli(generated[0], server.url, "ListByCursor", "--limit", "3")
    assert code == 0
    assert json.loads(stdout) == {"items": [{"id": n, "text": "first"} for n in (1, 2, 3)], "next_cursor": "c3"}
    code, _, stderr = run_cli(generated[0], server.url, "ListByCursor", "--max-items", "3")
    assert code == 3 and "--max-items goes with --all" in stderr


def test_cli_all_streams_items_before_the_last_page(generated: tuple[Path, ModuleType, Provider],
                                                    server: MockServer) -> None:
    served = server.serve_records("ListByCursor", 6)
    server.set_fault("ListByCursor", Fault(delay=1.0, times=3))  # each of the three pages takes a second
    started = time.monotonic()
    proc = cli(generated[0], server.url, "ListByCursor", "--all")
    assert proc.stdout is not None
    lines = [proc.stdout.readline()]  # read from the one text stream only, so no buffered line is lost
    first_at = time.monotonic() - started
    lines += list(proc.stdout)  # to the end of the output
    ended_at = time.monotonic() - started
    assert proc.wait(timeout=60) == 0
    assert [json.loads(line) for line in lines] == served
    assert ended_at - first_at > 1.5  # the first item was out while two pages were still to come


def test_cli_all_keeps_printed_items_when_a_page_fails(generated: tuple[Path, ModuleType, Provider],
                                                       server: MockServer) -> None:
    served = server.serve_records("ListByOffset", 6)
    server.set_fault("ListByOffset", Fault(delay=1.0, times=1))  # page one is slow ...
    proc = cli(generated[0], server.url, "ListByOffset", "--all")
    deadline = time.monotonic() + 30
    while not server.requests_for("ListByOffset") and time.monotonic() < deadline:
        time.sleep(0.01)
    server.set_fault("ListByOffset", Fault(status=404, times=1))  # ... and page two is refused (no retry)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 4 and "HTTP 404" in stderr
    lines = stdout.splitlines()
    assert [json.loads(line) for line in lines[:2]] == served[:2]  # page one's items, then the error body
    assert json.loads("\n".join(lines[2:])) == {"message": "Injected fault: HTTP 404"}


def _blocks(page: str, info: str) -> list[str]:
    return re.findall(r"```" + re.escape(info) + r"\n(.*?)```", page, flags=re.S)


@pytest.mark.parametrize("method", METHODS)
def test_docs_page_shows_the_iterator_and_all(generated: tuple[Path, ModuleType, Provider], method: str) -> None:
    out, _, provider = generated
    m = next(x for x in provider.methods if x.name == method)
    page = (out / "docs" / "Paged-Notes" / "Notes" / f"{m.title.replace(' ', '-')}.md").read_text("utf-8")
    assert f"`client.iter_{m.py_name}(...)` yields every item" in page
    assert f"It pages {kinds.PAGING[STYLES[method]].wording.split(':')[0]}" in page
    assert m.pagination is not None
    position = next(p for p in m.parameters if p.py_name == m.pagination.parameter)
    (python,) = _blocks(page, 'python title="Every item"')
    (bash,) = _blocks(page, 'bash title="Every item, one JSON line each"')
    (batch,) = _blocks(page, 'batch title="Every item, one JSON line each"')
    assert bash.rstrip().endswith("--all") and batch.rstrip().endswith("--all")
    # From the first page: the position is not among the arguments.
    assert f"--{position.option} " not in bash and not re.search(rf"[(, ]{position.py_name}=", python)
    # The Python example runs as printed, against the contract server, and prints every record.
    with MockServer.start(provider) as any_token:
        served = any_token.serve_records(method, 5)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
        env.update(PYTHONPATH=str(out), OPI_XPAGES_BASE_URL=any_token.url)
        run = subprocess.run([sys.executable, "-c", python], capture_output=True, text=True, env=env,
                             timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert [ast.literal_eval(line) for line in run.stdout.splitlines()] == served


def test_a_next_url_with_an_undeclared_parameter_is_refused(generated: tuple[Path, ModuleType, Provider]) -> None:
    pkg = generated[1]

    def handler(request: httpx.Request) -> httpx.Response:
        return _answer({"results": [{"id": 1, "text": "x"}]}, next="http://pages.test/linked/notes?token=abc")

    with pkg.Client(base_url="http://pages.test", token=TOKEN, transport=httpx.MockTransport(handler)) as client:
        walk = client.iter_list_by_next_url()
        assert next(walk).id == 1
        with pytest.raises(pkg.OpiError, match="the next-page URL sets 'token', which the spec does not declare"):
            next(walk)


def test_a_paginated_post_reads_and_takes_no_idempotency(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8")
    old = "    pagination: {style: cursor, items: items, parameter: start_cursor,"
    spec = tmp_path / "xpages.yaml"
    spec.write_text(text.replace(old, "    idempotency: {kind: none}\n" + old), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        generate([spec], tmp_path / "out")
    assert [str(p).removeprefix(f"{spec}:") for p in caught.value.problems] == [
        "233:5: a paginated method reads: its pages are retried like a GET's, so it takes no idempotency "
        "(at $.methods[6].idempotency)"]
    search = next(m for m in load_providers([SPEC])[0].methods if m.name == "SearchNotes")
    assert search.safety.kind.value == "safe"


@pytest.mark.parametrize("style", ["next_url", "link"])
def test_a_next_page_on_another_host_stops_and_gets_nothing(generated: tuple[Path, ModuleType, Provider],
                                                            style: str) -> None:
    pkg = generated[1]
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        other = "https://elsewhere.test/notes?after=c2"
        if style == "next_url":
            return _answer({"results": [{"id": 1, "text": "x"}]}, next=other)
        return httpx.Response(200, json={"notes": [{"id": 1, "text": "x"}]}, headers={"link": f'<{other}>; rel="next"'})

    method = "iter_list_by_next_url" if style == "next_url" else "iter_list_by_link"
    with pkg.Client(base_url="http://pages.test", token=TOKEN, transport=httpx.MockTransport(handler)) as client:
        walk = getattr(client, method)()
        assert next(walk).id == 1
        with pytest.raises(pkg.OpiError, match=re.escape("points at 'elsewhere.test', not at 'pages.test'")):
            next(walk)
    assert hosts == ["pages.test"]  # nothing went to the other host


def test_a_relative_next_url_stays_on_the_host(generated: tuple[Path, ModuleType, Provider]) -> None:
    pkg = generated[1]
    asked: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params.get("after"))
        if len(asked) == 1:
            return _answer({"results": [{"id": 1, "text": "x"}]}, next="/other/notes?after=c2")
        return _answer({"results": [{"id": 2, "text": "y"}]})

    with pkg.Client(base_url="http://pages.test", token=TOKEN, transport=httpx.MockTransport(handler)) as client:
        assert [n.id for n in client.iter_list_by_next_url()] == [1, 2]
    assert asked == [None, "c2"]


def test_a_list_answer_keeps_its_raw_response(generated: tuple[Path, ModuleType, Provider],
                                              server: MockServer) -> None:
    server.serve_records("ListPlain", 3)
    with generated[1].Client(base_url=server.url, token=TOKEN) as client:
        page = client.list_plain(page=2)
    assert [n.id for n in page] == [3] and isinstance(page, list)
    assert page.raw_response.status_code == 200 and json.loads(page.raw_response.content) == [{"id": 3, "text": "first"}]


def test_walker_names_must_not_clash_with_a_method(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8")
    old = "  - name: ListByLink\n"
    spec = tmp_path / "xpages.yaml"
    spec.write_text(text.replace(old, "  - name: PagesListByCursor\n"), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        generate([spec], tmp_path / "out")
    assert [str(p).removeprefix(f"{spec}:") for p in caught.value.problems] == [
        "98:5: ListByCursor pages, so the client gains 'pages_list_by_cursor', which is already the Python name "
        "of method PagesListByCursor (at $.methods[0].pagination)"]


def test_openapi_carries_the_pagination(generated: tuple[Path, ModuleType, Provider]) -> None:
    from openapi_spec_validator import validate

    document = json.loads((generated[0] / "openapi" / "xpages.json").read_text(encoding="utf-8"))
    validate(document)
    plain = document["paths"]["/plain/notes"]["get"]["x-pagination"]
    assert plain == {"style": "page", "items": "$", "parameter": "page", "limit": "size", "short_page": True,
                     "start": 1}
    stripe = next(op for path in document["paths"].values() for op in path.values()
                  if isinstance(op, dict) and op.get("operationId") == "ListAfterItem")
    assert stripe["x-pagination"] == {"style": "after_item", "items": "data", "parameter": "starting_after",
                                      "next": "id", "limit": "limit", "short_page": False, "has_more": "has_more"}
    unpaged = [op for path in document["paths"].values() for op in path.values()
               if isinstance(op, dict) and "operationId" in op and "x-pagination" not in op]
    assert unpaged == []  # every method of this spec pages


def test_records_without_an_id_are_numbered_by_their_first_field(generated: tuple[Path, ModuleType, Provider]) -> None:
    from dataclasses import replace

    from generator.mock.paging import Pager

    plain = next(m for m in generated[2].methods if m.name == "ListPlain")
    coded = replace(plain, responses=tuple(
        replace(r, example=[{"flag": True, "code": "MSK1", "text": "x"}]) if r.is_success else r
        for r in plain.responses))
    assert [r["code"] for r in Pager().serve(coded, 3)] == ["MSK1-1", "MSK1-2", "MSK1-3"]
