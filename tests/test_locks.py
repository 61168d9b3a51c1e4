"""The two lock files: hashed, consistent with pyproject.toml and with each other, no test tools on servers."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def normalise(name):
    """The package's name as the locks write it: no extras (`moto[server]` is `moto`), PEP 503 form."""
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def read_lock(name):
    """{package: (version, number of hashes)} of a lock written by `make lock`."""
    pins, current = {}, None
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = normalise(match[1])
            pins[current] = [match[2], 0]
        elif line.strip().startswith("--hash=sha256:") and current:
            pins[current][1] += 1
    return pins


def declared(group=None):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["optional-dependencies"][group] if group else project["dependencies"]
    return {normalise(name): version for name, version in (requirement.split("==") for requirement in requirements)}


def test_every_pin_of_both_locks_has_a_hash():
    for name in ("requirements.lock", "requirements-dev.lock"):
        assert [package for package, (_, hashes) in read_lock(name).items() if hashes == 0] == [], name


def test_the_runtime_lock_pins_the_runtime_dependencies_and_no_test_tool():
    runtime = read_lock("requirements.lock")
    assert {name: runtime.get(name, [None])[0] for name in declared()} == declared()
    assert set(declared("test")) & set(runtime) == set()


def test_the_development_lock_adds_the_test_tools_to_the_same_runtime_pins():
    runtime, dev = read_lock("requirements.lock"), read_lock("requirements-dev.lock")
    assert {name: dev.get(name, [None])[0] for name in declared("test")} == declared("test")
    assert {name: dev.get(name, [None])[0] for name in runtime} == {name: pin[0] for name, pin in runtime.items()}
