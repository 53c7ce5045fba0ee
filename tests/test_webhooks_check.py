"""The `webhooks` section's spec rules: each broken spec gives one exact `file:line:col` problem."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from generator.kinds import WEBHOOKS
from generator.runtime.webhooks.kinds import REGISTRY
from tests.spec_support import ROOT, dump, problems_of

BASE = ROOT / "tests" / "webhook_specs" / "hookpay.yaml"


def data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    return copy.deepcopy(loaded)


def found(edit: Callable[[dict[str, Any]], object]) -> list[tuple[str, str]]:
    spec = data()
    edit(spec)
    return [(p.message, p.path) for p in problems_of(dump(spec))]


def sig(d: dict[str, Any]) -> dict[str, Any]:
    signature: dict[str, Any] = d["webhooks"]["signature"]
    return signature


def event(d: dict[str, Any], i: int = 0) -> dict[str, Any]:
    found_event: dict[str, Any] = d["webhooks"]["events"][i]
    return found_event


CASES: list[tuple[str, Callable[[dict[str, Any]], object], list[tuple[str, str]]]] = [
    ("unknown-scheme", lambda d: sig(d).update(scheme="rsa"),
     [('"rsa" is not one of: "hmac", "token_header", "standard_webhooks", "ip_ranges"',
       "$.webhooks.signature.scheme")]),
    ("hmac-algorithm", lambda d: sig(d).update(algorithm="md5"),
     [('"md5" is not one of: "sha256", "sha1"', "$.webhooks.signature.algorithm")]),
    ("timestamp-header-missing", lambda d: sig(d).pop("timestamp_header"),
     [("signed: timestamp.body needs a timestamp_header", "$.webhooks.signature")]),
    ("tolerance-without-timestamp", lambda d: sig(d).update(signed="body", timestamp_header=None) or sig(d).pop(
        "timestamp_header"),
     [("tolerance applies only to signed: timestamp.body", "$.webhooks.signature.tolerance")]),
    ("header-name", lambda d: sig(d).update(header="X Sig"),
     [('header name "X Sig" must be letters, digits and -', "$.webhooks.signature.header")]),
    ("token-extra-key", lambda d: d["webhooks"].update(signature={"scheme": "token_header", "header": "X-T",
                                                                   "algorithm": "sha1"}),
     [("unknown key 'algorithm' (allowed: header, scheme)", "$.webhooks.signature.algorithm")]),
    ("bad-range", lambda d: d["webhooks"].update(signature={"scheme": "ip_ranges", "ranges": ["10.0.0.1/8"]}),
     [("not an address range: 10.0.0.1/8 has host bits set", "$.webhooks.signature.ranges[0]")]),
    ("duplicate-event", lambda d: event(d, 1).update(name="refund.succeeded",
                                                        example={**event(d, 1)["example"], "event": "refund.succeeded"}),
     [("duplicate event 'refund.succeeded'", "$.webhooks.events[1].name")]),
    ("inline-schema", lambda d: event(d).update(schema={"type": "object"}),
     [("an event's schema must be a $ref to an object schema in schemas", "$.webhooks.events[0].schema")]),
    ("example-names-other-event", lambda d: event(d)["example"].update(event="refund.failed"),
     [("the example's event must be the event name 'refund.succeeded'", "$.webhooks.events[0].example")]),
    ("example-off-schema", lambda d: event(d)["example"]["refund"].update(status="lost"),
     [('example does not match its schema: "lost" is not one of: "pending", "done"',
       "$.webhooks.events[0].example.refund.status")]),
    ("after-unknown", lambda d: event(d).update(after=["MakeRefund"]),
     [("unknown method 'MakeRefund'", "$.webhooks.events[0].after[0]")]),
    ("after-read", lambda d: event(d).update(after=["GetRefund"]),
     [("'GetRefund' is a read; events follow writes", "$.webhooks.events[0].after[0]")]),
    ("pairs-and-timestamp-header", lambda d: sig(d).update(pairs={"timestamp": "t", "signature": "v1"}),
     [("timestamp_header does not apply with pairs: the timestamp is a pair",
       "$.webhooks.signature.timestamp_header")]),
    ("pairs-without-timestamp", lambda d: sig(d).update(pairs={"signature": "v1"}) or sig(d).pop("timestamp_header"),
     [("signed: timestamp.body with pairs needs pairs.timestamp", "$.webhooks.signature.pairs")]),
    ("pairs-timestamp-untimed", lambda d: [sig(d).pop(k) for k in ("timestamp_header", "tolerance")] and sig(d).update(
        signed="body", pairs={"timestamp": "t", "signature": "v1"}),
     [("pairs.timestamp applies only to signed: timestamp.body", "$.webhooks.signature.pairs.timestamp")]),
    ("pairs-same-keys", lambda d: sig(d).pop("timestamp_header") and sig(d).update(
        pairs={"timestamp": "v1", "signature": "v1"}),
     [("pairs.timestamp and pairs.signature must differ", "$.webhooks.signature.pairs.timestamp")]),
    ("pairs-and-separator", lambda d: sig(d).pop("timestamp_header") and sig(d).update(
        separator=" ", pairs={"timestamp": "t", "signature": "v1"}),
     [("separator does not apply with pairs (pairs are split by commas)", "$.webhooks.signature.separator")]),
    ("pairs-key", lambda d: sig(d).pop("timestamp_header") and sig(d).update(pairs={"timestamp": "t", "signature": "v 1"}),
     [('"v 1" does not match the pattern ^[A-Za-z0-9_-]+$', "$.webhooks.signature.pairs.signature")]),
    ("separator-other", lambda d: sig(d).update(separator="|"),
     [('"|" is not one of: ",", " ", ";"', "$.webhooks.signature.separator")]),
    ("type-field", lambda d: d["webhooks"].update(type_field="data..type"),
     [('"data..type" must be a dotted path of field names, e.g. event or data.type', "$.webhooks.type_field")]),
]


def test_the_test_spec_is_valid() -> None:
    assert problems_of(BASE.read_bytes()) == []


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_webhooks(edit: Callable[[dict[str, Any]], object], expected: list[tuple[str, str]]) -> None:
    assert found(edit) == expected


def test_problem_points_at_file_line_col() -> None:
    text = BASE.read_text(encoding="utf-8").replace("scheme: hmac", "scheme: rsa")
    (problem,) = problems_of(text, "hooks.yaml")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "scheme: rsa" in row)
    assert str(problem).startswith(f"hooks.yaml:{line}:13: ")


def test_scheme_registries_match_the_format() -> None:
    schema = yaml.safe_load((ROOT / "generator" / "spec.schema.json").read_text(encoding="utf-8"))
    enum = schema["$defs"]["webhookSignature"]["properties"]["scheme"]["enum"]
    assert list(WEBHOOKS) == list(REGISTRY) == enum
