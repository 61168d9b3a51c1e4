from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Sends a signed-in user whose password was reset or has expired to the change-password page.

    Only the change-password page itself, logout and static files stay reachable until then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.needs_password_change:
            # Correspondents (not staff) change theirs in the portal; they never see the admin.
            target = "admin:password_change" if user.is_staff else "portal:password_change"
            allowed = {
                reverse("admin:password_change"),
                reverse("admin:password_change_done"),
                reverse("admin:logout"),
                reverse("portal:password_change"),
                reverse("portal:logout"),
            }
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                if user.must_change_password:
                    messages.warning(request, "您正在使用临时密码，请先设置自己的新密码。")
                else:
                    messages.warning(request, f"您的密码已超过 {settings.PASSWORD_EXPIRY_DAYS} 天未修改，请先修改密码。")
                return redirect(target)
        return self.get_response(request)


class AdminContentSecurityPolicyMiddleware:
    """Relaxes the Content-Security-Policy under /admin/ only (CKEditor 4 and the admin's inline code).

    Listed after csp.middleware.CSPMiddleware, so CSPMiddleware reads the replacement on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/admin/") and getattr(response, "_csp_replace", None) is None:
            response._csp_replace = settings.ADMIN_CONTENT_SECURITY_POLICY
        return response
