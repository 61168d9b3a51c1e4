"""Run several fresh Django processes for the price of one interpreter start.

The production-settings tests need one process per environment (settings are read once, at
start). Starting Python, Django and the libraries the project imports costs seconds each time;
this script imports the libraries once, unconfigured, and then forks one child per job. Each
child gets exactly the job's environment, runs `manage.py …` or `-c code` as a new process
would, and reports its exit status, stdout and stderr.

stdin: a JSON list of {"env": {...}, "argv": ["manage.py", ...] | ["-c", code]}
stdout: a JSON list of {"returncode": int, "stdout": str, "stderr": str}, in the same order.
"""

import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Libraries only: nothing here may read the settings (none are configured in this process).
PRELOAD = ["django.db.models", "django.urls", "django.http", "django.template", "django.forms",
           "django.core.serializers.json", "django.core.mail", "openpyxl", "fontTools.ttLib", "docx",
           "weasyprint", "redis", "sqlparse", "PIL.Image", "bs4", "psycopg2", "tinycss2", "cssselect2"]


def preload():
    for module in PRELOAD:
        try:
            __import__(module)
        except Exception:  # noqa: BLE001 - a library missing or needing settings: the child imports it
            pass


def _run_job(job):
    os.chdir(ROOT)
    os.environ.clear()
    os.environ.update(job["env"])
    argv = job["argv"]
    # sys.path[0] as `python -c` (the working directory) or `python manage.py` (its folder) sets it.
    sys.path[0] = "" if argv[0] == "-c" else str(ROOT)
    if argv[0] == "-c":
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
    else:
        import runpy

        sys.argv = list(argv)
        runpy.run_path(str(ROOT / argv[0]), run_name="__main__")


def run_in_child(job, directory):
    out_path, err_path = Path(directory) / "out", Path(directory) / "err"
    pid = os.fork()
    if pid == 0:  # the child: a process of its own from here on
        code = 0
        try:
            out, err = open(out_path, "w", encoding="utf-8"), open(err_path, "w", encoding="utf-8")
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            sys.stdout, sys.stderr = out, err
            try:
                _run_job(job)
            except SystemExit as exit_:
                if exit_.code is None:
                    code = 0
                elif isinstance(exit_.code, int):
                    code = exit_.code
                else:
                    print(exit_.code, file=sys.stderr)
                    code = 1
            except BaseException:  # noqa: BLE001 - as an uncaught exception ends a process
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return {"returncode": os.waitstatus_to_exitcode(status),
            "stdout": out_path.read_text(encoding="utf-8", errors="replace"),
            "stderr": err_path.read_text(encoding="utf-8", errors="replace")}


def main():
    jobs = json.load(sys.stdin)
    preload()
    results = []
    for job in jobs:
        with tempfile.TemporaryDirectory() as directory:
            results.append(run_in_child(job, directory))
    sys.stdout.write(json.dumps(results))


if __name__ == "__main__":
    main()
