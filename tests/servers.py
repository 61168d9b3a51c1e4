"""Real servers for fault tests: Redis, an S3-compatible object store (moto), PostgreSQL replicas.

Each starts on a free port of its own, waits a bounded time until it answers, and is stopped by
its process id (never by name). Used by the tests and by `.ci/two_servers.py`.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, *, timeout=20.0, interval=0.1, what="server"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what} did not become ready within {timeout:.0f} s")


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def stop_process(process, timeout=10.0):
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


class RedisServer:
    """redis-server on a free port; its RDB snapshot file lives in `directory`, written only by `save()`."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    @staticmethod
    def available():
        return shutil.which("redis-server") is not None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory), "--dbfilename", "dump.rdb"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=15, what="redis-server")
        return self

    def _answers(self):
        try:
            return self.client().ping()
        except Exception:  # noqa: BLE001
            return False

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)

    def save(self):
        """Write the snapshot now (what a Redis with persistence on does every few minutes)."""
        self.client().save()

    def kill(self):
        """Gone at once, as after a crash: SIGKILL, no final snapshot."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def restart(self):
        self.kill()
        return self.start()

    def stop(self):
        self.kill()

    def fresh(self):
        """Running, empty and without a snapshot file: what a test that shares this server starts from."""
        (self.directory / "dump.rdb").unlink(missing_ok=True)
        if self.process is None or self.process.poll() is not None:
            return self.start()
        self.client().flushall()
        return self


class MotoServer:
    """moto's standalone S3-compatible server, standing in for MinIO, OSS, COS or OBS."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    @staticmethod
    def available():
        try:
            import moto.server  # noqa: F401
        except ImportError:
            return False
        return True

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"},
        )
        wait_for(lambda: port_open(self.port), timeout=30, what="moto server")
        return self

    def create_bucket(self, name):
        import boto3

        client = boto3.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
        )
        client.create_bucket(Bucket=name)
        return client

    def stop(self):
        stop_process(self.process)


class PostgresPair:
    """A private PostgreSQL primary and a streaming replica made from it with pg_basebackup.

    Both run as the `postgres` user (initdb refuses root) from a temporary directory, on free
    ports, with trust authentication on 127.0.0.1 only; `stop()` stops both and removes them.
    """

    def __init__(self):
        self.primary_port, self.replica_port = free_port(), free_port()
        self.base = None

    @staticmethod
    def bindir():
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        return versions[-1] if versions else None

    @classmethod
    def missing(cls):
        """Why a pair cannot be started here, or None."""
        bindir = cls.bindir()
        if bindir is None or not all((bindir / tool).exists() for tool in ("initdb", "pg_ctl", "pg_basebackup")):
            return "PostgreSQL 服务器工具（initdb、pg_ctl、pg_basebackup）未安装"
        if os.geteuid() == 0 and shutil.which("runuser") is None:
            return "以 root 运行时需要 runuser 切换到 postgres 用户"
        return None

    def _run(self, tool, *args, timeout=120):
        command = [str(self.bindir() / tool), *map(str, args)]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=timeout)

    def _pg_ctl_start(self, directory, port):
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.base} -c fsync=off"
        self._run("pg_ctl", "-D", directory, "-o", options, "-l", f"{directory}.log", "-w", "-t", "60", "start")

    def start(self):
        import tempfile

        self.base = Path(tempfile.mkdtemp(prefix="wenming-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        primary, replica = self.base / "primary", self.base / "replica"
        self._run("initdb", "-D", primary, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")
        self._pg_ctl_start(primary, self.primary_port)
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", self.primary_port, "-U", "postgres", "-D", replica,
                  "-R", "-X", "stream")
        self._pg_ctl_start(replica, self.replica_port)
        return self

    def url(self, port, name):
        return f"postgres://postgres@127.0.0.1:{port}/{name}"

    def stop(self):
        if self.base is None:
            return
        for directory in ("replica", "primary"):
            if (self.base / directory / "postmaster.pid").exists():
                try:
                    self._run("pg_ctl", "-D", self.base / directory, "-m", "immediate", "-w", "stop", timeout=60)
                except subprocess.SubprocessError:
                    pass
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None
