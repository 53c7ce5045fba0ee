"""The signing kinds around the calls: their libraries are imported only when a client with such
credentials is created (never by `import opi.<alias>`), a missing extra is named; no secret, private key,
assertion or issued token shows in any output (sync, async, CLI with --debug, logs at DEBUG, errors); the
landing page explains each kind; the OpenAPI export describes each scheme and stays valid."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from signing_support import (
    ALIAS,
    CALLS,
    Signed,
    call,
    cli_args,
    credentials,
    generated_signed,
    opi,
    secrets,
)

from generator.mock import Fault, MockServer

LIBRARIES = ("authlib", "botocore", "jwt", "cryptography")


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Signed]:
    with generated_signed(tmp_path_factory.mktemp("signing-extras")) as s:
        yield s


def run_python(s: Signed, code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(s.out), **(env or {})},
                          capture_output=True, text=True, timeout=60, check=False)


def test_libraries_are_imported_only_when_a_signing_client_is_created(signed: Signed) -> None:
    code = f"""
import sys, json
import opi.{ALIAS}
libraries = {LIBRARIES!r}
before = [m for m in libraries if m in sys.modules]
opi.{ALIAS}.Client(hmac_secret="s3cret-hmac-1").close()  # an HMAC client: standard library only
plain = [m for m in libraries if m in sys.modules]
opi.{ALIAS}.Client(consumer_key="k", consumer_secret="s", access_token="t", access_token_secret="ts").close()
oauth = [m for m in libraries if m in sys.modules]
opi.{ALIAS}.Client(aws_access_key_id="a", aws_secret_access_key="b").close()
aws = [m for m in libraries if m in sys.modules]
print(json.dumps([before, plain, oauth, aws]))
"""
    done = run_python(signed, code)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [[], [], ["authlib"], ["authlib", "botocore"]]


def test_a_missing_extra_is_named(signed: Signed) -> None:
    code = f"""
import sys
sys.modules["botocore"] = None  # as if the extra were not installed
import opi.{ALIAS}
try:
    opi.{ALIAS}.Client(aws_access_key_id="a", aws_secret_access_key="b")
except ImportError as exc:
    print(type(exc).__name__, exc)
"""
    done = run_python(signed, code)
    assert done.stdout.strip() == ("MissingExtraError auth scheme 'aws' signs requests with an optional library: "
                                   "pip install 'opi-clients[sigv4]'")


def scan(text: str, found: set[str]) -> list[str]:
    return sorted(secret for secret in found if secret in text)


def exception_text(exc: BaseException) -> str:
    return "\n".join(["".join(traceback.format_exception(exc)), repr(exc), str(exc), repr(exc.args),
                      repr(getattr(exc, "raw", None))])


def must_hide(server: MockServer) -> set[str]:
    """The client's secrets, the tokens the server issued and the assertions it received."""
    assertions = {r.form.get("assertion", "") for r in server.requests if r.form}
    return secrets() | set(server.tokens) | {a for a in assertions if a}


