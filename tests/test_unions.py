"""Unions (discriminated and plain), allOf and a recursive tree, from the test spec tests/union_specs/shapes.yaml:
every method through the sync and async clients and the CLI against the contract server, each variant at
least once; values checked before sending; an answer that fits no variant names the variants tried."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from client_support import Canned, answered, canned_server
from spec_support import importable

from generator.ir import Provider
from generator.mock import MockServer
from generator.pipeline import load_providers

SPEC = Path(__file__).resolve().parent / "union_specs" / "shapes.yaml"
TOKEN = "shapes-token-s3cr3t-value"

# (method, keywords, the request body the server must receive or None): every variant of every union.
CALLS: list[tuple[str, dict[str, Any], Any]] = [
    ("GetPage", {"page_id": "pg_1"}, None),
    ("AddBlock", {"page_id": "pg_1", "block": {"type": "text", "text": "Hi", "bold": True}, "position": 0},
     {"block": {"type": "text", "text": "Hi", "bold": True}, "position": 0}),
    ("AddBlock", {"page_id": "pg_1", "block": {"type": "image", "url": "https://img.example.com/c.png"},
                  "position": "end"},
     {"block": {"type": "image", "url": "https://img.example.com/c.png"}, "position": "end"}),
    ("AddBlock", {"page_id": "pg_1", "block": {"type": "divider"}}, {"block": {"type": "divider"}}),
    ("GetTree", {"folder_id": 42, "depth": 3}, None),
    ("GetTree", {"folder_id": "/docs", "depth": "all"}, None),
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType, Provider]]:
    with importable([SPEC], tmp_path_factory.mktemp("unions") / "out") as out:
        yield out, importlib.import_module("opi.shapes"), load_providers([SPEC])[0]


@pytest.fixture(scope="module")
def server(generated: tuple[Path, ModuleType, Provider]) -> Iterator[MockServer]:
    with MockServer.start(generated[2], credentials={"token": TOKEN}) as started:
        yield started


def call(pkg: ModuleType, url: str, method: str, kwargs: dict[str, Any], mode: str) -> Any:
    name = "".join("_" + c.lower() if c.isupper() else c for c in method).lstrip("_")
    if mode == "sync":
        with pkg.Client(base_url=url, token=TOKEN) as client:
            return getattr(client, name)(**kwargs)

    async def run() -> Any:
        async with pkg.AsyncClient(base_url=url, token=TOKEN) as client:
            return await getattr(client, name)(**kwargs)

    return asyncio.run(run())


def cli(out: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
    env.update(PYTHONPATH=str(out), OPI_SHAPES_TOKEN=TOKEN)
    code = "import sys; from opi.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, "shapes", *args, "--base-url", url],
                          capture_output=True, text=True, env=env, timeout=60, check=False)


def check_result(method: str, result: Any, pkg: ModuleType) -> None:
    models = pkg.models
    if method == "GetPage":
        assert [type(b) for b in result.blocks] == [models.TextBlock, models.ImageBlock, models.DividerBlock]
        assert result.blocks[1].width == 640 and result.owner == "usr_7"
        assert result.created.year == 2024  # the allOf part's field
    elif method == "AddBlock":
        assert isinstance(result.owner, models.Owner) and result.owner.name == "Ann"
        assert isinstance(result.blocks[0], models.ImageBlock)
    else:
        depth, node = 0, result
        while node.children:  # five levels in the example
            assert isinstance(node, models.Folder)
            node, depth = node.children[0], depth + 1
        assert (depth, node.name) == (4, "deep") and result.labels == {"color": "red"}
        first, second = result.children
        assert (result.size, first.size) == (2048, "unknown")  # `type: [integer, string]`
        assert isinstance(result.icon, models.ImageBlock) and first.icon == "📁" and second.icon is None
        assert result.to_json_dict()["tags"] == ["archive", ["2024", ["q1", "q2"]]]  # a union holding itself


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("method", "kwargs", "body"), CALLS)
def test_client_calls(generated: tuple[Path, ModuleType, Provider], server: MockServer, mode: str,
                      method: str, kwargs: dict[str, Any], body: Any) -> None:
    before = len(server.requests_for(method))
    check_result(method, call(generated[1], server.url, method, kwargs, mode), generated[1])
    recorded = answered(server, method)[before:]
    assert [r.status for r in recorded] == [201 if method == "AddBlock" else 200]
    if body is not None:
        assert recorded[0].json == body
    if method == "GetTree":
        assert recorded[0].path.endswith(f"/folders/{kwargs['folder_id']}/tree")
        assert recorded[0].query == {"depth": [str(kwargs["depth"])]}


@pytest.mark.parametrize(("method", "kwargs", "body"), CALLS)
def test_cli_calls(generated: tuple[Path, ModuleType, Provider], server: MockServer, method: str,
                   kwargs: dict[str, Any], body: Any) -> None:
    args = [method]
    for key, value in kwargs.items():
        text = json.dumps(value) if isinstance(value, dict | int) else str(value)
        args += ["--" + key.replace("_", "-"), text]
    before = len(server.requests_for(method))
    run = cli(generated[0], server.url, *args)
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    recorded = answered(server, method)[before:]
    assert len(recorded) == 1
    if body is not None:
        assert recorded[0].json == body
    if method == "GetTree":
        assert answer["children"][0]["children"][0]["name"] == "a1"
        assert recorded[0].path.endswith(f"/folders/{kwargs['folder_id']}/tree")
        assert recorded[0].query == {"depth": [str(kwargs["depth"])]}
        assert answer["children"][0]["size"] == "unknown" and answer["size"] == 2048
    else:
        assert answer["blocks"][0]["type"] in ("text", "image")


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("kwargs", "wrong"), [
    ({"block": {"type": "video", "url": "https://v.example.com"}}, "video"),
    ({"block": {"type": "image"}}, "url"),
    ({"block": {"type": "divider"}, "position": -1}, "position"),
    ({"block": {"type": "divider"}, "position": "middle"}, "position"),
])
def test_bad_union_values_are_refused_before_sending(generated: tuple[Path, ModuleType, Provider],
                                                     server: MockServer, mode: str, kwargs: dict[str, Any],
                                                     wrong: str) -> None:
    from opi._runtime.errors import ValidationError

    before = len(server.requests_for("AddBlock"))
    with pytest.raises(ValidationError) as caught:
        call(generated[1], server.url, "AddBlock", {"page_id": "pg_1", **kwargs}, mode)
    assert wrong in str(caught.value)
    assert len(server.requests_for("AddBlock")) == before


def test_cli_refuses_a_variant_that_does_not_exist(generated: tuple[Path, ModuleType, Provider],
                                                   server: MockServer) -> None:
    before = len(server.requests_for("AddBlock"))
    run = cli(generated[0], server.url, "AddBlock", "--page-id", "pg_1", "--block", '{"type": "video"}')
    assert run.returncode != 0 and "video" in run.stderr
    assert len(server.requests_for("AddBlock")) == before


def test_contract_server_refuses_a_body_that_fits_no_variant(server: MockServer) -> None:
    import httpx

    answer = httpx.post(f"{server.url}/pages/pg_1/blocks", json={"block": {"type": "video"}},
                        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert answer.status_code == 400


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("page", "where", "tried"), [
    ({"blocks": [{"type": "video"}]}, "blocks.0", "TextBlock, ImageBlock, DividerBlock"),
    ({"blocks": [], "owner": 7}, "owner", "string, Owner"),
])
def test_answer_fitting_no_variant_names_the_variants(generated: tuple[Path, ModuleType, Provider], mode: str,
                                                      page: dict[str, Any], where: str, tried: str) -> None:
    from opi._runtime.errors import ResponseValidationError

    body = {"id": "pg_1", "title": "T", "created": "2024-05-01T10:00:00Z", **page}
    answers = [Canned(200, json.dumps(body).encode(), {"Content-Type": "application/json"})]
    with canned_server(answers) as (url, _seen), pytest.raises(ResponseValidationError) as caught:
        call(generated[1], url, "GetPage", {"page_id": "pg_1"}, mode)
    assert f"variants tried at {where}: {tried}" in str(caught.value)


def test_named_union_is_a_type_alias(generated: tuple[Path, ModuleType, Provider]) -> None:
    from pydantic import TypeAdapter

    models = generated[1].models
    block = TypeAdapter(models.Block).validate_python({"type": "image", "url": "https://a.example.com/x"})
    assert isinstance(block, models.ImageBlock)
    # A constrained variant of an inline union is validated in place, not wrapped in a class of its own.
    body = models.AddBlockRequest.model_validate({"block": {"type": "divider"}, "position": 3})
    assert type(body.position) is int and not hasattr(models, "Position")
    params = models.GetTreeParams.model_validate({"folder_id": "/docs"})
    assert type(params.folder_id) is str


def _table_row(page: str, first_cell: str) -> list[str]:
    row = next(line for line in page.splitlines() if line.startswith(f"| `{first_cell}` |"))
    return [cell.strip() for cell in row.strip("|").split(" | ")]


def test_docs_name_the_variants(generated: tuple[Path, ModuleType, Provider]) -> None:
    docs = generated[0] / "docs" / "Shapes"
    tree = (docs / "Folders" / "Get-tree.md").read_text(encoding="utf-8")
    assert _table_row(tree, "folder_id")[2] == "integer or string"
    assert _table_row(tree, "depth")[2] == "integer or string"  # `type: [integer, string]`
    assert _table_row(tree, "icon")[1:4] == ["string or [ImageBlock](../Models/ImageBlock.md)", "✖", "nullable"]
    add = (docs / "Pages" / "Add-block.md").read_text(encoding="utf-8")
    assert _table_row(add, "block")[2] == "[Block](../Models/Block.md)"
    block = (docs / "Models" / "Block.md").read_text(encoding="utf-8")
    variants = [line for line in block.splitlines() if line.startswith("- ")]
    assert variants == [
        "- [TextBlock](TextBlock.md): `type` is `text`",
        "- [ImageBlock](ImageBlock.md): `type` is `image`",
        "- [DividerBlock](DividerBlock.md): `type` is `divider`",
    ]
    page = (docs / "Models" / "Page.md").read_text(encoding="utf-8")
    assert "Includes the fields of [Stamped](Stamped.md)." in page
    assert _table_row(page, "created")[1:3] == ["string (date-time)", "✔"]  # from the allOf's first part
    assert _table_row(page, "owner")[1] == "string or [Owner](Owner.md)"


def test_openapi_exports_unions_one_to_one(generated: tuple[Path, ModuleType, Provider]) -> None:
    from openapi_spec_validator import validate

    document = json.loads((generated[0] / "openapi" / "shapes.json").read_text(encoding="utf-8"))
    validate(document)
    schemas = document["components"]["schemas"]
    assert schemas["Block"]["discriminator"] == {"propertyName": "type", "mapping": {
        "text": "#/components/schemas/TextBlock", "image": "#/components/schemas/ImageBlock",
        "divider": "#/components/schemas/DividerBlock"}}
    assert schemas["Page"]["allOf"][0] == {"$ref": "#/components/schemas/Stamped"}
    assert schemas["Folder"]["properties"]["children"]["items"] == {"$ref": "#/components/schemas/Folder"}


def test_generated_package_passes_mypy_strict_and_ruff(generated: tuple[Path, ModuleType, Provider]) -> None:
    out = generated[0]
    bin_dir = Path(sys.executable).parent
    mypy = subprocess.run([str(bin_dir / "mypy"), "--strict", "opi"], cwd=out, capture_output=True, text=True,
                          timeout=300, check=False)
    assert mypy.returncode == 0, mypy.stdout
    ruff = subprocess.run([str(bin_dir / "ruff"), "check", "opi"], cwd=out, capture_output=True, text=True,
                          timeout=60, check=False)
    assert ruff.returncode == 0, ruff.stdout
    models = (out / "opi" / "shapes" / "models.py").read_text(encoding="utf-8")
    assert 'Block: TypeAlias = Annotated[TextBlock | ImageBlock | DividerBlock, Field(discriminator="type")]' in models
    assert "class Ident(RootModel[str | int]):" in models  # used by no field: kept as a class, no alias
