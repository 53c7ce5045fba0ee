"""The Docusaurus site built from generated/docs, read in a real browser.

`make docs` builds docs-site/build (npm ci from the lockfile when needed); the build is served on
127.0.0.1 and one method page is opened in headless Chromium (Debian's package, driven by playwright-core
from the same lockfile). What the page shows is compared with the generated Markdown it came from.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "docs-site"
PROBE = Path(__file__).resolve().parent / "docs_site_probe.cjs"
PAGE = ROOT / "generated" / "docs" / "CDEK" / "Orders-management" / "Create-customer-refund.md"
ROUTE = "/CDEK/Orders-management/Create-customer-refund/"
ARTIFACTS = ROOT / "test-artifacts" / "docs-site"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def chromium() -> Path:
    """Debian's Chromium, installed with apt when missing (never a browser download from npm or pip)."""
    if not CHROMIUM.exists():
        if os.geteuid() != 0:
            pytest.fail(f"{CHROMIUM} is missing; install it with: sudo apt-get install -y chromium")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-q", "chromium"]
        if subprocess.run(install, env=env, capture_output=True, timeout=600).returncode != 0:
            # Stale package lists: refresh once, then the install must succeed.
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=300, check=True)
            subprocess.run(install, env=env, capture_output=True, timeout=600, check=True)
    assert CHROMIUM.exists()
    return CHROMIUM


@pytest.fixture(scope="module")
def site() -> Path:
    for tool in ("make", "node", "npm"):
        assert shutil.which(tool), f"{tool} is needed to build the docs site"
    built = subprocess.run(["make", "-s", "docs"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    assert (SITE / "build" / ROUTE.strip("/") / "index.html").is_file()
    return SITE / "build"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the build folder without a stderr line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def origin(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _lines(text: str) -> list[str]:
    """Non-blank lines: the browser's innerText of a highlighted block adds blank lines between rows."""
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def _block(markdown: str, language: str, title: str) -> list[str]:
    match = re.search(rf'^(`{{3,}}){language} title="{title}"\n(.*?)^\1$', markdown, re.M | re.S)
    assert match, f"no {language} block titled {title!r} in {PAGE}"
    return _lines(match.group(2))


def _group_titles(folder: Path) -> list[str]:
    """Page titles of one sidebar group, ordered by their sidebar_position front matter."""
    pages = []
    for page in folder.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        position = re.search(r"^sidebar_position: (\d+)$", text, re.M)
        title = re.search(r"^# (.+)$", text, re.M)
        assert position and title, page
        pages.append((int(position.group(1)), title.group(1)))
    return [title for _, title in sorted(pages)]


def test_method_page_in_chromium(chromium: Path, origin: str, tmp_path: Path, capsys: Any) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "cdek-CreateCustomerRefund.png"
    screenshot.unlink(missing_ok=True)
    markdown = PAGE.read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", markdown, re.M)
    assert title
    probe = subprocess.run(
        ["node", str(PROBE), str(SITE), origin + ROUTE, str(screenshot), str(tmp_path / "profile")],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "OPI_CHROMIUM": str(chromium), "OPI_PROBE_SEARCH": title.group(1)},
    )
    assert probe.returncode == 0, probe.stderr[-4000:]
    seen = json.loads(probe.stdout)

    # Offline and clean: every request went to the local server, nothing failed in the page.
    assert seen["status"] == 200
    assert seen["offsite"] == []
    assert seen["pageErrors"] == []
    assert seen["consoleErrors"] == []

    assert seen["h1"] == title.group(1)
    assert seen["title"] == f"{title.group(1)} | opi"
    assert seen["tableHeaders"] == ["Parameter", "CLI option", "Type", "Required", "Description"]
    assert any(row.split("\t")[:3] == ["tariff", "--tariff", "integer"] for row in seen["tableRows"])

    # The :::tip admonition became a tip box with its paragraphs, not literal colons.
    assert seen["tipVisible"]
    assert "never sends this request twice" in seen["tipText"]
    assert ":::" not in seen["tipText"]

    assert seen["pythonVisible"]
    assert _lines(seen["pythonCode"]) == _block(markdown, "python", "Code example")
    assert seen["resultVisible"]
    assert _lines(seen["resultCode"]) == _block(markdown, "json", "Result")

    # CLI tabs: Bash is shown first; clicking the batch tab shows the batch example and hides Bash.
    assert seen["tabLabels"] == ["Bash", "Windows (batch)"]
    assert seen["before"] == {"bash": True, "batch": False}
    assert seen["after"] == {"bash": False, "batch": True}
    assert seen["selectedTab"] == "Windows (batch)"
    assert _lines(seen["batchCode"]) == _block(markdown, "batch", "CLI command example")

    # Sidebar: providers in index order; the open group lists its methods by sidebar_position.
    sidebar = seen["sidebar"]
    providers = ["CDEK", "Digital River", "Geins", "Invoicebox", "PayDo"]
    assert [name for name in sidebar if name in providers] == providers
    methods = _group_titles(PAGE.parent)
    start = sidebar.index(methods[0])
    assert sidebar[start : start + len(methods)] == methods

    # Local search answers from the index built with the site.
    assert seen["searchBox"]
    assert any(title.group(1) in hit for hit in seen["searchHits"]), seen["searchHits"]

    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 50_000
    with capsys.disabled():
        print(f"\ndocs site screenshot: {screenshot}")


def test_broken_link_fails_the_build(site: Path, tmp_path: Path) -> None:
    """A page that links to a missing page stops the build instead of shipping a dead link."""
    docs = tmp_path / "docs"
    shutil.copytree(PAGE.parents[2], docs)
    broken = docs / PAGE.relative_to(PAGE.parents[2])
    broken.write_text(broken.read_text(encoding="utf-8") + "\n[Gone](Missing-page.md)\n", encoding="utf-8")
    built = subprocess.run(
        ["node_modules/.bin/docusaurus", "build", "--out-dir", str(tmp_path / "out")],
        cwd=SITE,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OPI_DOCS_DIR": str(docs)},
    )
    assert built.returncode != 0
    assert "Missing-page.md" in built.stdout + built.stderr
    assert not (tmp_path / "out" / "index.html").exists()
