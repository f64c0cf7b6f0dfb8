"""A real SMTP server (aiosmtpd) for the tests: it keeps what it receives, and can be stopped and started again."""

import email
import threading
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class _Keep:
    def __init__(self, server: "SmtpServer") -> None:
        self._server = server

    async def handle_DATA(self, _server, _session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self._server.lock:
            self._server.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1:port in a thread of the test process."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.lock = threading.Lock()
        self.received: list[tuple[list[str], EmailMessage]] = []
        self._controller: Controller | None = None

    def start(self) -> None:
        """Listen (again) on the port."""
        self._controller = Controller(_Keep(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening: clients get 'connection refused'."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages_to(self, address: str) -> list[EmailMessage]:
        """Messages received for one recipient, oldest first."""
        with self.lock:
            return [message for recipients, message in self.received if address in recipients]
