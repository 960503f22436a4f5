# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render

from activities import selectors
from activities.badge import current_count, data_stamp, remember_count
from activities.forms import NotificationPreferenceForm
from activities.models import NotificationPreference
from objectives.forms import PlanQueryForm
from objectives.models import Peg


@login_required
def my_tasks(request):
    """Le mie attività: the landing page after login, one section per role of the user."""
    query = PlanQueryForm(request.GET)
    for refusal in query.refusals:
        messages.warning(request, refusal)
    stamp = data_stamp(request.user)  # before counting: a change meanwhile stamps anew, so it is recounted
    tasks = selectors.my_tasks(request.user, query.peg, query.monitoring_date)
    if not request.GET:
        remember_count(request.user, tasks.count, stamp)  # the header's badge shows what this page shows
    context = {
        "tasks": tasks,
        "horizon_days": selectors.HORIZON_DAYS,
        "years": Peg.objects.values_list("year", flat=True),
        # Only a date asked for stays in the form: changing the year alone shows that year's default.
        "requested_on": query.cleaned_data.get("al"),
    }
    return render(request, "activities/my_tasks.html", context)


@login_required
def preferences(request):
    """Preferenze di notifica: which reminders the user receives by e-mail."""
    preference = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user
    )
    # Not `request.POST or None`: with every box unticked the browser posts nothing but the token.
    form = NotificationPreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Preferenze di notifica salvate.")
        return redirect("activities:preferences")
    return render(request, "activities/preferences.html", {"form": form, "has_email": bool(request.user.email)})


@login_required
def count(request):
    """The header's badge: how many rows "Le mie attività" shows (most recent PEG, default date)."""
    return JsonResponse({"count": current_count(request.user)})
