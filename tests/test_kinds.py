"""The kind registries: the spec format's choices, the generator's kinds and the runtime's agree."""

from __future__ import annotations

import base64
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator import kinds
from generator.runtime import decoders, encoders, schemes

SCHEMA = Path(kinds.__file__).resolve().parent.parent / "spec.schema.json"


@cache
def format_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return data


def _enum(*path: str) -> set[Any]:
    node: Any = format_schema()["$defs"]
    for key in path:
        node = node[key]
    return set(node["enum"])


def test_body_kinds_are_the_spec_choices() -> None:
    assert set(kinds.BODIES) == _enum("method", "properties", "body", "properties", "content")


def test_answer_kinds_are_the_spec_choices() -> None:
    assert set(kinds.ANSWERS) == _enum("response", "properties", "content")
    assert kinds.DEFAULT_ANSWER in kinds.ANSWERS


def test_auth_kinds_are_the_spec_choices() -> None:
    assert set(kinds.AUTH) == _enum("authScheme", "properties", "type")


def test_auth_kinds_declare_their_roles_in_the_spec_schema() -> None:
    """Each auth kind's roles are exactly the input keys the spec schema requires for its type."""
    for rule in format_schema()["$defs"]["authScheme"]["allOf"]:
        name = rule["if"]["properties"]["type"]["const"]
        props = rule["then"]["properties"]
        inputs = {k for k, v in props.items() if v == {"$ref": "#/$defs/input"}}
        assert inputs == set(kinds.AUTH[name].roles), name
        assert kinds.AUTH[name].secret_roles <= inputs


def test_the_runtime_has_the_same_kinds() -> None:
    """A kind is added on both sides at once: the client's encoders, decoders and schemes."""
    assert set(encoders.REGISTRY) == set(kinds.BODIES)
    assert set(decoders.REGISTRY) == set(kinds.ANSWERS)
    assert set(schemes.REGISTRY) == set(kinds.AUTH)


def test_registry_names_match_kind_names() -> None:
    for registry in (kinds.BODIES, kinds.ANSWERS, kinds.AUTH):
        for name, kind in registry.items():
            assert kind.name == name


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("application/json", b'{"a": 1}', {"a": 1}),
        ("text/plain", b'{"a": 1}', "body must be application/json"),
        ("application/json", b"{", "body must be valid JSON"),
        ("application/json", b"[1]", "body must be a JSON object"),
    ],
)
def test_json_body_parsing(content_type: str, body: bytes, expected: object) -> None:
    assert kinds.BODIES["json"].parse(body, content_type) == expected


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("application/x-www-form-urlencoded", b"a=1&b=x+y&c=", {"a": "1", "b": "x y", "c": ""}),
        ("application/json", b"a=1", "body must be application/x-www-form-urlencoded"),
        ("application/x-www-form-urlencoded", b"a=\xff", "body must be application/x-www-form-urlencoded"),
    ],
)
def test_form_body_parsing(content_type: str, body: bytes, expected: object) -> None:
    assert kinds.BODIES["form"].parse(body, content_type) == expected
    assert kinds.BODIES["form"].textual and not kinds.BODIES["json"].textual


def test_json_answer_round_trips() -> None:
    value = {"id": "ü", "n": [1, 2.5, None]}
    assert json.loads(kinds.ANSWERS["json"].encode(value)) == value


class _Scheme:
    def __init__(self, kind: str, names: tuple[str, ...], header: str | None = None, prefix: str = "") -> None:
        self.kind, self.header, self.prefix = kind, header, prefix
        self.inputs = tuple(type("Input", (), {"name": n})() for n in names)


def _verify(scheme: _Scheme, headers: dict[str, str], *, wanted: dict[str, str] | None = None,
            tokens: dict[str, str] | None = None) -> str | None:
    expect = lambda name, value: (wanted or {}).get(name, value) == value  # noqa: E731
    state = lambda token: (tokens or {}).get(token, "unknown")  # noqa: E731
    return kinds.AUTH[scheme.kind].verify(scheme, headers, expect, state)  # type: ignore[arg-type]


def test_bearer_verification() -> None:
    s = _Scheme("bearer", ("token",))
    assert _verify(s, {"authorization": "Bearer abc"}, wanted={"token": "abc"}) is None
    assert _verify(s, {"authorization": "Bearer abd"}, wanted={"token": "abc"}) == "Invalid token"
    assert _verify(s, {}) == "Missing credentials: no Authorization header"
    assert "Malformed" in (_verify(s, {"authorization": "Basic abc"}) or "")


def test_basic_verification() -> None:
    s = _Scheme("basic", ("user", "password"))
    good = "Basic " + base64.b64encode(b"me:pw").decode()
    assert _verify(s, {"authorization": good}, wanted={"user": "me", "password": "pw"}) is None
    assert _verify(s, {"authorization": good}, wanted={"password": "no"}) == "Invalid user name or password"
    assert "Malformed" in (_verify(s, {"authorization": "Basic !!"}) or "")


def test_api_key_verification() -> None:
    s = _Scheme("api_key", ("key",), header="X-Key", prefix="Token ")
    assert _verify(s, {"x-key": "Token k1"}, wanted={"key": "k1"}) is None
    assert _verify(s, {"x-key": "k1"}) == "Malformed X-Key header: expected 'Token <key>'"
    assert _verify(s, {}) == "Missing credentials: no X-Key header"
    assert kinds.AUTH["api_key"].header(s) == "X-Key"  # type: ignore[arg-type]


def test_oauth2_verification_accepts_only_issued_tokens() -> None:
    s = _Scheme("oauth2", ("token",))
    assert kinds.AUTH["oauth2"].issues_tokens
    assert _verify(s, {"authorization": "Bearer t1"}, tokens={"t1": "valid"}) is None
    assert _verify(s, {"authorization": "Bearer t1"}, tokens={"t1": "expired"}) == "Token expired"
    assert _verify(s, {"authorization": "Bearer t2"}) == "Invalid token"
