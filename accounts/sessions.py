"""The idle timeout of signed-in sessions, kept on the server without a write on every request."""

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware

REFRESHED_KEY = "_idle_refreshed_at"


class IdleTimeoutSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, pushing a session's expiry forward on activity at most once a minute.

    With SESSION_SAVE_EVERY_REQUEST every request with a session cookie rewrote (and committed) the
    session row. Here the row is rewritten, with a new expiry SESSION_COOKIE_AGE ahead, only when
    its last write is SESSION_REFRESH_SECONDS old or older: a session still ends on the server after
    SESSION_COOKIE_AGE idle seconds, up to SESSION_REFRESH_SECONDS sooner, never later.
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            # Reading the stamp loads the session (as the old save on every request did); it must not
            # count as the page using the session, which would add "Vary: Cookie".
            accessed = session.accessed
            now = int(time.time())
            if session.modified or now - session.get(REFRESHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                if session.session_key:  # still there: an expired or unknown key loads as empty
                    session[REFRESHED_KEY] = now
            session.accessed = accessed
        return super().process_response(request, response)
