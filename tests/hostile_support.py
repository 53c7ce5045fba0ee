"""Valid specs with hostile text in every free-text field and hostile names wherever the format allows them.

`HostileSpec` takes the base spec (tests/broken_specs/_base.yaml.txt) and fills it from a `Source`: a
callable that hands out one hostile text per field and one name per naming slot, so hypothesis can draw
them and a fixed list can replay them. Canary payloads are Python and shell code that would create a file
named after the canary if anything ever executed spec text.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spec_support import base_data

from generator.problems import Problem

CANARY = "CANARY_HIT"
# Code that leaves a file behind if any stage or any generated artefact runs it.
PAYLOADS = (
    f"__import__('pathlib').Path('{CANARY}_py').touch()",
    f'"""; __import__("os").system("touch {CANARY}_doc") #',
    f"'''; __import__('os').system('touch {CANARY}_sq') #",
    f"{{{{ cycler.__init__.__globals__.os.system('touch {CANARY}_jinja') }}}}",
    f"{{% if True %}}{{{{ lipsum.__globals__.os.popen('touch {CANARY}_tag').read() }}}}{{% endif %}}",
    f"$(touch {CANARY}_sh) `touch {CANARY}_bt` ; touch {CANARY}_semi",
    f"%COMSPEC% /c type nul > {CANARY}_bat & echo",
    f"\\\"; import os; os.system('touch {CANARY}_esc'); x = \\\"",
)
# Pieces that break naive escaping in Python, Jinja, Markdown, MDX, HTML, YAML, JSON and shells.
FRAGMENTS = (
    "'",
    '"',
    "'''",
    '"""',
    "\\",
    "\\n",
    "\\'",
    "{{ 7*7 }}",
    "{% raw %}",
    "{% endraw %}",
    "{# note #}",
    "{{",
    "}}",
    "</script>",
    "<!--",
    "-->",
    "{}",
    "{props.x}",
    "<Tag>",
    "</Tag>",
    "<br/>",
    "a | b",
    "|",
    "`",
    "``",
    "```",
    "\n",
    "\r\n",
    "\n\n",
    "# ",
    "#",
    "$",
    "$HOME",
    "%PATH%",
    "^",
    "&",
    "&amp;",
    "Ünïcode",
    "Привет, мир",
    "класс",
    "🦄",
    "👩‍👩‍👧",
    "שלום",
    "مرحبا",
    "\u202eevil\u202c",
    "\u200b",
    "\t",
    "\u00a0",
    "\u2028",
    ":::tip",
    "- ",
    "1. ",
    "> ",
    "*",
    "_",
    "[x](javascript:alert(1))",
    "import x from 'y'",
    "%s %d {0} {name}",
    "\x7f",
    "\x85",
)
TEXTS = FRAGMENTS + PAYLOADS

