import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def load(monkeypatch, **environ):
    for name in ("GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_REQUESTS_JITTER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_workers_are_recycled_rarely_so_restarts_cost_no_throughput(monkeypatch):
    conf = load(monkeypatch)
    # 800 req/s over five workers is 160 req/s each: at least ten minutes between restarts.
    assert conf["max_requests"] >= 160 * 600


def test_restarts_are_spread_by_a_wide_jitter(monkeypatch):
    conf = load(monkeypatch)
    assert conf["max_requests_jitter"] >= conf["max_requests"] // 10


def test_recycling_can_be_tuned_from_the_environment(monkeypatch):
    conf = load(monkeypatch, GUNICORN_MAX_REQUESTS="50000", GUNICORN_MAX_REQUESTS_JITTER="5000")
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (50000, 5000)
