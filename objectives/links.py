# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Addresses by id for pages with many links of one kind (the list's rows, the dashboard's phases)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_ANY_PK = 987654321  # a placeholder id, split out of the reversed address


def by_id(viewname: str) -> Callable[[int], str]:
    """pk → the address of `viewname` for that pk, reversed once: a hundred links that differ only by
    their id cost one reverse (a few milliseconds of a page), not a hundred. Call it within the request
    (the script prefix is the request's)."""
    head, tail = reverse(viewname, args=[_ANY_PK]).rsplit(str(_ANY_PK), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"
