"""The OpenAPI 3.1 export's top-level `webhooks`: one POST per event of the spec's `webhooks`, with the
event's payload model, its example, the headers of the signature scheme and the receiver's answers; the
document validates (openapi-spec-validator), for every scheme's test spec."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from mock_support import provider
from openapi_spec_validator import validate

from generator.render.openapi import document
from generator.render.openapi_webhooks import ANSWERS
from generator.runtime.webhooks.asgi import STATUS
from tests.webhook_support import VARIANTS, providers, write_specs

HEADERS = {
    "hookpay": ["X-Hook-Signature", "X-Hook-Timestamp"],
    "hooksha": ["X-Hub-Signature"],
    "hooktoken": ["X-Hook-Secret-Token"],
    "hookstd": ["webhook-id", "webhook-timestamp", "webhook-signature"],
    "hookip": [],
    "hookpairs": ["Hook-Signature"],
    "hooklist": ["X-Hook-Signatures"],
}


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return providers(tmp_path_factory.mktemp("specs"))


@pytest.mark.parametrize("alias", list(VARIANTS))
def test_each_event_is_a_webhook_of_the_document(found: dict[str, Any], alias: str) -> None:
    p = found[alias]
    doc = json.loads(json.dumps(document(p)))  # as written: plain JSON
    validate(doc)
    assert list(doc["webhooks"]) == [e.name for e in p.webhooks.events]
    for event in p.webhooks.events:
        (verb,) = doc["webhooks"][event.name]
        operation = doc["webhooks"][event.name][verb]
        assert verb == "post" and operation["operationId"] == f"webhook:{event.name}"
        content = operation["requestBody"]["content"]["application/json"]
        assert content["schema"] == {"$ref": f"#/components/schemas/{event.model}"}
        assert content["example"] == event.example
        # the example fits the payload schema as exported (refs resolved within the document)
        schema = {**doc["components"]["schemas"][event.model], "components": doc["components"]}
        jsonschema.validate(event.example, schema)
        assert [q["name"] for q in operation.get("parameters", [])] == HEADERS[alias]
        assert all(q["in"] == "header" and q["required"] for q in operation.get("parameters", []))
        assert set(operation["responses"]) == {"200", "401", "409", "413", "422", "500"}
        assert operation["x-opigen-signature"]["scheme"] == p.webhooks.signature.scheme
        assert operation.get("x-opigen-after", []) == list(event.after)
    assert operation["description"].startswith(p.webhooks.events[-1].description)


def test_the_answers_listed_are_the_receivers() -> None:
    assert {str(code) for code in STATUS.values()} | {"200", "401"} == set(ANSWERS)


def test_a_spec_without_webhooks_has_none() -> None:
    doc = document(provider("geins"))  # a seed spec: declares no webhooks
    assert "webhooks" not in doc


def test_opigen_openapi_writes_the_webhooks(tmp_path: Path) -> None:
    write_specs(tmp_path / "specs")
    opigen = str(Path(sys.executable).parent / "opigen")
    done = subprocess.run([opigen, "openapi", "--out", str(tmp_path / "out"), "--specs", str(tmp_path / "specs")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.stem for p in (tmp_path / "out").iterdir()) == sorted(VARIANTS)
    for alias in VARIANTS:
        doc = json.loads((tmp_path / "out" / f"{alias}.json").read_text(encoding="utf-8"))
        validate(doc)
        assert sorted(doc["webhooks"]) == ["refund.failed", "refund.succeeded"]
