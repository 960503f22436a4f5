# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The unit pages: the units a user may open, and one unit with its objectives and result.

Both show the year's results (the year-end calculation stored by objectives/facts.py, or the
validated score once validated) read and averaged in SQL over the units the user may see; the
list shows them UNITS_PER_PAGE at a time.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from objectives import access
from objectives.calculator import band_for
from objectives.figures import UnitFigures, unit_figures, unit_objectives
from objectives.models import ObiettivoStatus, ScoreBand
from objectives.views import page_context, selected_peg, units_page

UNITS_PER_PAGE = 50


@login_required
def settore_list(request):
    settori = (
        access.visible_settori(request.user)
        .select_related("head", "responsabile")
        .order_by("print_order", "name", "pk")
    )
    peg = selected_peg(request)
    page = units_page(request, settori, UNITS_PER_PAGE)
    units = list(page.object_list)
    figures = {}
    if peg is not None:
        ids = [settore.pk for settore in units]
        figures = unit_figures(unit_objectives(peg, ids, None), int(peg.score_decimals))
    rows = [(settore, figures.get(settore.pk, UnitFigures())) for settore in units]
    return render(request, "sectors/settore_list.html", {"rows": rows, "peg": peg, **page_context(request, page)})


@login_required
def settore_detail(request, pk):
    settore = access.get_settore_for_user(request.user, pk)
    peg = selected_peg(request)
    context = {"settore": settore, "peg": peg}
    if peg is not None:
        objectives = unit_objectives(peg, [settore.pk], None)
        result = unit_figures(objectives, int(peg.score_decimals)).get(settore.pk, UnitFigures())
        bands = ScoreBand.objects.filter(peg=peg).order_by("-min_score")
        rows = objectives.only(
            "pk", "code", "title", "status", "validated_score", "calc_error", "settore_id", "peg_id"
        ).in_print_order()
        context.update(
            result=result,
            band=band_for(result.score, bands),
            objectives=rows,
            validated=ObiettivoStatus.VALIDATO,
        )
    return render(request, "sectors/settore_detail.html", context)
