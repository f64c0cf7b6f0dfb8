"""Pure notification rules: who hears about an event, and the Persian message they get."""

from dataclasses import dataclass

from shared.contracts.submissions import WorkReceived
from shared.persian import format_jalali_date, to_persian_digits

# The walking skeleton's only channel: the message is written to the service log.
LOG_CHANNEL = "log"


@dataclass(frozen=True)
class Message:
    """One message to one recipient on one channel."""

    recipient: str
    channel: str
    text: str


def work_received_messages(event: WorkReceived) -> list[Message]:
    """The submitter hears their tracking code, in Persian, with the Jalali date."""
    text = (
        f"{event.submitter_name} گرامی، اثر «{event.title}» در جشنواره حامی دریافت شد. "
        f"کد رهگیری: {to_persian_digits(event.tracking_code)} — تاریخ: {format_jalali_date(event.occurred_at)}"
    )
    return [Message(recipient=event.submitter_mobile, channel=LOG_CHANNEL, text=text)]
