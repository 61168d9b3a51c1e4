"""Two app servers on one PostgreSQL, Redis and object store, as in docs/deploy.md; run by .ci/run.

Starts, each on a free port: redis-server, moto's S3-compatible server (standing in for MinIO /
OSS / COS / OBS) and two gunicorn servers with the production settings; then checks, as a
reader and as editors would see it through a load balancer that may send each request to
either server:

  1. a session made on one server works on the other;
  2. publish and withdraw on one are seen on the other at once;
  3. an image uploaded through one is served through the other;
  4. a scheduled issue appears on both on time;
  5. Redis killed mid-run: public pages stay 200 and the workflow works;
  6. Redis restarted from an old snapshot serves nothing stale.

Everything it starts is stopped in `finally` (and on SIGTERM/SIGINT); every wait is bounded.
Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/wenming_two_servers .venv/bin/python .ci/two_servers.py
The database named is dropped and created afresh.
"""

import datetime
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import MotoServer, RedisServer, free_port, port_open, stop_process, wait_for  # noqa: E402

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wenming_two_servers")
PASSWORD = "Wenming-Two-Servers-2026!"
BUCKET = "wenming-media"


def log(message):
    print(f"== two servers: {message}", flush=True)


class Browser:
    """One person's cookies, sent to whichever server a request goes to (as behind a load balancer)."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": "localhost", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in ("", '""') or "max-age=0" in value.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        connection.close()
        return response.status, dict((k.lower(), v) for k, v in response.getheaders()), content

    def get(self, port, path):
        return self.request(port, "GET", path)

    def post(self, port, path, fields):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        return self.request(port, "POST", path, urlencode(fields), {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://localhost{path}",
        })

    def upload(self, port, path, fields, file_field, filename, content):
        boundary = uuid.uuid4().hex
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                     f"Content-Type: image/jpeg\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(port, "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def log_in(self, port, username):
        self.get(port, "/admin/login/")
        status, headers, _ = self.post(port, "/admin/login/", {"username": username, "password": PASSWORD, "next": "/admin/"})
        check(status == 302 and "sessionid" in self.cookies, f"{username} logs in on :{port} (got {status})")


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    log(f"ok: {what}")


def listening_workers():
    """Worker processes holding bulletins/kept_numbers.py's LISTEN connection to this database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND application_name = 'wenming-page-numbers'")
        return cursor.fetchone()[0]


def body_of(port, path):
    return Browser().get(port, path)


def fresh_database():
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                             password=parts.password or None, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def environment(redis, moto):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wenming.settings.two_servers",
        "SECRET_KEY": "two-servers-" + "x" * 50,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": redis.url,
        "CACHE_RETRY_SECONDS": "1",
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": moto.endpoint,
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_ACCESS_KEY_ID": "test",
        "MEDIA_S3_SECRET_ACCESS_KEY": "test",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "LOG_LEVEL": "WARNING",
    }


def start_gunicorn(env, port, logfile):
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py",
         "--env", f"DJANGO_SETTINGS_MODULE={env['DJANGO_SETTINGS_MODULE']}"],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=logfile, stderr=subprocess.STDOUT,
    )
    wait_for(lambda: port_open(port), timeout=60, what=f"gunicorn on :{port}")
    wait_for(lambda: Browser().get(port, "/healthz")[0] == 200, timeout=30, what=f"/healthz on :{port}")
    return process


def setup_data():
    """Accounts and issues, written straight to the shared database (as an import would)."""
    from django.core.management import call_command

    from tests.factories import make_entry, make_issue, make_published_issue, make_staff

    call_command("migrate", verbosity=0)
    make_staff("编辑", username="editor", password=PASSWORD)
    make_staff("签发", username="signer", password=PASSWORD)
    from bulletins.models import Issue
    from bulletins.snapshots import sign_with_revision

    published = make_published_issue(year=2023, number=13)
    make_entry(published, body="<p>近日，巴州区开展文明交通劝导活动。</p>")
    sign_with_revision(published)  # public pages serve the signed snapshot, as after a real publication

    for number in (14, 15, 16):
        make_entry(make_issue(year=2023, number=number, status=Issue.Status.AWAITING_SIGNOFF),
                   body=f"<p>第{number}期条目：市民参加志愿服务。</p>")


def transition(browser, port, number, action, **fields):
    from bulletins.models import Issue

    issue = Issue.objects.get(year=2023, number=number)
    status, _, _ = browser.post(port, f"/admin/bulletins/issue/{issue.pk}/transition/{action}/",
                                {"version": issue.version, **fields})
    issue.refresh_from_db()
    return status, issue


