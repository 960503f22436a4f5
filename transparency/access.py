# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Who publishes in Amministrazione Trasparente; built on objectives.access.

Reading what is published needs no login: the public pages show only what a Pubblicazione froze.
Publishing is an act of Programmazione e Controllo (staff) and administrators.
"""

from __future__ import annotations

from objectives import access as core


def can_publish(user) -> bool:
    return core.is_staff_reader(user)
