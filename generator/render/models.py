"""Pydantic v2 models of one provider, by datamodel-code-generator called in-process (one call per provider)."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

from ..ir import Provider
from ..kinds import ANSWERS
from .env import doc_lines, escape_unprintable
from .models_inline import inline_root_models

# Public members of the runtime's model base class (opi._runtime.model.ApiModel): a spec property of that
# name gets a trailing underscore in Python (its wire name stays), as pydantic's own names already do.
MODEL_MEMBERS = ("raw_response", "to_json_dict")

_ROOT_MODEL = re.compile(r"\nclass Model\(RootModel\[Any\]\):\n    root: Any\n")


def render_models(provider: Provider, header: str) -> str:
    from datamodel_code_generator import (
        DataModelType,
        InputFileType,
        LiteralType,
        PythonVersion,
        generate,
    )

    document = {"$defs": _for_models(provider.schemas)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = generate(
            json.dumps(document, sort_keys=True),
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            disable_timestamp=True,
            use_annotated=True,
            field_constraints=True,
            use_standard_collections=True,
            use_union_operator=True,
            collapse_root_models=True,
            use_schema_description=True,
            use_field_description=True,
            field_extra_keys={"x-secret"},
            enum_field_as_literal=LiteralType.All,
            snake_case_field=True,
            use_double_quotes=True,
            base_class="opi._runtime.model.ApiModel",
            custom_file_header=header,
            aliases={name: f"{name}_" for name in MODEL_MEMBERS},
            formatters=[],
        )
    if not isinstance(code, str):
        raise TypeError("datamodel-code-generator returned no text")
    code = escape_unprintable(code)
    classes = [n for n, s in provider.schemas.items() if s.get("type") == "object" or "allOf" in s]
    renamed = sorted(n for n in classes if not re.search(rf"^class {n}\(", code, re.MULTILINE))
    if renamed:  # the client and docs name these classes; the checker's reserved names should prevent this
        raise ValueError(f"{provider.source_file}: no model class named {', '.join(renamed)} was generated")
    # A union that holds itself names itself in quotes inside `Union[...]`, which `X | Y` cannot spell.
    code = _SELF_UNION.sub(r"\1  # noqa: UP007", code)
    code = inline_root_models(_ROOT_MODEL.sub("\n", code), provider.schemas)
    return _with_aliases(_answer_headers(_given_dates(code), provider), provider)


def _answer_headers(code: str, provider: Provider) -> str:
    """The models of empty answers' headers extend the runtime's frozen `AnswerHeaders`."""
    names = sorted({r.model for m in provider.methods for r in m.responses
                    if r.is_success and r.model and not ANSWERS[r.content].media_types(None)})
    for name in names:
        code = code.replace(f"\nclass {name}(ApiModel):\n", f"\nclass {name}(AnswerHeaders):\n", 1)
    if not names:
        return code
    return code.replace("from opi._runtime.model import ApiModel",
                        "from opi._runtime.answer_headers import AnswerHeaders\nfrom opi._runtime.model import ApiModel",
                        1)


_DATETIME_IMPORT = re.compile(r"^from datetime import (.+)$", re.MULTILINE)
_PYDANTIC_IMPORT = re.compile(r"^from pydantic import (.+)$", re.MULTILINE)


def _given_dates(code: str) -> str:
    """Date and date-time fields typed by the runtime's `given` types, which send a value given as text
    exactly as it was written (`opi/_runtime/given.py`); the names stay the ones the model generator uses."""
    code = _DATETIME_IMPORT.sub(r"from opi._runtime.given import \1", code)
    found = _PYDANTIC_IMPORT.search(code)
    if found is None or "AwareDatetime" not in found.group(1).split(", "):
        return code
    rest = [n for n in found.group(1).split(", ") if n != "AwareDatetime"]
    lines = "\n".join([f"from pydantic import {', '.join(rest)}"] if rest else [])
    code = code[: found.start()] + lines + code[found.end():]
    return code.replace("from opi._runtime.model import ApiModel",
                        "from opi._runtime.given import AwareDatetime\nfrom opi._runtime.model import ApiModel", 1)


_SELF_UNION = re.compile(r"^(class \w+\(RootModel\[Union\[.*\]\]\):)$", re.MULTILINE)
_PLAIN = re.compile(r"^(?:[A-Z][A-Za-z0-9]*|str|int|float|bool)$")


def _with_aliases(code: str, provider: Provider) -> str:
    """A named union that the fields using it inline has no class of its own, so it gets a type alias,
    `Block: TypeAlias = Annotated[Text | Image, Field(discriminator="type")]`, when its variants are models or
    plain scalars. A union that nothing uses, or that holds itself, stays a RootModel class."""
    lines = []
    for union in provider.unions:
        pieces = [v.python for v in union.type.variants]
        kept = re.search(rf"^class {union.name}\(", code, re.MULTILINE)  # not inlined anywhere: a RootModel
        if kept or not all(_PLAIN.match(p) for p in pieces):
            continue
        annotation = " | ".join(pieces)
        if union.discriminator is not None:
            annotation = f"Annotated[{annotation}, Field(discriminator={union.discriminator!r})]"
        lines.append(f"{union.name}: TypeAlias = {annotation}")
        lines.extend(['"""', *doc_lines(union.description or union.name).splitlines(), '"""', ""])
    if not lines:
        return code
    imports = "from typing import Annotated, TypeAlias\n\nfrom pydantic import Field\n"
    code = code.replace("from __future__ import annotations\n", "from __future__ import annotations\n\n" + imports, 1)
    return code.rstrip("\n") + "\n\n" + "\n".join(lines)


def _for_models(node: Any) -> Any:
    """The schemas as the model generator should see them.

    Descriptions become docstrings, so their lines are normalised (no stray whitespace in the source).
    `format: email` would become pydantic's EmailStr, which needs the optional email-validator package at
    import time; the clients take such values as plain strings (the docs, OpenAPI and mock keep the format).
    """
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "email":
            node = {k: v for k, v in node.items() if k != "format"}
        return {
            k: doc_lines(v) if k == "description" and isinstance(v, str) else _for_models(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_for_models(v) for v in node]
    return node
