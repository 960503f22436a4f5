# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.conf import settings

from objectives import access


def peg(request):
    """What every page's header shows: the ente, and the user's role."""
    user = getattr(request, "user", None)
    context = {"PEG_ENTE_NAME": settings.PEG_ENTE_NAME}
    if user is not None and user.is_authenticated:
        context["peg_role"] = access.role_label(user)
    return context
