# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Forms of the workflow: they check input; the writes are objectives.workflow's."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import cached_property

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from objectives.models import FaseState, Peg
from objectives.selectors import default_monitoring_date, monitoring_span

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# What may be attached: the declared extension and the file's first bytes must agree.
ALLOWED_UPLOADS = {
    ".pdf": ("application/pdf", [b"%PDF-"]),
    ".png": ("image/png", [b"\x89PNG\r\n\x1a\n"]),
    ".jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    ".jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
}


class ItalianDateField(forms.DateField):
    """A date typed as gg/mm/aaaa."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "gg/mm/aaaa", "autocomplete": "off"}),
        )
        kwargs.setdefault("error_messages", {"invalid": "Inserire una data nel formato gg/mm/aaaa."})
        super().__init__(**kwargs)

    def to_python(self, value):
        # Spaces alone are no date, as an empty box: Django strips them only after the empty check.
        return super().to_python(value.strip() if isinstance(value, str) else value)


class ItalianDecimalInput(forms.TextInput):
    """A text box, not a number box: a browser's number input would turn '85,5' into 855 or refuse it.

    `inputmode=decimal` still gives phones the numeric keypad with the comma.
    """

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return format_decimal(Decimal(str(value)))
        return super().format_value(value)


def format_decimal(value: Decimal, min_places: int = 2) -> str:
    """85.5 → '85,50', 85.1234 → '85,1234': the decimal comma, at least two decimals, as pages print."""
    if value.is_finite():
        value = value.normalize()
        if value.as_tuple().exponent > -min_places:
            value = value.quantize(Decimal(1).scaleb(-min_places))
    return f"{value:f}".replace(".", ",")


class ItalianDecimalField(forms.DecimalField):
    """A decimal typed the Italian way (85,5) or with a point (85.5); shown with the comma (85,50)."""

    widget = ItalianDecimalInput
    default_error_messages = {
        "invalid": "Inserire un numero, ad esempio 85,5.",
        "max_value": "Il valore non può superare %(limit_value)s.",
        "min_value": "Il valore non può essere inferiore a %(limit_value)s.",
        "max_decimal_places": "Al massimo %(max)s cifre decimali.",
        "max_digits": "Al massimo %(max)s cifre in tutto.",
        "max_whole_digits": "Al massimo %(max)s cifre prima della virgola.",
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split())
            if not value:
                return None
            # Digits with one separator only: '1.234,5' could mean two numbers, '1e2' is no one's typing.
            if not _DECIMAL_TYPED.fullmatch(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = value.replace(",", ".")
        number = super().to_python(value)
        return None if number is None else number + 0  # -0 → 0


_DECIMAL_TYPED = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?|[+-]?[.,][0-9]+")


def validate_upload(upload) -> None:
    """Size and type of an attachment; sets `peg_content_type` from what the file really is."""
    name = upload.name or ""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in ALLOWED_UPLOADS:
        raise ValidationError(f"«{name}»: sono ammessi solo file PDF, PNG o JPEG.")
    if upload.size > settings.PEG_ATTACHMENT_MAX_BYTES:
        limit = filesizeformat(settings.PEG_ATTACHMENT_MAX_BYTES)
        raise ValidationError(f"«{name}» supera la dimensione massima consentita ({limit}).")
    if upload.size == 0:
        raise ValidationError(f"«{name}» è vuoto.")
    content_type, signatures = ALLOWED_UPLOADS[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(f"«{name}»: il contenuto non corrisponde a un file {suffix[1:].upper()}.")
    upload.peg_content_type = content_type


def max_upload_request_bytes() -> int:
    """The largest phase update that could be accepted: its files within the per-file, per-upload
    and per-phase limits, plus the form's text fields and the multipart framing."""
    files = min(
        settings.PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD * settings.PEG_ATTACHMENT_MAX_BYTES,
        settings.PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE,
    )
    return files + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) + 64 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        for upload in cleaned:
            validate_upload(upload)
        return cleaned


