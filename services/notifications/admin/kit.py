"""What the administration pages share: a posted form as text, a page number from the address, htmx or not."""

from fastapi import Request

from shared.persian import to_ascii_digits

MAX_PAGE_DIGITS = 9  # more digits than this is no page anyone asks for
MAX_FIELD = 100_000  # a posted field past this is cut (the use case's own limits refuse it at its field)


def is_htmx(request: Request) -> bool:
    """True when htmx asked for a piece of the page rather than the browser for a whole one."""
    return request.headers.get("hx-request") == "true"


async def form_fields(request: Request, *names: str) -> dict[str, str]:
    """The posted form's fields as text ('' when missing); the use case's request model checks what they hold."""
    form = await request.form()
    return {name: str(form.get(name, ""))[:MAX_FIELD] for name in names}


def page_number(raw: str | None) -> int:
    """The page asked for (Persian or ASCII digits); the first page for anything else."""
    text = to_ascii_digits((raw or "")[:100]).strip()
    return max(int(text), 1) if text.isascii() and text.isdigit() and len(text) <= MAX_PAGE_DIGITS else 1
