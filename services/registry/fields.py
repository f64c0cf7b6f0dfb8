"""What the registry's request models accept as text, codes and districts: no input reaches the database in a form
it cannot store (PostgreSQL refuses a NUL, a lone surrogate cannot be encoded, an integer past its column's range
errs), so hostile input gets a 422, never a server error."""

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

from shared.fields import Line, Text, has_unstorable

__all__ = ["Code", "CodeInPath", "CodeInQuery", "District",
           "DistrictInPath", "DistrictInQuery", "Line", "Text", "has_unstorable"]

CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"


# A body's or an organisation's code as the structure file writes them.
Code = Annotated[str, Field(pattern=CODE_PATTERN, max_length=63)]
CodeInPath = Annotated[str, Path(pattern=CODE_PATTERN, max_length=63)]
CodeInQuery = Annotated[str | None, Query(pattern=CODE_PATTERN, max_length=63)]
# One of Tehran's 22 districts: in a body, in a path, in a query.
District = Annotated[int, Field(ge=1, le=22)]
DistrictInPath = Annotated[int, Path(ge=1, le=22)]
DistrictInQuery = Annotated[int | None, Query(ge=1, le=22)]
