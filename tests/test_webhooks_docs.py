"""The webhook docs, parsed: a page per event (payload table, example, how to verify) and a Webhooks section
on the provider's landing page whose links reach every event page; the wording follows each scheme."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.docs_support import Page
from tests.webhook_support import VARIANTS, generated, providers


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    work = tmp_path_factory.mktemp("hooks")
    with generated(work):
        yield work / "out" / "docs", providers(work / "again")


WORDS = {
    "hookpay": ["X-Hook-Signature", "HMAC-SHA256", "X-Hook-Timestamp", "300 seconds"],
    "hooksha": ["X-Hub-Signature", "HMAC-SHA1", "Base64", "remembering"],
    "hooktoken": ["X-Hook-Secret-Token", "constant time"],
    "hookstd": ["Standard Webhooks", "webhook-signature", "opi-clients[standardwebhooks]"],
    "hookip": ["192.0.2.0/24", "2001:db8::/32", "source"],
    "hookpairs": ["Hook-Signature", "`t=`", "`v1=`", "300 seconds", "any that matches"],
    "hooklist": ["X-Hook-Signatures", "Base64", "`v1,`", "split by spaces", "any that matches"],
}


@pytest.mark.parametrize("alias", list(VARIANTS))
def test_event_pages(world: Any, alias: str) -> None:
    docs, found = world
    provider = found[alias]
    folder = docs / ("Hook-Pay" if alias == "hookpay" else f"Hook-{alias}")
    assert provider.webhooks is not None
    for event in provider.webhooks.events:
        page = Page.parse((folder / "Webhooks" / f"{event.slug}.md").read_text(encoding="utf-8"))
        assert page.headings(1) == [event.name]
        assert page.headings(2) == ["Payload", "Example", "Verifying"]
        (table,) = page.tables()
        assert [row[0].strip("`") for row in table.texts] == list(provider.schemas[event.model]["properties"])
        (example,) = page.fence('json title="Example payload"')
        assert json.loads(example) == event.example
        (python,) = page.fence('python title="Verify and parse"')
        compile(python.replace("handle(event.data)", "print(event.data)"), "example", "exec")
        assert f"from opi.{alias}.webhooks import" in python
        assert f"opi {alias} webhooks verify" in page.fence('bash title="On the command line"')[0]
        text = page.body
        assert all(word in text for word in WORDS[alias]), alias
        for target in (t for t in page.links() if not t.startswith("https://")):
            assert (folder / "Webhooks" / target).resolve().is_file(), target


@pytest.mark.parametrize("alias", list(VARIANTS))
def test_landing_page_section(world: Any, alias: str) -> None:
    docs, found = world
    folder = docs / ("Hook-Pay" if alias == "hookpay" else f"Hook-{alias}")
    page = Page.parse((folder / "index.md").read_text(encoding="utf-8"))
    assert "Webhooks" in page.headings(2)
    links = [link for link in page.links() if link.startswith("Webhooks/")]
    events = found[alias].webhooks.events
    assert links == [f"Webhooks/{e.slug}.md" for e in events]
    assert all((folder / posixpath.normpath(link)).is_file() for link in links)
    category = json.loads((folder / "Webhooks" / "_category_.json").read_text(encoding="utf-8"))
    assert category["label"] == "Webhooks"


def test_no_webhooks_no_section() -> None:
    """The seed providers declare no webhooks: their landing pages have no Webhooks section."""
    from tests.docs_support import spec_docs

    pages = spec_docs()
    landing = [p for path, p in pages.items() if path.endswith("/index.md") and path.count("/") == 2]
    assert landing and all("## Webhooks" not in p for p in landing)
    assert not any("/Webhooks/" in path for path in pages)
