"""Shared pieces of the request and response models."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from bots.api.routing import ID_MAX

Id = Annotated[int, Field(ge=1, le=ID_MAX)]
STRICT = ConfigDict(extra="forbid")  # an unknown field is a mistake worth a 422
