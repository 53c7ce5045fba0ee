"""Fixtures shared by the suites: contract servers for every provider of specs/, and the `seed` marker.

Which providers exist comes from provider_support (specs/ alone); nothing here names a provider.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from provider_support import (
    SEEDS,
    aliases,
    client_credentials,
    contract_servers,
    scheme_credentials,
    seeds_present,
)

from generator.mock import MockServer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "seed(*aliases): checks the transcription of these seed providers; runs only when their specs are in "
        "specs/ (no other spec changes what it checks)",
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--providers",
        default="",
        help="comma-separated aliases: of the tests parametrized by provider, run only those of these "
        "providers (tests/test_extra_specs.py uses it to run the generic suites on its extra specs)",
    )


def _aliases_of(item: pytest.Item, known: set[str]) -> set[str]:
    """The provider aliases among the parameters of a parametrized test (aliases or Provider objects)."""
    callspec = getattr(item, "callspec", None)
    values = [getattr(v, "alias", v) for v in callspec.params.values()] if callspec is not None else []
    return {v for v in values if isinstance(v, str) and v in known}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A seed test whose seed spec is not in specs/ has nothing to check: it is deselected (reported as
    such), never skipped. With every seed present, as in the repository, nothing is deselected.

    With --providers, a test parametrized by provider runs only for those providers; the others stay."""
    present = set(seeds_present())
    only = {a for a in config.getoption("--providers").split(",") if a}
    known = set(aliases())
    if only - known:
        raise pytest.UsageError(f"--providers: no spec for {sorted(only - known)}")
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        wanted = {a for mark in item.iter_markers("seed") for a in mark.args}
        unknown = wanted - set(SEEDS)
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: {sorted(unknown)} are not seed providers")
        params = _aliases_of(item, known)
        ok = wanted <= present and (not only or not params or bool(params & only))
        (keep if ok else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, MockServer]]:
    """A contract server per provider, accepting exactly the client test credentials: {alias: server}."""
    with contract_servers(client_credentials) as started:
        yield started


@pytest.fixture(scope="module")
def scheme_servers() -> Iterator[dict[str, MockServer]]:
    """A contract server per provider, checking the header credentials of `scheme_credentials`."""
    with contract_servers(scheme_credentials) as started:
        yield started


@pytest.fixture
def server(scheme_servers: dict[str, MockServer], request: pytest.FixtureRequest) -> MockServer:
    """The (reset) server of the alias the test is parametrized with (`indirect=True`)."""
    found = scheme_servers[request.param]
    found.reset()
    return found
