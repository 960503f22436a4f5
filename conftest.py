import pytest


@pytest.fixture
def peg_2021(db, django_db_serialized_rollback=None):
    """The whole 2021 Alessandria PEG, loaded from the committed fixture."""
    from django.core.management import call_command

    call_command("loaddata", "fixtures/peg_2021.json", verbosity=0)
    from objectives.models import Peg

    return Peg.objects.get(year=2021)
