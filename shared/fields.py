"""Text a request may carry, checked at the edge in every service: PostgreSQL stores no NUL (it would fail as a
server error deep inside a query), a lone surrogate cannot be encoded, and no other control character belongs in
a name, a title or a filter. Request models use these types, so hostile text gets 422 invalid_input before
anything is loaded. Tabs and line breaks stay where people write paragraphs."""

import unicodedata
from typing import Annotated

from pydantic import AfterValidator


def has_unstorable(text: str, *, line_breaks: bool) -> bool:
    """True when the text holds a control character (tabs and line breaks allowed in running text) or a lone
    surrogate."""
    allowed = "\t\n\r" if line_breaks else ""
    return any(unicodedata.category(c) in ("Cc", "Cs") and c not in allowed for c in text)


def _text(value: str) -> str:
    if has_unstorable(value, line_breaks=True):
        raise ValueError("control characters are not allowed in text")
    return value


def _line(value: str) -> str:
    if has_unstorable(value, line_breaks=False):
        raise ValueError("control characters are not allowed")
    return value


# Running text (a decision's text, a comment, a template): line breaks and tabs are text.
Text = Annotated[str, AfterValidator(_text)]
# One line (a name, a title, a filter): no control character at all.
Line = Annotated[str, AfterValidator(_line)]
