"""Real servers on loopback for the notification tests: an HTTP receiver and an SMTP server.

``HttpReceiver`` records every request and answers with the status the test sets (after
``delay`` seconds, for a slow receiver); it can be stopped (the port is closed: connection
refused) and started again on the same port.
``SmtpReceiver`` is aiosmtpd's ``Controller`` with a handler that keeps each envelope.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

__all__ = ["HttpReceiver", "Received", "SmtpReceiver", "free_port"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class HttpReceiver:
    """``url`` works whether it is up or down; ``status`` is what it answers next."""

    port: int = field(default_factory=free_port)
    status: int = 200
    delay: float = 0.0  # seconds to wait after recording a request, before answering (slow)
    requests: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> HttpReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                answered = receiver.status
                receiver.requests.append(
                    Received(self.command, self.path, dict(self.headers.items()), body, answered)
                )
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(answered)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok" if answered < 400 else b"no")

            do_POST = do_PUT = _record  # the names http.server dispatches to

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None


class _Keeper:
    def __init__(self) -> None:
        self.envelopes: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


class SmtpReceiver:
    def __init__(self) -> None:
        self.port = free_port()
        self._keeper = _Keeper()
        self._controller = Controller(self._keeper, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpReceiver:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    @property
    def messages(self) -> list[tuple[str, list[str], Message]]:
        return [(f, to, message_from_bytes(raw)) for f, to, raw in self._keeper.envelopes]
