"""Templates: a sandboxed Jinja2 environment with Persian filters, the RTL mail layout, and save-time checks.

Pure: rendering reads nothing but its arguments (staff's saved versions are passed in as `overrides`). Every render
stops past MAX_OUTPUT characters and refuses `*` and `**` that would build something huge in one step; a draft's
time and memory are bounded by templates/budget.py, which runs `check` in a child process.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import jdatetime
from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from services.notifications.delivery.domain import EMAIL, INBOX, SMS, sms_parts
from services.notifications.templates.defaults import DEFAULTS, sample_context
from shared.persian import format_jalali_date, format_jalali_datetime, format_jalali_long, to_persian_digits
from shared.refusals import Kind, Refusal, not_found

MAX_SMS_PARTS = 4
MAX_SUBJECT = 200
MAX_SOURCE = 20_000
MAX_OUTPUT = 100_000  # characters one part may render to
MAX_EXPONENT = 1_000
CATEGORY_FA = {
    "entrepreneurship": "کارآفرینی",
    "welfare": "رفاه و خدمات اجتماعی",
    "participation": "مشارکت‌های مردمی",
}
PLACE_FA = {"first": "رتبهٔ اول", "second": "رتبهٔ دوم", "third": "رتبهٔ سوم", "honourable_mention": "تقدیرنامه"}
ROLE_FA = {"chair": "رئیس", "secretary": "دبیر", "member": "عضو", "evaluator": "ارزیاب", "juror": "داور",
           "staff": "کارشناس"}
TIER_FA = {1: "ارزیابی منطقه", 2: "داوری نهایی"}
EMAIL_LAYOUT = """<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head><meta charset="utf-8"><title>{subject}</title></head>
<body dir="rtl" style="direction:rtl;text-align:right;font-family:Vazirmatn,Tahoma,sans-serif;line-height:1.8">
{content}
{footer}</body>
</html>
"""


class TemplateRefused(ValueError):
    """A template that does not render against its rule's sample event, with the reason and, when one part is at
    fault, which (subject, text or html): a page shows the refusal at that field."""

    def __init__(self, reason: str, part: str | None = None) -> None:
        super().__init__(reason)
        self.part = part


class TemplateTooCostly(TemplateRefused):
    """A template that takes more time, memory or output than a message may."""


def too_costly(seconds: float) -> Refusal:
    """The refusal staff see when a draft ran past its budget (nothing saved)."""
    return Refusal(Kind.INVALID, "template_too_costly",
                   "قالب بیش از حد سنگین است: ساختن آن از زمان یا اندازهٔ مجاز بیشتر شد.",
                   "The template is too costly: rendering it takes more time or room than allowed.",
                   {"max_seconds": seconds, "max_characters": MAX_OUTPUT})


_UNDEFINED = re.compile(r"UndefinedError: '(?:[^']*' has no attribute '|)([^']{1,80})'")


def refused(error: TemplateRefused) -> Refusal:
    """The refusal staff see (nothing saved), with the reason the template cannot be used and the part at fault."""
    details: dict = {"reason": str(error)}
    if error.part:
        details["part"] = error.part
    return Refusal(Kind.INVALID, "template_refused", _persian_reason(str(error)),
                   "The template does not render against the sample event.", details)


def _persian_reason(reason: str) -> str:
    """The reason in plain Persian where it is a usual mistake (a name the event does not have, broken syntax)."""
    if match := _UNDEFINED.search(reason):
        return f"قالب نام «{match.group(1)}» را به کار برده که رویداد آن را ندارد؛ فقط نام‌های نمونهٔ رویداد را " \
               "به کار ببرید."
    if reason.startswith("TemplateSyntaxError"):
        return "نوشتار قالب درست نیست (مثلاً آکولادی باز مانده است)."
    return "قالب قابل استفاده نیست؛ با رویداد نمونه ساخته نشد."


def known(rule: str, channel: str) -> None:
    """Refuse (not found) a rule and channel that have no template."""
    if (rule, channel) not in DEFAULTS:
        raise not_found("قالب", "Template")


def persian_label(table: dict, key: object) -> str:
    """The Persian name of a code, or the code itself when there is none."""
    return table.get(key, str(key))


@dataclass(frozen=True)
class Rendered:
    """A message ready for a channel."""

    subject: str
    text: str
    html: str


def _jalali(value: object) -> str:
    if isinstance(value, datetime):
        return format_jalali_date(value)
    if isinstance(value, date):
        return to_persian_digits(jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d"))
    return to_persian_digits(str(value))


def _district(value: object) -> str:
    return f"منطقه {to_persian_digits(str(value))}" if value else "شهر تهران"


def _too_big(operator: str, left: object, right: object) -> bool:
    """True when `left operator right` would be huge: a sequence repeated past MAX_OUTPUT, a power past
    MAX_EXPONENT."""
    if operator == "**":
        return isinstance(left, int | float) and abs(left) > 1 and isinstance(right, int | float) and \
            abs(right) > MAX_EXPONENT
    return any(isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_OUTPUT
               for seq, times in ((left, right), (right, left)))


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox (its range() stops at 100,000 steps), with `*` and `**` checked before they run:
    'x' * 10**9 would take a gigabyte in one step, before any output limit could see it."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: object, right: object) -> object:
        """Refuse a huge product or power; otherwise as the sandbox does."""
        if _too_big(operator, left, right):
            raise TemplateTooCostly(f"'{operator}' would build something larger than a message may be")
        return super().call_binop(context, operator, left, right)


def _environment(*, html: bool) -> ImmutableSandboxedEnvironment:
    env = _Sandbox(undefined=StrictUndefined, autoescape=html)
    env.filters.update({
        "fa": lambda value: to_persian_digits(str(value)),
        "jalali": _jalali,
        "jalali_dt": lambda value: format_jalali_datetime(value) if isinstance(value, datetime) else _jalali(value),
        "jalali_long": lambda value: format_jalali_long(value) if isinstance(value, datetime) else _jalali(value),
        "district": _district,
        "category": lambda value: persian_label(CATEGORY_FA, value),
        "place": lambda value: persian_label(PLACE_FA, value),
        "role": lambda value: persian_label(ROLE_FA, value),
        "tier": lambda value: persian_label(TIER_FA, value),
    })
    return env


_TEXT = _environment(html=False)
_HTML = _environment(html=True)


@lru_cache(maxsize=1024)
def _compiled(source: str, html: bool) -> Template:
    return (_HTML if html else _TEXT).from_string(source)


def render_source(source: str, context: dict, *, html: bool = False) -> str:
    """Render one template text (compiled once per source), piece by piece; raises jinja2's TemplateError when it
    cannot, TemplateTooCostly as soon as it passes MAX_OUTPUT characters."""
    pieces, size = [], 0
    for piece in _compiled(source, html).generate(context):
        size += len(piece)
        if size > MAX_OUTPUT:
            raise TemplateTooCostly(f"a part renders to more than {MAX_OUTPUT} characters")
        pieces.append(piece)
    return "".join(pieces).strip()


def render(parts: dict[str, str], channel: str, context: dict) -> Rendered:
    """A template's parts rendered for a channel; email gets the RTL layout and an opt-out footer when it has one."""
    subject = render_source(parts.get("subject") or "", context).replace("\n", " ")
    text = render_source(parts["text"], context)
    html = ""
    if channel == EMAIL:
        unsubscribe = context.get("unsubscribe_url") or ""
        content = render_source(parts.get("html") or "", context, html=True) or \
            "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
        footer = ""
        if unsubscribe:
            text += f"\n\nلغو دریافت پیام‌های غیرضروری: {unsubscribe}"
            footer = Markup('<p style="font-size:small;color:#666"><a href="{}">لغو دریافت پیام‌های غیرضروری</a>'
                            "</p>\n").format(unsubscribe)
        html = EMAIL_LAYOUT.format(subject=escape(subject), content=content, footer=footer)
    return Rendered(subject=subject, text=text, html=html)


