# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from __future__ import annotations

from ente.models import Ente

DEMO_NAME = "Comune di Alessandria"


def ensure_demo_ente() -> tuple[Ente, bool]:
    """The demo's ente: the existing one if any (never overwritten), else the Comune di Alessandria."""
    existing = Ente.current()
    if existing is not None:
        return existing, False
    return Ente.objects.create(name=DEMO_NAME), True
