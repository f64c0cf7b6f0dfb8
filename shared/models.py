"""Base request model shared by every service's HTTP interface."""

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Request bodies reject unknown fields, so server-owned fields can never be sent in."""

    model_config = ConfigDict(extra="forbid")
