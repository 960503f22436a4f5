import pytest
from django.core.management import call_command


@pytest.fixture
def peg_2021(db):
    """The whole 2021 Alessandria PEG, loaded from the committed fixture (fixtures/peg_2021.json)."""
    from objectives.models import Peg

    call_command("loaddata", "fixtures/peg_2021.json", verbosity=0)
    return Peg.objects.get(year=2021)
