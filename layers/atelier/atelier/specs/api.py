"""Request and response models of the spec and snapshot endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from atelier.personalization.api import Issue
from atelier.personalization.inputs import ApiModel, DesignInput


class SpecOut(ApiModel):
    spec_hash: str
    spec_version: str
    spec: dict[str, Any]


class SpecValidationOut(ApiModel):
    valid: bool
    spec_hash: str
    spec: dict[str, Any] = Field(description="The canonical form of the submitted spec")
    issues: list[Issue]


class Provenance(ApiModel):
    session_id: Annotated[str, Field(max_length=100)] | None = None
    widget_version: Annotated[str, Field(max_length=40)] | None = None


class SnapshotIn(ApiModel):
    """Either the design itself, or the hash of a spec this brand already created."""

    design: DesignInput | None = None
    spec_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    provenance: Provenance = Field(default_factory=Provenance)

    @model_validator(mode="after")
    def _one_source(self) -> SnapshotIn:
        if (self.design is None) == (self.spec_hash is None):
            raise ValueError("send exactly one of design or specHash")
        return self
