from django.core.cache import cache

from activities.selectors import my_tasks
from objectives.forms import PlanQueryForm

# The badge is recomputed at most this often per user (and whenever "Le mie attività" is shown):
# its figure comes from the calculator, which no page should run twice.
BADGE_SECONDS = 120


def _cache_key(user) -> str:
    return f"activities:count:{user.pk}"


def remember_count(user, count: int) -> None:
    cache.set(_cache_key(user), count, BADGE_SECONDS)


def current_count(user) -> int:
    """The number of things to do in the most recent PEG at its default date (cached per user)."""
    count = cache.get(_cache_key(user))
    if count is None:
        query = PlanQueryForm({})
        count = my_tasks(user, query.peg, query.monitoring_date).count
        remember_count(user, count)
    return count


def activities(request):
    """The count next to "Le mie attività" in the header: no database query while it is cached."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"activities_count": current_count(user)}
