# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Stored figures: what objectives/calculator.py computes, kept on the rows in the same transaction
as every write, so that pages read figures with SQL instead of scoring a whole PEG per request.

    refresh_objectives(ids)  recompute those objectives, their phases and their Andamento rows
    refresh_peg(peg)         the same for every objective of a PEG (bulk, a fixed number of queries)
    with deferred():         saves inside only collect ids; one refresh at exit

The calculator stays the single definition of the rules: this module only evaluates it and stores
the result (see docs/calculator.md, "Stored figures").
"""

from __future__ import annotations

import contextlib


def refresh_objectives(ids) -> None:  # implemented in the next commit
    return None


def refresh_peg(peg) -> None:  # implemented in the next commit
    return None


@contextlib.contextmanager
def deferred():
    yield
