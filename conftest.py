# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
import threading

import pytest
from django.core.management import call_command


@pytest.fixture
def peg_2021(db):
    """The whole 2021 Alessandria PEG, loaded from the committed fixtures (fixtures/peg_2021.json and
    its structured indicators, fixtures/peg_2021_indicators.json)."""
    from objectives import facts
    from objectives.models import Peg
    from objectives.services import load_indicators_file

    call_command("loaddata", "fixtures/peg_2021.json", verbosity=0)
    load_indicators_file("fixtures/peg_2021_indicators.json")
    peg = Peg.objects.get(year=2021)
    facts.refresh_peg(peg)  # loaddata's raw saves leave the stored figures alone
    return peg


@pytest.fixture(scope="session", autouse=True)
def close_stray_connections(django_db_setup):
    """Close, before the test database is dropped, every connection the test thread opened.

    Django keeps one connection per context, not per thread; code run under Playwright's sync API
    gets contexts of its own, whose connections Django never closes, and PostgreSQL refuses to
    drop a database that still has sessions. Depending on django_db_setup, this runs before it.
    """
    from django.db.backends.signals import connection_created

    opened = []
    main = threading.get_ident()

    def remember(sender, connection, **kwargs):
        # The live server's request threads close their own connections.
        if threading.get_ident() == main:
            opened.append(connection)

    connection_created.connect(remember)
    yield
    connection_created.disconnect(remember)
    for connection in opened:
        connection.close()
