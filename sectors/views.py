# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The unit pages: the units a user may open, and one unit with its objectives and result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from objectives import access
from objectives.selectors import unit_results
from objectives.views import selected_peg


@login_required
def settore_list(request):
    settori = access.visible_settori(request.user).select_related("head", "responsabile")
    peg = selected_peg(request)
    results = {unit.settore.pk: unit for unit in unit_results(peg)} if peg else {}
    rows = [(settore, results.get(settore.pk)) for settore in settori]
    return render(request, "sectors/settore_list.html", {"rows": rows, "peg": peg})


@login_required
def settore_detail(request, pk):
    settore = access.get_settore_for_user(request.user, pk)
    peg = selected_peg(request)
    result = None
    if peg is not None:
        result = next((unit for unit in unit_results(peg) if unit.settore.pk == settore.pk), None)
    context = {"settore": settore, "peg": peg, "result": result}
    return render(request, "sectors/settore_detail.html", context)
