"""The issue's "done when", in a browser: an administrator creates an editor, the editor must
change the temporary password, five wrong passwords lock the editor out, the auditor sees it all
in the audit log and exports it."""


import pytest

from accounts.roles import ADMINISTRATOR, AUDITOR

from .factories import STRONG_PASSWORD, make_staff


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def log_in(browser, live_server, username, password, page=None):
    page = page or browser.new_context(accept_downloads=True).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    return page


def test_account_lifecycle_is_enforced_and_audited(browser, live_server):
    make_staff(ADMINISTRATOR, username="sysadmin")
    make_staff(AUDITOR, username="auditor")

    admin = log_in(browser, live_server, "sysadmin", STRONG_PASSWORD)
    admin.goto(f"{live_server.url}/admin/accounts/user/add/")
    admin.fill("#id_username", "liming")
    admin.fill("#id_real_name", "李明")
    admin.fill("#id_unit", "市文明办")
    admin.get_by_label("编辑", exact=True).check()
    admin.click("input[name=_save]")
    temporary = admin.inner_text(".temporary-password").strip()

    editor = log_in(browser, live_server, "liming", temporary)
    assert editor.url.endswith("/admin/password_change/")
    editor.fill("#id_old_password", temporary)
    editor.fill("#id_new_password1", "Civilised-City-2026")
    editor.fill("#id_new_password2", "Civilised-City-2026")
    editor.click("input[type=submit]")
    assert editor.url.endswith("/admin/password_change/done/")

    intruder = browser.new_page()
    for _ in range(5):
        log_in(browser, live_server, "liming", "wrong-password", page=intruder)
    assert "登录已暂时锁定" in intruder.content()
    assert "登录已暂时锁定" in log_in(browser, live_server, "liming", "Civilised-City-2026", page=intruder).content()

    auditor = log_in(browser, live_server, "auditor", STRONG_PASSWORD)
    auditor.goto(f"{live_server.url}/admin/accounts/auditevent/")
    log = auditor.inner_text("#result_list")
    assert all(action in log for action in ["创建账号", "修改密码", "登录失败", "登录锁定"])
    with auditor.expect_download() as download:
        auditor.click("text=导出 CSV")
    exported = open(download.value.path(), encoding="utf-8").read()
    assert exported.startswith("\ufeff时间,用户名") and "登录锁定" in exported
