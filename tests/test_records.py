"""Runtime records as the generator writes them, and the generated module names a model may not take."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from cli_support import provider

from generator.module_names import CLIENT_IMPORTS, CLIENT_NAMES, MODELS_NAMES, bound_names
from generator.names import RESERVED_MODEL_NAMES
from generator.render import records
from generator.render.pycode import Code, Flat, Rows, pycode, record
from generator.runtime import cli_table, spec

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated" / "opi"
PROVIDERS = sorted(p.parent for p in GENERATED.glob("*/models.py"))  # not the runtime


def _module_names(path: Path) -> set[str]:
    """Names a module binds at top level, leaving out what it imports only for type checking."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import | ast.ImportFrom) and getattr(node, "module", "") != "__future__":
            names.update(a.asname or a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names - {"__all__"}


@pytest.mark.parametrize("package", PROVIDERS, ids=lambda p: p.name)
def test_models_names_cover_what_the_model_generator_imports(package: Path) -> None:
    path = package / "models.py"
    classes = {n.name for n in ast.parse(path.read_text(encoding="utf-8")).body if isinstance(n, ast.ClassDef)}
    names = _module_names(path) - classes
    assert "ApiModel" in names and names <= MODELS_NAMES


@pytest.mark.parametrize("package", PROVIDERS, ids=lambda p: p.name)
def test_client_names_cover_what_a_client_module_binds(package: Path) -> None:
    names = _module_names(package / "client.py")
    assert {"_Ops", "PROVIDER", "Client", "AsyncClient", "Operation"} <= names <= CLIENT_NAMES


def test_reserved_model_names_are_derived_and_keep_the_earlier_ones() -> None:
    earlier = {
        "None", "True", "False", "Model", "Annotated", "Any", "AnyUrl", "AwareDatetime", "EmailStr", "Field",
        "Literal", "Optional", "RootModel", "Union", "UUID", "ApiModel", "AsyncClient", "Client", "Lookup",
        "Mapping", "Operation", "Param", "ProviderSpec", "RawResponse", "Safety", "Scheme", "TimeoutTypes",
        "PROVIDER",
    }  # fmt: skip
    assert earlier <= RESERVED_MODEL_NAMES
    assert MODELS_NAMES | CLIENT_NAMES <= RESERVED_MODEL_NAMES
    assert set(spec.__all__) <= CLIENT_NAMES  # every record class is imported by the client module
    assert any("from opi._runtime.spec import" in line for group in CLIENT_IMPORTS for line in group)


def test_bound_names() -> None:
    assert bound_names("import datetime as dt") == ("dt",)
    assert bound_names("import os.path") == ("os",)
    assert bound_names("from a.b import X, Y as Z") == ("X", "Z")


def test_a_record_leaves_out_the_runtime_defaults() -> None:
    assert pycode(record(spec.Param, "a", "a", "query")) == "Param('a', 'a', 'query')"
    assert pycode(record(spec.Param, "a", "a", "query", required=False, secret=True)) == (
        "Param('a', 'a', 'query', secret=True)"
    )
    # False is not the default None: it is written.
    option = record(cli_table.Option, name="n", kwarg="n", kind="k", label="l", description="d", default=False)
    assert pycode(option) == "Option(name='n', kwarg='n', kind='k', label='l', description='d', default=False)"
    kept = record(spec.Scheme, "s", "bearer", ("token",), prefix="", keep=("prefix",), rows=True)
    assert pycode(kept) == "Scheme('s', 'bearer', ('token', ), prefix='', )"
    with pytest.raises(TypeError):
        record(spec.Param, "a", "a", "query", requried=True)
    with pytest.raises(TypeError):
        record(cli_table.Environment, "production", "https://example.com")


def test_layouts() -> None:
    assert pycode(("a", "b")) == "('a', 'b', )"  # a trailing comma: one item per line
    assert pycode(Flat((("a", "b"),))) == "(('a', 'b'),)"  # as repr writes it
    assert pycode(Flat(())) == "()"
    assert pycode(Rows({"a": Code("_Ops.a")})) == "{'a': _Ops.a, }"
    assert pycode({"a": [1, None]}) == "{'a': [1, None]}"
    assert pycode(frozenset({"b", "a"})) == "frozenset({'a', 'b'})"
    assert pycode(frozenset()) == "frozenset()"


def test_features_are_left_out_while_empty() -> None:
    assert spec.Operation(name="A", py_name="a", http_method="GET", path="/", response_model=None).features == {}
    cdek = provider("cdek")
    op = records.operation(cdek.method("GetOrder"))
    assert "features" not in dict(op.kwargs)
    assert {"params", "auth", "safety"} <= set(dict(op.kwargs))
    feature = record(spec.Lookup, "m", "p", "items", None)
    with_feature = record(spec.Operation, name="A", py_name="a", http_method="GET", path="/", response_model=None,
                          features={"lookup": feature})  # fmt: skip
    assert "features={'lookup': Lookup('m', 'p', 'items', None)}" in pycode(with_feature)


def test_generated_records_construct_the_runtime_classes() -> None:
    """What pycode writes is valid Python that builds the records, with the values given."""
    cdek = provider("cdek")
    namespace = {**vars(spec), **vars(cli_table)}
    op = eval(pycode(records.operation(cdek.method("GetToken"))), namespace)
    assert (op.py_name, op.body_content, op.safety.kind, op.auth) == ("get_token", "form", "none", ())
    assert [(p.name, p.is_const, p.secret) for p in op.params] == [
        ("grant_type", True, False),
        ("client_id", False, False),
        ("client_secret", False, True),
    ]
    table = eval(pycode(records.provider_table(cdek)), namespace)
    assert table.alias == "cdek" and [c.method for c in table.commands] == [m.py_name for m in cdek.methods]