class PhaseUpdateForm(forms.Form):
    """The head's update of a phase; `version` carries the optimistic lock."""

    state = forms.ChoiceField(label="Stato", choices=FaseState.choices)
    completed_on = ItalianDateField(label="Data di completamento", required=False)
    evidence = forms.CharField(
        label="Evidenze",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Es. Delibera G.C. n. 104 del 26/04/2021, determina, protocollo.",
    )
    progress_percent = forms.IntegerField(
        label="Avanzamento (%)",
        required=False,
        min_value=0,
        max_value=100,
        help_text="Per il monitoraggio infrannuale: non modifica il punteggio.",
    )
    progress_note = forms.CharField(
        label="Nota sull'avanzamento",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    attachments = MultipleFileField(
        label="Allegati",
        required=False,
        help_text="PDF, PNG o JPEG; al massimo %(size)s per file e %(per_upload)s file per volta; "
        "per fase al massimo %(per_phase)s allegati e %(total)s in tutto.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        help_text = self.fields["attachments"].help_text
        self.fields["attachments"].help_text = help_text % {
            "size": filesizeformat(settings.PEG_ATTACHMENT_MAX_BYTES),
            "per_upload": settings.PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD,
            "per_phase": settings.PEG_ATTACHMENT_MAX_FILES_PER_PHASE,
            "total": filesizeformat(settings.PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("state") == FaseState.COMPLETATA and not cleaned.get("completed_on"):
            self.add_error("completed_on", "Indicare la data di completamento della fase.")
        if cleaned.get("state") != FaseState.COMPLETATA and cleaned.get("completed_on"):
            self.add_error("completed_on", "La data di completamento si indica solo per una fase completata.")
        return cleaned


class ReasonForm(forms.Form):
    """One mandatory text: a report comment, the Nucleo's notes, the reason for reopening."""

    text = forms.CharField(label="Motivazione", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label: str = "Motivazione", help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].help_text = help_text

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Il testo è obbligatorio.")
        return text


class NeutraliseForm(forms.Form):
    neutralised = forms.BooleanField(label="Fase sterilizzata (esclusa dal calcolo)", required=False)
    reason = forms.CharField(
        label="Motivazione",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obbligatoria: la causa non imputabile al responsabile (es. parere della Soprintendenza).",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PartialForm(forms.Form):
    percent = ItalianDecimalField(
        label="Raggiungimento parziale (%)",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text="Lasciare vuoto per annullare il raggiungimento parziale.",
    )
    reason = forms.CharField(label="Motivazione", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ValidateForm(forms.Form):
    on = ItalianDateField(label="Data di validazione")
    score = ItalianDecimalField(
        label="Grado di raggiungimento validato (%)",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=7,
        decimal_places=4,
        help_text="Vuoto: si valida il grado calcolato. Un valore diverso richiede la motivazione.",
    )
    reason = forms.CharField(label="Motivazione", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, computed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.computed = computed

    def clean(self):
        cleaned = super().clean()
        score = cleaned.get("score")
        if score is None and self.computed is None:
            self.add_error("score", "Il grado non è calcolabile: indicarlo, con la motivazione.")
        if score is not None and score != self.computed and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Un grado diverso da quello calcolato richiede la motivazione.")
        return cleaned


class YearEndReviewForm(forms.Form):
    """The Nucleo opens the PEG's year-end review with the evaluation's closing date."""

    closing_date = ItalianDateField(
        label="Data di chiusura della valutazione",
        help_text="Nella valutazione di fine anno contano solo i completamenti registrati entro questa data; "
        "dopo, nessuna data di completamento successiva è accettata.",
    )


# --- What the pages read from the query string ------------------------------------------------


def _it(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


class PlanQueryForm(forms.Form):
    """?anno=aaaa&al=gg/mm/aaaa of the dashboard, the objectives list and its exports; ?anno of the
    unit pages (`with_date=False`: they show the year's results).

    A value that cannot be used is refused with a message (`refusals`) and the page shows the
    default instead: the most recent PEG, the default monitoring date. `al` must fall within
    the PEG's span (selectors.monitoring_span).
    """

    anno = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=9999,
        error_messages={
            "invalid": "L'anno va indicato in cifre, ad esempio 2021: si mostra il PEG più recente.",
            "min_value": "Anno non valido: si mostra il PEG più recente.",
            "max_value": "Anno non valido: si mostra il PEG più recente.",
        },
    )
    al = ItalianDateField(
        required=False,
        error_messages={
            "invalid": "La data di monitoraggio va indicata nel formato gg/mm/aaaa, ad esempio 30/06/2021: "
            "si mostra la situazione alla data predefinita."
        },
    )

    def __init__(self, data, *, with_date: bool = True):
        super().__init__(data)
        if not with_date:
            del self.fields["al"]

    @cached_property
    def _latest_peg(self) -> Peg | None:
        return Peg.objects.order_by("-year").first()

    def clean_anno(self) -> Peg | None:
        year = self.cleaned_data["anno"]
        if year is None:
            return None
        peg = Peg.objects.filter(year=year).first()
        if peg is None:
            raise ValidationError(f"Non c'è un PEG per l'anno {year}: si mostra il PEG più recente.")
        return peg

    def clean_al(self) -> dt.date | None:
        on = self.cleaned_data["al"]
        peg = self.cleaned_data.get("anno") or self._latest_peg
        if on is None or peg is None:
            return on
        first, last = monitoring_span(peg)
        if not first <= on <= last:
            raise ValidationError(
                f"La data di monitoraggio del PEG {peg.year} deve essere compresa tra il {_it(first)} "
                f"e il {_it(last)}: si mostra la situazione al {_it(default_monitoring_date(peg))}."
            )
        return on

    @cached_property
    def peg(self) -> Peg | None:
        """The PEG asked for, else the most recent one; None when there is no PEG at all."""
        self.is_valid()
        return self.cleaned_data.get("anno") or self._latest_peg

    @cached_property
    def monitoring_date(self) -> dt.date | None:
        """The date asked for, else the default one; None without a PEG."""
        if self.peg is None:
            return None
        return self.cleaned_data.get("al") or default_monitoring_date(self.peg)

    @property
    def refusals(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]


class TableQueryForm(forms.Form):
    """?sort and ?page of a table, read leniently as Django does: an unknown column is ignored,
    a page that is not a number shows the first page, one past the end the last page."""

    sort = forms.CharField(required=False, max_length=200)
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data, *, columns: Iterable[str]):
        super().__init__(data)
        self.columns = set(columns)

    def clean_sort(self) -> list[str]:
        aliases = [alias.strip() for alias in self.cleaned_data["sort"].split(",")]
        return [alias for alias in aliases if alias.removeprefix("-") in self.columns]

    def values(self) -> tuple[list[str], int]:
        """The known columns to sort by (possibly none) and the page number asked for."""
        self.is_valid()
        return self.cleaned_data.get("sort") or [], self.cleaned_data.get("page") or 1
