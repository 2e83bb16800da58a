"""Typed text survives an expired session.

A form posted after the session ended (idle timeout, cookie gone) arrives signed out: instead of dropping it at the
login redirect, ``login_required_keeping_post`` keeps the posted fields in the new anonymous session, which Django
carries over at login (``login()`` keeps the data of a session without a user). The page then gives the text back
with ``rescued_post``, unsaved, for the person to check and save. Files cannot be kept: the message says so.

Only what the browser itself sent is kept, only in that browser's session, and it is shown only on a page its
owner may edit after signing in (the view's own permission check), so nothing crosses to another person.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

RESCUE_KEY = "plantrack_rescued_posts"
# A report form is a few tens of kilobytes; a bigger body is not a form someone typed.
MAX_RESCUE_CHARS = 2_000_000
MAX_RESCUED_PAGES = 5


def post_rescue(request, *, path: str | None = None) -> bool:
    """Keep the fields of ``request.POST`` (not the CSRF token, not files) for ``path`` (default: the request's
    path) in the session. Returns whether they were kept."""
    data = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
    if not data or sum(len(x) for values in data.values() for x in values) > MAX_RESCUE_CHARS:
        return False
    stash = dict(request.session.get(RESCUE_KEY, {}))
    stash[path or request.path] = {"data": data, "at": int(timezone.now().timestamp())}
    # The newest few pages only: each anonymous POST must not grow the session without end.
    stash = dict(sorted(stash.items(), key=lambda kv: kv[1]["at"])[-MAX_RESCUED_PAGES:])
    request.session[RESCUE_KEY] = stash
    return True


def rescued_post(request, *, path: str | None = None) -> QueryDict | None:
    """The fields kept for ``path`` (default: the request's path), removed from the session; None if none."""
    stash = request.session.get(RESCUE_KEY)
    if not stash or (path or request.path) not in stash:
        return None
    stash = dict(stash)
    kept = stash.pop(path or request.path)
    request.session[RESCUE_KEY] = stash
    data = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        data.setlist(key, values)
    return data


def login_required_keeping_post(view):
    """Like the login requirement of every page, but a POST that arrives signed out is kept (``post_rescue``)
    before the login redirect, with a message saying what happened."""

    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST" and post_rescue(request):
            messages.warning(
                request,
                _(
                    "Phiên làm việc đã hết hạn nên nội dung bạn vừa gửi chưa được lưu. Hãy đăng nhập lại: nội dung "
                    "đó sẽ được đưa trở lại biểu mẫu để bạn kiểm tra rồi lưu."
                ),
            )
        return redirect_to_login(request.get_full_path())

    return wrapper


def login_required_json_keeping_post(rescue_to):
    """For a script's POST (autosave): signed out, the answer is 401 in JSON rather than a login redirect a script
    cannot follow, and the posted fields are kept for the page ``rescue_to(**view_kwargs)`` (its path) shows."""

    def decorate(view):
        @login_not_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            page = rescue_to(*args, **kwargs)
            if request.method == "POST":
                post_rescue(request, path=page)
            return JsonResponse({"signed_out": True, "login_url": redirect_to_login(page).url}, status=401)

        return wrapper

    return decorate
