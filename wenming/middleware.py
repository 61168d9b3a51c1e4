"""Response headers Django's SecurityMiddleware does not send, on every response.

Listed right after SecurityMiddleware, above WhiteNoise and the public page cache, so static
files and cached pages carry them too.
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    """Permissions-Policy (no camera, microphone, location… for any page) and Cross-Origin-Resource-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
            "Cross-Origin-Resource-Policy": settings.CROSS_ORIGIN_RESOURCE_POLICY,
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value:
                response.headers.setdefault(name, value)
        return response
