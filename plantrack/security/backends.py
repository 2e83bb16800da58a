from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS; it never logs anyone in itself.

    Axes refuses ``authenticate()`` calls that carry no request. Those come only from code running on the server
    (management commands, the shell, the test client's ``login()``), never from the network, so there is nothing
    to throttle: this backend steps aside and lets the next backend answer.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
