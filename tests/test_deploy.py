# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Production mode: a clean `check --deploy`, HTTPS, the Content-Security-Policy, private caching,
Italian error pages, and the Makefile's run/serve commands."""

import os
import re
import secrets
import subprocess
import sys
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import Resolver404, path, resolve, reverse

from objectives.accounts import create_demo_users
from objectives.models import Obiettivo
from peg.env import envheader
from sectors.models import Settore

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "peg.comune.example.it",
}
# The environment of a production server: none of the test run's own variables (tests/browser sets
# DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which check --deploy rightly refuses).
UNSET = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET and not k.startswith("SECURE_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_setting(name: str, env: dict) -> str:
    result = manage(
        "shell", "-v", "0", "-c", f"from django.conf import settings; print(repr(settings.{name}))", env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# --- check --deploy ---------------------------------------------------------------------------------


def test_check_deploy_with_the_documented_production_variables_gives_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_redirects_to_https_and_sends_hsts_by_default():
    assert production_setting("SECURE_SSL_REDIRECT", PRODUCTION) == "True"
    assert production_setting("SECURE_HSTS_SECONDS", PRODUCTION) == str(365 * 24 * 60 * 60)
    assert production_setting("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION) == "True"
    assert production_setting("SESSION_COOKIE_SECURE", PRODUCTION) == "True"


def test_https_settings_follow_the_environment_for_a_tls_terminating_proxy():
    env = {
        **PRODUCTION,
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "0",
    }
    assert production_setting("SECURE_PROXY_SSL_HEADER", env) == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert production_setting("SECURE_HSTS_INCLUDE_SUBDOMAINS", env) == "False"


def test_turning_https_off_in_production_is_reported_by_check_deploy():
    result = manage("check", "--deploy", env={**PRODUCTION, "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0"})
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


def test_a_malformed_proxy_header_stops_start_up_with_its_name(monkeypatch):
    monkeypatch.setenv("SECURE_PROXY_SSL_HEADER", "https")
    with pytest.raises(ImproperlyConfigured, match="SECURE_PROXY_SSL_HEADER='https'"):
        envheader("SECURE_PROXY_SSL_HEADER")


def test_a_request_forwarded_as_https_by_the_proxy_is_secure(client, settings, db):  # the header reads the Ente
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/accesso/").status_code == 301
    assert client.get("/accesso/", headers={"X-Forwarded-Proto": "https"}).status_code == 200


# --- Content-Security-Policy and Cache-Control on what users see ----------------------------------------


@pytest.fixture
def staff_client(client, peg_2021, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_demo_users()
    client.force_login(get_user_model().objects.get(username="staff"))
    return client


def pages(peg_2021) -> list[str]:
    obiettivo = Obiettivo.objects.filter(peg=peg_2021).order_by("pk").first()
    settore = Settore.objects.order_by("pk").first()
    return [
        reverse("objectives:dashboard"),
        reverse("objectives:list"),
        reverse("objectives:detail", args=[obiettivo.pk]),
        reverse("sectors:list"),
        reverse("sectors:detail", args=[settore.pk]),
        reverse("admin:index"),
        reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk]),
    ]


def test_every_page_carries_a_content_security_policy_without_inline_code(staff_client, peg_2021):
    for url in pages(peg_2021) + [reverse("login")]:
        if url == reverse("login"):
            staff_client.logout()
        response = staff_client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, policy
        html = response.content.decode()
        inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag]
        assert inline_scripts == [], (url, inline_scripts)
        assert not re.search(r"<style\b", html), url
        if not url.startswith("/admin/"):  # the admin's own templates are Django's
            assert not re.search(r"\sstyle=", html), url


SKIPPED_VIEWS = {
    "logout",  # a POST form; ends the session
    "reports:peg_pdf",  # the whole PEG, 59 pages: its response is built like the unit's
}


# The public pages of Amministrazione Trasparente (no login; nothing personal).
PUBLIC_VIEWS = {"transparency:index", "transparency:year", "transparency:version", "transparency:latest"}


def crawl(client, start: str = "/") -> dict[str, object]:
    """One response per view reachable by links from the dashboard (the admin excepted)."""
    seen: dict[str, object] = {}
    queue = [start]
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        if not path.startswith("/") or path.startswith(("/admin/", "/static/")):
            continue
        try:
            view = resolve(path).view_name
        except Resolver404:
            continue
        if view in seen or view in SKIPPED_VIEWS:
            continue
        response = client.get(url)
        seen[view] = response
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            queue += [unescape(href) for href in re.findall(r'href="([^"#]+)"', response.content.decode())]
    return seen


@pytest.mark.parametrize("username", ["staff", "nucleo", "dirigente.sistemi"])
def test_every_page_reached_by_links_is_private_and_has_no_inline_code(staff_client, username):
    staff_client.force_login(get_user_model().objects.get(username=username))
    responses = crawl(staff_client)
    assert {"objectives:dashboard", "objectives:detail", "sectors:detail", "reports:objective_pdf"} <= set(responses)
    for view, response in responses.items():
        assert response.status_code == 200, view
        if view in PUBLIC_VIEWS:  # Amministrazione Trasparente: public by design, cached by the municipal site
            assert response["Cache-Control"].startswith("public"), view
        else:
            assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"], view
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            assert "script-src 'self'" in response["Content-Security-Policy"], view
            assert [t for t in re.findall(r"<script\b[^>]*>", html) if "src=" not in t] == [], view
            assert not re.search(r"<style\b|\sstyle=", html), view


def test_pages_and_documents_are_private_and_not_stored(staff_client, peg_2021):
    obiettivo = Obiettivo.objects.filter(peg=peg_2021).order_by("pk").first()
    documents = [
        reverse("objectives:export_csv"),
        reverse("objectives:export_xlsx"),
        reverse("reports:objective_pdf", args=[obiettivo.pk]),
    ]
    for url in pages(peg_2021) + documents:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_the_login_page_is_not_stored_either(client, db):  # the header reads the Ente
    cache_control = client.get(reverse("login"))["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_static_files_keep_their_public_caching(client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # no collectstatic for the tests
    response = client.get("/static/css/peg.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# --- Italian error pages (DEBUG is off, as under make run) ---------------------------------------------


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("guasto/", broken_view)]


def test_a_missing_page_answers_in_italian(staff_client):
    response = staff_client.get("/non-esiste/")
    assert response.status_code == 404
    assert "Pagina non trovata" in response.content.decode()


def test_a_server_error_answers_in_italian_without_the_debug_page(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/guasto/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Si è verificato un errore" in html
    assert "Traceback" not in html and "RuntimeError" not in html


def test_a_stale_form_is_refused_in_italian(settings):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("login"), {"username": "staff", "password": "x"})
    assert response.status_code == 403
    assert "Il modulo non è più valido" in response.content.decode()


# --- the Makefile ----------------------------------------------------------------------------------


def test_make_run_serves_production_pages_on_the_chosen_host_and_port():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8001", "HOST=0.0.0.0"], cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    runserver = [line for line in result.stdout.splitlines() if "runserver" in line]
    assert len(runserver) == 1
    assert runserver[0].endswith("runserver 0.0.0.0:8001")
    assert "DEBUG=0" in runserver[0] and "SECURE_SSL_REDIRECT=0" in runserver[0]
    assert "collectstatic" in result.stdout


def test_make_serve_runs_gunicorn_with_debug_off():
    result = subprocess.run(
        ["make", "-n", "serve", "PORT=9000", "WORKERS=3"], cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "DEBUG=0 .venv/bin/python manage.py collectstatic" in result.stdout
    assert re.search(r"DEBUG=0 \.venv/bin/gunicorn peg\.wsgi --bind 127\.0\.0\.1:9000 --workers 3", result.stdout)


def test_a_request_for_an_unknown_host_is_refused_in_italian(client):
    response = client.get("/accesso/", headers={"host": "sconosciuto.example"})
    assert response.status_code == 400
    assert "Richiesta non valida" in response.content.decode()
