from django.contrib.admin.forms import AdminAuthenticationForm


class LoginForm(AdminAuthenticationForm):
    """The admin login, with errors phrased in Chinese (Django's read “请输入一个正确的工作人员账户 用户名 和密码.”)."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确（区分大小写），请重新输入。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }
