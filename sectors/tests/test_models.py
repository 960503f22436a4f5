# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from sectors.models import Dirigente, HeadRole, Settore


def test_the_header_line_joins_role_title_and_name():
    head = Dirigente(honorific="Dott.ssa", name="Cinzia Maria Ines Colla")
    unit = Settore(name="SERVIZIO AUTONOMO RISORSE UMANE", head=head, head_role=HeadRole.RESPONSABILE_PO)
    assert unit.head_line == "Responsabile in P.O. Dott.ssa Cinzia Maria Ines Colla"


def test_the_signature_line_follows_the_role():
    assert Settore(head_role=HeadRole.DIRIGENTE).signature == "Il Dirigente"
    assert Settore(head_role=HeadRole.RESPONSABILE_PO).signature == "Il Responsabile in P.O"
    assert Settore(head_role=HeadRole.DIRETTORE).signature == "Il Direttore"


def test_a_head_without_honorific_prints_the_bare_name():
    assert Dirigente(name="Mario Rossi").display_name == "Mario Rossi"
