"""One provider's `Client` and `AsyncClient`: typed methods over the shared runtime in `opi._runtime`."""

from __future__ import annotations

from dataclasses import dataclass

from ..ir import Location, Method, Parameter, Provider
from .env import render

RAW_RESPONSE = "RawResponse"  # the result type of a method whose success answer has no schema
DEFAULT_UNAUTHORIZED = 401


@dataclass(frozen=True)
class MethodView:
    method: Method
    result: str  # class of the typed answer
    keywords: tuple[Parameter, ...]  # the signature's keywords (constants are sent, not asked for)
    outside_body: tuple[Parameter, ...]  # the keywords next to `body=` in the body-model overload
    auth: str  # the auth alternatives as a Python tuple literal


@dataclass(frozen=True)
class SchemeView:
    name: str
    kind: str
    inputs: tuple[str, ...]
    header: str | None
    prefix: str
    token_method: str | None  # Python name of the token operation
    token_field: str
    expires_field: str


def _method(method: Method) -> MethodView:
    keywords = tuple(p for p in method.parameters if not p.is_const)
    return MethodView(
        method=method,
        result=method.success.model or RAW_RESPONSE,
        keywords=keywords,
        outside_body=tuple(p for p in keywords if p.location is not Location.BODY),
        auth=repr(method.auth),
    )


def _imported_models(provider: Provider) -> list[str]:
    names = {provider.errors.model}
    for m in provider.methods:
        names.update(n for n in (m.success.model, m.body_model, m.params_model) if n)
        names.update(p.type.model for p in m.parameters if p.type.model)
    return sorted(names)


def render_client(provider: Provider, header: str) -> str:
    by_name = {m.name: m.py_name for m in provider.methods}
    schemes = [
        SchemeView(
            name=s.name,
            kind=s.kind,
            inputs=tuple(i.name for i in s.inputs),
            header=s.header,
            prefix=s.prefix,
            token_method=by_name.get(s.token_method or ""),
            token_field=s.token_field,
            expires_field=s.expires_field,
        )
        for s in provider.schemes
    ]
    unauthorized = provider.errors.answers.get("unauthorized")
    return render(
        "package/client.py.j2",
        p=provider,
        header=header,
        methods=[_method(m) for m in provider.methods],
        models=_imported_models(provider),
        schemes=schemes,
        secret_inputs=sorted(i.name for i in provider.client_inputs if i.secret),
        unauthorized_status=unauthorized.status if unauthorized else DEFAULT_UNAUTHORIZED,
        models_module=f"opi.{provider.alias}.models",
    )
