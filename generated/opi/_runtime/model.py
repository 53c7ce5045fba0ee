"""Base class of every generated model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from .response import RawResponse


class ApiModel(BaseModel):
    """A provider's object. Unknown fields from the provider are kept, not dropped."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    # The raw answer lives in pydantic's private-attribute slot without being declared as a PrivateAttr:
    # a declared one makes pydantic initialise private state for every nested object of every answer.
    @property
    def raw_response(self) -> RawResponse | None:
        """The `RawResponse` (status, headers, body) this model was parsed from; None for nested objects."""
        private = self.__pydantic_private__
        return private.get("raw_response") if private else None

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # Fields the spec marks secret (passwords, tokens) never reach repr() or str(); dumps keep them.
        fields = type(self).model_fields
        for name, value in super().__repr_args__():
            info = fields.get(name) if name else None
            extra = info.json_schema_extra if info else None
            yield name, ("***" if isinstance(extra, dict) and extra.get("x-secret") else value)

    def to_json_dict(self) -> dict[str, Any]:
        """The provider's own field names and JSON types."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
