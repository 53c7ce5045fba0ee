"""The one place the suites learn which providers and methods exist: whatever specs/ declares.

Generic suites parametrize over `providers()` / `methods()` and pick the providers that have the feature they
test (`with_feature`), so a valid spec dropped into specs/ is tested at once and never breaks them. Tests of
a seed page's transcription name their provider; they run for the seed providers present (`SEEDS`, the
`seed` marker in conftest.py) and ignore every other spec.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path

import yaml

from generator.ir import Method, Provider
from generator.mock import MockServer
from generator.pipeline import load_providers

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

# The providers transcribed from the seed pages; the seed-fidelity tests check these and nothing else.
SEEDS = ("cdek", "digitalriver", "geins", "invoicebox", "paydo")


@cache
def providers() -> tuple[Provider, ...]:
    """Every provider of specs/, by alias."""
    return tuple(load_providers([SPECS]))


def provider(alias: str) -> Provider:
    found = next((p for p in providers() if p.alias == alias), None)
    assert found is not None, f"no spec with alias {alias!r} in {SPECS}"
    return found


def aliases() -> list[str]:
    return [p.alias for p in providers()]


def methods() -> list[tuple[str, str]]:
    """(alias, method name) of every method of every provider."""
    return [(p.alias, m.name) for p in providers() for m in p.methods]


def with_feature(has: Callable[[Provider], object]) -> list[str]:
    """Aliases of the providers for which `has(provider)` finds something (a method, a scheme)."""
    return [p.alias for p in providers() if has(p)]


def declared_aliases() -> list[str]:
    """The aliases the spec files declare, read as plain YAML (independent of the pipeline), sorted."""
    found = []
    for path in sorted(SPECS.glob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.append(data["provider"]["alias"])
    return sorted(found)


def seeds_present() -> tuple[str, ...]:
    """The seed providers whose spec is in specs/."""
    present = set(aliases())
    return tuple(a for a in SEEDS if a in present)


def token_inputs(p: Provider) -> set[str]:
    """The `token=` keywords of OAuth2 schemes: the client fetches those itself from other credentials."""
    return {s.inputs[0].name for s in p.schemes if s.kind == "oauth2"}


def client_credentials(p: Provider) -> dict[str, str]:
    """A distinct value for every constructor credential except fetched tokens; the contract server is
    started with the same values, so it accepts exactly these."""
    return {
        i.name: f"{p.alias}-{i.name}-s3cr3t-value" for i in p.client_inputs if i.name not in token_inputs(p)
    }


def scheme_credentials(p: Provider) -> dict[str, str]:
    """A distinct value for every credential input the server checks in a header (not OAuth tokens: it
    issues them), for tests that build requests by hand."""
    return {i.name: f"{p.alias}-{i.name}-s3cr3t" for s in p.schemes if s.kind != "oauth2"
            for i in s.inputs}


def guarded(p: Provider) -> Method | None:
    """A method that needs credentials and is not a token method, if the provider has one."""
    return next((m for m in p.methods if m.auth and all(m.name != s.token_method for s in p.schemes)), None)


@contextmanager
def contract_servers(credentials_of: Callable[[Provider], dict[str, str]]) -> Iterator[dict[str, MockServer]]:
    """A contract server per provider on 127.0.0.1, accepting exactly `credentials_of(provider)`: {alias: server}."""
    with ExitStack() as stack:
        yield {p.alias: stack.enter_context(MockServer.start(p, credentials=credentials_of(p))) for p in providers()}
