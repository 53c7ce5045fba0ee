"""One provider's `Client` and `AsyncClient`: typed methods over the shared runtime in `opi._runtime`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..ir import Location, Method, Parameter, Provider, Response
from ..kinds import ANSWERS
from ..kinds.answer.choices import choices, media_of
from ..module_names import CLIENT_IMPORTS
from .env import render
from .pycode import Record
from .records import operation, provider_spec

RAW_RESPONSE = "RawResponse"  # the result type of a method whose success answer has no schema
OPERATIONS = "_Ops"
DEFS = "#/$defs/"  # the client template's class holding one Operation per method


@dataclass(frozen=True)
class MethodView:
    method: Method
    result: str  # class of the typed answer
    keywords: tuple[Parameter, ...]  # the signature's keywords (constants are sent, not asked for)
    outside_body: tuple[Parameter, ...]  # the keywords next to `body=` in the body-model overload
    operation: Record  # what the runtime needs to send it
    takes_out: bool = False  # a file answer: the method takes `out=`
    returns: str = ""  # the docstring's "Returns ..." when the kind words it (not a model)
    item: str = "Any"  # a paginated method's item type: its model when the items are one named object model
    choices: tuple[ChoiceView, ...] = ()  # an answer in several media types: one overload each, default first


@dataclass(frozen=True)
class ChoiceView:
    media: str  # the `accept` value that picks it
    result: str
    takes_out: bool


def _named(provider: Provider, schema: Any) -> tuple[str | None, Any]:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str) and ref.startswith(DEFS):
        name = ref[len(DEFS) :]
        return name, provider.schemas.get(name)
    return None, schema


def item_model(provider: Provider, method: Method) -> str | None:
    """The model of a paginated method's items, when its items are one named object schema."""
    if method.pagination is None:
        return None
    _, schema = _named(provider, method.success.schema)
    for part in method.pagination.items.split(".") if method.pagination.items else ():
        properties = schema.get("properties") if isinstance(schema, dict) else None
        _, schema = _named(provider, properties.get(part) if isinstance(properties, dict) else None)
    name, item = _named(provider, schema.get("items") if isinstance(schema, dict) else None)
    if name is None or not isinstance(item, dict) or item.get("type") != "object" or "properties" not in item:
        return None
    return name


def _value(method: Method) -> str:
    """The docstring's "Returns ..." of an answer that is a union or a scalar (not a model nor a list, both of
    which keep `.raw_response`)."""
    python = method.success.python
    if python is None or python == method.success.model or python.startswith("list["):
        return ""
    return f"the answer as `{python}` (a model variant keeps `.raw_response`; a plain value does not)"
def _result(response: Response) -> str:
    return response.python or response.model or RAW_RESPONSE


def _method(provider: Provider, method: Method) -> MethodView:
    keywords = tuple(p for p in method.parameters if not p.is_const)
    kind = ANSWERS[method.success.content]
    offered = tuple(ChoiceView(media_of(r), _result(r), ANSWERS[r.content].takes_out)
                    for r in choices(method.success))
    worded = kind.returns and method.success.python == kind.result  # not an empty answer's headers model
    returns = f"{kind.returns}; errors raise the provider's typed errors" if worded else _value(method)
    if offered:
        returns = "the answer in the media type `accept` names: " + "; ".join(
            f"`{c.media}`{' (default)' if i == 0 else ''}: `{c.result}`" for i, c in enumerate(offered)
        ) + "; errors raise the provider's typed errors"
    return MethodView(
        method=method,
        result=" | ".join(dict.fromkeys(c.result for c in offered)) if offered else _result(method.success),
        keywords=keywords,
        outside_body=tuple(p for p in keywords if p.location is not Location.BODY or p.is_file),
        operation=operation(method, provider),
        takes_out=kind.takes_out or any(c.takes_out for c in offered),
        returns=returns,
        item=item_model(provider, method) or "Any",
        choices=offered,
    )


def _imported_models(provider: Provider) -> list[str]:
    names = {provider.errors.model}
    for m in provider.methods:
        names.update(n for n in (m.success.model, m.body_model, m.params_model) if n)
        for alt in m.success.alternatives:  # the same answer in other media types
            names.update(n for n in (alt.model,) if n)
            names.update(re.findall(r"\w+", alt.python or "") & provider.schemas.keys())
        names.update(*(p.type.models() for p in m.parameters))
        names.update(re.findall(r"\w+", m.success.python or "") & provider.schemas.keys())
        names.update(n for n in (item_model(provider, m),) if n)
    return sorted(names)


def render_client(provider: Provider, header: str) -> str:
    return render(
        "package/client.py.j2",
        p=provider,
        header=header,
        imports=CLIENT_IMPORTS,
        methods=[_method(provider, m) for m in provider.methods],
        models=_imported_models(provider),
        provider=provider_spec(provider, OPERATIONS),
        # A scheme with refresh tokens: the constructor takes `on_tokens=` to persist new tokens.
        on_tokens=any(s.flow is not None or s.refresh_field for s in provider.schemes),
    )
