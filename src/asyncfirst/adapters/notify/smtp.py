"""Email over SMTP with smtplib: a connection per message, STARTTLS and login when set.

The SMTP server's reply to the message (``250 ...``) is what the delivery log keeps.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from asyncfirst.services.notify_ports import MailMessage, SendOutcome

__all__ = ["SmtpMailTransport"]

TIMEOUT_S = 10.0


class SmtpMailTransport:
    def __init__(
        self, host: str, port: int, sender: str, *, user: str | None = None,
        password: str | None = None, starttls: bool = True, timeout: float = TIMEOUT_S,
    ) -> None:  # fmt: skip
        self.host, self.port, self.sender = host, port, sender
        self._user, self._password, self._starttls = user, password, starttls
        self._timeout = timeout

    def _message(self, mail: MailMessage) -> EmailMessage:
        message = EmailMessage()
        message["From"] = formataddr(("asyncfirst", self.sender))
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Message-ID"] = mail.message_id
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(mail.text)
        return message

    def send(self, message: MailMessage) -> SendOutcome:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self._timeout) as smtp:
                smtp.ehlo()
                if self._starttls:
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if self._user is not None:
                    smtp.login(self._user, self._password or "")
                code, reply = _send(smtp, self.sender, message.to, self._message(message))
        except smtplib.SMTPResponseException as error:
            text = f"{error.smtp_code} {_text(error.smtp_error)}"
            return SendOutcome(False, text, f"the SMTP server refused: {text}")
        except smtplib.SMTPException as error:
            return SendOutcome(False, None, f"SMTP error ({error})")
        except OSError as error:
            reason = str(error).strip() or type(error).__name__
            return SendOutcome(False, None, f"could not reach {self.host}:{self.port} ({reason})")
        return SendOutcome(True, f"{code} {_text(reply)}", None)


def _send(smtp: smtplib.SMTP, sender: str, to: str, message: EmailMessage) -> tuple[int, bytes]:
    """MAIL, RCPT, DATA, keeping the server's answer to DATA (sendmail drops it)."""
    code, reply = smtp.mail(sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = smtp.rcpt(to)
    if code not in (250, 251):
        raise smtplib.SMTPResponseException(code, reply)
    code, reply = smtp.data(message.as_bytes())
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    return code, reply


def _text(reply: bytes | str) -> str:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())[:200]
