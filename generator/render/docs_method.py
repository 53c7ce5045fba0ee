"""A method's docs page: parameter table, signature, returns, tips and examples."""

from __future__ import annotations

import json
import re

from ..ir import Method, NamedExample, Provider, Response
from ..kinds import ANSWERS, BODIES
from .docs_accept import accept_returns, accept_row, accept_signature, headers_returns
from .docs_examples import credentials, examples
from .docs_failures import in_success_text, rule_lines
from .docs_layout import Layout, front_matter
from .docs_pages import CodeBlock, MethodPage, Row
from .docs_paging import paging_doc
from .docs_routes import route_tips
from .docs_types import (
    BR,
    CHECK,
    CROSS,
    FieldRow,
    enum_md,
    field_rows,
    model_link,
    typeref_md,
    value_text,
)
from .docs_unions import answer_union
from .mdx import code, fence, link, md, md_cell


# --- method pages --------------------------------------------------------------------------------------
def _required(required: bool, has_default: bool, default: object) -> str:
    if required:
        return CHECK
    return f"{CROSS} (default {code(value_text(default), cell=True)})" if has_default else CROSS


def _secret_note(env: str) -> str:
    return f"Secret: also read from {code(env, cell=True)}."


def rows(provider: Provider, method: Method, models: str) -> list[Row]:
    out = []
    for c in credentials(provider, method):
        item = c.input
        notes = ["Argument of `Client`." + (" " + _secret_note(item.env) if item.secret else "")]
        out.append(
            Row(
                code(item.name, cell=True),
                code("--" + item.option, cell=True),
                "string",
                CHECK if c.required else CROSS,
                BR.join([md_cell(item.description), *notes]),
            )
        )
    for p in method.parameters:
        if p.is_const:
            continue
        parts = [md_cell(p.description)]
        if p.type.enum:
            parts.append("Values:" + BR + enum_md(p.type.enum, p.type.enum_descriptions))
        if p.secret:
            parts.append(_secret_note(p.env))
        if p.examples:  # one per variant of a union, say: as JSON, which the CLI takes too
            parts.append("Examples:" + BR + BR.join(
                code(json.dumps(e.value, ensure_ascii=False), cell=True) + (f": {md_cell(e.summary)}" if e.summary else "")
                for e in p.examples))
        if p.media_type:
            parts.append(f"Sent as {code(p.media_type, cell=True)}.")
        out.append(
            Row(
                code(p.py_name, cell=True),
                code("--" + p.option, cell=True),
                typeref_md(p.type, models),
                _required(p.required, p.has_default, p.default),
                BR.join(parts),
            )
        )
    accept = accept_row(method)
    if accept is not None:
        out.append(accept)
    flag = provider.environment_flag
    if flag is not None:
        target = next(e for e in provider.environments if e.name == flag.environment)
        note = (
            f"Argument of `Client`; `true` selects the {code(target.name, cell=True)} environment "
            f"({md_cell(target.url)})."
        )
        out.append(
            Row(
                code(flag.name, cell=True),
                code("--" + flag.option, cell=True),
                "boolean",
                _required(False, True, False),
                BR.join([md_cell(flag.description), note]),
            )
        )
    elif len(provider.environments) > 1:
        default = provider.default_environment
        values = enum_md(
            [e.name for e in provider.environments],
            [f"{e.description} {e.url}".strip() for e in provider.environments],
        )
        out.append(
            Row(
                "`environment`",
                "`--environment`",
                "string",
                _required(False, True, default.name),
                BR.join(["Environment of the API. Argument of `Client`.", "Values:" + BR + values]),
            )
        )
    return out


def signature(method: Method) -> str:
    args = [
        f"{p.py_name}: {p.annotation}" + ("" if p.default_code is None else f" = {p.default_code}")
        for p in method.parameters
        if not p.is_const
    ]
    star = "*, " if args else ""
    accept = accept_signature(method)
    if accept is not None:
        args.append(accept)
        star = "*, "
    if ANSWERS[method.success.content].takes_out or any(ANSWERS[r.content].takes_out
                                                         for r in method.success.alternatives):
        args.append("out: DownloadTarget | None = None")
        star = "*, "
    results = [r.python or r.model or "Any" for r in (method.success, *method.success.alternatives)]
    result = " | ".join(dict.fromkeys(results))
    return code(f"client.{method.py_name}({star}{', '.join(args)}) -> {result}")


