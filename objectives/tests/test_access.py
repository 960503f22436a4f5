# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""objectives.access: who sees which objective and who may act on it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from objectives import access
from objectives.models import ObiettivoStatus


def visible_titles(user):
    return set(access.visible_objectives(user).values_list("title", flat=True))


def test_a_head_sees_only_the_objectives_of_their_units(world):
    assert visible_titles(world.alice) == {"Digitalizzare i procedimenti"}
    assert visible_titles(world.bob) == {"Obiettivo di Bob"}


def test_a_head_cited_in_a_phase_sees_that_objective(world):
    assert visible_titles(world.carla) == {"Digitalizzare i procedimenti"}


def test_nucleo_staff_and_admin_see_everything(world):
    for user in (world.nina, world.sara, world.root):
        assert visible_titles(user) == {"Digitalizzare i procedimenti", "Obiettivo di Bob"}


def test_an_anonymous_user_sees_nothing(world):
    assert visible_titles(AnonymousUser()) == set()


def test_an_inactive_head_sees_nothing(world):
    world.alice.is_active = False
    assert visible_titles(world.alice) == set()


def test_visible_objectives_has_no_duplicates_when_several_phases_cite_the_same_unit(world):
    world.fase1.responsabili.add(world.cited_unit.responsabile)
    assert access.visible_objectives(world.carla).count() == 1


def test_an_outsider_gets_404_and_no_hint(world):
    with pytest.raises(Http404):
        access.get_objective_for_user(world.bob, world.obiettivo.pk)
    with pytest.raises(Http404):
        access.get_objective_for_user(world.bob, 999999)
    with pytest.raises(Http404):
        access.get_phase_for_user(world.bob, world.fase1.pk)


def test_only_the_head_of_the_unit_and_the_admin_edit_phases(world):
    assert access.can_edit_phase(world.alice, world.fase1)
    assert access.can_edit_phase(world.root, world.fase1)
    for user in (world.bob, world.carla, world.nina, world.sara):
        assert not access.can_edit_phase(user, world.fase1), user.username


def test_phases_are_not_editable_once_reported_or_validated(world):
    for status in (ObiettivoStatus.RENDICONTATO, ObiettivoStatus.VALIDATO):
        world.obiettivo.status = status
        assert not access.can_edit_phase(world.alice, world.fase1)
        assert not access.can_edit_phase(world.root, world.fase1)
    world.obiettivo.status = ObiettivoStatus.RINVIATO
    assert access.can_edit_phase(world.alice, world.fase1)


def test_only_the_nucleo_reviews_and_only_until_validation(world):
    assert access.can_review(world.nina, world.obiettivo)
    for user in (world.alice, world.carla, world.sara):
        assert not access.can_review(user, world.obiettivo)
    world.obiettivo.status = ObiettivoStatus.VALIDATO
    assert not access.can_review(world.nina, world.obiettivo)


def test_the_nucleo_validates_only_a_reported_objective(world):
    assert not access.can_validate(world.nina, world.obiettivo)
    world.obiettivo.status = ObiettivoStatus.RENDICONTATO
    assert access.can_validate(world.nina, world.obiettivo)
    assert not access.can_validate(world.alice, world.obiettivo)
    assert not access.can_validate(world.sara, world.obiettivo)


def test_only_an_administrator_reopens_a_validated_objective(world):
    world.obiettivo.status = ObiettivoStatus.VALIDATO
    assert access.can_reopen(world.root, world.obiettivo)
    for user in (world.alice, world.nina, world.sara):
        assert not access.can_reopen(user, world.obiettivo)


def test_units_visible_to_a_head_are_the_ones_they_head(world):
    assert list(access.visible_settori(world.alice)) == [world.unit]
    assert list(access.visible_settori(world.carla)) == [world.cited_unit]
    assert access.visible_settori(world.nina).count() == 3


def test_the_role_label_names_the_persona(world):
    assert access.role_label(world.alice) == "Responsabile di struttura"
    assert access.role_label(world.nina) == "Nucleo di Valutazione"
    assert access.role_label(world.sara) == "Programmazione e Controllo"
    assert access.role_label(world.root) == "Amministratore"
