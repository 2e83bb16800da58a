from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Agency


def agency_get_for_user(*, user, pk: int) -> Agency:
    """The agency ``pk`` for a signed-in user; 404 otherwise.

    The registry is not confidential: every signed-in role may read any agency and what it owes.
    """
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(Agency.objects.select_related("parent"), pk=pk)
