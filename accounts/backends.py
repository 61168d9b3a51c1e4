from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login made through a request.

    Calls without a request (the test client's `login()`, a shell) are not remote login
    attempts; axes would raise on them, so they pass through to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            # Marks the attempt as refused because of an existing lock, for the audit record.
            request.wenming_refused_by_lock = True
            raise
