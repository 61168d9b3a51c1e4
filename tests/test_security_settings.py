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
}


# Browser test modules set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a server never has it.
NOT_INHERITED = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")


def clean_environ():
    return {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}


def run_manage(*args, env):
    clean = clean_environ()
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True,
        timeout=120,
    )


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


def prod_settings(**extra_env):
    clean = clean_environ()
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env={**clean, **PROD_ENV, **extra_env},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def prod():
    return prod_settings(REDIS_URL="")


@pytest.fixture(scope="module")
def prod_behind_proxy_with_redis():
    return prod_settings(TRUST_X_FORWARDED_PROTO="1", REDIS_URL="redis://127.0.0.1:6379/1")


def test_deploy_check_reports_nothing_but_the_silenced_ckeditor_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_deploy_check_warns_that_a_per_process_cache_is_not_shared():
    result = run_manage("check", "--deploy", env={**PROD_ENV, "REDIS_URL": ""})
    assert "wenming.W001" in result.stderr + result.stdout and "REDIS_URL" in result.stderr + result.stdout


def test_deploy_check_accepts_a_per_process_cache_with_one_worker():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        env={**PROD_ENV, "REDIS_URL": "", "GUNICORN_WORKERS": "1"})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0 and f"生产环境必须设置环境变量 {missing}" in result.stderr


def test_production_cookies_are_secure_and_http_only(prod):
    assert prod["cookies"] == [True, True, True]


def test_production_trusts_csrf_origins_from_the_environment(prod):
    assert prod["csrf_trusted_origins"] == ["https://wenming.example.gov.cn"]


def test_production_ignores_the_proxy_ssl_header_by_default(prod):
    assert prod["proxy_ssl_header"] is None


def test_production_trusts_the_proxy_ssl_header_when_asked(prod_behind_proxy_with_redis):
    assert prod_behind_proxy_with_redis["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


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
