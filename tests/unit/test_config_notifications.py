"""Notification settings from the environment: SMTP and the public URL, with clear refusals."""

from __future__ import annotations

import pytest

from asyncfirst.config import ConfigError, SmtpSettings, load_settings

BASE = {"ASYNCFIRST_DATA_DIR": "/srv/asyncfirst"}


def test_email_is_off_without_a_host() -> None:
    assert load_settings(BASE).smtp is None
    assert load_settings(BASE).public_url is None


def test_smtp_settings_are_read_with_their_defaults() -> None:
    env = {**BASE, "ASYNCFIRST_SMTP_HOST": "mail.example.org",
           "ASYNCFIRST_SMTP_FROM": "hub@example.org"}  # fmt: skip
    assert load_settings(env).smtp == SmtpSettings("mail.example.org", "hub@example.org")
    full = {**env, "ASYNCFIRST_SMTP_PORT": "2525", "ASYNCFIRST_SMTP_USER": "hub",
            "ASYNCFIRST_SMTP_PASSWORD": "pw", "ASYNCFIRST_SMTP_STARTTLS": "no",
            "ASYNCFIRST_PUBLIC_URL": "https://hub.example.org/"}  # fmt: skip
    settings = load_settings(full)
    assert settings.smtp == SmtpSettings(
        "mail.example.org", "hub@example.org", 2525, "hub", "pw", False
    )
    assert "pw" not in repr(settings.smtp)
    assert settings.public_url == "https://hub.example.org"


@pytest.mark.parametrize(
    ("extra", "variable", "words"),
    [
        ({"ASYNCFIRST_SMTP_FROM": ""}, "ASYNCFIRST_SMTP_FROM", "sender's email address"),
        ({"ASYNCFIRST_SMTP_PORT": "smtp"}, "ASYNCFIRST_SMTP_PORT", "not a port number"),
        ({"ASYNCFIRST_SMTP_PORT": "70000"}, "ASYNCFIRST_SMTP_PORT", "not a port number"),
        ({"ASYNCFIRST_SMTP_STARTTLS": "maybe"}, "ASYNCFIRST_SMTP_STARTTLS", "not true or false"),
        ({"ASYNCFIRST_PUBLIC_URL": "hub.example.org"}, "ASYNCFIRST_PUBLIC_URL", "https://"),
        (
            {"ASYNCFIRST_ENV": "production", "ASYNCFIRST_SMTP_USER": "hub",
             "ASYNCFIRST_SMTP_STARTTLS": "false"},
            "ASYNCFIRST_SMTP_STARTTLS", "clear text",
        ),
    ],
)  # fmt: skip
def test_a_setting_that_cannot_work_is_refused_by_name(
    extra: dict[str, str], variable: str, words: str
) -> None:
    env = {**BASE, "ASYNCFIRST_SMTP_HOST": "mail.example.org",
           "ASYNCFIRST_SMTP_FROM": "hub@example.org", **extra}  # fmt: skip
    with pytest.raises(ConfigError, match=words) as raised:
        load_settings(env)
    assert raised.value.fields["variable"] == variable
    assert str(raised.value).startswith(variable)
