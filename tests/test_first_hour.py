"""The README's two commands, run as a new user would on a Debian/Ubuntu system Python.

Debian 12 and Ubuntu 24.04 mark their system Python as externally managed
(PEP 668): ``pip install`` outside a virtual environment is refused. Both
``bash scripts/run-app.sh`` and ``bash scripts/test.sh`` must work there from
a fresh copy of the project, by making and using a project-local ``.venv``
themselves. The test copies the project's files (as a clone would have them)
into a temporary folder and runs both commands with ``PYTHON`` pointing at
the system interpreter, also along the path taken when ``python3 -m venv``
cannot install pip (Debian without ``python3-venv``).

Installing the requirements reuses pip's download cache, so a second run
costs little more than unpacking wheels.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from server import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = os.environ.get("CONNECTOR_GRAPH_SYSTEM_PYTHON", "/usr/bin/python3")
#: generous: the first install downloads every requirement
CEILING = 1800.0

pytestmark = [pytest.mark.slow, pytest.mark.first_hour, pytest.mark.xdist_group("first_hour"), pytest.mark.timeout(2 * 3600)]


def _externally_managed(python: str) -> bool:
    probe = "import sysconfig, os; print(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED'))"
    marker = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    return Path(marker).is_file()


@pytest.fixture(scope="module")
def system_python() -> str:
    """Debian's externally managed /usr/bin/python3 (install it with apt-get install python3)."""
    if not Path(SYSTEM_PYTHON).exists():
        pytest.skip(f"no system Python at {SYSTEM_PYTHON}")
    if not _externally_managed(SYSTEM_PYTHON):
        pytest.skip(f"{SYSTEM_PYTHON} is not marked EXTERNALLY-MANAGED (PEP 668)")
    return SYSTEM_PYTHON


def fresh_copy(target: Path) -> Path:
    """The project's files as a clone has them: tracked and new files, nothing ignored (no .venv, no data)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, listed):
        source = ROOT / os.fsdecode(name)
        if source.is_file():
            (target / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / os.fsdecode(name))
    return target


def user_env(python: str, **extra: str) -> dict[str, str]:
    """A new user's environment: no virtual environment active, no project on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    env.update(PYTHON=python, **extra)
    return env


def stop_group(process: subprocess.Popen) -> None:
    """Stop a process started in its own session, and everything it started."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, None)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    process.wait()


def serve_until_healthy(project: Path, env: dict[str, str], log: Path) -> str:
    """Run ``bash scripts/run-app.sh`` on a free port until the dashboard answers; return the store it seeded."""
    port = free_port()
    with open(log, "w") as out:
        process = subprocess.Popen(
            ["bash", "scripts/run-app.sh", "--server.port", str(port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + CEILING
            while True:
                assert process.poll() is None, f"run-app.sh stopped (code {process.returncode}): {log.read_text()[-3000:]}"
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, f"the dashboard never answered: {log.read_text()[-3000:]}"
                time.sleep(1)
        finally:
            stop_group(process)
    return log.read_text()


@pytest.mark.parametrize("ensurepip", [True, False], ids=["venv", "venv-without-ensurepip"])
def test_readme_commands_work_on_an_externally_managed_python(system_python: str, tmp_path: Path,
                                                              ensurepip: bool) -> None:
    project = fresh_copy(tmp_path / "connector_graph")
    extra = {} if ensurepip else {"CONNECTOR_GRAPH_VENV_WITHOUT_ENSUREPIP": "1"}
    env = user_env(system_python, **extra)

    output = serve_until_healthy(project, env, tmp_path / "run-app.log")
    venv_python = project / ".venv" / "bin" / "python"
    assert venv_python.exists(), output
    assert "externally-managed-environment" not in output
    if not ensurepip:
        assert "fetching pip's wheel from PyPI" in output
    # the demo city went into the project's own store, through the .venv's interpreter
    stats = subprocess.run([str(venv_python), "-m", "connector_graph", "stats", "--json"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=CEILING)
    assert stats.returncode == 0, stats.stderr
    assert '"people": 0' not in stats.stdout

    if not ensurepip:
        return  # from here on the two paths are the same: a .venv with pip, as the first case checks
    # the README's test command, on a small part of the suite, in the same copy
    tests = subprocess.run(["bash", "scripts/test.sh", "-n", "0", "-p", "no:cacheprovider", "-q",
                            "tests/test_model.py"], cwd=project, env=env, capture_output=True, text=True,
                           timeout=CEILING)
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-3000:]
    assert " passed" in tests.stdout
    # the suite ran in the project's .venv, not in any Python of the caller
    assert str(project / ".venv") in subprocess.run(
        [str(venv_python), "-c", "import pytest, sys; print(sys.prefix)"], capture_output=True, text=True).stdout
