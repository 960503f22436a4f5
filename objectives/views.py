# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Pages of the PEG: dashboard, objectives list and exports, objective page, phase update, workflow.

Thin views: objectives.access decides who sees what (404 for outsiders, 403 for those who see
but may not act), objectives.workflow writes, the calculator's selectors compute.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, TooManyFilesSent
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from objectives import access, workflow
from objectives.acts import perform_act
from objectives.calculator import Policy, progress_at, score_objective
from objectives.exports import csv_response, export_rows, xlsx_response
from objectives.figures import LIST_DEFERRED, dashboard_panels, dashboard_units, page_by_ids, with_figures
from objectives.filters import ObjectiveFilter
from objectives.forms import (
    NeutraliseForm,
    PartialForm,
    PhaseUpdateForm,
    PlanQueryForm,
    ReasonForm,
    TableQueryForm,
    ValidateForm,
    YearEndReviewForm,
    max_upload_request_bytes,
)
from objectives.history import history_rows
from objectives.indicator_forms import IndicatorActualForm, IndicatorConfirmForm, IndicatorCorrectForm
from objectives.indicators import indicator_row
from objectives.links import by_id
from objectives.models import AllegatoIndicatore, Fase, Indicatore, Nota, Obiettivo, Peg
from objectives.selectors import default_monitoring_date, monitoring_span
from objectives.tables import ObjectiveTable
from sectors.models import Settore

UPCOMING_DAYS = 30
# The dashboard shows this many unit panels a page, each with at most PANEL_ROWS late phases and as
# many deadlines coming up ("e altre N" for the rest).
DASHBOARD_UNITS_PER_PAGE = 12
PANEL_ROWS = 5


# --- Helpers ----------------------------------------------------------------------------------


def _forbid_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def plan_query(request, *, with_date: bool = True) -> PlanQueryForm:
    """The PEG (?anno) and the monitoring date (?al) a page shows; a refused value becomes a message."""
    query = PlanQueryForm(request.GET, with_date=with_date)
    for refusal in query.refusals:
        messages.warning(request, refusal)
    return query


def selected_peg(request) -> Peg | None:
    """The PEG of ?anno=YYYY, else the most recent one; None when there is no PEG at all."""
    return plan_query(request, with_date=False).peg


def units_page(request, units, per_page: int):
    """The page of units that ?pagina asks for (the first when not a number, the last past the end)."""
    return Paginator(units, per_page).get_page(request.GET.get("pagina"))


def page_context(request, page) -> dict:
    """What templates/objectives/_pages.html needs: the page, its links, the rest of the query string."""
    rest = request.GET.copy()
    rest.pop("pagina", None)
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_query": rest.urlencode(),
    }


def bad_request(request, exception):
    """The 400 page (handler400); a request with more files than one upload may carry says so."""
    if isinstance(exception, TooManyFilesSent):
        context = {"limit": settings.PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD}
        return HttpResponseBadRequest(render_to_string("objectives/too_many_files.html", context))
    return defaults.bad_request(request, exception)


# --- Dashboard --------------------------------------------------------------------------------


def link_panels(panels, year: int) -> None:
    """Each panel's link to its unit's page of the year, each phase row's to its place on its objective's page."""
    unit_url, objective_url = by_id("sectors:detail"), by_id("objectives:detail")
    for panel in panels:
        panel.url = f"{unit_url(panel.settore.pk)}?anno={year}"
        for row in (*panel.late.rows, *panel.upcoming.rows):
            row["url"] = f"{objective_url(row['obiettivo_id'])}#fase-{row['pk']}"


