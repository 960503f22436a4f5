# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""The cycle's pieces in other apps' pages: the objective's variations, the cover's lines, the menu."""

from django import template

from cycle import services
from objectives import access

register = template.Library()


@register.inclusion_tag("cycle/_objective_variations.html")
def objective_variations(obiettivo):
    """'Variato con deliberazione n. … del …' with the old and new values, on the objective page."""
    variations = services.variations_of(obiettivo)
    return {
        "obiettivo": obiettivo,
        "variazioni": variations,
        "last": variations[-1] if variations else None,
    }


@register.simple_tag
def cover_lines(peg):
    return services.cover_lines(peg)


@register.filter
def may_see_cycle(user) -> bool:
    return access.sees_everything(user)
