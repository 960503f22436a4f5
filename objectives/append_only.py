# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Append-only records: rows written once, never edited or deleted, by any door.

The procedure's notes, the Nucleo's validation of the Relazione and what transparency published
are acts: the only record of what happened. The model refuses save() on a stored row and
delete(); its queryset refuses update() and delete(). Each model states its own Italian message
(``append_only_message``); the exception is one class for all of them.
"""

from __future__ import annotations

from django.db import models


class AppendOnlyError(Exception):
    """A row of an append-only record was about to be edited or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(self.model.append_only_message)

    def delete(self):
        raise AppendOnlyError(self.model.append_only_message)


class AppendOnlyModel(models.Model):
    append_only_message = "Questo atto non si modifica né si cancella: se ne registra uno nuovo."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(self.append_only_message)