@login_required
def dashboard(request):
    query = plan_query(request)
    peg, on = query.peg, query.monitoring_date
    if peg is None:
        return render(request, "objectives/dashboard.html", {"peg": None})
    page = units_page(request, dashboard_units(request.user, peg), DASHBOARD_UNITS_PER_PAGE)
    panels = dashboard_panels(peg, on, list(page.object_list), upcoming_days=UPCOMING_DAYS, rows=PANEL_ROWS)
    link_panels(panels, peg.year)
    context = {
        "peg": peg,
        "on": on,
        # Only a date asked for stays in the form: changing the year alone shows that year's default.
        "requested_on": query.cleaned_data.get("al"),
        "panels": panels,
        **page_context(request, page),
        "upcoming_days": UPCOMING_DAYS,
        "years": Peg.objects.values_list("year", flat=True),
        "sees_everything": access.sees_everything(request.user),
        "span": monitoring_span(peg),
        "can_open_review": workflow.may_open_year_end_review(request.user),
    }
    return render(request, "objectives/dashboard.html", context)


@login_required
def year_end_review(request, year):
    """The Nucleo opens the PEG's year-end review, fixing the evaluation's closing date."""
    peg = Peg.objects.filter(year=year).first()
    if peg is None or not access.sees_everything(request.user):
        raise Http404("PEG non trovato.")
    _forbid_unless(workflow.may_open_year_end_review(request.user), "Solo il Nucleo apre la verifica di fine anno.")
    initial = {"closing_date": peg.evaluation_closing_date or workflow.today()}
    form = YearEndReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        act = functools.partial(
            workflow.open_year_end_review, peg=peg, user=request.user, closing_date=form.cleaned_data["closing_date"]
        )
        perform_act(form, act, on_field=True, refused=workflow.WorkflowError, not_allowed=workflow.NotAllowed)
        if not form.errors:
            messages.success(request, f"Verifica di fine anno del PEG {peg.year} aperta.")
            return redirect(reverse("objectives:dashboard") + f"?anno={peg.year}")
    context = {
        "peg": peg,
        "form": form,
        "title": f"Verifica di fine anno del PEG {peg.year}",
        "submit": "Apri la verifica di fine anno",
        "notes": list(peg.note.select_related("author")),
    }
    return render(request, "objectives/year_end_review.html", context)


# --- Objectives list and exports --------------------------------------------------------------


def _filtered(request, query: PlanQueryForm):
    """The user's visible objectives of the PEG, filtered in SQL: the filterset, the filtered rows as
    they are (to count them) and the same rows with their figures at the monitoring date (nothing is
    read yet: the list pages them, the exports stream them)."""
    peg, on = query.peg, query.monitoring_date
    visible = access.visible_objectives(request.user, read_ids=True).filter(peg=peg)
    data = request.GET.copy()
    if peg is not None:
        data["anno"] = str(peg.year)  # the PEG shown, also when ?anno was refused
    settori = Settore.objects.filter(pk__in=visible.values("settore_id"))
    filterset = ObjectiveFilter(data, queryset=visible, settori=settori, on=on)
    filtered = filterset.qs
    related = filtered.select_related("settore", "settore__head", "dirigente")
    rows = with_figures(related, on).in_list_order().defer(*LIST_DEFERRED)
    return peg, filterset, filtered, rows


