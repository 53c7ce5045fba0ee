"""Whole answers that are unions or lists of them, named examples, type lists with "null", string variants told
apart by their patterns and union options read from files, from tests/union_specs/answers.yaml: the clients
(sync and async) and the CLI against the contract server, the docs and the OpenAPI export."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from client_support import answered
from spec_support import importable

from generator.ir import Provider
from generator.mock import MockServer
from generator.pipeline import generate, load_providers
from generator.problems import SpecError

SPEC = Path(__file__).resolve().parent / "union_specs" / "answers.yaml"
TOKEN = "shelf-token-s3cr3t-value"

Generated = tuple[Path, ModuleType, Provider]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    with importable([SPEC], tmp_path_factory.mktemp("union-answers") / "out") as out:
        yield out, importlib.import_module("opi.shelf"), load_providers([SPEC])[0]


@pytest.fixture
def server(generated: Generated) -> Iterator[MockServer]:
    with MockServer.start(generated[2], credentials={"token": TOKEN}) as started:
        yield started


def call(pkg: ModuleType, url: str, name: str, kwargs: dict[str, Any], mode: str) -> Any:
    if mode == "sync":
        with pkg.Client(base_url=url, token=TOKEN) as client:
            return getattr(client, name)(**kwargs)

    async def run() -> Any:
        async with pkg.AsyncClient(base_url=url, token=TOKEN) as client:
            return await getattr(client, name)(**kwargs)

    return asyncio.run(run())


def cli(out: Path, url: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
    env.update(PYTHONPATH=str(out), OPI_SHELF_TOKEN=TOKEN)
    code = "import sys; from opi.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, "shelf", *args, "--base-url", url], capture_output=True,
                          text=True, env=env, timeout=60, check=False, cwd=cwd)


# --- union and list answers --------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_union_answers_are_typed_variants(generated: Generated, server: MockServer, mode: str) -> None:
    pkg = generated[1]
    block = call(pkg, server.url, "get_block", {"block_id": "b1"}, mode)
    assert type(block) is pkg.models.TextBlock and block.text == "Hello"
    assert block.raw_response.status_code == 200  # a model variant keeps its raw answer
    blocks = call(pkg, server.url, "list_blocks", {}, mode)
    assert [type(b) for b in blocks] == [pkg.models.TextBlock, pkg.models.ImageBlock]
    assert isinstance(blocks, list) and json.loads(blocks.raw_response.content)[1]["type"] == "image"
    owner = call(pkg, server.url, "find_owner", {"ref": "usr_7"}, mode)
    assert type(owner) is pkg.models.Owner and owner.nickname is None  # `type: [string, "null"]`
    assert [r.status for r in answered(server, "FindOwner")] == [200]


@pytest.mark.parametrize(("method", "args", "printed"), [
    ("GetBlock", ["--block-id", "b1"], {"type": "text", "text": "Hello"}),
    ("ListBlocks", [], [{"type": "text", "text": "Hello"}, {"type": "image", "url": "https://img.example.com/a.png"}]),
    ("FindOwner", ["--ref", "grp_admins"], {"id": "usr_7", "name": "Ann", "nickname": None}),
])
def test_cli_prints_union_answers(generated: Generated, server: MockServer, method: str, args: list[str],
                                  printed: Any) -> None:
    run = cli(generated[0], server.url, method, *args)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == printed
    assert [r.status for r in answered(server, method)] == [200]


# --- named examples ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_server_answers_the_named_example_asked_for(generated: Generated, server: MockServer,
                                                        mode: str) -> None:
    pkg = generated[1]
    server.use_example("GetBlock", "image")
    image = call(pkg, server.url, "get_block", {"block_id": "b1"}, mode)
    assert type(image) is pkg.models.ImageBlock and str(image.url) == "https://img.example.com/a.png"
    server.use_example("FindOwner", "hidden")
    assert call(pkg, server.url, "find_owner", {"ref": "usr_7"}, mode) == "usr_7"  # the plain-string variant
    server.use_example("GetBlock", None)
    assert type(call(pkg, server.url, "get_block", {"block_id": "b1"}, mode)) is pkg.models.TextBlock


def test_a_request_asks_for_a_named_example_with_prefer(server: MockServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    got = httpx.get(f"{server.url}/blocks/b1", headers={**auth, "Prefer": "example=long_text"}, timeout=10)
    assert (got.status_code, got.json()) == (200, {"type": "text", "text": "Once upon a time"})
    plain = httpx.get(f"{server.url}/blocks/b1", headers=auth, timeout=10)
    assert plain.json() == {"type": "text", "text": "Hello"}
    unknown = httpx.get(f"{server.url}/blocks/b1", headers={**auth, "Prefer": "example=video"}, timeout=10)
    assert unknown.status_code == 400
    assert unknown.json() == {"message": "GetBlock has no example named 'video' (named examples: image, long_text)"}
    with pytest.raises(ValueError, match="no example named 'video'"):
        server.use_example("GetBlock", "video")


def test_cli_prints_a_named_example_answer(generated: Generated, server: MockServer) -> None:
    server.use_example("FindOwner", "hidden")
    run = cli(generated[0], server.url, "FindOwner", "--ref", "usr_7")
    assert run.returncode == 0, run.stderr
    assert run.stdout == "usr_7\n"  # a plain string answer prints as text


# --- type lists with null, pattern variants, union options from files ---------------------------------------
def test_type_lists_with_null_are_optional_types(generated: Generated) -> None:
    out, pkg, _ = generated
    client = (out / "opi" / "shelf" / "client.py").read_text(encoding="utf-8")
    assert "note: str | None = None," in client and "None | None" not in client
    assert pkg.models.Owner.model_fields["nickname"].annotation == str | None
    assert pkg.models.Owner.model_validate({"id": "u", "name": "A", "nickname": None}).nickname is None


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_string_variants_told_apart_by_pattern(generated: Generated, server: MockServer, mode: str) -> None:
    from opi._runtime.errors import ValidationError

    pkg = generated[1]
    assert type(call(pkg, server.url, "find_owner", {"ref": "grp_admins", "note": "x"}, mode)) is pkg.models.Owner
    assert answered(server, "FindOwner")[0].path.endswith("/owners/grp_admins")
    with pytest.raises(ValidationError, match="ref"):
        call(pkg, server.url, "find_owner", {"ref": "admins"}, mode)
    assert len(server.requests_for("FindOwner")) == 1  # the bad id was refused before sending


@pytest.mark.parametrize(("given", "files", "sent"), [
    ("@owner.json", {"owner.json": '{"id": "usr_9", "name": "Bo", "nickname": "bo"}'},
     {"id": "usr_9", "name": "Bo", "nickname": "bo"}),
    ("owner.json", {"owner.json": '{"id": "usr_9", "name": "Bo", "nickname": "b"}'},
     {"id": "usr_9", "name": "Bo", "nickname": "b"}),
    ("@id.txt", {"id.txt": "usr_9\n"}, "usr_9"),
    ('"@usr_9"', {}, "@usr_9"),
    ("usr_9", {}, "usr_9"),
])
def test_cli_union_option_reads_a_file(generated: Generated, server: MockServer, tmp_path: Path, given: str,
                                       files: dict[str, str], sent: Any) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = cli(generated[0], server.url, "MoveBlock", "--block-id", "b1", "--owner", given, "--nickname", "annie",
              cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    (request,) = answered(server, "MoveBlock")
    assert request.json == {"owner": sent, "nickname": "annie"}


@pytest.mark.parametrize(("given", "files", "message"), [
    ("@missing.json", {}, "--owner: file not found: missing.json"),
    ("@bad.json", {"bad.json": "{not json"}, "--owner: bad.json holds invalid JSON"),
])
def test_cli_union_option_file_problems(generated: Generated, server: MockServer, tmp_path: Path, given: str,
                                        files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = cli(generated[0], server.url, "MoveBlock", "--block-id", "b1", "--owner", given, cwd=tmp_path)
    assert run.returncode != 0 and message in run.stderr
    assert server.requests_for("MoveBlock") == []


def test_overlapping_patterns_stay_ambiguous(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8")
    old = "            - {type: string, pattern: '^grp_[a-z]+$'}\n"
    assert text.count(old) == 1
    spec = tmp_path / "answers.yaml"
    spec.write_text(text.replace(old, "            - {type: string, pattern: '^usr_[a-z]+$'}\n"), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        generate([spec], tmp_path / "out")
    assert [str(p).removeprefix(f"{spec}:") for p in caught.value.problems] == [
        "120:15: ambiguous union: one value can match variant 1 (string) and variant 2 (string); add a "
        "discriminator or make the variants exclusive (at $.methods[2].parameters[0].schema.oneOf[1])",
        "123:47: example does not match its schema: 'grp_admins' is not valid under any of the given schemas "
        "(at $.methods[2].parameters[0].examples.group.value)"]  # a named parameter example is checked too
    assert not (tmp_path / "out").exists()


# --- docs and OpenAPI --------------------------------------------------------------------------------------
def _page(out: Path, title: str) -> str:
    return (out / "docs" / "Shelf" / "Blocks" / f"{title}.md").read_text(encoding="utf-8")


def test_docs_show_variants_and_named_examples(generated: Generated) -> None:
    out = generated[0]
    get = _page(out, "Get-block")
    assert ("Returns: `TextBlock | ImageBlock`, one of [TextBlock](../Models/TextBlock.md), "
            "[ImageBlock](../Models/ImageBlock.md) (see [Block](../Models/Block.md)). HTTP status 200: The block."
            ) in get.splitlines()
    blocks = re.findall(r'```json title="([^"]*)"\n(.*?)```', get, flags=re.S)
    assert [(title, json.loads(body)) for title, body in blocks] == [
        ("Result", {"type": "text", "text": "Hello"}),
        ("Result: image (An image block)", {"type": "image", "url": "https://img.example.com/a.png"}),
        ("Result: long_text (A longer paragraph)", {"type": "text", "text": "Once upon a time"}),
    ]
    listing = _page(out, "List-blocks")
    assert "Returns: `list[(TextBlock | ImageBlock)]`, each one of [TextBlock]" in listing
    find = _page(out, "Find-owner")
    assert "Returns: `str | Owner`, one of string, [Owner](../Models/Owner.md)." in find
    row = next(line for line in find.splitlines() if line.startswith("| `note` |"))
    assert "string or null" in row
    ref = next(line for line in find.splitlines() if line.startswith("| `ref` |"))
    assert ref.endswith('Examples:<br/>`"grp_admins"`: A group id |')
    move = _page(out, "Move-block")
    owner_row = next(line for line in move.splitlines() if line.startswith("| `owner` |"))
    assert ('Examples:<br/>`"usr_7"`: The owner\'s id<br/>`{"id": "usr_7", "name": "Ann", "nickname": null}`: '
            "The owner itself |") in owner_row
    owner = (out / "docs" / "Shelf" / "Models" / "Owner.md").read_text(encoding="utf-8")
    nickname = next(line for line in owner.splitlines() if line.startswith("| `nickname` |"))
    assert [c.strip() for c in nickname.strip("|").split(" | ")][1:4] == ["string", "✔", "nullable"]


def test_openapi_exports_union_answers_and_named_examples(generated: Generated) -> None:
    from openapi_spec_validator import validate

    document = json.loads((generated[0] / "openapi" / "shelf.json").read_text(encoding="utf-8"))
    validate(document)
    media = document["paths"]["/blocks/{block_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert media["schema"] == {"$ref": "#/components/schemas/Block"} and "example" not in media
    assert media["examples"] == {
        "default": {"value": {"type": "text", "text": "Hello"}},
        "image": {"summary": "An image block", "value": {"type": "image", "url": "https://img.example.com/a.png"}},
        "long_text": {"summary": "A longer paragraph", "value": {"type": "text", "text": "Once upon a time"}},
    }
    listed = document["paths"]["/blocks"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"] == {"type": "array", "items": {"$ref": "#/components/schemas/Block"}}
    found = document["paths"]["/owners/{ref}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert found["schema"] == {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Owner"}]}
    (ref,) = document["paths"]["/owners/{ref}"]["get"]["parameters"][:1]
    assert ref["examples"] == {"default": {"value": "usr_7"}, "group": {"summary": "A group id", "value": "grp_admins"}}
    nickname = document["components"]["schemas"]["Owner"]["properties"]["nickname"]
    assert nickname["type"] == ["string", "null"]


def test_generated_package_passes_mypy_strict_and_ruff(generated: Generated) -> None:
    out = generated[0]
    bin_dir = Path(sys.executable).parent
    mypy = subprocess.run([str(bin_dir / "mypy"), "--strict", "opi"], cwd=out, capture_output=True, text=True,
                          timeout=300, check=False)
    assert mypy.returncode == 0, mypy.stdout
    ruff = subprocess.run([str(bin_dir / "ruff"), "check", "opi"], cwd=out, capture_output=True, text=True,
                          timeout=60, check=False)
    assert ruff.returncode == 0, ruff.stdout
