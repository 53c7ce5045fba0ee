"""Hostile strings in every free-text field and hostile names in every name slot of a valid spec.

Hypothesis draws specs (see hostile_support.py). The checker may refuse only names it documents as taken,
with a positioned problem; whatever it accepts must generate Python that compiles and holds spec text only
in string literals, docstrings and comments, Markdown that shows the text as written, and a valid OpenAPI
document. One tree of several drawn providers is also linted (ruff), type-checked (mypy --strict), imported,
called against the contract server and asked for CLI help, and no canary payload may ever run.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path
from typing import Any

from docs_support import Page, one_line, plain
from hostile_support import (
    CANARY,
    FRAGMENTS,
    TEXTS,
    Source,
    cycling_source,
    drop_refused,
    hostile_spec,
    refused_names,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from spec_support import dump, problems_of

from generator.ir import Provider
from generator.pipeline import generate, load_providers, render_all
from generator.render.cli import terminal_text
from generator.render.env import doc_lines

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# HOSTILE_EXAMPLES=500 HOSTILE_RANDOM=1 explores further locally; CI runs the same 30 examples every time.
CHEAP_EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "30"))
DERANDOMIZE = not os.environ.get("HOSTILE_RANDOM")
# Control characters: YAML carries them only escaped; no output may let them act (terminal, shell, source).
CONTROLS = ("\x1b[31mred\x1b[0m", "\x07", "\x0b", "\x0c", "\x08")
_YAML_CHARS = st.characters(
    codec="utf-8",
    exclude_categories=("Cs", "Cc"),  # surrogates are no UTF-8; control characters come from CONTROLS
    exclude_characters="\ufeff",
)
texts = st.one_of(
    st.lists(st.sampled_from(TEXTS + CONTROLS), min_size=1, max_size=3).map("".join),
    st.text(_YAML_CHARS, min_size=1, max_size=12),
    st.sampled_from(FRAGMENTS),
)


@st.composite
def sources(draw: st.DrawFn) -> Source:
    return Source(text=lambda: draw(texts), pick=lambda pool: draw(st.sampled_from(pool)))


def accepted(data: dict[str, Any], spec: Path) -> dict[str, Any]:
    """The spec as the checker accepts it: refused names dropped, after checking how they were refused."""
    for _ in range(4):
        spec.write_bytes(dump(data))
        problems = problems_of(spec.read_bytes(), str(spec))
        if not problems:
            return data
        for problem in problems:  # positioned, and a refusal the format documents
            assert problem.file == str(spec) and problem.line >= 1 and problem.col >= 1, problem
            assert problem.path.startswith("$"), problem
        assert refused_names(problems) == [], "\n".join(map(str, problems))
        data = drop_refused(data, problems)
    raise AssertionError("the checker kept refusing the repaired spec")


# --- what generated files must look like ---------------------------------------------------------------
def code_outside_literals(source: str) -> str:
    """The Python source without its string literals and comments: what the interpreter would run."""
    kept: list[str] = []
    skip = {tokenize.STRING, tokenize.COMMENT}
    skip |= {
        getattr(tokenize, n)
        for n in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
        if hasattr(tokenize, n)
    }
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skip:
            kept.append(token.string)
    return " ".join(kept)


def string_constants(source: str) -> set[str]:
    return {
        n.value
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def check_python(path: str, source: str) -> set[str]:
    """It compiles, spec payloads occur only inside literals/comments, and no raw bidi or control character."""
    compile(source, path, "exec")
    code = code_outside_literals(source)
    assert CANARY not in code, f"{path}: a payload is code: {code[code.index(CANARY) - 200 :][:300]}"
    assert "7*7" not in code and "7 * 7" not in code, path
    assert not [c for c in source if not c.isprintable() and c != "\n"], (
        f"{path}: invisible character in source"
    )
    return string_constants(source)


def shown_text(page: Page) -> str:
    """What a reader sees on a page, one line per piece: inline text, table cells, code and front matter."""
    shown: list[str] = [plain(t) for t in page.tokens if t.type == "inline"]
    shown += [t.content for t in page.tokens if t.type in ("fence", "code_block")]
    shown += [str(v) for v in page.meta.values()]
    return "\n".join(one_line(s) for s in shown)


_OWN_HTML = re.compile(r"^\s*(</?(Tabs|TabItem)( [a-z]+(=\"[A-Za-z ()]+\")?)*>|<br/>)$")


def check_docs(files: dict[str, bytes]) -> str:
    pages = {k: Page.parse(v.decode("utf-8")) for k, v in files.items() if k.endswith((".md", ".mdx"))}
    assert len(pages) >= 5
    seen: list[str] = []
    for path, page in pages.items():
        html = [line for block in page.html() for line in block.splitlines() if not _OWN_HTML.match(line)]
        assert not html, f"{path}: raw HTML from the spec: {html}"
        inline_html = [
            c.content
            for t in page.tokens
            if t.type == "inline"
            for c in t.children or []
            if c.type == "html_inline"
        ]
        assert all(h in ("<br/>", "<br />", "<br>") for h in inline_html), f"{path}: {inline_html}"
        for table in page.tables():
            assert all(len(row) == len(table.header) for row in table.texts), path
        assert len(page.headings(1)) <= 1, path
        seen.append(shown_text(page))
    return "\n".join(seen)


def string_leaves(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {s for v in value.values() for s in string_leaves(v)}
    if isinstance(value, list):
        return {s for v in value for s in string_leaves(v)}
    return {value} if isinstance(value, str) else set()


def prose(provider: Provider) -> list[tuple[str, str]]:
    """(where, text) of every spec text the docs must show as written (whitespace aside)."""
    out = [("provider title", provider.title), ("provider description", provider.description)]
    out += [("provider errata", e) for e in provider.errata]
    out += [("credentials", provider.credentials)] if provider.credentials else []
    out += [(f"environment {e.name}", e.description) for e in provider.environments]
    out += [(f"input {i.name}", i.description) for i in provider.client_inputs]
    for m in provider.methods:
        out += [(f"{m.name} {what}", getattr(m, what)) for what in ("title", "description", "doc_title")]
        out += [(f"{m.name} note", n) for n in (*m.notes, *m.errata)]
        out += [(f"{m.name} parameter {p.name}", p.description) for p in m.parameters]
        out += [(f"{m.name} response {r.status}", r.description) for r in m.responses]
        out += [(f"{m.name} header {h.name}", h.description) for r in m.responses for h in r.headers]
    for name, schema in provider.schemas.items():
        out += [
            (f"schema {name}", d)
            for d in _descriptions(schema)
            if not d.startswith(("Path, query", "Request body of"))
        ]
    return [(where, t) for where, t in out if t.strip()]


def _descriptions(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    found = [schema["description"]] if isinstance(schema.get("description"), str) else []
    found += list(schema.get("x-enum-descriptions") or [])
    for sub in (schema.get("properties") or {}).values():
        found += _descriptions(sub)
    for key in ("items", "additionalProperties"):
        found += _descriptions(schema.get(key))
    return found


# --- the cheap property: many drawn specs, rendered in-process ------------------------------------------
@settings(
    max_examples=CHEAP_EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    phases=[
        Phase.explicit,
        Phase.generate,
    ],  # shrinking a whole spec takes minutes; the report shows the draws
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(src=sources())
def test_hostile_spec_is_refused_cleanly_or_rendered_inert(src: Source) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "hostile.yaml"
        accepted(hostile_spec(src), spec)
        (provider,) = load_providers([spec])
        files = render_all([provider], {})

    literals: set[str] = set()
    for path, content in files.items():
        if path.endswith(".py"):
            literals |= check_python(path, content.decode("utf-8"))

    # Docstrings and CLI help hold the spec's text itself, not an evaluated or mangled form.
    client = files[f"opi/{provider.alias}/client.py"].decode("utf-8")
    docstrings = [s for s in literals if "Provider docs:" in s]
    for m in provider.methods:
        assert any(s.startswith(doc_lines(m.description).strip()) for s in docstrings), m.description
    for p in (p for m in provider.methods for p in m.parameters if not p.is_const):
        assert terminal_text(p.description) in literals, p.description
    assert client.count("class Client(") == 1

    shown = check_docs(files)
    for where, text in prose(provider):
        assert one_line(text) in shown, f"{where}: not shown as written: {text!r}"

    document = json.loads(files[f"openapi/{provider.alias}.json"])
    validate(document)
    leaves = string_leaves(document)
    for m in provider.methods:
        assert any(one_line(m.description) in one_line(s) for s in leaves), ascii(m.description)
        for p in m.parameters:
            if p.has_example and isinstance(p.example, str):
                assert p.example in leaves, p.example

    check_examples(files)


# A stand-in for `opi` that prints each argument it gets, NUL-terminated.
_FAKE_OPI = "opi() { printf '%s\\0' \"$@\"; }\n"


def check_examples(files: dict[str, bytes]) -> None:
    """The pages' Python snippets compile with spec values only in literals; their bash commands, run with
    a stand-in `opi`, pass every value as data: no payload runs, whatever quotes or `$(...)` it holds."""
    pages = [Page.parse(v.decode("utf-8")) for k, v in files.items() if k.endswith(".md")]
    commands = [c for page in pages for c in page.fence('bash title="CLI command example"')]
    snippets = [
        c for page in pages for t in page.fences() if t.info.startswith("python") for c in [t.content]
    ]
    assert commands and snippets
    for snippet in snippets:
        compile(snippet, "example.py", "exec")
        assert CANARY not in code_outside_literals(snippet), snippet
    with tempfile.TemporaryDirectory() as tmp:
        script = _FAKE_OPI + "\n".join(commands)
        proc = subprocess.run(["bash", "-c", script], cwd=tmp, capture_output=True, timeout=30, check=False)
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")
        assert proc.stdout.count(b"\0") >= 2 * len(commands)
        assert not canaries(Path(tmp)), script


# --- the expensive property: a few drawn providers in one tree, linted, type-checked, imported, run ----
TREE_PROVIDERS = 3
# A file name is spec text too: it lands in every generated file's header comment.
SPEC_FILE = "{alias} '\"$(touch " + CANARY + "_file)\n{{{{ 7*7 }}}}.yaml"
KEY = "k-1"

CALLS = """
import json, sys
from importlib import import_module
url, aliases, calls = sys.argv[1], sys.argv[2].split(","), json.loads(sys.argv[3])
for alias in aliases:
    package = import_module(f"opi.{alias}")
    models = import_module(f"opi.{alias}.models")
    for name in package.__all__:
        getattr(package, name)
    with package.Client(api_key=sys.argv[4], base_url=url) as client:
        for py_name, kwargs in calls[alias]:
            answer = getattr(client, py_name)(**kwargs)
            print(json.dumps([alias, py_name, answer.to_json_dict()], ensure_ascii=False))
    help(package.Client)