# JSON property names: free strings on the wire; these collide with Python, pydantic or the runtime.
PROPERTY_NAMES = (
    "class",
    "model_config",
    "model_fields",
    "model_dump",
    "json",
    "schema",
    "copy",
    "dict",
    "self",
    "1st",
    "a b",
    "a-b",
    "Ünïcode",
    "класс",
    "__init__",
    "_private",
    "None",
    "True",
    "from",
    "import",
    "fields",
    "construct",
    "validate",
    "a.b",
    "$ref",
    "'",
    '"',
    "\\",
    "{{ 7*7 }}",
    "a|b",
    "`x`",
    "🦄",
    "camelCase",
    "camel_case",
    "CamelCase",
    "type",
    "id",
    "raw_response",
    "__class__",
    "_",
    "__",
    "0",
)
# Parameter names (pattern ^[A-Za-z][A-Za-z0-9_]*$): Python words, runtime keywords, snake collisions.
PARAMETER_NAMES = (
    "class",
    "None",
    "self",
    "timeout",
    "body",
    "fields",
    "json",
    "model",
    "type",
    "id",
    "print",
    "async",
    "await",
    "match",
    "case",
    "Type",
    "userId",
    "user_id",
    "UserID",
    "user_ID",
    "HTTPCode",
    "http_code",
    "a1",
    "A",
    "x__y",
    "x_",
    "headers",
    "environment",
    "base_url",
    "max_retries",
    "http_client",
    "transport",
    "Any",
    "Literal",
    "overload",
    "dt",
    "httpx",
    "Mapping",
    "TimeoutTypes",
    "Operation",
    "PROVIDER",
    "test",
    "debug",
    "help",
    "out",
    "version",
    "client_id",
    "token",
    "raw",
    "extra_headers",
    "client",
    "lookup",
    "data",
    "params",
)
# Schema (model) names, PascalCase: names the generated modules already use for something else.
SCHEMA_NAMES = (
    "None",
    "True",
    "Any",
    "Literal",
    "Annotated",
    "BaseModel",
    "ApiModel",
    "Field",
    "RootModel",
    "ConfigDict",
    "Client",
    "AsyncClient",
    "RawResponse",
    "ApiError",
    "Operation",
    "Param",
    "Safety",
    "Scheme",
    "Lookup",
    "ProviderSpec",
    "TimeoutTypes",
    "Mapping",
    "PROVIDER",
    "Model",
    "Enum",
    "List",
    "Dict",
    "Optional",
    "Str",
    "Int",
    "Ops",
    "Self",
    "Importlib",
)
# Method names (PascalCase): the runtime client's own public members and Python words once snake-cased.
METHOD_NAMES = (
    "Close",
    "Aclose",
    "Environment",
    "BaseUrl",
    "Timeout",
    "Call",
    "Class",
    "None",
    "Import",
    "Print",
    "Type",
    "Lambda",
    "Self",
    "Json",
    "Send",
    "Request",
    "Headers",
    "Get",
    "GetHTTPThing",
    "GetHttpThing",
    "X1",
)
# Names of groups (letters, digits, spaces), environments and the flag (snake_case), CLI options (kebab).
GROUP_NAMES = ("None", "Class", "Import", "A b c", "Index", "Api", "Errors", "X 1", "Models", "Docs")
SNAKE_NAMES = (
    "class",
    "none",
    "self",
    "import",
    "json",
    "default",
    "base_url",
    "timeout",
    "headers",
    "environment",
    "test",
    "debug",
    "help",
    "x1",
    "a_b",
    "production",
    "sandbox",
    "print",
)
CLI_NAMES = (
    "class",
    "none",
    "help",
    "version",
    "base-url",
    "timeout",
    "x",
    "a-b",
    "from",
    "h",
    "test",
    "debug",
    "out",
    "environment",
    "client-id",
    "json",
    "token",
)


Pick = Callable[[tuple[str, ...]], str]


@dataclass
class Source:
    """Where a spec's texts and names come from: `text()` and `name(pool)` (hypothesis draws or a list)."""

    text: Callable[[], str]
    pick: Pick
    used: list[str] = field(default_factory=list)

    def t(self, prefix: str = "") -> str:
        value = prefix + self.text()
        if not value.strip():
            value = prefix + "x" + value  # the format wants text, not only blanks
        self.used.append(value)
        return value


def _url_safe(text: str) -> str:
    """URL query text from hostile text: what the url pattern allows, everything else percent-encoded."""
    from urllib.parse import quote

    return quote(text, safe="._~!$&()*+,;=:@/?-")


def unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


