# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django import template

from ente.models import Ente

register = template.Library()


@register.simple_tag
def ente_crest_data_uri() -> str:
    """The crest as a data: URI, for the printed cover (WeasyPrint reads nothing else outside the
    print's own static folder); empty when no crest was uploaded."""
    ente = Ente.current()
    return ente.crest_data_uri() if ente else ""
