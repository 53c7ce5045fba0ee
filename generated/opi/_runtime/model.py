"""Base class of every generated model."""

from __future__ import annotations

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

    def to_json_dict(self) -> dict[str, Any]:
        """The provider's own field names and JSON types."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
