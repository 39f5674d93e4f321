"""What an operator installs: the lock files agree with pyproject.toml, and the systemd unit is one systemd accepts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

UNIT = ROOT / "deploy" / "sfh-assistant.service"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+) \\$")


def pins(lock: Path) -> dict[str, str]:
    """Every ``name==version`` a lock file pins, by canonical name; each must be followed by its hashes."""
    lines = lock.read_text(encoding="utf-8").splitlines()
    found: dict[str, str] = {}
    for number, line in enumerate(lines):
        match = PIN.match(line)
        if match:
            assert lines[number + 1].strip().startswith("--hash=sha256:"), f"{lock.name}: {line} has no hash"
            found[canonicalize_name(match["name"])] = match["version"]
        else:
            assert not re.match(r"^[A-Za-z0-9]", line), f"{lock.name}: {line!r} is not a hashed pin"
    return found


def declared(extra: str | None = None) -> list[Requirement]:
    """The requirements pyproject.toml declares: the runtime ones, or those of ``extra``."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    raw = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(text) for text in raw]


@pytest.mark.parametrize(("lock", "extras"), [("requirements.txt", [None]), ("requirements-dev.txt", [None, "dev"])])
def test_lock_files_pin_every_declared_dependency_within_its_range(lock: str, extras: list[str | None]) -> None:
    """Each lock pins, hashed, every dependency pyproject.toml declares, in its allowed range (else `bash .ci/lock`)."""
    pinned = pins(ROOT / lock)
    for extra in extras:
        for requirement in declared(extra):
            name = canonicalize_name(requirement.name)
            assert name in pinned, (
                f"{requirement} is declared in pyproject.toml but not pinned in {lock}: run `bash .ci/lock`"
            )
            assert requirement.specifier.contains(pinned[name], prereleases=True), (
                f"{lock} pins {name}=={pinned[name]}, outside {requirement}: run `bash .ci/lock`"
            )


def test_dev_lock_pins_the_runtime_packages_exactly_as_the_runtime_lock() -> None:
    """Development and production run the same versions: every runtime pin appears unchanged in the dev lock."""
    runtime, dev = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-dev.txt")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_systemd_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    """``systemd-analyze verify`` accepts the unit with no warning, on a root where its ExecStart exists."""
    if not sys.platform.startswith("linux"):
        pytest.skip("systemd exists only on Linux")
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: `apt-get install systemd` (.ci/run installs it)"
    # A root holding systemd's own units (for the targets the unit orders itself after), the
    # unit, and an executable where its ExecStart points; verify checks that the command exists.
    shutil.copytree("/usr/lib/systemd/system", tmp_path / "usr/lib/systemd/system", symlinks=True)
    executable = tmp_path / "opt/sfh-assistant/.venv/bin/python"
    executable.parent.mkdir(parents=True)
    executable.write_text("#!/bin/sh\n", encoding="utf-8")
    executable.chmod(0o755)
    installed = tmp_path / "etc/systemd/system" / UNIT.name
    installed.parent.mkdir(parents=True)
    shutil.copyfile(UNIT, installed)
    result = subprocess.run(  # noqa: S603
        [analyze, "verify", f"--root={tmp_path}", str(installed)], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_systemd_analyze_verify_catches_a_broken_unit(tmp_path: Path) -> None:
    """The check above can fail: a missing ExecStart command or a misspelt key is reported by the same command."""
    if not sys.platform.startswith("linux"):
        pytest.skip("systemd exists only on Linux")
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: `apt-get install systemd` (.ci/run installs it)"
    shutil.copytree("/usr/lib/systemd/system", tmp_path / "usr/lib/systemd/system", symlinks=True)
    installed = tmp_path / "etc/systemd/system" / UNIT.name
    installed.parent.mkdir(parents=True)
    installed.write_text(UNIT.read_text(encoding="utf-8").replace("RestartSec=", "RestartSecs="), encoding="utf-8")
    result = subprocess.run(  # noqa: S603
        [analyze, "verify", f"--root={tmp_path}", str(installed)], capture_output=True, text=True, check=False
    )
    output = result.stdout + result.stderr
    assert "Unknown key 'RestartSecs'" in output
    assert "/opt/sfh-assistant/.venv/bin/python is not executable" in output


def test_systemd_unit_runs_as_its_own_user_with_state_under_var_lib_and_secrets_from_a_file() -> None:
    """The unit runs as sfh-bot, restarts on failure (not a bad setting), keeps DATA_DIR in /var/lib, reads env file."""
    settings: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            settings.setdefault(key, []).append(value)
    assert settings["User"] == ["sfh-bot"]
    assert settings["Restart"] == ["on-failure"]
    assert settings["RestartPreventExitStatus"] == ["2"]
    assert settings["KillSignal"] == ["SIGTERM"]
    assert settings["StateDirectory"] == ["sfh-assistant"]
    assert settings["StateDirectoryMode"] == ["0700"]
    assert "DATA_DIR=/var/lib/sfh-assistant/data" in settings["Environment"]
    assert settings["EnvironmentFile"] == ["/etc/sfh-assistant.env"]
    assert settings["ExecStart"] == ["/opt/sfh-assistant/.venv/bin/python -m bot run"]
