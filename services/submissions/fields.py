"""Text a request may carry into submissions, checked at the edge: PostgreSQL stores no NUL byte (it would fail
as a server error deep inside a query), and no other control character belongs in a name, a title or a search, so
the input models refuse them (422 invalid_input) before anything is loaded. Line breaks and tabs are kept where
people write paragraphs (a summary, an answer, a reason)."""

from typing import Annotated

from pydantic import Field

from shared.fields import Line, Text

__all__ = ["LINE_PATTERN", "Line", "QuestionCode", "Text"]

# One line, for query parameters (the request models take shared.fields' Line and Text).
LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
# The code of a question the call asks (an answer is keyed by it).
QUESTION_CODE = r"^[a-z][a-z0-9_]{1,39}$"

QuestionCode = Annotated[str, Field(pattern=QUESTION_CODE)]
