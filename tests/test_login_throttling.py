# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Login lock-out (django-axes + peg.login_throttle): per user name and address, and per address
across user names; the client's address read through the configured proxy; the page in Italian."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "alessandria2021"


@pytest.fixture
def alice(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 5
    settings.PEG_LOGIN_ADDRESS_FAILURE_LIMIT = 20
    return UserFactory(username="alice")


def attempt(username: str, password: str, address: str = "203.0.113.7", **headers):
    return Client(REMOTE_ADDR=address, headers=headers).post(
        reverse("login"), {"username": username, "password": password}
    )


def test_five_wrong_passwords_for_one_user_lock_that_user_out_from_that_address(alice):
    for _ in range(4):
        assert attempt("alice", "sbagliata").status_code == 200
    assert attempt("alice", "sbagliata").status_code == 429
    assert attempt("alice", PASSWORD).status_code == 429
    assert attempt("alice", PASSWORD, address="198.51.100.9").status_code == 302


def test_one_address_trying_many_user_names_is_locked_out(alice):
    for number in range(19):
        assert attempt(f"utente{number}", "sbagliata").status_code == 200
    # 19 failures from the address, none more than once per name: not yet locked.
    assert attempt("utente19", "sbagliata").status_code == 429  # the 20th locks the address
    # Every user name is refused from that address, the right password included; others may log in.
    assert attempt("alice", PASSWORD).status_code == 429
    assert attempt("bob", "qualsiasi").status_code == 429
    assert attempt("alice", PASSWORD, address="198.51.100.9").status_code == 302


def test_nineteen_failures_from_one_address_across_names_still_let_a_user_in(alice):
    for number in range(19):
        attempt(f"utente{number}", "sbagliata")
    assert attempt("alice", PASSWORD).status_code == 302


def test_the_lock_out_page_is_in_italian(alice):
    for number in range(20):
        attempt(f"utente{number}", "sbagliata")
    response = attempt("alice", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="it">' in html
    assert "Accesso temporaneamente bloccato" in html
    assert "Troppi tentativi di accesso non riusciti" in html


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_forwarded(alice, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    proxy = "10.0.0.2"
    for number in range(20):
        # The attacker forges a different address each time; the proxy appends the real one.
        forwarded = f"192.0.2.{number}, 203.0.113.7"
        attempt(f"utente{number}", "sbagliata", address=proxy, x_forwarded_for=forwarded)
    assert attempt("alice", PASSWORD, address=proxy, x_forwarded_for="203.0.113.7").status_code == 429
    # Another client behind the same proxy is not locked out with the attacker.
    assert attempt("alice", PASSWORD, address=proxy, x_forwarded_for="198.51.100.9").status_code == 302


def test_a_successful_login_does_not_wipe_the_failures_of_other_user_names(alice):
    for number in range(12):
        attempt(f"utente{number}", "sbagliata")
    assert attempt("alice", PASSWORD).status_code == 302
    for number in range(12, 20):
        attempt(f"utente{number}", "sbagliata")
    assert attempt("bob", "qualsiasi").status_code == 429


def test_without_proxy_settings_a_forged_forwarded_header_changes_nothing(alice):
    for number in range(20):
        attempt(f"utente{number}", "sbagliata", x_forwarded_for=f"192.0.2.{number}")
    assert attempt("alice", PASSWORD, x_forwarded_for="192.0.2.200").status_code == 429