def effective(rule: str, channel: str, overrides: dict[tuple[str, str], dict]) -> dict[str, str] | None:
    """The template in use: staff's saved version, else the default; None when the rule has none for the channel."""
    return overrides.get((rule, channel)) or DEFAULTS.get((rule, channel))


def check(rule: str, channel: str, parts: dict[str, str]) -> Rendered:
    """Render against the rule's sample event, or refuse with the reason (syntax, unknown value, too long)."""
    if (rule, channel) not in DEFAULTS:
        raise TemplateRefused(f"rule {rule!r} sends nothing on {channel!r}")
    if not parts.get("text", "").strip():
        raise TemplateRefused("the text is empty", "text")
    if too_long := [name for name, value in parts.items() if len(value or "") > MAX_SOURCE]:
        raise TemplateRefused(f"a part is longer than {MAX_SOURCE} characters", too_long[0])
    if channel in (EMAIL, INBOX) and not (parts.get("subject") or "").strip():
        raise TemplateRefused("email and inbox messages need a subject", "subject")
    context = {**sample_context(rule), "unsubscribe_url": "https://example.org/u"}
    try:
        rendered = render(parts, channel, context)
    except TemplateTooCostly:
        raise
    except TemplateError as error:
        raise TemplateRefused(f"{type(error).__name__}: {error}", _failing_part(parts, context)) from None
    except (OverflowError, MemoryError, RecursionError) as error:  # range() past the sandbox's limit, and the like
        raise TemplateTooCostly(f"{type(error).__name__}: {error}"[:300]) from None
    except Exception as error:  # the template's own mistakes outside Jinja's: 1 / 0, a filter given a wrong type
        raise TemplateRefused(f"{type(error).__name__}: {error}"[:300], _failing_part(parts, context)) from None
    if channel == SMS and sms_parts(rendered.text) > MAX_SMS_PARTS:
        raise TemplateRefused(f"the SMS takes {sms_parts(rendered.text)} parts; at most {MAX_SMS_PARTS} are allowed",
                              "text")
    if len(rendered.subject) > MAX_SUBJECT:
        raise TemplateRefused(f"the subject is longer than {MAX_SUBJECT} characters", "subject")
    return rendered


