"""The README's install, from the locks, on the day the index offers a newer release.

On 2026-12-08 a newer fonttools on the index broke both README commands: the pip bundled with the
venv resolved weasyprint's `fonttools[woff]>=4.59.2` as a separate, unpinned requirement and
refused the hashed lock. Here a local package folder offers fonttools 99.0 (with the same extra)
and a newer uv, and the Makefile's own install must still put the pinned releases in a new venv.
"""

import base64
import hashlib
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.system


def _pinned(lock, name):
    return re.search(rf"^{name}==(\S+)", (ROOT / lock).read_text(), re.MULTILINE).group(1)


def build_wheel(folder, name, version, *, metadata=""):
    """A minimal, valid wheel of `name` `version` whose only content is its metadata."""
    dist_info = f"{name}-{version}.dist-info"
    files = {
        f"{name}_newer_than_the_lock.py": "",
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{metadata}",
        f"{dist_info}/WHEEL": "Wheel-Version: 1.0\nGenerator: wenming-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{dist_info}/RECORD,,")
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
        archive.writestr(f"{dist_info}/RECORD", "\n".join(record) + "\n")
    return wheel


def installed_version(venv, name):
    result = subprocess.run([venv / "bin" / "python", "-c", f"import importlib.metadata as m; print(m.version({name!r}))"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_newer_release_with_extras_on_the_index_does_not_change_the_install(tmp_path):
    newer = tmp_path / "newer-releases"
    newer.mkdir()
    build_wheel(newer, "fonttools", "99.0",
                metadata="Provides-Extra: woff\nRequires-Dist: brotli>=1.0.1; extra == \"woff\"\n")
    build_wheel(newer, "uv", "99.0")
    venv, tools = tmp_path / "venv", tmp_path / "tools"
    # Both the bootstrap (pip, for uv) and the install (uv, for the lock) are offered the newer releases.
    env = {**os.environ, "PIP_FIND_LINKS": str(newer), "UV_FIND_LINKS": str(newer), "PYTHON": sys.executable}
    result = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), f"VENV={venv}", f"TOOLS={tools}", "setup"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr

    assert installed_version(venv, "fonttools") == _pinned("requirements.lock", "fonttools") != "99.0"
    assert installed_version(venv, "weasyprint") == _pinned("requirements.lock", "weasyprint")
    assert installed_version(tools, "uv") == _pinned("requirements-tools.lock", "uv") != "99.0"
