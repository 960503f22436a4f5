# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""factory_boy factories shared by every app's tests."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from objectives.models import Fase, Obiettivo, Peg
from sectors.models import Dirigente, HeadRole, Responsabile, Settore, SettoreKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"utente{n}")
    password = factory.django.Password("alessandria2021")


class ResponsabileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsabile
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: str(3000 + n))
    description = factory.LazyAttribute(lambda o: f"RESPONSABILE UFFICIO {o.code}")


class DirigenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dirigente

    honorific = "Dott."
    name = factory.Sequence(lambda n: f"Mario Rossi {n}")


class SettoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Settore

    name = factory.Sequence(lambda n: f"SETTORE DI PROVA {n}")
    kind = SettoreKind.SETTORE
    head = factory.SubFactory(DirigenteFactory)
    head_role = HeadRole.DIRIGENTE
    responsabile = factory.SubFactory(ResponsabileFactory)
    print_order = factory.Sequence(lambda n: n)


class PegFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Peg
        django_get_or_create = ("year",)

    year = 2021


class ObiettivoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obiettivo

    peg = factory.SubFactory(PegFactory)
    settore = factory.SubFactory(SettoreFactory)
    dirigente = factory.LazyAttribute(lambda o: o.settore.head)
    code = factory.Sequence(lambda n: f"X{n}")
    title = "Obiettivo di prova"
    final_deadline_text = "31/12/2021"
    final_deadline = factory.LazyAttribute(lambda o: __import__("datetime").date(o.peg.year, 12, 31))
    print_order = factory.Sequence(lambda n: n)


class FaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fase
        skip_postgeneration_save = True

    obiettivo = factory.SubFactory(ObiettivoFactory)
    label = factory.Sequence(lambda n: str(n + 1))
    sort_order = factory.Sequence(lambda n: n)
    description = "Fase di prova"
    weight = Decimal("100")
    year = factory.LazyAttribute(lambda o: o.obiettivo.peg.year)

    @factory.post_generation
    def deadline(self, create, extracted, **kwargs):
        self.set_deadline(extracted if extracted is not None else f"31/12/{self.year}")
        if create:
            self.save()