@pytest.mark.parametrize("scenario", ["ok", "error", "refused"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_clients_show_no_secret(signed: Signed, mode: str, scenario: str, caplog: pytest.LogCaptureFixture) -> None:
    changed = {k: v + "-other" for k, v in credentials().items() if k != "private_key"}
    server_credentials = changed if scenario == "refused" else None
    with MockServer.start(signed.provider, credentials=server_credentials or {}) as server:
        if scenario == "error":
            for method in CALLS:
                server.set_fault(method, Fault(status=500))
        other = Signed(signed.pkg, signed.provider, server, signed.out)
        texts: list[str] = []
        with caplog.at_level(logging.DEBUG):
            for method in CALLS:
                try:
                    result = call(other, mode, method)
                    texts += [repr(result), str(result)]
                except Exception as exc:  # every failure is shown as the user would see it
                    texts.append(exception_text(exc))
            client = signed.pkg.Client(base_url=server.url, **credentials())
            texts += [repr(client), str(client)]
            client.close()
        texts += [r.getMessage() for r in caplog.records]
        texts += [repr(r.args) for r in caplog.records]
        found = must_hide(server)
    assert len(found) >= len(secrets())
    assert scan("\n".join(texts), found) == []
    assert scenario != "ok" or len(caplog.records) > 0  # DEBUG lines were written, and scanned


@pytest.mark.parametrize("method", list(CALLS))
def test_cli_shows_no_secret(signed: Signed, method: str) -> None:
    signed.server.reset()
    outputs: list[str] = []
    for extra in (["--debug"], ["--test"]):
        done = opi(signed, method, *cli_args(method), *extra)
        outputs += [done.stdout, done.stderr]
    wrong = {**credentials(), "hmac_secret": "hmac-S3CRET-0005-wrong", "consumer_secret": "x-wrong-consumer-secret"}
    if method in ("GetStatus", "CreateOrder"):  # refused: the error output too
        done = opi(signed, method, *cli_args(method), "--debug", creds=wrong)
        assert done.returncode != 0
        outputs += [done.stdout, done.stderr]
    assert "opi: dry run: nothing was sent" in "\n".join(outputs)
    assert scan("\n".join(outputs), must_hide(signed.server) | {wrong["hmac_secret"], wrong["consumer_secret"]}) == []


def landing(s: Signed) -> str:
    (page,) = (s.out / "docs").glob("*/index.md")
    return page.read_text(encoding="utf-8")


def test_landing_page_explains_each_signing_kind(signed: Signed) -> None:
    text = landing(signed)
    tokens = MarkdownIt().parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert headings.index("Request signing") == headings.index("Credentials") + 1
    section = text.split("## Request signing", 1)[1].split("\n## ", 1)[0]
    for words in ("**OAuth 1.0a** (`oauth`)", "**AWS Signature Version 4** (`aws`, region `eu-west-1`, service `s3`)",
                  "**HMAC signature** (`signed`)", "**HMAC signature** (`digest`)",
                  "**Service account, JWT bearer** (`service`, RFC 7523)", "pip install 'opi-clients[oauth1]'",
                  "pip install 'opi-clients[sigv4]'", "pip install 'opi-clients[jwt]'",
                  "`{timestamp}.{method}.{path}.{body}`", "export OPI_XSIGNED_PRIVATE_KEY=...",
                  'client = Client(client_email="...", private_key="...")'):
        assert words in section, words
    blocks = [t.content for t in MarkdownIt().parse(section) if t.type == "fence" and t.info == "python"]
    assert len(blocks) == 5
    for block in blocks:
        compile(block, "landing", "exec")


def test_openapi_export_describes_the_schemes_and_is_valid(signed: Signed) -> None:
    from openapi_spec_validator import validate

    (path,) = (signed.out / "openapi").glob("*.json")
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    validate(document)
    schemes = document["components"]["securitySchemes"]
    assert {k: v["x-opi-signature"]["kind"] for k, v in schemes.items()} == {
        "oauth": "oauth1", "aws": "sigv4", "signed": "hmac", "digest": "hmac", "service": "jwt_bearer"}
    assert schemes["signed"]["type"] == "apiKey" and schemes["signed"]["name"] == "X-Signature"
    assert schemes["service"]["flows"]["clientCredentials"]["tokenUrl"] == "https://api.signed.example.com/oauth2/token"
    assert "HMAC-SHA1" in schemes["oauth"]["description"]
    assert document["paths"]["/bucket/{key}"]["get"]["security"] == [{"aws": []}]


def test_async_clients_share_one_token_exchange_under_concurrency(signed: Signed) -> None:
    signed.server.reset()

    async def run() -> None:
        async with signed.pkg.AsyncClient(base_url=signed.server.url, max_retries=0, **credentials()) as client:
            await asyncio.gather(*(client.get_report(report_id=i) for i in range(1, 51)))

    asyncio.run(run())
    assert len([r for r in signed.server.requests if r.path == "/oauth2/token"]) == 1
    assert len(signed.server.requests_for("GetReport")) == 50


def test_the_signing_spec_is_documented(signed: Signed) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "spec-format.md").read_text(encoding="utf-8")
    section = doc.split("## Request signing", 1)[1].split("\n## ", 1)[0]
    for key in ("type: oauth1", "type: sigv4", "type: hmac", "type: jwt_bearer", "consumer_secret", "session_token",
                "timestamp_header", "token_url", "scopes", "region", "service", "message"):
        assert key in section, key


def test_dry_run_answers_the_jwt_exchange_and_shows_the_method_request(signed: Signed) -> None:
    signed.server.reset()
    done = opi(signed, "GetReport", *cli_args("GetReport"), "--test")
    assert done.returncode == 0, done.stderr
    assert "opi: dry run: the client would first get an access token: POST " in done.stderr
    shown = json.loads(done.stdout)
    assert shown["method"] == "GET" and shown["url"].endswith("/reports/4")
    assert shown["headers"]["authorization"] == "***"
    assert not signed.server.requests  # nothing left the machine
