"""Event contracts, one module per publishing service; consumers import the same models."""

from shared.contracts import evaluation, notifications, registry, submissions
from shared.contracts.base import CITY, Event, district_scope

ALL_EVENTS: tuple[type[Event], ...] = registry.EVENTS + submissions.EVENTS + notifications.EVENTS + evaluation.EVENTS

__all__ = ["ALL_EVENTS", "CITY", "Event", "district_scope"]
