# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""How a form's view carries out an act of a procedure (objectives, evaluation, Relazione, publication).

Every app's services raise one refusal class and its ``NotAllowed`` subclass. A refusal of
permission is a 403; any other refusal is shown on the form, which then has errors: the view
checks ``form.errors`` to know whether the act was done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied

T = TypeVar("T")


def perform_act(
    form,
    act: Callable[[], T],
    *,
    refused: type[Exception],
    not_allowed: type[Exception],
    on_field: bool = False,
) -> T | None:
    """Run ``act()`` and return its result; on a refusal, the form gets the message and None is returned.

    ``on_field``: the message goes to the field the refusal names (its ``field`` attribute), if any.
    """
    try:
        return act()
    except not_allowed as exc:
        raise PermissionDenied(str(exc)) from None
    except refused as exc:
        form.add_error(getattr(exc, "field", None) if on_field else None, str(exc))
        return None
