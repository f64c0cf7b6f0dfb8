"""Templates: Persian defaults, RTL mail, Jalali dates and Persian digits, and what is refused at save time (broken
or too costly)."""

import email
from email import policy

import pytest

from services.notifications.delivery.channels import Outgoing
from services.notifications.delivery.channels.email import build_message
from services.notifications.delivery.domain import EMAIL, SMS
from services.notifications.templates.defaults import DEFAULTS, sample_context
from services.notifications.templates.domain import MAX_OUTPUT, TemplateRefused, TemplateTooCostly, check, render


@pytest.mark.parametrize(("rule", "channel"), list(DEFAULTS), ids=lambda v: str(v))
def test_every_default_template_renders_its_sample(rule: str, channel: str) -> None:
    rendered = check(rule, channel, DEFAULTS[(rule, channel)])
    assert rendered.text and "{{" not in rendered.text
    assert not any(char in rendered.text for char in "0123456789"), "digits are shown in Persian"


def test_the_tracking_code_sms_is_persian_with_a_jalali_date() -> None:
    text = check("work_received", SMS, DEFAULTS[("work_received", SMS)]).text
    assert "کد رهگیری: ۴۰۵۶-۱۲۳۴-۵۶۷۸" in text and "۱۴۰۵/۰۸/۰۶" in text


def test_mail_is_right_to_left_html_with_a_plain_text_twin_and_an_opt_out_link() -> None:
    context = {**sample_context("work_advanced"), "unsubscribe_url": "https://hami.example/opt-out?token=x"}
    rendered = render(DEFAULTS[("work_advanced", EMAIL)], EMAIL, context)
    assert '<html lang="fa" dir="rtl">' in rendered.html and 'dir="rtl"' in rendered.html.split("<body")[1]
    assert "https://hami.example/opt-out?token=x" in rendered.text and 'href="https://hami.example' in rendered.html
    message = build_message(Outgoing("d1", "e1", "t", "maryam@example.org", rendered.subject, rendered.text,
                                     rendered.html, "https://hami.example/opt-out?token=x"), sender="hami@example.org")
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Content-Language"] == "fa" and parsed["List-Unsubscribe"].startswith("<https://")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed.get_body(("plain",)).get_content().startswith("مریم کاظمی گرامی")
    assert "dir=\"rtl\"" in parsed.get_body(("html",)).get_content()


def test_values_are_escaped_in_html_but_not_in_text() -> None:
    context = {**sample_context("work_received"), "name": "<b>علی</b>"}
    rendered = render(DEFAULTS[("work_received", EMAIL)], EMAIL, context)
    assert "&lt;b&gt;علی&lt;/b&gt;" in rendered.html and "<b>علی</b>" in rendered.text


@pytest.mark.parametrize(("parts", "reason"), [
    ({"subject": "x", "text": "{{ name "}, "TemplateSyntaxError"),
    ({"subject": "x", "text": "{{ nobody }}"}, "UndefinedError"),
    ({"subject": "x", "text": "{{ work.no_such_field }}"}, "UndefinedError"),
    ({"subject": "x", "text": "{{ name.__class__.__mro__ }}"}, "SecurityError"),
    ({"subject": "x", "text": "{{ ''.__class__.__subclasses__() }}"}, "SecurityError"),
    ({"subject": "", "text": "سلام"}, "subject"),
    ({"subject": "x", "text": "  "}, "empty"),
])
def test_a_broken_email_template_is_refused(parts: dict, reason: str) -> None:
    with pytest.raises(TemplateRefused, match=reason):
        check("work_received", EMAIL, parts)


def test_an_sms_that_would_take_too_many_parts_is_refused() -> None:
    with pytest.raises(TemplateRefused, match="parts"):
        check("work_received", SMS, {"text": "{{ work.title }} " * 30})


def test_a_template_for_a_channel_the_rule_does_not_use_is_refused() -> None:
    with pytest.raises(TemplateRefused, match="sends nothing"):
        check("work_assigned", SMS, {"text": "سلام"})


@pytest.mark.parametrize("text", [
    "{% for i in range(10**9) %}x{% endfor %}",  # the sandbox's range() stops at 100,000 steps
    "{{ 'x' * 10**9 }}",  # refused before it is built
    "{{ [0] * 10**8 }}",
    "{{ 7 ** (10 ** 9) }}",  # Jinja reads 7 ** 10 ** 9 as (7 ** 10) ** 9
    "{% for i in range(100000) %}{{ name }}{% endfor %}",  # stopped at MAX_OUTPUT characters
])
def test_a_template_that_would_take_too_much_is_refused_as_too_costly(text: str) -> None:
    with pytest.raises(TemplateTooCostly):
        check("work_received", SMS, {"text": text})


def test_a_templates_own_arithmetic_mistake_is_refused_not_raised() -> None:
    with pytest.raises(TemplateRefused, match="ZeroDivisionError") as refused:
        check("work_received", SMS, {"text": "{{ 1 / 0 }}"})
    assert not isinstance(refused.value, TemplateTooCostly)


def test_small_products_and_powers_still_render() -> None:
    assert check("work_received", SMS, {"text": "{{ '-' * 3 }}{{ 2 ** 10 }}"}).text == "---1024"


def test_every_render_stops_past_the_output_limit_so_a_saved_template_cannot_flood_the_ledger() -> None:
    with pytest.raises(TemplateTooCostly):
        render({"text": "{% for i in range(50000) %}{{ name }}{% endfor %}"}, SMS, sample_context("work_received"))
    assert len(render({"text": "x" * (MAX_OUTPUT - 1)}, SMS, {}).text) == MAX_OUTPUT - 1
