"""Email: Persian, right-to-left multipart mail over SMTP (aiosmtplib), or .eml files in development."""

import asyncio
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import aiosmtplib

from services.notifications.delivery.channels import Outgoing, SendError
from services.notifications.settings import NotificationsSettings


def build_message(outgoing: Outgoing, *, sender: str) -> EmailMessage:
    """A multipart/alternative message: plain text and RTL HTML, UTF-8, marked as Persian."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = outgoing.address
    message["Subject"] = outgoing.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(idstring=outgoing.delivery_id, domain="hami.tehran.ir")
    message["X-Hami-Delivery"] = outgoing.delivery_id
    if outgoing.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{outgoing.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058: mail apps POST to the link
    message.set_content(outgoing.text, charset="utf-8")
    if outgoing.html:
        message.add_alternative(outgoing.html, subtype="html", charset="utf-8")
    message["Content-Language"] = "fa"  # after the bodies: setting content clears Content-* headers
    return message


class SmtpEmail:
    """Sends through an SMTP server; 5xx replies are permanent, everything else is retried."""

    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings

    async def send(self, outgoing: Outgoing) -> None:
        """Hand the message to the SMTP server."""
        s = self._settings
        message = build_message(outgoing, sender=s.email_from)
        try:
            await aiosmtplib.send(
                message, hostname=s.smtp_host, port=s.smtp_port, username=s.smtp_username,
                password=s.smtp_password.get_secret_value() if s.smtp_password else None,
                use_tls=s.smtp_tls == "tls", start_tls=s.smtp_tls == "starttls", timeout=s.smtp_timeout)
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [reply.code for reply in error.recipients]
            raise SendError(f"SMTP refused the recipient ({codes})", permanent=all(c >= 500 for c in codes)) \
                from None
        except aiosmtplib.SMTPResponseException as error:
            raise SendError(f"SMTP {error.code}: {error.message}"[:300], permanent=error.code >= 500) from None
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as error:
            raise SendError(f"SMTP server unreachable: {type(error).__name__}: {error}"[:300]) from None


class FileEmail:
    """Development: each message becomes an .eml file that any mail reader opens."""

    def __init__(self, settings: NotificationsSettings) -> None:
        self._directory = Path(settings.output_dir) / "mail"
        self._sender = settings.email_from

    async def send(self, outgoing: Outgoing) -> None:
        """Write the message to the mail directory."""
        message = build_message(outgoing, sender=self._sender)
        await asyncio.to_thread(self._write, f"{outgoing.delivery_id}.eml", message.as_bytes())

    def _write(self, name: str, data: bytes) -> None:
        self._directory.mkdir(parents=True, exist_ok=True)
        (self._directory / name).write_bytes(data)


def email_channel(settings: NotificationsSettings) -> SmtpEmail | FileEmail:
    """The email adapter the settings ask for."""
    return SmtpEmail(settings) if settings.email_adapter == "smtp" else FileEmail(settings)
