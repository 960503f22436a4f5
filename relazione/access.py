# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Who sees, writes and validates the Relazione sulla performance; built on objectives.access.

- Programmazione e Controllo (staff) and administrators write the narrative sections while the
  Relazione is not validated;
- the Nucleo di Valutazione reads it and validates it (a positive validation locks it);
- nobody else sees the draft: it covers every unit (the validated one is public, transparency/).
"""

from __future__ import annotations

from objectives import access as core
from relazione.models import Relazione


def may_see(user) -> bool:
    return core.sees_everything(user)


def is_locked(relazione: Relazione) -> bool:
    return relazione.pk is not None and relazione.validated is not None


def can_edit_narrative(user, relazione: Relazione) -> bool:
    return (core.is_staff_reader(user) or core.is_admin(user)) and not is_locked(relazione)


def can_validate(user, relazione: Relazione) -> bool:
    return core.is_nucleo(user) and not is_locked(relazione)
