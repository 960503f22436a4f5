# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""Login lock-out with two limits: one per user name and address, a larger one per address.

django-axes counts failures for each of AXES_LOCKOUT_PARAMETERS but compares them all with the
same AXES_FAILURE_LIMIT. One address trying many user names must be stopped too, yet an office
behind one address (or one proxy) must not be locked out by five mistyped passwords: the
address alone gets PEG_LOGIN_ADDRESS_FAILURE_LIMIT.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressAwareHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures compared with AXES_FAILURE_LIMIT: the address's own count is rescaled so
        that it reaches that limit exactly when it reaches PEG_LOGIN_ADDRESS_FAILURE_LIMIT."""
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "ip_address":
                failures = failures * limit // settings.PEG_LOGIN_ADDRESS_FAILURE_LIMIT
            worst = max(worst, failures)
        return worst

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """On a successful login, forget only that user's failures from that address.

        axes would delete every attempt matching any lockout parameter, the address's included:
        one valid account would then wipe the address's count between guesses at other names.
        """
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
