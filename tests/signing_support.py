"""The signing test spec (`tests/signing_specs/xsigned.yaml`) generated into a temporary folder, its
credentials (a fresh RSA key pair per run: no private key is committed), and ways to call it through the
sync and async clients and the CLI against the contract server."""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from spec_support import importable

from generator.ir import Provider
from generator.mock import MockServer
from generator.pipeline import load_providers

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "signing_specs" / "xsigned.yaml"
ALIAS = "xsigned"

# Each method, the scheme that signs it, and its keywords (values that need encoding on purpose).
CALLS: dict[str, dict[str, Any]] = {
    "GetStatus": {"status_id": 7, "fields": "text, id ~*"},
    "PostStatus": {"status": "Hello, Ladies + Gentlemen, a signed OAuth request!", "lang": "en"},
    "ReplyStatus": {"status_id": 7, "text": "Ёлка & co"},
    "GetObject": {"key": "notes 7.txt", "revision": "v1/2"},
    "PutObject": {"key": "notes-7", "text": "stored ✓"},
    "ListOrders": {"status": "open & paid"},
    "CreateOrder": {"text": "Две пиццы", "amount": 1250},
    "AddNote": {"note": "line one\nline two"},
    "GetReport": {"report_id": 4},
    "CreateReport": {"title": "Q3"},
}
SCHEME_OF = {"GetStatus": "oauth", "PostStatus": "oauth", "ReplyStatus": "oauth", "GetObject": "aws",
             "PutObject": "aws", "ListOrders": "signed", "CreateOrder": "signed", "AddNote": "digest",
             "GetReport": "service", "CreateReport": "service"}


@cache
def key_pair() -> tuple[str, str]:
    """(private PEM, public PEM), made for this test run only."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def credentials() -> dict[str, str]:
    """The client's credentials (test values; the secrets are long enough for the leak scan)."""
    return {
        "consumer_key": "ck-demo-7", "consumer_secret": "cs-S3CRET-oauth-consumer-0001",
        "access_token": "at-demo-7", "access_token_secret": "ats-S3CRET-oauth-token-0002",
        "aws_access_key_id": "AKIDDEMO7", "aws_secret_access_key": "awsS3CRET/key+0003wJalrXUtn",
        "aws_session_token": "sess-S3CRET-token-0004",
        "hmac_secret": "hmac-S3CRET-0005", "digest_secret": "digest-S3CRET-0006",
        "client_email": "robot@example.com", "private_key": key_pair()[0],
    }


def server_credentials() -> dict[str, str]:
    """What the contract server is configured with: the same secrets, and the service account's public key."""
    return {**credentials(), "private_key": key_pair()[1]}


def secrets() -> set[str]:
    """Values that must never show: every secret credential, and each line of the private key's body."""
    found = {v for k, v in credentials().items() if k not in ("consumer_key", "access_token", "client_email",
                                                               "aws_access_key_id", "private_key")}
    found |= {line for line in key_pair()[0].splitlines() if len(line) > 20 and "-----" not in line}
    return found


@dataclass
class Signed:
    pkg: ModuleType
    provider: Provider
    server: MockServer
    out: Path


@contextmanager
def generated_signed(work: Path, **server_options: Any) -> Iterator[Signed]:
    with importable([SPEC], work / "out") as out:
        (provider,) = load_providers([SPEC])
        options = {"credentials": server_credentials(), **server_options}
        with MockServer.start(provider, **options) as server:
            yield Signed(importlib.import_module(f"opi.{ALIAS}"), provider, server, out)


def py(method: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in method).lstrip("_")


def call(s: Signed, mode: str, method: str, creds: dict[str, str] | None = None, **options: Any) -> Any:
    given = {**(credentials() if creds is None else creds), "max_retries": 0, **options}
    if mode == "sync":
        with s.pkg.Client(base_url=s.server.url, **given) as client:
            return getattr(client, py(method))(**CALLS[method])

    async def run() -> Any:
        async with s.pkg.AsyncClient(base_url=s.server.url, **given) as client:
            return await getattr(client, py(method))(**CALLS[method])

    return asyncio.run(run())


def option(name: str) -> str:
    return "--" + name.replace("_", "-")


def cli_args(method: str) -> list[str]:
    return [a for k, v in CALLS[method].items() for a in (option(k), str(v))]


def opi(s: Signed, *args: str, creds: dict[str, str] | None = None, cwd: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    """`opi xsigned *args` on the generated package, as a subprocess, credentials in the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
    env |= {f"OPI_{ALIAS.upper()}_{k.upper()}": v for k, v in (credentials() if creds is None else creds).items()}
    env |= {"PYTHONPATH": str(s.out), f"OPI_{ALIAS.upper()}_BASE_URL": s.server.url}
    code = "import sys; from opi.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, ALIAS, *args], cwd=cwd or s.out, env=env, timeout=60,
                          check=False, capture_output=True, text=True)
