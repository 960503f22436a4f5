# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
# Track G (issue #9): the PEG's evaluation policy (graded late credit), its closing date, PEG-level notes.

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('objectives', '0004_notes_and_attachments_survive_deletions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PegNota',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('politica', 'Modifica della politica di valutazione'), ('verifica_fine_anno', 'Apertura della verifica di fine anno')], max_length=30, verbose_name='atto')),
                ('text', models.TextField(verbose_name='nota o motivazione')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='data e ora')),
            ],
            options={
                'verbose_name': 'nota del PEG',
                'verbose_name_plural': 'note del PEG',
                'ordering': ['peg', 'created_at', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='historicalpeg',
            name='evaluation_closing_date',
            field=models.DateField(blank=True, help_text="Fissata dal Nucleo all'apertura della verifica di fine anno: nella valutazione di fine anno contano solo i completamenti registrati entro questa data.", null=True, verbose_name='data di chiusura della valutazione'),
        ),
        migrations.AddField(
            model_name='historicalpeg',
            name='late_grace_days',
            field=models.PositiveIntegerField(default=0, help_text='Politica a scaglioni: un ritardo fino a questi giorni non toglie nulla.', validators=[django.core.validators.MaxValueValidator(3650)], verbose_name='giorni di tolleranza del ritardo'),
        ),
        migrations.AddField(
            model_name='historicalpeg',
            name='late_step_days',
            field=models.PositiveIntegerField(default=30, help_text='Politica a scaglioni: ogni periodo di ritardo (o sua parte) oltre la tolleranza.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3650)], verbose_name='giorni di ogni scaglione di ritardo'),
        ),
        migrations.AddField(
            model_name='historicalpeg',
            name='late_step_fraction',
            field=models.DecimalField(decimal_places=2, default=Decimal('10'), help_text='Politica a scaglioni: la quota del peso della fase persa per ogni scaglione, fino a zero.', max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='peso perso per scaglione (%)'),
        ),
        migrations.AddField(
            model_name='peg',
            name='evaluation_closing_date',
            field=models.DateField(blank=True, help_text="Fissata dal Nucleo all'apertura della verifica di fine anno: nella valutazione di fine anno contano solo i completamenti registrati entro questa data.", null=True, verbose_name='data di chiusura della valutazione'),
        ),
        migrations.AddField(
            model_name='peg',
            name='late_grace_days',
            field=models.PositiveIntegerField(default=0, help_text='Politica a scaglioni: un ritardo fino a questi giorni non toglie nulla.', validators=[django.core.validators.MaxValueValidator(3650)], verbose_name='giorni di tolleranza del ritardo'),
        ),
        migrations.AddField(
            model_name='peg',
            name='late_step_days',
            field=models.PositiveIntegerField(default=30, help_text='Politica a scaglioni: ogni periodo di ritardo (o sua parte) oltre la tolleranza.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3650)], verbose_name='giorni di ogni scaglione di ritardo'),
        ),
        migrations.AddField(
            model_name='peg',
            name='late_step_fraction',
            field=models.DecimalField(decimal_places=2, default=Decimal('10'), help_text='Politica a scaglioni: la quota del peso della fase persa per ogni scaglione, fino a zero.', max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='peso perso per scaglione (%)'),
        ),
        migrations.AlterField(
            model_name='historicalpeg',
            name='late_policy',
            field=models.CharField(choices=[('nothing', 'Nessun punteggio'), ('fraction', 'Una frazione del peso'), ('full_within_final', "Peso pieno se entro la scadenza finale dell'obiettivo"), ('graded', 'Una quota del peso persa per ogni periodo di ritardo')], default='nothing', max_length=30, verbose_name='fasi completate in ritardo'),
        ),
        migrations.AlterField(
            model_name='peg',
            name='late_policy',
            field=models.CharField(choices=[('nothing', 'Nessun punteggio'), ('fraction', 'Una frazione del peso'), ('full_within_final', "Peso pieno se entro la scadenza finale dell'obiettivo"), ('graded', 'Una quota del peso persa per ogni periodo di ritardo')], default='nothing', max_length=30, verbose_name='fasi completate in ritardo'),
        ),
        migrations.AddConstraint(
            model_name='peg',
            constraint=models.CheckConstraint(condition=models.Q(('late_step_fraction__gte', 0), ('late_step_fraction__lte', 100)), name='peg_late_step_fraction_percent'),
        ),
        migrations.AddConstraint(
            model_name='peg',
            constraint=models.CheckConstraint(condition=models.Q(('late_step_days__gte', 1)), name='peg_late_step_days_positive'),
        ),
        migrations.AddField(
            model_name='pegnota',
            name='author',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='autore'),
        ),
        migrations.AddField(
            model_name='pegnota',
            name='peg',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='note', to='objectives.peg', verbose_name='PEG'),
        ),
        migrations.AddConstraint(
            model_name='pegnota',
            constraint=models.CheckConstraint(condition=models.Q(('text', ''), _negated=True), name='pegnota_text_required'),
        ),
    ]