def _returns(provider: Provider, response: Response, models: str) -> tuple[str, tuple[FieldRow, ...]]:
    status = f"HTTP status {response.status}: {md(response.description)}"
    kind = ANSWERS[response.content]
    headers = headers_returns(response, models)
    if headers is not None:
        return headers, ()
    if kind.returns:
        media = ", ".join(code(m) for m in kind.media_types(response.media_type))
        text = md(kind.returns[0].upper() + kind.returns[1:]) + (f", sent as {media}." if media else ".")
        if kind.takes_out:
            text += (f"{BR}Binary data: pass {code('out=')} (a path or an open binary file; in the CLI "
                     f"{code('--out FILE')}) to stream a large file to disk instead of into memory.")
        return f"{text} {status}", ()
    python = response.python if response.python != response.model else None  # an allOf model is a model
    union = answer_union(provider, response.schema, models) if python is not None else None
    if python is not None and union is not None:  # a union answer, or a list of union items: its variants
        return f"{code(python)}, {union}. {status}", ()
    if python is not None:  # a top-level array (of a model) or a scalar
        item = next((n for n in re.findall(r"\w+", python) if n in provider.schemas), None)
        if item is None:
            return f"{code(python)}. {status}", ()
        schema = provider.schemas[item]
        text = f"{code(python)}, each a {model_link(item, models)}. {status}"
        return text, tuple(field_rows(schema, models, provider.schemas))
    if response.model is None:
        return f"the answer's JSON. {status}", ()
    schema = provider.schemas.get(response.model, {})
    about = md(str(schema.get("description", "")))
    text = f"{model_link(response.model, models)}" + (f": {about}" if about else ".") + f" {status}"
    for header in response.headers:
        where = code(f'result.raw_response.headers["{header.name}"]')
        text += f"{BR}Response header {code(header.name)}: {md(header.description)} In Python: {where}."
    return text, tuple(field_rows(schema, models, provider.schemas))


def _result(response: Response) -> tuple[str, str]:
    """The docs' Result block: the example answer, and its code block language."""
    if ANSWERS[response.content].needs_schema:
        return json.dumps(response.example, ensure_ascii=False, indent=2) + "\n", "json"
    kind = ANSWERS[response.content]
    if isinstance(response.example, str) and not kind.takes_out:  # text: shown as it is
        return response.example.rstrip("\n") + "\n", "text"
    example = response.example
    data = example.encode("utf-8") if isinstance(example, str) else example
    size = f"{len(data)} bytes of " if isinstance(data, bytes) else ""
    media = ", ".join(kind.media_types(response.media_type)) or "no body"
    return f"({size}{media})\n", "text"


def _tips(provider: Provider, method: Method) -> list[str]:
    tips = [md(note) for note in method.notes]
    tips.extend(route_tips(provider, method))
    tips.extend("Differs from the provider's page: " + md(erratum) for erratum in method.errata)
    if method.safety.note:
        tips.append("Retries: " + md(method.safety.note))
    tips.append(f"Method at API documentation: {link(method.doc_title, method.doc_url)}")
    return tips


def method_page(provider: Provider, method: Method, where: Layout) -> MethodPage:
    page = where.method_page(method)
    models = where.models_from(page)
    description = method.description.rstrip(". ")
    meta = front_matter(
        [
            ("sidebar_position", method.position),
            ("description", f"{method.title} ({method.name}) in the {provider.title} API: {description}."),
            ("keywords", [provider.title, provider.alias, method.name, method.title, method.group]),
        ]
    )
    body = None
    if method.body_model is not None and method.body_content is not None:
        body = (
            f"Request body: {model_link(method.body_model, models)}, sent as "
            f"{BODIES[method.body_content].wording}."
        )
    returns, fields = _returns(provider, method.success, models)
    returns += accept_returns(method)
    answers = tuple(
        f"{code(str(r.status))}: {md(r.description)}" for r in method.responses if not r.is_success
    )
    code_examples = examples(provider, method)
    result, language = _result(method.success)
    return MethodPage(
        front_matter=meta,
        title=method.title,
        description=method.description,
        signature=signature(method),
        rows=tuple(rows(provider, method, models)),
        body=body,
        returns=returns,
        return_fields=fields,
        answers=answers,
        tips=tuple(_tips(provider, method)),
        python=CodeBlock(fence(code_examples.python), 'python title="Code example"', code_examples.python),
        bash=CodeBlock(fence(code_examples.bash), 'bash title="CLI command example"', code_examples.bash),
        batch=CodeBlock(fence(code_examples.batch), 'batch title="CLI command example"', code_examples.batch),
        result=CodeBlock(fence(result), f'{language} title="Result"', result),
        paging=paging_doc(provider, method),
        more_results=tuple(_named_result(e) for e in method.success.examples),
        rules=rule_lines(method),
        in_success=in_success_text(method),
    )


def _named_result(example: NamedExample) -> CodeBlock:
    """A named example answer as its own Result block, titled with its name and summary."""
    text = json.dumps(example.value, ensure_ascii=False, indent=2) + "\n"
    title = f"Result: {example.name}" + (f" ({example.summary})" if example.summary else "")
    return CodeBlock(fence(text), 'json title="' + " ".join(title.replace('"', "'").split()) + '"', text)
