"""Throwaway local Neo4j 5.26 (Community, Bolt) servers for tests -- no Docker needed.

The server is the small Java launcher in ``tools/neo4j-local`` (built with Maven from
``org.neo4j:neo4j`` on Maven Central). Typical use::

    from tests.neo4j_local import java_available, start_local_neo4j

    reason = java_available()
    if reason is None:
        server = start_local_neo4j()
        try:
            ...  # connect to server.url with auth=None
        finally:
            server.stop()

Only the standard library and the ``neo4j`` Python driver are used.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections import deque
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TOOL_DIR = REPO_ROOT / "tools" / "neo4j-local"
POM = TOOL_DIR / "pom.xml"
JAR = TOOL_DIR / "target" / "neo4j-local.jar"
LIB_DIR = TOOL_DIR / "target" / "lib"
# OpenGDS (Graph Data Science) jars: the database's plugins folder, where Neo4j registers
# their procedures, and also on the classpath, where Neo4j finds the GDS extension.
PLUGINS_DIR = TOOL_DIR / "target" / "plugins"
MAIN_CLASS = "connectorgraph.neo4jlocal.Neo4jLocal"
READY_PREFIX = "NEO4J_READY "

# JVM flags, taken from the server.jvm.additional defaults in Neo4j 5.26's neo4j.conf
# (keep in sync with tools/neo4j-local/start.sh).
JVM_FLAGS: list[str] = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
]

_LOG_TAIL_LINES = 40


def _heap_flags() -> list[str]:
    heap = os.environ.get("NEO4J_LOCAL_HEAP", "512m")
    # Neo4j warns unless -Xms is set explicitly; use the same value for both.
    return [f"-Xms{heap}", f"-Xmx{heap}"]


def _java_major(java: str) -> int | None:
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0_x" style
        major = int(match.group(2))
    return major


def _is_built() -> bool:
    if not JAR.is_file() or not LIB_DIR.is_dir():
        return False
    if not any(LIB_DIR.glob("neo4j-*.jar")):
        return False
    if not any(PLUGINS_DIR.glob("opengds-extension-*.jar")):
        return False
    # Rebuild when the launcher sources are newer than the jar.
    jar_mtime = JAR.stat().st_mtime
    sources = [POM, *(TOOL_DIR / "src").rglob("*.java")]
    return all(src.stat().st_mtime <= jar_mtime for src in sources if src.exists())


def java_available() -> str | None:
    """Check whether a local Neo4j server can be built and run on this machine.

    Returns:
        ``None`` if everything needed is present, otherwise a human-readable reason
        (suitable for ``pytest.skip``): no ``java`` on PATH, Java older than 17, or no
        ``mvn`` on PATH while the launcher has not been built yet.
    """
    java = shutil.which("java")
    if java is None:
        return "java not found on PATH (JDK 17+ required for the local Neo4j server)"
    major = _java_major(java)
    if major is None:
        return f"could not determine the Java version of {java}"
    if major < 17:
        return f"Java {major} found at {java}; Neo4j 5.26 needs Java 17 or 21"
    if shutil.which("mvn") is None and not _is_built():
        return "mvn not found on PATH (needed to build tools/neo4j-local)"
    return None


def build_neo4j_local(quiet: bool = True) -> None:
    """Build ``tools/neo4j-local`` with Maven unless the jar and its lib dir are up to date.

    Concurrent callers (e.g. pytest-xdist workers) are serialised with a file lock.

    Args:
        quiet: run Maven with ``-q`` and capture its output (shown only on failure); if False,
            Maven's full output goes to this process's stdout/stderr.

    Raises:
        RuntimeError: ``mvn`` is missing or the build failed (message includes the output tail).
    """
    if _is_built():
        return
    mvn = shutil.which("mvn")
    if mvn is None:
        raise RuntimeError("mvn not found on PATH; cannot build tools/neo4j-local")
    lock_name = "neo4j-local-build-" + hashlib.sha1(str(TOOL_DIR).encode()).hexdigest()[:12]
    lock_path = Path(tempfile.gettempdir()) / f"{lock_name}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _is_built():  # someone else built it while we waited
                return
            cmd = [mvn, "-B", "-Dstyle.color=never", "-f", str(POM), "package"]
            if quiet:
                cmd.insert(1, "-q")
                proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)
                output = proc.stdout + proc.stderr
            else:
                proc = subprocess.run(cmd, cwd=REPO_ROOT)
                output = "(output not captured; quiet=False)"
            if proc.returncode != 0 or not _is_built():
                tail = "\n".join(output.splitlines()[-60:])
                raise RuntimeError(
                    f"building tools/neo4j-local failed (exit {proc.returncode}):\n{tail}"
                )
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        with open(path, errors="replace") as fh:
            return "".join(deque(fh, maxlen=lines))
    except OSError as exc:
        return f"(could not read {path}: {exc})"


class LocalNeo4j:
    """A running throwaway Neo4j server (auth disabled) owned by this process.

    Attributes:
        url: Bolt URL to connect to, e.g. ``"bolt://127.0.0.1:54321"`` (use ``auth=None``).
        port: the Bolt port.
        tmp_dir: temporary directory holding the database files and ``neo4j-local.log``.
        log_path: the launcher's combined stdout/stderr (Neo4j's own log is
            ``tmp_dir/home/logs/debug.log``).
        process: the Java subprocess.
    """

    def __init__(
        self, url: str, port: int, process: subprocess.Popen[bytes], tmp_dir: Path, log_path: Path
    ) -> None:
        self.url = url
        self.port = port
        self.process = process
        self.tmp_dir = tmp_dir
        self.log_path = log_path
        self._stopped = False
        atexit.register(self.stop)

    def stop(self) -> None:
        """Stop the server (SIGTERM, wait up to ~30 s, then SIGKILL) and delete its temp dir.

        Safe to call more than once.
        """
        if self._stopped:
            return
        self._stopped = True
        atexit.unregister(self.stop)
        proc = self.process
        if proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        if proc.stdin is not None:
            try:
                proc.stdin.close()
            except OSError:
                pass
        shutil.rmtree(self.tmp_dir, ignore_errors=True)

    def __enter__(self) -> LocalNeo4j:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LocalNeo4j(url={self.url!r}, pid={self.process.pid})"


def _launch(port: int, tmp_dir: Path, log_path: Path) -> subprocess.Popen[bytes]:
    java = shutil.which("java") or "java"
    classpath = os.pathsep.join([str(JAR), str(LIB_DIR / "*"), str(PLUGINS_DIR / "*")])
    cmd = [
        java,
        *_heap_flags(),
        *JVM_FLAGS,
        "-Dneo4jlocal.exitOnStdinEof=true",
        f"-Dneo4jlocal.plugins={PLUGINS_DIR}",
        "-cp",
        classpath,
        MAIN_CLASS,
        str(tmp_dir / "home"),
        str(port),
        "127.0.0.1",
    ]
    with open(log_path, "ab") as log:
        # stdin is a pipe we never write to: if this Python process dies, the pipe closes and
        # the server shuts itself down instead of lingering.
        return subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_dir
        )


def _wait_ready(proc: subprocess.Popen[bytes], log_path: Path, url: str, deadline: float) -> None:
    import neo4j  # imported lazily so that java_available() works without the driver

    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"exited early with code {proc.returncode}")
        try:
            if READY_PREFIX in log_path.read_text(errors="replace"):
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for the NEO4J_READY line")
        time.sleep(0.1)

    last_error: Exception | None = None
    while time.monotonic() <= deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with code {proc.returncode} after becoming ready")
        try:
            with neo4j.GraphDatabase.driver(url, auth=None) as driver:
                driver.verify_connectivity()
            return
        except Exception as exc:  # noqa: BLE001 - any failure means "not yet"
            last_error = exc
            time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for Bolt connectivity: {last_error!r}")


def start_local_neo4j(timeout: float = 600.0) -> LocalNeo4j:
    """Start a fresh Neo4j server on a free localhost port with a temporary data directory.

    Builds ``tools/neo4j-local`` first if needed (that build is not counted in ``timeout``),
    then waits for the launcher's ``NEO4J_READY`` line and for the Python driver's
    ``verify_connectivity()`` to succeed. The server is stopped automatically at interpreter
    exit if :meth:`LocalNeo4j.stop` was not called.

    Args:
        timeout: seconds to wait for the server to become ready (generous: loading the Graph Data
            Science plugins takes a minute on an idle machine and several on a busy one).

    Returns:
        The running :class:`LocalNeo4j`.

    Raises:
        RuntimeError: Java/Maven unavailable, build failure, early exit or timeout (the
            message includes the last 40 lines of the server log).
    """
    reason = java_available()
    if reason is not None:
        raise RuntimeError(f"cannot start local Neo4j: {reason}")
    build_neo4j_local()

    attempts = 3  # a freshly picked free port can be grabbed by someone else; retry then
    for attempt in range(1, attempts + 1):
        tmp_dir = Path(tempfile.mkdtemp(prefix="neo4j-local-"))
        log_path = tmp_dir / "neo4j-local.log"
        port = _free_port()
        url = f"bolt://127.0.0.1:{port}"
        proc = _launch(port, tmp_dir, log_path)
        server = LocalNeo4j(url, port, proc, tmp_dir, log_path)
        try:
            _wait_ready(proc, log_path, url, time.monotonic() + timeout)
            return server
        except BaseException as exc:
            tail = _tail(log_path)
            debug_tail = _tail(tmp_dir / "home" / "logs" / "debug.log")
            server.stop()
            port_clash = "Address already in use" in tail + debug_tail
            if isinstance(exc, RuntimeError) and port_clash and attempt < attempts:
                continue
            if not isinstance(exc, RuntimeError):
                raise
            raise RuntimeError(
                f"local Neo4j on {url} failed to start: {exc}\n"
                f"--- last {_LOG_TAIL_LINES} lines of {log_path.name} ---\n{tail}"
                f"--- last {_LOG_TAIL_LINES} lines of debug.log ---\n{debug_tail}"
            ) from exc
    raise AssertionError("unreachable")