class CountedPaginator(Paginator):
    """Counts `count_from` (the filtered objectives without their figures' join), pages the table's rows."""

    def __init__(self, object_list, per_page, *, count_from, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_from = count_from

    @functools.cached_property
    def count(self):
        return self.count_from.count()


@login_required
def objective_list(request):
    peg, filterset, filtered, obiettivi = _filtered(request, plan_query(request))
    sort, page = TableQueryForm(request.GET, columns=ObjectiveTable.base_columns).values()
    table = ObjectiveTable(page_by_ids(obiettivi), order_by=sort or None)
    table.request = request
    table.paginate(paginator_class=CountedPaginator, per_page=settings.PEG_PAGE_SIZE, count_from=filtered)
    table.page = table.paginator.get_page(page)
    query = request.GET.copy()
    for key in ("page", "sort"):
        query.pop(key, None)
    context = {
        "peg": peg,
        "filter": filterset,
        "table": table,
        "count": table.paginator.count,
        "query": query.urlencode(),
    }
    return render(request, "objectives/objective_list.html", context)


def _export_name(peg) -> str:
    return f"obiettivi_peg_{peg.year}" if peg else "obiettivi"


def _export(request, response):
    """The rows the list shows, streamed; with a refused parameter, back to the list, which says why."""
    query = PlanQueryForm(request.GET)
    peg, filterset, _, obiettivi = _filtered(request, query)
    if query.refusals or filterset.errors:
        return redirect(f"{reverse('objectives:list')}?{request.GET.urlencode()}")
    return response(export_rows(obiettivi), _export_name(peg))


@login_required
def export_csv(request):
    return _export(request, csv_response)


@login_required
def export_xlsx(request):
    return _export(request, xlsx_response)


# --- The objective page -----------------------------------------------------------------------


def _objective_queryset():
    phases = Fase.objects.prefetch_related("responsabili", "allegati").order_by("sort_order", "pk")
    return Obiettivo.objects.select_related(
        "peg", "settore", "settore__head", "settore__responsabile", "dirigente"
    ).prefetch_related(
        "tranches",
        Prefetch("fasi", queryset=phases),
        Prefetch("indicatori", queryset=Indicatore.objects.prefetch_related("allegati")),
        Prefetch("note", queryset=Nota.objects.select_related("author", "fase")),
    )


@login_required
def objective_detail(request, pk):
    obiettivo = access.get_objective_for_user(request.user, pk, _objective_queryset())
    phases = list(obiettivo.fasi.all())
    for fase in phases:
        fase.obiettivo = obiettivo
    policy = Policy.from_peg(obiettivo.peg)
    score = score_objective(obiettivo, phases, policy)
    on = default_monitoring_date(obiettivo.peg, obiettivo.tranches.all())  # its own tranche: no query
    late_ids = {row.fase.pk for row in progress_at(obiettivo, phases, policy, on).late}
    context = {
        "obiettivo": obiettivo,
        "score": score,
        "rows": score.rows,
        "late_ids": late_ids,
        "monitoring_on": on,
        "can": access.permissions_for(request.user, obiettivo),
        "history": history_rows(obiettivo, phases),
        "note": list(obiettivo.note.all()),
        # Also when the phases give no score (the calculator then leaves the indicators out).
        "indicator_rows": score.indicator_rows or [indicator_row(i) for i in obiettivo.indicatori.all()],
        "unreviewed_indicators": workflow.unreviewed_indicators(obiettivo),
    }
    return render(request, "objectives/objective_detail.html", context)


# --- Phase update by the head -----------------------------------------------------------------


@csrf_exempt  # only to look at the size before the CSRF check reads the body; checked below
def phase_update(request, pk):
    """A request larger than any acceptable update is refused before its body is read."""
    if request.method == "POST" and _content_length(request) > max_upload_request_bytes():
        context = {"limit": filesizeformat(max_upload_request_bytes())}
        return HttpResponse(render_to_string("objectives/upload_too_large.html", context), status=413)
    return _phase_update(request, pk)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_protect
@login_required
def _phase_update(request, pk):
    fase = access.get_phase_for_user(request.user, pk)
    obiettivo = fase.obiettivo
    _forbid_unless(
        access.can_edit_phase(request.user, fase),
        "Solo il responsabile della struttura può aggiornare questa fase, finché l'obiettivo è in corso o rinviato.",
    )
    stale = None
    if request.method == "POST":
        form = PhaseUpdateForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                workflow.update_phase(
                    fase=fase,
                    user=request.user,
                    version=data["version"],
                    state=data["state"],
                    completed_on=data["completed_on"],
                    evidence=data["evidence"],
                    new_files=data["attachments"],
                    progress_percent=data["progress_percent"],
                    progress_note=data["progress_note"],
                )
            except workflow.NotAllowed as exc:
                raise PermissionDenied(str(exc)) from None
            except workflow.StalePhase as exc:
                # The typed values stay; the hidden version moves on, so Salva after review saves.
                stale = exc.conflict
                fase.refresh_from_db()
                form = PhaseUpdateForm({**request.POST.dict(), "version": fase.version})
                form.is_valid()
                form.add_error(None, str(exc))
            except workflow.WorkflowError as exc:
                form.add_error(getattr(exc, "field", None), str(exc))
            else:
                messages.success(request, f"Fase {fase.label} aggiornata.")
                return redirect(_phase_anchor(obiettivo, fase))
    else:
        form = PhaseUpdateForm(
            initial={
                "state": fase.state,
                "completed_on": fase.completed_on,
                "evidence": fase.evidence,
                "progress_percent": fase.progress_percent,
                "progress_note": fase.progress_note,
                "version": fase.version,
            }
        )
    context = {
        "fase": fase,
        "obiettivo": obiettivo,
        "form": form,
        "stale": stale,
        "attachments": list(fase.allegati.select_related("uploaded_by")),
    }
    return render(request, "objectives/phase_form.html", context)


def _phase_anchor(obiettivo, fase) -> str:
    return reverse("objectives:detail", args=[obiettivo.pk]) + f"#fase-{fase.pk}"


@login_required
def attachment_download(request, pk):
    allegato = access.get_attachment_for_user(request.user, pk)
    try:
        handle = allegato.file.open("rb")
    except FileNotFoundError:
        raise Http404("Il file dell'allegato non è disponibile.") from None
    response = FileResponse(
        handle, content_type=allegato.content_type, as_attachment=True, filename=allegato.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    allegato = access.get_attachment_for_user(request.user, pk)
    fase = allegato.fase
    _forbid_unless(access.can_edit_phase(request.user, fase), "Non puoi eliminare gli allegati di questa fase.")
    try:
        workflow.delete_attachment(allegato=allegato, user=request.user)
    except workflow.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, f"Allegato «{allegato.original_name}» eliminato.")
    return redirect("objectives:phase_update", pk=fase.pk)


# --- The objective's workflow -----------------------------------------------------------------


def _reason_action(request, pk, *, allowed, action, label, title, help_text="", submit="Conferma", danger=False):
    """A page with one mandatory text and a confirm button: submit, return, reopen."""
    obiettivo = access.get_objective_for_user(request.user, pk, Obiettivo.objects.select_related("peg", "settore"))
    _forbid_unless(allowed(request.user, obiettivo), "Questa azione non è consentita per questo obiettivo.")
    form = ReasonForm(request.POST or None, label=label, help_text=help_text)
    if request.method == "POST" and form.is_valid():
        perform_act(
            form,
            lambda: action(obiettivo=obiettivo, user=request.user, text=form.cleaned_data["text"]),
            refused=workflow.WorkflowError,
            not_allowed=workflow.NotAllowed,
        )
        if not form.errors:
            messages.success(request, f"{title}: operazione registrata.")
            return redirect("objectives:detail", pk=obiettivo.pk)
    context = {"obiettivo": obiettivo, "form": form, "title": title, "submit": submit, "danger": danger}
    return render(request, "objectives/action_form.html", context)


@login_required
def submit_report(request, pk):
    return _reason_action(
        request,
        pk,
        allowed=access.can_submit_report,
        action=lambda *, obiettivo, user, text: workflow.submit_report(obiettivo=obiettivo, user=user, comment=text),
        label="Relazione di rendicontazione",
        title="Rendicontazione dell'obiettivo",
        help_text="Dopo l'invio le fasi non sono più modificabili, salvo rinvio da parte del Nucleo di Valutazione.",
        submit="Invia la rendicontazione",
    )


@login_required
def return_to_head(request, pk):
    return _reason_action(
        request,
        pk,
        allowed=access.can_return,
        action=lambda *, obiettivo, user, text: workflow.return_to_head(obiettivo=obiettivo, user=user, notes=text),
        label="Note per il responsabile",
        title="Rinvio al responsabile",
        submit="Rinvia al responsabile",
        danger=True,
    )


@login_required
def reopen(request, pk):
    return _reason_action(
        request,
        pk,
        allowed=access.can_reopen,
        action=lambda *, obiettivo, user, text: workflow.reopen(obiettivo=obiettivo, user=user, reason=text),
        label="Motivo della riapertura",
        title="Riapertura dell'obiettivo validato",
        help_text="L'obiettivo torna rendicontato; la validazione precedente resta nella cronologia.",
        submit="Riapri l'obiettivo",
        danger=True,
    )


@login_required
def validate(request, pk):
    obiettivo = access.get_objective_for_user(request.user, pk, Obiettivo.objects.select_related("peg", "settore"))
    _forbid_unless(access.can_validate(request.user, obiettivo), "Solo il Nucleo valida un obiettivo rendicontato.")
    computed = workflow.computed_score(obiettivo)
    form = ValidateForm(request.POST or None, computed=computed, initial={"on": workflow.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        act = functools.partial(
            workflow.validate,
            obiettivo=obiettivo,
            user=request.user,
            on=data["on"],
            score=data["score"],
            reason=data["reason"],
        )
        perform_act(form, act, refused=workflow.WorkflowError, not_allowed=workflow.NotAllowed)
        if not form.errors:
            messages.success(request, "Obiettivo validato.")
            return redirect("objectives:detail", pk=obiettivo.pk)
    context = {
        "obiettivo": obiettivo,
        "form": form,
        "title": "Validazione del Nucleo di Valutazione",
        "submit": "Valida l'obiettivo",
        "computed": computed,
        "show_computed": True,
    }
    return render(request, "objectives/action_form.html", context)


def _phase_review(request, pk, *, form_class, initial, action, title, submit):
    fase = access.get_phase_for_user(request.user, pk)
    _forbid_unless(access.can_review(request.user, fase.obiettivo), "Solo il Nucleo, prima della validazione.")
    form = form_class(request.POST or None, initial={**initial(fase), "version": fase.version})
    if request.method == "POST" and form.is_valid():
        perform_act(
            form,
            lambda: action(fase, request.user, form.cleaned_data),
            refused=workflow.WorkflowError,
            not_allowed=workflow.NotAllowed,
        )
        if not form.errors:
            messages.success(request, f"{title}: fase {fase.label} aggiornata.")
            return redirect(_phase_anchor(fase.obiettivo, fase))
    context = {"obiettivo": fase.obiettivo, "fase": fase, "form": form, "title": title, "submit": submit}
    return render(request, "objectives/action_form.html", context)


@login_required
def neutralise(request, pk):
    return _phase_review(
        request,
        pk,
        form_class=NeutraliseForm,
        initial=lambda fase: {"neutralised": not fase.neutralised, "reason": ""},
        action=lambda fase, user, data: workflow.neutralise_phase(
            fase=fase, user=user, version=data["version"], neutralised=data["neutralised"], reason=data["reason"]
        ),
        title="Sterilizzazione della fase",
        submit="Registra",
    )


@login_required
def partial(request, pk):
    return _phase_review(
        request,
        pk,
        form_class=PartialForm,
        initial=lambda fase: {"percent": fase.partial_achievement, "reason": fase.partial_reason},
        action=lambda fase, user, data: workflow.record_partial(
            fase=fase, user=user, version=data["version"], percent=data["percent"], reason=data["reason"]
        ),
        title="Raggiungimento parziale della fase",
        submit="Registra",
    )


# --- Indicators of result ----------------------------------------------------------------------


def _indicator_for_user(user, pk) -> Indicatore:
    """The indicator, or 404 when it does not exist or its objective is not visible to the user."""
    try:
        return (
            Indicatore.objects.select_related("obiettivo", "obiettivo__peg", "obiettivo__settore__head")
            .filter(obiettivo__in=access.visible_objectives(user).values("pk"))
            .get(pk=pk)
        )
    except (Indicatore.DoesNotExist, ValueError):
        raise Http404("Indicatore non trovato.") from None


def _indicator_anchor(indicatore) -> str:
    return reverse("objectives:detail", args=[indicatore.obiettivo_id]) + f"#indicatore-{indicatore.pk}"


@csrf_exempt  # only to look at the size before the CSRF check reads the body; checked below
def indicator_actual(request, pk):
    """The head records an indicator's actual value; an oversized request is refused unread."""
    if request.method == "POST" and _content_length(request) > max_upload_request_bytes():
        context = {"limit": filesizeformat(max_upload_request_bytes())}
        return HttpResponse(render_to_string("objectives/upload_too_large.html", context), status=413)
    return _indicator_actual(request, pk)


@csrf_protect
@login_required
def _indicator_actual(request, pk):
    indicatore = _indicator_for_user(request.user, pk)
    _forbid_unless(
        access.can_edit_report(request.user, indicatore.obiettivo),
        "Solo il responsabile della struttura rileva gli indicatori, finché l'obiettivo è in corso o rinviato.",
    )
    form = IndicatorActualForm(
        request.POST or None,
        request.FILES or None,
        indicatore=indicatore,
        initial={"value": indicatore.input_text("actual"), "evidence": indicatore.actual_evidence},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        act = functools.partial(
            workflow.record_indicator_actual,
            indicatore=indicatore,
            user=request.user,
            value=data["value"],
            evidence=data["evidence"],
            new_files=data["attachments"],
        )
        perform_act(form, act, refused=workflow.WorkflowError, not_allowed=workflow.NotAllowed)
        if not form.errors:
            messages.success(request, f"Indicatore «{indicatore.name}»: valore registrato.")
            return redirect(_indicator_anchor(indicatore))
    context = {
        "obiettivo": indicatore.obiettivo,
        "indicatore": indicatore,
        "form": form,
        "title": "Valore rilevato dell'indicatore",
        "submit": "Registra il valore",
        "multipart": True,
    }
    return render(request, "objectives/indicator_form.html", context)


def _indicator_review(request, pk, *, form_class, action, title, submit, with_indicator: bool):
    indicatore = _indicator_for_user(request.user, pk)
    _forbid_unless(
        access.can_review(request.user, indicatore.obiettivo),
        "Solo il Nucleo conferma o rettifica il valore di un indicatore, prima della validazione.",
    )
    kwargs = {"indicatore": indicatore} if with_indicator else {}
    form = form_class(request.POST or None, initial={"seen": indicatore.actual_display}, **kwargs)
    if request.method == "POST" and form.is_valid():
        perform_act(
            form,
            lambda: action(indicatore, request.user, form.cleaned_data),
            refused=workflow.WorkflowError,
            not_allowed=workflow.NotAllowed,
        )
        if not form.errors:
            messages.success(request, f"{title}: indicatore «{indicatore.name}» aggiornato.")
            return redirect(_indicator_anchor(indicatore))
    context = {
        "obiettivo": indicatore.obiettivo,
        "indicatore": indicatore,
        "form": form,
        "title": title,
        "submit": submit,
    }
    return render(request, "objectives/indicator_form.html", context)


@login_required
def indicator_confirm(request, pk):
    return _indicator_review(
        request,
        pk,
        form_class=IndicatorConfirmForm,
        action=lambda indicatore, user, data: workflow.confirm_indicator(
            indicatore=indicatore, user=user, note=data["note"], seen=data["seen"]
        ),
        title="Conferma del valore dell'indicatore",
        submit="Conferma il valore",
        with_indicator=False,
    )


@login_required
def indicator_correct(request, pk):
    return _indicator_review(
        request,
        pk,
        form_class=IndicatorCorrectForm,
        action=lambda indicatore, user, data: workflow.correct_indicator(
            indicatore=indicatore, user=user, value=data["value"], reason=data["reason"], seen=data["seen"]
        ),
        title="Rettifica del valore dell'indicatore",
        submit="Rettifica il valore",
        with_indicator=True,
    )


@login_required
def indicator_attachment(request, pk):
    try:
        allegato = AllegatoIndicatore.objects.filter(
            indicatore__obiettivo__in=access.visible_objectives(request.user).values("pk")
        ).get(pk=pk)
    except (AllegatoIndicatore.DoesNotExist, ValueError):
        raise Http404("Allegato non trovato.") from None
    try:
        handle = allegato.file.open("rb")
    except FileNotFoundError:
        raise Http404("Il file dell'allegato non è disponibile.") from None
    response = FileResponse(
        handle, content_type=allegato.content_type, as_attachment=True, filename=allegato.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