def hostile_spec(src: Source) -> dict[str, Any]:
    """The base spec with hostile texts in every free-text slot and hostile names in every name slot."""
    data = copy.deepcopy(base_data())
    t = src.t
    prov = data["provider"]
    prov["title"] = t()
    prov["description"] = t()
    prov["credentials"] = t()
    prov["errata"] = [t(), t()]
    prov["docs_url"] = "https://docs.example.com/a?q=" + _url_safe(src.text())
    group_names = [src.pick(GROUP_NAMES), "Refunds"]
    if group_names[0].lower() == "refunds":
        group_names[0] = "Tokens"
    prov["groups"] = [{"name": group_names[0], "description": t()}, {"name": "Refunds", "description": t()}]

    data["environments"][0]["description"] = t()
    data["environments"][1]["description"] = t()
    env_name = src.pick(SNAKE_NAMES)
    if env_name == "production":
        env_name = "staging"
    data["environments"][1]["name"] = env_name
    data["environment_flag"] = {"name": src.pick(SNAKE_NAMES), "description": t(), "environment": env_name}
    data["headers"] = {
        "X-Hostile": {"value": _header_value(src.text()), "description": t()},
        "X-Plain": {"value": "v", "description": t(), "required": True},
    }

    oauth = data["auth"]["schemes"]["oauth"]
    oauth["token"] = {"description": t(), "example": t()}
    oauth["token_field"] = "access_token"
    data["auth"]["schemes"]["key"] = {
        "type": "api_key",
        "header": "X-Api-Key",
        "prefix": _header_value(src.text()) + " ",
        "key": {"name": "api_key", "description": t(), "example": t()},
    }
    data["auth"]["require"] = [["oauth"], ["key"]]

    data["errors"]["errata"] = [t()]
    for answer in data["errors"]["answers"].values():
        answer["body"] = {"message": t() + "{message}"}

    schemas = data["schemas"]
    for schema in schemas.values():
        _describe(schema, t)
    refund = schemas["Refund"]
    enum = unique([t(), "pending", t(), "done"])
    refund["properties"]["status"]["enum"] = enum
    refund["properties"]["status"]["x-enum-descriptions"] = [t() for _ in enum]
    # One more model whose property names are hostile wire names.
    props = unique([src.pick(PROPERTY_NAMES) for _ in range(6)])
    extra_name = src.pick(SCHEMA_NAMES)
    hostile_model: dict[str, Any] = {
        "type": "object",
        "description": t(),
        "required": [props[0]],
        "properties": {
            name: {"type": "string", "description": t(), "example": t(), "pattern": r"^[\s\S]*$"}
            for name in props
        },
    }
    schemas[extra_name] = hostile_model
    refund["properties"]["extra"] = {"$ref": f"#/schemas/{extra_name}", "description": t()}

    methods = {m["name"]: m for m in data["methods"]}
    for m in data["methods"]:
        m["title"] = f"{m['title']} {t()}"
        m["description"] = t()
        m["doc"] = {"title": t(), "url": m["doc"]["url"] + "?q=" + _url_safe(src.text())}
        m["source"] = t()
        m["notes"] = [t(), t()]
        m["errata"] = [t()]
        for p in m.get("parameters") or []:
            p["description"] = t()
        for response in m["responses"].values():
            response["description"] = t()
            if isinstance(response.get("schema"), dict):
                _describe(response["schema"], t)
    for m in data["methods"]:
        if m["group"] == "Authorization":
            m["group"] = group_names[0]
    methods["CreateRefund"]["idempotency"]["note"] = t()
    methods["GetRefund"]["responses"]["404"]["example"] = {"message": t()}
    methods["GetRefund"]["responses"]["200"]["headers"] = {
        "X-Request-Id": {
            "description": t(),
            "schema": {"type": "string"},
            "example": _header_value(src.text()),
        },
    }
    reason = methods["CreateRefund"]["parameters"][2]
    reason["schema"]["enum"] = unique([t(), t(), "other"])
    reason["default"] = "other"
    reason["example"] = reason["schema"]["enum"][0]
    reason["field"] = src.pick(PROPERTY_NAMES)
    if reason["field"] in ("reference", "amount"):
        reason["field"] = "why"
    reference = methods["CreateRefund"]["parameters"][0]
    reference["example"] = t()[:36]
    reference["schema"]["maxLength"] = 36
    methods["ListRefunds"]["parameters"][0]["example"] = t()
    methods["GetRefund"]["parameters"][0]["example"] = t()
    methods["GetToken"]["parameters"][1]["example"] = t()

    extra = _hostile_method(src, extra_name)
    extra["responses"]["200"]["example"] = {props[0]: t()}
    data["methods"].append(extra)
    return data


def _header_value(text: str) -> str:
    """A header value from hostile text: its visible ASCII (HTTP allows nothing else), spaces only inside."""
    return "".join(c for c in text if c.isprintable() and c.isascii()).strip() + "'\"{{ 7*7 }}$(x)`|"


def _describe(schema: dict[str, Any], t: Callable[[], str]) -> None:
    """Hostile descriptions on a schema and every property below it."""
    if "$ref" in schema:
        return
    schema["description"] = t()
    for sub in (schema.get("properties") or {}).values():
        _describe(sub, t)
    if isinstance(schema.get("items"), dict):
        _describe(schema["items"], t)


