"""Base class of every generated model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr


class ApiModel(BaseModel):
    """A provider's object. Unknown fields from the provider are kept, not dropped."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    _raw_response: Any = PrivateAttr(default=None)

    @property
    def raw_response(self) -> Any:
        """The `opi.RawResponse` (status, headers, body) this model was parsed from, if any."""
        return self._raw_response

    def to_json_dict(self) -> dict[str, Any]:
        """The provider's own field names and JSON types."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
