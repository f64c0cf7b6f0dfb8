"""Delivery channels: email over SMTP, SMS through a gateway adapter, signed webhooks (the inbox needs none)."""

from dataclasses import dataclass


class SendError(Exception):
    """A failed attempt; permanent ones (a refused address, a bad request) are not retried."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.permanent = reason, permanent


@dataclass(frozen=True)
class Outgoing:
    """What a channel needs from a ledger row."""

    delivery_id: str
    event_id: str
    event_type: str
    address: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str = ""
