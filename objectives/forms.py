"""Forms of the workflow: they check input; the writes are objectives.workflow's."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from objectives.models import FaseState

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
    attachments = MultipleFileField(
        label="Allegati",
        required=False,
        help_text="PDF, PNG o JPEG; al massimo %(size)s per file.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        help_text = self.fields["attachments"].help_text
        self.fields["attachments"].help_text = help_text % {"size": filesizeformat(settings.PEG_ATTACHMENT_MAX_BYTES)}

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
    percent = forms.DecimalField(
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
    score = forms.DecimalField(
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
