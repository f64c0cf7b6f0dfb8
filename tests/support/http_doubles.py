"""HTTP doubles run as separate processes: an SMS provider's gateway and a webhook receiver that checks signatures.

    python -m tests.support.http_doubles sms --port 9001 --key KEY [--reject 09120000000]
    python -m tests.support.http_doubles webhook --port 9002 --secret SECRET

Both keep what they receive in memory and show it at GET /received; GET /health answers when they are up. The
webhook receiver fails at /fail... (HTTP 500 with a body that must never reach the sender's records) and redirects
at /redirect?to=URL (HTTP 307 to the URL, which a sender must not follow); at /unchecked... it takes anything
signed with any key (a webhook registered on the administration page gets a secret of its own, shown once).
"""

import argparse
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

RECEIVED: list[dict] = []
LOCK = threading.Lock()
SIGNATURE_TOLERANCE = 300
FAILURE_BODY = "receiver is down: stack trace at /srv/internal/app.py line 42, db password hunter2"


def verify(secret: str, headers, body: bytes) -> bool:
    """The receiver's own check of X-Hami-Timestamp and X-Hami-Signature (written from the documented scheme)."""
    try:
        timestamp = int(headers.get("X-Hami-Timestamp", ""))
    except ValueError:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - timestamp) <= SIGNATURE_TOLERANCE
    return fresh and hmac.compare_digest(expected, headers.get("X-Hami-Signature", ""))


class Handler(BaseHTTPRequestHandler):
    """Routes for both doubles; the server's `options` say which one it is."""

    def log_message(self, *_args) -> None:
        pass

    def _answer(self, status: int, payload: object) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's hook name
        if self.path == "/health":
            return self._answer(200, {"status": "up"})
        if self.path == "/received":
            with LOCK:
                return self._answer(200, list(RECEIVED))
        return self._answer(404, {"error": "not found"})

    def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        options = self.server.options
        if options.kind == "sms":
            return self._sms(options, body)
        return self._webhook(options, body)

    def _sms(self, options, body: bytes) -> None:
        authorization = self.headers.get("Authorization", "")
        if authorization != f"Bearer {options.key}":
            return self._answer(401, {"error": "bad credentials"})
        message = json.loads(body)
        if message["to"] in options.reject:
            # Real providers echo odd things; this one echoes the credentials to prove the client redacts them.
            return self._answer(400, {"error": f"recipient {message['to']} rejected for {authorization}"})
        with LOCK:
            RECEIVED.append({**message, "at": time.time()})
        return self._answer(200, {"message_id": f"sms-{len(RECEIVED)}"})

    def _webhook(self, options, body: bytes) -> None:
        if self.path.startswith("/fail"):
            return self._answer(500, {"error": FAILURE_BODY})
        if self.path.startswith("/redirect"):
            with LOCK:
                RECEIVED.append({"path": self.path, "verified": None, "body": json.loads(body), "redirected": True})
            self.send_response(307)
            self.send_header("Location", parse_qs(urlsplit(self.path).query)["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        verified = verify(options.secret, self.headers, body)
        accepted = verified or self.path.startswith("/unchecked")
        with LOCK:
            RECEIVED.append({"path": self.path, "verified": verified, "body": json.loads(body),
                             "event_id": self.headers.get("X-Hami-Event-Id"),
                             "event_type": self.headers.get("X-Hami-Event-Type"),
                             "headers": dict(self.headers), "raw": body.decode()})  # to read it as a CloudEvent
        return self._answer(200 if accepted else 401, {"verified": verified})


def main() -> None:
    """Serve until killed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["sms", "webhook"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", default="")
    parser.add_argument("--secret", default="")
    parser.add_argument("--reject", nargs="*", default=[], help="E.164 numbers the gateway refuses")
    options = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    server.options = options
    server.serve_forever()


if __name__ == "__main__":
    main()
