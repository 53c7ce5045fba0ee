"""Refunds move money: under every fault, count what the contract server saw of each write.

A write without a declared safe-retry mechanism reaches the server at most once, whatever fails. A write
with one repeats the same idempotency key, or the same unique id, on every try, and the server stores at
most one record for it. The writes come from the specs' declared safety, plus a variant of one spec with an
idempotency key header (no provider spec declares one yet)."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterator
from typing import Any

import pytest
from client_support import credentials, invoke, keyed_variant, package, providers
from test_fault_matrix import FAULTS, MODES, OPTIONS, RETRIES, TIMEOUT, call_kwargs, io, make_client

from generator.ir import Idempotency, Method, Provider
from generator.mock import Fault, MockServer

WRITES = [(p.alias, m.name) for p in providers() for m in p.methods if m.safety.kind is not Idempotency.SAFE]
# A slow answer here only needs to outlast the timeout: the test waits for the server to finish it.
MONEY_FAULTS = {**FAULTS, "slow": Fault(delay=TIMEOUT * 3)}


def test_every_provider_write_is_covered() -> None:
    """The writes are exactly the non-GET methods of every provider in specs/ (there is at least one)."""
    writes = {(p.alias, m.name) for p in providers() for m in p.methods if m.http_method != "GET"}
    assert writes == set(WRITES)
    assert WRITES


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Provider, MockServer]]:
    with keyed_variant(tmp_path_factory.mktemp("money")) as (pkg, p), MockServer.start(p) as server:
        yield pkg, p, server


def attempt(pkg: Any, p: Provider, m: Method, server: MockServer, mode: str, creds: dict[str, str]) -> Any:
    """One call under whatever faults are set: its result, or the exception it raised (always an OpiError)."""
    client = make_client(pkg, mode, base_url=server.url, **creds, **OPTIONS)
    started = time.monotonic()
    try:
        outcome: Any = invoke(client, m, call_kwargs(p, m), io(mode))
    except pkg.OpiError as exc:
        outcome = exc
    # Bounded: every try may use its timeout, a unique write also a lookup per try.
    assert time.monotonic() - started < 2 * (RETRIES + 1) * TIMEOUT + 1.0
    return outcome


def check(pkg: Any, p: Provider, m: Method, server: MockServer, outcome: Any, delay: float = 0.0) -> None:
    """The money rules for one call of a write, whatever the faults were (`delay`: the slow fault's, so
    that tries the client gave up on are handled, and counted, first)."""
    if delay:
        time.sleep(delay + 0.2)
    requests = server.requests_for(m.name)
    kind = m.safety.kind
    assert requests, "the write never reached the server"
    if kind is Idempotency.NONE:
        assert len(requests) == 1, f"{m.name} sent {len(requests)} times without a safe-retry declaration"
    elif kind is Idempotency.UNIQUE_FIELD:
        wire = next(q.wire for q in m.parameters if q.py_name == m.safety.field)
        ids = {r.json[wire] if r.json is not None else (r.form or {}).get(wire) for r in requests}
        assert len(ids) == 1 and None not in ids, f"tries carried different ids: {ids}"
        assert len(requests) <= RETRIES + 1
        records = server.records(m.name)
        assert len(records) <= 1, f"{len(records)} records stored for one call"
        if not isinstance(outcome, pkg.OpiError):
            assert len(records) == 1  # a result is only ever a write that happened
    else:
        assert kind is Idempotency.HEADER
        header = (m.safety.header or "").lower()
        keys = {r.headers.get(header) for r in requests}
        assert len(keys) == 1 and None not in keys, f"tries carried different keys: {keys}"
        assert len(requests) <= RETRIES + 1
    if not isinstance(outcome, pkg.OpiError):
        assert type(outcome).__name__ == m.success.model


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fault", list(MONEY_FAULTS))
@pytest.mark.parametrize(("alias", "name"), WRITES)
def test_write_under_fault_reaches_the_server_safely(
    servers: dict[str, MockServer], alias: str, name: str, fault: str, mode: str
) -> None:
    server = servers[alias]
    server.reset()
    p = server.provider
    m = p.method(name)
    pkg = package(alias)
    server.set_fault(name, MONEY_FAULTS[fault])
    outcome = attempt(pkg, p, m, server, mode, credentials(p))
    check(pkg, p, m, server, outcome, MONEY_FAULTS[fault].delay)


@pytest.mark.seed("paydo")  # the keyed variant is made from PayDo's spec
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fault", list(MONEY_FAULTS))
def test_keyed_write_repeats_one_key_under_fault(
    keyed: tuple[Any, Provider, MockServer], fault: str, mode: str
) -> None:
    pkg, p, server = keyed
    server.reset()
    m = p.method("CreateRefund")
    server.set_fault(m.name, MONEY_FAULTS[fault])
    outcome = attempt(pkg, p, m, server, mode, {"token": "t-1234"})
    check(pkg, p, m, server, outcome, MONEY_FAULTS[fault].delay)
    retried = fault in ("slow", "drop_before", "drop_after", "5xx_burst_long", "5xx_burst_short",
                        "429_retry_after")
    assert len(server.requests_for(m.name)) == (RETRIES + 1 if retried else 1)


@pytest.mark.seed("paydo")  # the keyed variant is made from PayDo's spec
def test_random_faults_never_double_a_refund(
    servers: dict[str, MockServer], keyed: tuple[Any, Provider, MockServer]
) -> None:
    """A seeded mix: random write, random fault with a random count, sometimes on the lookup too, sync or
    async on either transport. 30 rounds; every round obeys the money rules."""
    rng = random.Random(20240611)
    kinds = list(MONEY_FAULTS.values())
    pool = [
        (package(a), servers[a].provider, servers[a], n, credentials(servers[a].provider)) for a, n in WRITES
    ]
    pool.append((keyed[0], keyed[1], keyed[2], "CreateRefund", {"token": "t-1234"}))
    kinds_in_pool = {p.method(name).safety.kind for _, p, _, name, _ in pool}
    assert Idempotency.HEADER in kinds_in_pool and Idempotency.SAFE not in kinds_in_pool
    # One write of each kind first, so that every kind is tried whatever the specs hold; then a random mix.
    firsts = [next(x for x in pool if x[1].method(x[3]).safety.kind is kind) for kind in sorted(kinds_in_pool)]
    seen_kinds: set[Idempotency] = set()
    for pkg, p, server, name, creds in itertools.chain(firsts, (rng.choice(pool) for _ in range(30))):
        m = p.method(name)
        seen_kinds.add(m.safety.kind)
        server.reset()
        fault = Fault(**{**vars(rng.choice(kinds)), "times": rng.choice([1, 2, 3, None])})
        server.set_fault(name, fault)
        if m.safety.lookup is not None and rng.random() < 0.5:
            lookup = next(x for x in p.methods if x.py_name == m.safety.lookup.method)
            server.set_fault(lookup.name, Fault(**{**vars(rng.choice(kinds)), "times": rng.choice([1, None])}))
        outcome = attempt(pkg, p, m, server, rng.choice(MODES), creds)
        check(pkg, p, m, server, outcome, fault.delay)
    assert seen_kinds == kinds_in_pool


def test_unique_write_stores_one_record_when_every_try_is_lost_after_handling(
    servers: dict[str, MockServer],
) -> None:
    """The worst case for a unique write: each try is handled and its answer lost, and so is each lookup's."""
    checked = 0
    for p in providers():
        for m in p.methods:
            if m.safety.kind is not Idempotency.UNIQUE_FIELD or m.safety.lookup is None:
                continue
            server = servers[p.alias]
            server.reset()
            lookup = next(x for x in p.methods if x.py_name == m.safety.lookup.method)
            server.set_fault(m.name, Fault(drop="after"))
            server.set_fault(lookup.name, Fault(drop="after"))
            pkg = package(p.alias)
            outcome = attempt(pkg, p, m, server, "sync", credentials(p))
            assert type(outcome) is pkg.UncertainWriteError
            assert outcome.unique_value is not None
            check(pkg, p, m, server, outcome)
            assert len(server.requests_for(m.name)) == 1 and len(server.records(m.name)) == 1
            checked += 1
    assert checked  # the specs declare at least one such write