def _failing_part(parts: dict[str, str], context: dict) -> str | None:
    """Which part (subject, text, html) fails to render on its own: where a page shows the refusal."""
    for name in ("subject", "text", "html"):
        try:
            render_source(parts.get(name) or "", context, html=name == "html")
        except Exception:  # noqa: BLE001 - any failure names the part; check() has already chosen the reason
            return name
    return None


def checked(rule: str, channel: str, parts: dict[str, str]) -> Rendered:
    """`check`, with a refusal (kind invalid, code template_refused) instead of TemplateRefused."""
    try:
        return check(rule, channel, parts)
    except TemplateRefused as error:
        raise refused(error) from None


def in_use(rule: str, channel: str, overrides: dict[tuple[str, str], dict]) -> dict:
    """The template in use for a rule and channel, and whether (by whom, when) staff customised it."""
    parts = effective(rule, channel, overrides)
    saved = overrides.get((rule, channel))
    return {"rule": rule, "channel": channel, "subject": parts.get("subject") or "", "text": parts["text"],
            "html": parts.get("html") or "", "customised": saved is not None,
            "updated_by": saved and saved["updated_by"], "updated_at": saved and saved["updated_at"]}


def preview(rule: str, channel: str, rendered: Rendered) -> dict:
    """What a preview shows: a template rendered against its rule's sample event (by `check`), with the sample."""
    sample = {k: v for k, v in sample_context(rule).items() if k != "unsubscribe_url"}
    return {"rule": rule, "channel": channel, "subject": rendered.subject, "text": rendered.text,
            "html": rendered.html, "sms_parts": sms_parts(rendered.text) if channel == SMS else None,
            "sample": _jsonable(sample)}


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
