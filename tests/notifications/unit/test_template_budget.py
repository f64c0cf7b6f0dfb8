"""A draft template is checked in a child process with a time and memory budget: a costly one is refused quickly
as too costly (even one that no in-process limit sees: ten billion empty steps, a filter asked for 300 MB), the
service's event loop keeps answering meanwhile, and a good draft renders as before."""

import asyncio
import time

import pytest

from services.notifications.delivery.domain import SMS
from services.notifications.templates.budget import DraftRenderer
from shared.refusals import Kind, Refusal
from tests.support.notifications_db import draft_renderer

COSTLY = {
    "a billion steps": "{% for i in range(10**9) %}x{% endfor %}",
    "a gigabyte string": "{{ 'x' * 10**9 }}",
    "ten billion silent steps": "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "300 MB from a filter": "{{ 'ab' | center(300000000) }}",
}


async def refusal_of(renderer: DraftRenderer, text: str) -> Refusal:
    """The refusal checking an SMS draft of work_received ended with."""
    with pytest.raises(Refusal) as refused:
        await renderer.check("work_received", SMS, {"text": text})
    return refused.value


@pytest.mark.parametrize("text", list(COSTLY.values()), ids=list(COSTLY))
async def test_a_costly_draft_is_refused_within_two_seconds(text: str) -> None:
    renderer = draft_renderer()
    await renderer.check("work_received", SMS, {"text": "سلام {{ name }}"})  # the fork server is up
    started = time.monotonic()
    refusal = await refusal_of(renderer, text)
    assert time.monotonic() - started < 2.0
    assert (refusal.kind, refusal.code) == (Kind.INVALID, "template_too_costly")
    assert refusal.fa and refusal.en and refusal.details == {"max_seconds": 1.0, "max_characters": 100_000}


async def test_the_event_loop_answers_while_a_costly_draft_runs() -> None:
    renderer = draft_renderer()
    costly = asyncio.create_task(refusal_of(renderer, COSTLY["ten billion silent steps"]))
    lags = []
    while not costly.done():
        before = time.monotonic()
        await asyncio.sleep(0.01)
        lags.append(time.monotonic() - before - 0.01)
    assert (await costly).code == "template_too_costly"
    assert len(lags) > 20 and max(lags) < 0.2, lags


async def test_a_good_draft_renders_and_a_broken_one_says_why() -> None:
    renderer = draft_renderer()
    rendered = await renderer.check("work_received", SMS, {"text": "{{ name }}، کد {{ work.tracking_code | fa }}"})
    assert rendered.text == "مریم کاظمی، کد ۴۰۵۶-۱۲۳۴-۵۶۷۸"
    broken = await refusal_of(renderer, "{{ nobody }}")
    assert broken.code == "template_refused" and "UndefinedError" in broken.details["reason"]
