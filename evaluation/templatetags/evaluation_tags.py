# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django import template

from evaluation import access

register = template.Library()


@register.filter
def may_see_results(user) -> bool:
    """The navbar shows 'Valutazione' to those the results pages have something for."""
    return access.offers_results_link(user)
