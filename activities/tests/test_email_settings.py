# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""E-mail goes to the console unless SMTP is configured by the environment; links need a site URL."""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

import peg.settings

VARIABLES = [
    "EMAIL_HOST",
    "EMAIL_BACKEND",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "PEG_SITE_URL",
]


@pytest.fixture
def read_settings(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def read(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(peg.settings)

    yield read
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    importlib.reload(peg.settings)


def test_with_nothing_set_e_mail_is_printed_on_the_console(read_settings):
    module = read_settings()
    assert module.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    assert module.PEG_SITE_URL == "http://localhost:8000"


def test_an_smtp_host_switches_to_smtp_with_its_port_user_and_tls(read_settings):
    module = read_settings(
        EMAIL_HOST="smtp.comune.example",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="peg",
        EMAIL_HOST_PASSWORD="segreta",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="PEG <peg@comune.example>",
        PEG_SITE_URL="https://peg.comune.example/",
    )
    assert module.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (module.EMAIL_HOST, module.EMAIL_PORT, module.EMAIL_HOST_USER, module.EMAIL_USE_TLS) == (
        "smtp.comune.example",
        587,
        "peg",
        True,
    )
    assert module.PEG_SITE_URL == "https://peg.comune.example"  # no double slash in the links


def test_a_bad_value_stops_start_up_with_its_name(read_settings):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        read_settings(EMAIL_PORT="venticinque")
    with pytest.raises(ImproperlyConfigured, match="PEG_SITE_URL"):
        read_settings(EMAIL_PORT="25", PEG_SITE_URL="peg.comune.example")
