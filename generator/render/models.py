"""Pydantic v2 models of one provider, by datamodel-code-generator called in-process (one call per provider)."""

from __future__ import annotations

import json
import re
import warnings

from ..ir import Provider

_ROOT_MODEL = re.compile(r"\nclass Model\(RootModel\[Any\]\):\n    root: Any\n")


def render_models(provider: Provider, header: str) -> str:
    from datamodel_code_generator import (
        DataModelType,
        InputFileType,
        LiteralType,
        PythonVersion,
        generate,
    )

    document = {"$defs": provider.schemas}
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
            use_schema_description=True,
            use_field_description=True,
            enum_field_as_literal=LiteralType.All,
            snake_case_field=True,
            use_double_quotes=True,
            base_class="opi._runtime.model.ApiModel",
            custom_file_header=header,
            formatters=[],
        )
    if not isinstance(code, str):
        raise TypeError("datamodel-code-generator returned no text")
    return _ROOT_MODEL.sub("\n", code)