def _hostile_method(src: Source, model: str) -> dict[str, Any]:
    """A read method whose parameter names, CLI options and wire names are hostile but allowed."""
    t = src.t
    name = src.pick(METHOD_NAMES)
    params: list[dict[str, Any]] = []
    seen_py: set[str] = set()
    seen_opt: set[str] = set()
    seen_wire: set[str] = set()
    for i in range(4):
        pname = src.pick(PARAMETER_NAMES)
        wire = src.pick(PROPERTY_NAMES) if i % 2 else pname
        py = _snake(pname)
        option = src.pick(CLI_NAMES) if i == 3 else None
        opt = option or _kebab(pname)
        if py in seen_py or opt in seen_opt or wire in seen_wire:
            continue
        seen_py.add(py)
        seen_opt.add(opt)
        seen_wire.add(wire)
        param: dict[str, Any] = {
            "name": pname,
            "in": "query",
            "description": t(),
            "schema": {"type": "string", "description": t()},
            "example": t(),
        }
        if wire != pname:
            param["field"] = wire
        if option:
            param["cli"] = option
        params.append(param)
    params.append(
        {
            "name": "trace",
            "in": "header",
            "field": "X-Trace",
            "description": t(),
            "schema": {"type": "string"},
            "example": _header_value(src.text()),
        }
    )
    return {
        "name": name,
        "title": t(),
        "description": t(),
        "group": "Refunds",
        "http": "GET /hostile/things",
        "doc": {"title": t(), "url": "https://docs.example.com/x?" + _url_safe(src.text())},
        "source": t(),
        "notes": [t()],
        "parameters": params,
        "responses": {
            "200": {"description": t(), "schema": {"$ref": f"#/schemas/{model}"}, "example": {}},
        },
    }


def _snake(name: str) -> str:
    from generator.names import snake

    return snake(name)


def _kebab(name: str) -> str:
    from generator.names import kebab

    return kebab(name)


# What the checker may refuse in a hostile spec: names it documents as taken, never the hostile texts.
REFUSALS = re.compile(
    r"is reserved by the generated client|is a Python (keyword|builtin)|collides with|"
    r"is reserved for the CLI itself|is used twice|already used by|must be PascalCase|"
    r"two parameters send|is a Python constant|a name the generated modules use"
)
_PARAM_AT = re.compile(r"^\$\.methods\[(\d+)\]\.parameters\[(\d+)\]")
_FLAG_AT = re.compile(r"^\$\.environment_flag")
_METHOD_AT = re.compile(r"^\$\.methods\[(\d+)\]\.name$")
_SCHEMA_AT = re.compile(r"^\$\.schemas\.([A-Za-z0-9]+)$")


def refused_names(problems: list[Problem]) -> list[str]:
    """Problems that are not a documented refusal of a name (should be none)."""
    return [str(p) for p in problems if not REFUSALS.search(p.message)]


def drop_refused(data: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """The spec without the name slots the checker refused: refused parameters go, other names get tame."""
    data = copy.deepcopy(data)
    drop: set[tuple[int, int]] = set()
    for problem in problems:
        at = _PARAM_AT.match(problem.path)
        if at:
            drop.add((int(at.group(1)), int(at.group(2))))
        elif _FLAG_AT.match(problem.path):
            data["environment_flag"]["name"] = "use_sandbox"
        elif _METHOD_AT.match(problem.path):
            data["methods"][int(_METHOD_AT.match(problem.path).group(1))]["name"] = "HostileThings"  # type: ignore[union-attr]
        elif _SCHEMA_AT.match(problem.path):
            data = _rename_schema(data, _SCHEMA_AT.match(problem.path).group(1))  # type: ignore[union-attr]
        else:
            raise AssertionError(f"no repair for {problem}")
    for i, m in enumerate(data["methods"]):
        m["parameters"] = [p for j, p in enumerate(m.get("parameters") or []) if (i, j) not in drop]
    return data


def _rename_schema(data: dict[str, Any], old: str) -> dict[str, Any]:
    new = "HostileModel"
    data["schemas"] = {new if k == old else k: v for k, v in data["schemas"].items()}
    text = json.dumps(data).replace(f'"#/schemas/{old}"', f'"#/schemas/{new}"')
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def cycling_source(texts: tuple[str, ...], offset: int = 0) -> Source:
    """A fixed source: every text in turn (so each is used at least once) and names in turn per pool."""
    counter = {"text": offset}
    picks: dict[int, int] = {}

    def text() -> str:
        counter["text"] += 1
        return texts[counter["text"] % len(texts)]

    def pick(pool: tuple[str, ...]) -> str:
        picks[id(pool)] = picks.get(id(pool), offset) + 1
        return pool[picks[id(pool)] % len(pool)]

    return Source(text=text, pick=pick)