"""


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, timeout=timeout, env=env, check=False)
    out, err = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, f"{args[3:]}: exit {proc.returncode}\n{out[-2000:]}\n{err[-3000:]}"
    return out


def canaries(folder: Path) -> list[Path]:
    """Files a payload would have made (payloads name them CANARY_HIT_<where>)."""
    return [p for p in folder.rglob(f"{CANARY}_*") if re.fullmatch(CANARY + "_[a-z]+", p.name)]


def check_terminal_text(text: str) -> None:
    """Spec text printed to a terminal must not carry escape sequences, other controls or bidi overrides."""
    bad = sorted(set(re.findall("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)))
    assert not bad, f"control characters reach the terminal: {bad!r}"


def calls_of(provider: Provider) -> list[tuple[str, dict[str, Any]]]:
    """Every read of a provider at its spec examples."""
    return [
        (m.py_name, {p.py_name: p.example for p in m.parameters if p.has_example and not p.is_const})
        for m in provider.methods
        if m.http_method == "GET"
    ]


@settings(
    max_examples=1,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(srcs=st.lists(sources(), min_size=TREE_PROVIDERS, max_size=TREE_PROVIDERS))
def test_hostile_tree_lints_type_checks_imports_and_runs(srcs: list[Source]) -> None:
    from generator.mock import MockServer

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        specs, out, cwd = base / "specs", base / "out", base / "run"
        specs.mkdir()
        cwd.mkdir()
        fixed = cycling_source(TEXTS + CONTROLS)  # every hostile text at least once, whatever is drawn
        for i, src in enumerate([fixed, *srcs]):
            data = hostile_spec(src)
            data["provider"]["alias"] = f"demo{i}"
            accepted(data, specs / SPEC_FILE.format(alias=f"demo{i}"))
        generate([specs], out)
        providers = load_providers([specs])

        # ruff and mypy --strict at once, on the generated tree with its own configuration.
        lint = subprocess.Popen(
            [VENV_BIN / "ruff", "check", "--no-cache", "."],
            cwd=out,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        mypy = subprocess.run(
            [VENV_BIN / "mypy", "--strict", "--no-incremental", "opi"],
            cwd=out,
            capture_output=True,
            timeout=300,
            check=False,
        )
        lint_out = lint.communicate(timeout=120)[0].decode()
        assert lint.returncode == 0, lint_out[-4000:]
        assert mypy.returncode == 0, mypy.stdout.decode()[-4000:]

        env = {k: v for k, v in os.environ.items() if not k.startswith("OPI")}
        env["PYTHONPATH"] = str(out)
        python = [sys.executable, "-c"]
        with MockServer.start(providers[0], credentials={"api_key": KEY}) as server:
            aliases = [providers[0].alias]
            calls = {p.alias: calls_of(p) for p in providers[:1]}
            output = run([*python, CALLS, server.url, ",".join(aliases), json.dumps(calls), KEY], cwd, env)
            # The CLI takes the same hostile values as arguments (no shell in between) and sends them.
            entry = "import sys; from opi.cli import main; sys.exit(main())"
            for py_name, kwargs in calls[providers[0].alias]:
                m = next(m for m in providers[0].methods if m.py_name == py_name)
                options = {p.py_name: p.option for p in m.parameters}
                args = [a for k, v in kwargs.items() for a in (f"--{options[k]}", v)]  # as the docs show them
                answer = run(
                    [
                        *python,
                        entry,
                        providers[0].alias,
                        m.name,
                        *args,
                        "--api-key",
                        KEY,
                        "--base-url",
                        server.url,
                    ],
                    cwd,
                    env,
                )
                assert json.loads(answer) is not None
            for p in providers:
                help_text = run(
                    [*python, "import sys; from opi.cli import main; sys.exit(main())", p.alias, "--help"],
                    cwd,
                    env,
                )
                assert all(m.name in help_text for m in p.methods)
                check_terminal_text(help_text)
                for m in p.methods:
                    method_help = run(
                        [
                            *python,
                            "import sys; from opi.cli import main; sys.exit(main())",
                            p.alias,
                            m.name,
                            "--help",
                        ],
                        cwd,
                        env,
                    )
                    check_terminal_text(method_help)
                    assert terminal_text(m.title) in one_line(method_help), m.title
        answers = [json.loads(line) for line in output.splitlines() if line.startswith('["demo')]
        assert len(answers) == len(calls[providers[0].alias])
        assert not canaries(base)
    assert not canaries(ROOT)
