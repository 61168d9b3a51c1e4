from django.core.exceptions import PermissionDenied


def require_view_issue(request):
    """The admin tools on issues (校对, 导出Word, 概览) are for staff who may view issues."""
    if not request.user.has_perm("bulletins.view_issue"):
        raise PermissionDenied("没有查看期刊的权限。")