def run_checks(a, b, redis):
    from bulletins.models import Issue
    from tests.factories import make_entry, make_published_issue

    signer, editor = Browser(), Browser()

    # 1. A session made on one server works on the other.
    signer.log_in(a, "signer")
    status, _, _ = signer.get(b, "/admin/")
    check(status == 200, "the signer's session from A opens the admin on B")

    # 2. Publish on A, seen on B at once (B had the list cached); withdraw on B, gone from A at once.
    check("(第14期)" not in body_of(b, "/issues/")[2].decode(), "B caches the list without issue 14")
    status, issue = transition(signer, a, 14, "publish", when="now")
    check(status == 302 and issue.status == Issue.Status.PUBLISHED, "the signer publishes issue 14 on A")
    check("(第14期)" in body_of(b, "/issues/")[2].decode(), "B lists issue 14 at once")
    check(body_of(a, "/issues/2023/14/")[0] == 200, "A serves issue 14 (now cached on A)")
    status, issue = transition(signer, b, 14, "withdraw", comment="内容需核实。")
    check(status == 302 and issue.status == Issue.Status.WITHDRAWN, "the signer withdraws issue 14 on B")
    check(body_of(a, "/issues/2023/14/")[0] == 410, "A answers 410 for issue 14 at once")
    check(listening_workers() >= 2, "both servers keep the page numbers, told of changes by PostgreSQL (LISTEN)")

    # 3. An image uploaded through A is served through B.
    editor.log_in(a, "editor")
    image = jpeg()
    status, _, content = editor.upload(a, "/admin/bulletins/entryimage/upload/", {"alt_text": "站台志愿者"},
                                       "upload", "photo.jpg", image)
    answer = json.loads(content)
    check(status == 200 and answer.get("uploaded") == 1, "the editor uploads an image through A")
    status, headers, served = body_of(b, answer["url"])
    check(status == 200 and served[:3] == b"\xff\xd8\xff" and headers.get("x-content-type-options") == "nosniff"
          and "sandbox" in headers.get("content-security-policy", ""), "B serves the re-encoded image with its headers")

    # 4. A scheduled issue appears on both on time: hidden while its time is an hour away, then
    # rescheduled to a few seconds from now (as a signer changing the time would) and listed by
    # both once that time has passed, with no request in between telling them.
    now = datetime.datetime.now(datetime.timezone.utc)
    scheduled = make_published_issue(year=2023, number=20, published_at=now + datetime.timedelta(hours=1))
    make_entry(scheduled, body="<p>定时发布的条目。</p>")
    for port in (a, b):
        check("(第20期)" not in body_of(port, "/issues/")[2].decode(), f":{port} does not list issue 20 before its time")
    scheduled.published_at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)
    scheduled.save()
    for port in (a, b):
        body_of(port, "/issues/")  # cached again under the generation that ends at the new time
    time.sleep(max(0.0, (scheduled.published_at - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 0.2)
    for port in (a, b):
        check("(第20期)" in body_of(port, "/issues/")[2].decode(), f":{port} lists issue 20 once its time has come")

    # 5. Redis killed mid-run: public pages 200, the workflow works.
    public = ["/", "/issues/", "/issues/2023/13/", "/issues/2023/13/print/", "/search/?q=" + quote("文明交通"), "/feed/", "/sitemap.xml"]
    redis.kill()
    for port in (a, b):
        statuses = [body_of(port, path)[0] for path in public]
        check(statuses == [200] * len(public), f":{port} serves every public page with Redis down {statuses}")
    check(signer.get(b, "/admin/")[0] == 200, "the admin works on B with Redis down")
    status, issue = transition(signer, a, 15, "publish", when="now")
    check(status == 302 and issue.status == Issue.Status.PUBLISHED, "the signer publishes issue 15 on A with Redis down")
    check("(第15期)" in body_of(b, "/issues/")[2].decode(), "B lists issue 15 with Redis down")
    status, _, _ = body_of(a, "/readyz")
    check(status == 200, "A stays ready (/readyz 200) with Redis down")

    # 6. Redis restarted from an old snapshot serves nothing stale.
    redis.start()
    wait_for(lambda: "(第15期)" in body_of(a, "/issues/")[2].decode() and redis.client().dbsize() > 0,
             timeout=15, what="pages cached in Redis again")
    for port in (a, b):
        for path in ("/issues/", "/issues/2023/15/", "/"):
            body_of(port, path)
    redis.save()
    status, issue = transition(signer, a, 15, "withdraw", comment="撤回核实。")
    check(status == 302 and issue.status == Issue.Status.WITHDRAWN, "the signer withdraws issue 15 on A")
    redis.restart()  # from the snapshot taken while issue 15 was published
    check(redis.client().dbsize() > 0, "Redis came back holding the old pages")
    for port in (a, b):
        check(body_of(port, "/issues/2023/15/")[0] == 410, f":{port} answers 410 for issue 15 after the restart")
        check("(第15期)" not in body_of(port, "/issues/")[2].decode(), f":{port} does not list issue 15")


def jpeg():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def main():
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="wenming-two-servers-"))
    processes, servers = [], []

    def stop_everything(*_):
        for process in processes:
            stop_process(process)
        for server in servers:
            server.stop()

    signal.signal(signal.SIGTERM, lambda *_: (stop_everything(), sys.exit(143)))
    try:
        redis = RedisServer(workdir / "redis").start()
        servers.append(redis)
        moto = MotoServer().start()
        servers.append(moto)
        moto.create_bucket(BUCKET)
        log(f"Redis and object store up after {time.monotonic() - started:.0f} s")
        env = environment(redis, moto)
        os.environ.update({k: v for k, v in env.items() if k not in ("GUNICORN_WORKERS",)})
        fresh_database()
        import django

        django.setup()
        setup_data()
        log(f"database ready after {time.monotonic() - started:.0f} s")
        a, b = free_port(), free_port()
        with open(workdir / "gunicorn.log", "wb") as logfile:
            processes.append(start_gunicorn(env, a, logfile))
            processes.append(start_gunicorn(env, b, logfile))
            log(f"after {time.monotonic() - started:.0f} s: servers A :{a} and B :{b}, Redis :{redis.port}, object store :{moto.port}")
            try:
                run_checks(a, b, redis)
            except Exception:
                logfile.flush()
                print((workdir / "gunicorn.log").read_text(errors="replace")[-4000:], file=sys.stderr)
                raise
        log(f"all checks passed in {time.monotonic() - started:.0f} s")
    finally:
        stop_everything()
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
