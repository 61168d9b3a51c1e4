"""Security headers, the Content-Security-Policy, and the production settings."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from accounts.roles import EDITOR

from .factories import make_staff

ROOT = Path(__file__).resolve().parent.parent

PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "wenming.settings.prod",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "wenming.example.gov.cn",
    "DATABASE_URL": "postgres://wenming@127.0.0.1:5432/wenming",
    "CSRF_TRUSTED_ORIGINS": "https://wenming.example.gov.cn",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "SITE_URL": "https://wenming.example.gov.cn",
    "EMAIL_HOST": "smtp.example.gov.cn",
}


# Browser test modules set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a server never has it.
NOT_INHERITED = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")


def clean_environ():
    return {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}


def run_in_fresh_processes(jobs):
    """Run each job ({"env": …, "argv": ["manage.py", …] or ["-c", code]}) as a process of its own
    with exactly that environment, all forked from one interpreter (tests/settings_probe.py) so
    that Python and the libraries start once; returns each job's returncode, stdout and stderr."""
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "settings_probe.py")], cwd=ROOT, env=clean_environ(),
                            input=json.dumps(jobs), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return [subprocess.CompletedProcess(job["argv"], run["returncode"], run["stdout"], run["stderr"])
            for job, run in zip(jobs, json.loads(result.stdout), strict=True)]


def run_manage(*args, env):
    return run_in_fresh_processes([manage_job(*args, env=env)])[0]


def manage_job(*args, env):
    return {"env": {**clean_environ(), **env}, "argv": ["manage.py", *args]}


def probe_job(code, **env):
    return {"env": {**clean_environ(), **PROD_ENV, **env}, "argv": ["-c", code]}


PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY],
    "csrf_trusted_origins": s.CSRF_TRUSTED_ORIGINS,
    "proxy_ssl_header": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "cache_backend": s.CACHES["default"]["BACKEND"],
    "cache_inner_backend": s.CACHES["default"].get("OPTIONS", {}).get("BACKEND"),
}))
"""

MISSING = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"]

# Every production process this module needs, each with its own environment, started together.
RUNS = {
    "deploy": manage_job("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV),
    "deploy_per_process_cache": manage_job("check", "--deploy", env={**PROD_ENV, "REDIS_URL": ""}),
    "deploy_one_worker": manage_job("check", "--deploy", "--fail-level", "WARNING",
                                    env={**PROD_ENV, "REDIS_URL": "", "GUNICORN_WORKERS": "1"}),
    **{f"without_{missing}": manage_job("check", env={k: v for k, v in PROD_ENV.items() if k != missing})
       for missing in MISSING},
    "prod": probe_job(PROBE, REDIS_URL=""),
    "prod_behind_proxy_with_redis": probe_job(PROBE, TRUST_X_FORWARDED_PROTO="1", REDIS_URL="redis://127.0.0.1:6379/1"),
}


@pytest.fixture(scope="module")
def runs():
    return dict(zip(RUNS, run_in_fresh_processes(list(RUNS.values())), strict=True))


def prod_settings_from(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def prod(runs):
    return prod_settings_from(runs["prod"])


@pytest.fixture(scope="module")
def prod_behind_proxy_with_redis(runs):
    return prod_settings_from(runs["prod_behind_proxy_with_redis"])


@pytest.mark.system
def test_deploy_check_reports_nothing_but_the_silenced_ckeditor_warning(runs):
    result = runs["deploy"]
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


@pytest.mark.system
def test_deploy_check_warns_that_a_per_process_cache_is_not_shared(runs):
    result = runs["deploy_per_process_cache"]
    assert "wenming.W001" in result.stderr + result.stdout and "REDIS_URL" in result.stderr + result.stdout


@pytest.mark.system
def test_deploy_check_accepts_a_per_process_cache_with_one_worker(runs):
    result = runs["deploy_one_worker"]
    assert result.returncode == 0, result.stderr


@pytest.mark.system
@pytest.mark.parametrize("missing", MISSING)
def test_production_refuses_to_start_without(runs, missing):
    result = runs[f"without_{missing}"]
    assert result.returncode != 0 and f"生产环境必须设置环境变量 {missing}" in result.stderr


@pytest.mark.system
def test_production_cookies_are_secure_and_http_only(prod):
    assert prod["cookies"] == [True, True, True]


@pytest.mark.system
def test_production_trusts_csrf_origins_from_the_environment(prod):
    assert prod["csrf_trusted_origins"] == ["https://wenming.example.gov.cn"]


@pytest.mark.system
def test_production_ignores_the_proxy_ssl_header_by_default(prod):
    assert prod["proxy_ssl_header"] is None


@pytest.mark.system
def test_production_trusts_the_proxy_ssl_header_when_asked(prod_behind_proxy_with_redis):
    assert prod_behind_proxy_with_redis["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.system
def test_production_uses_redis_failing_open_when_redis_url_is_set(prod_behind_proxy_with_redis):
    assert prod_behind_proxy_with_redis["cache_backend"] == "wenming.cache.FailOpenCache"
    assert prod_behind_proxy_with_redis["cache_inner_backend"] == "django_redis.cache.RedisCache"


def test_lockout_and_session_defaults_match_the_policy():
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds(), settings.SESSION_COOKIE_AGE) == (
        5, 1800, 1800)


# Headers ----------------------------------------------------------------------

def csp(response):
    return dict(
        (part.split()[0], part.split()[1:]) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )


@pytest.mark.django_db
def test_public_pages_get_the_strict_policy(client):
    policy = csp(client.get("/"))
    assert policy["default-src"] == ["'none'"] and policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_public_pages_allow_no_inline_code(client):
    header = client.get("/")["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


@pytest.mark.django_db
def test_admin_pages_relax_the_policy_for_the_editor(client):
    client.force_login(make_staff(EDITOR))
    policy = csp(client.get("/admin/"))
    assert "'unsafe-inline'" in policy["script-src"] and "'unsafe-inline'" in policy["style-src"]


@pytest.mark.django_db
def test_admin_policy_still_limits_forms_and_base(client):
    policy = csp(client.get("/admin/login/"))
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'none'"]


@pytest.mark.django_db
@pytest.mark.parametrize("header, value", [
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
])
def test_public_pages_send_security_header(client, header, value):
    assert client.get("/")[header] == value


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style[\s>]", re.IGNORECASE)


def public_templates():
    return [p for p in (ROOT / "templates").rglob("*.html") if "admin" not in p.relative_to(ROOT / "templates").parts]


@pytest.mark.parametrize("template", public_templates(), ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_public_template_has_no_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text) and not INLINE_STYLE.search(text)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/feed/", "/admin/login/", "/no-such-page/", "/static/css/site.css"])
def test_every_response_sends_permissions_and_resource_policies(client, path):
    response = client.get(path)
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_a_page_from_the_public_cache_keeps_the_policies(client):
    client.get("/")
    response = client.get("/")
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY


@pytest.mark.django_db
def test_admin_framing_policy_agrees_with_x_frame_options(client):
    client.force_login(make_staff(EDITOR))
    response = client.get("/admin/")
    assert response["X-Frame-Options"] == "DENY"
    assert csp(response)["frame-ancestors"] == ["'none'"]
