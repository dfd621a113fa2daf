"""Several people on one dashboard at once: K browser sessions logging, one browsing, one CLI writer.

One command, from the repository root::

    python bench/load.py [--users 2 4 8] [--each 5] [--cli 50] [--width 390 --height 844]
    python bench/load.py --soak 30 --users 4      # sessions coming and going; memory over time

For each K it seeds the demo network into a fresh SQLite store and starts
the dashboard on it (``streamlit run app.py``, with
``CONNECTOR_GRAPH_TIMING_LOG`` set so the app logs the server's time for
every script run; see :mod:`connector_graph.timing`). Then, at the same
time, in Debian's Chromium (one browser, one context per person):

- **K connectors** each log ``--each`` introductions through the form: open
  the logging page, pick a resident (a different one every time), pick the
  organisation, press "Log introduction", wait for the confirmation;
- **one manager** keeps opening Gaps, the Network explorer and Key
  connectors until the connectors are done;
- **a CLI writer** runs ``connector-graph introduce`` ``--cli`` times.

Reported per K: introductions stored against expected (and any logged
twice), browser-observed submit time (click to "Logged…") and page open
times, the server's time per submission (the script run the click caused,
with the rerun it asked for) and per page render (from the timing log),
the server's CPU (share of one core over the run) and resident memory
(start, peak, end), and the load average. The browsers share the machine's
cores with the server, so read the server-side times for the server and the
browser times for how it felt. ``--clients-nice N`` (default 19) runs the
browsers and the CLI writer at a lower scheduling priority than the server,
as if they were on other machines: on a 2-core machine eight Chromium
sessions otherwise take most of the CPU the server's times are measured on;
``--clients-nice 0`` shares the cores evenly. The slowest server runs are
listed with when they happened. Results go to standard output and
``bench/results/``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "bench"))

from dashboard_bench import IDLE  # noqa: E402
from server import chromium_path, free_port  # noqa: E402

from connector_graph import service  # noqa: E402
from connector_graph.auth import acting_as  # noqa: E402
from connector_graph.seed import generate  # noqa: E402
from connector_graph.store import IntroductionFilter, open_store  # noqa: E402
from connector_graph.timing import TIMING_LOG, read_runs  # noqa: E402

TIMEOUT_MS = 300_000
KEY_DELAY_MS = 60
INTRODUCER = "Gary Campbell"  # a connector in the demo network, the only one of that name
ORGANISATION = "Farsley Community Hub"
BY, SUBJECT, TO = "Introduced by", "Person introduced", "Introduced to (person or organisation)"
BROWSED = {"gaps": "Gaps", "explorer": "Network explorer", "connectors": "Key connectors"}
SETTLED = f"() => ({IDLE})() && !document.querySelector('[data-stale=\"true\"]')"


# ------------------------------------------------------------------ the server

class Server:
    """The dashboard in its own process, with its CPU time and memory sampled twice a second."""

    def __init__(self, store_url: str, timing_log: Path, log: Path, root: Path = ROOT) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.timing_log = timing_log
        launcher = (["-m", "dashboard.serve"] if (root / "dashboard" / "serve.py").exists()  # as run-app.sh starts it
                    else ["-m", "streamlit", "run", str(root / "app.py")])  # a checkout from before the launcher
        command = [sys.executable, *launcher, "--server.port", str(self.port),
                   "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "CONNECTOR_GRAPH_STORE": store_url,
               TIMING_LOG: str(timing_log), "PYTHONPATH": str(root)}
        self._out = open(log, "w")
        self.process = subprocess.Popen(command, cwd=root, env=env, stdout=self._out, stderr=subprocess.STDOUT)
        self.rss: list[tuple[float, float]] = []  # (seconds since start, MB)
        self._stop = threading.Event()
        self._sampler: threading.Thread | None = None
        self._cpu0 = self._t0 = 0.0

    def wait_ready(self, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the app did not start")
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def start_sampling(self) -> None:
        self._cpu0, self._t0 = self.cpu_seconds(), time.monotonic()

        def sample() -> None:
            while not self._stop.wait(0.5):
                try:
                    self.rss.append((time.monotonic() - self._t0, self.rss_mb()))
                except OSError:
                    return

        self.rss.append((0.0, self.rss_mb()))
        self._sampler = threading.Thread(target=sample, daemon=True)
        self._sampler.start()

    def stop_sampling(self) -> tuple[float, float]:
        """(share of one core used since sampling started, seconds)."""
        self._stop.set()
        if self._sampler:
            self._sampler.join()
        elapsed = time.monotonic() - self._t0
        self.rss.append((elapsed, self.rss_mb()))
        return (self.cpu_seconds() - self._cpu0) / elapsed, elapsed

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._out.close()


@contextmanager
def running(store_url: str, folder: Path, root: Path = ROOT) -> Iterator[Server]:
    server = Server(store_url, folder / "timing.jsonl", folder / "app.log", root)
    try:
        server.wait_ready()
        yield server
    finally:
        server.close()


# ------------------------------------------------------------------ the people

async def idle(page) -> None:
    await page.wait_for_timeout(50)
    await page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)


async def open_page(page, base: str, path: str, heading: str) -> float:
    """Go to a page; seconds until its heading shows and its script has finished."""
    start = time.perf_counter()
    await page.goto(f"{base}/{path}", timeout=TIMEOUT_MS)
    await page.get_by_role("heading", name=heading).first.wait_for(timeout=TIMEOUT_MS)
    await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
    return time.perf_counter() - start


#: The page-address parameter the logging page sets once a picker's choice has reached the server.
CHOSEN_IN_URL = {"Who are you?": "by", BY: "by", SUBJECT: "subject", TO: "to"}


async def pick(page, label: str, text: str) -> None:
    """Type ``text`` into the search picker ``label``, press Enter, tap the first result holding it.

    Returns once the server has taken the choice: the logging page then names
    it in the page's address. Waiting for the page to look idle is not
    enough on a busy server: the run the tap asks for may not have begun, and
    a step taken meanwhile (typing into the next box) is undone when that run
    redraws the form.
    """
    search = page.get_by_role("textbox", name=label, exact=True)
    await search.click()
    await search.press_sequentially(text, delay=KEY_DELAY_MS)
    await search.press("Enter")
    matches = page.get_by_test_id("stRadio").filter(has=page.get_by_text(f"Matches for {label}", exact=True))
    result = matches.get_by_text(text).first
    await result.wait_for(timeout=TIMEOUT_MS)
    await idle(page)
    await result.click()
    parameter = re.compile(rf"[?&]{CHOSEN_IN_URL[label]}=")
    await page.wait_for_url(lambda url: bool(parameter.search(url)), timeout=TIMEOUT_MS, wait_until="commit")
    await page.wait_for_timeout(300)  # the run the tap caused (it draws the same list, the result chosen)
    await idle(page)


async def connector(browser, context_args: dict, base: str, residents: list[str], out: dict) -> None:
    """One connector logging an introduction for each of ``residents``, each from a freshly opened page."""
    context = await browser.new_context(**context_args)
    context.set_default_timeout(TIMEOUT_MS)  # every step, as in the browser tests: the machine is shared
    page = await context.new_page()
    try:
        for resident in residents:
            start = time.perf_counter()
            await page.goto(f"{base}/log", timeout=TIMEOUT_MS)
            await page.get_by_label(SUBJECT, exact=True).first.wait_for(timeout=TIMEOUT_MS)
            await idle(page)
            out["log_open"].append(time.perf_counter() - start)
            if await page.get_by_role("textbox", name="Who are you?", exact=True).count():
                await pick(page, "Who are you?", INTRODUCER)
            if await page.get_by_role("textbox", name=BY, exact=True).count():
                await pick(page, BY, INTRODUCER)
            await pick(page, SUBJECT, resident)
            await pick(page, TO, ORGANISATION)
            if await page.get_by_role("textbox", name=BY, exact=True).count():  # a choice lost to a rerun
                await pick(page, BY, INTRODUCER)
            start = time.perf_counter()
            await page.get_by_role("button", name="Log introduction").click()
            await page.get_by_text(re.compile(r"^Logged")).first.wait_for(timeout=TIMEOUT_MS)
            out["submit"].append(time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - counted and reported, the others carry on
        out["errors"].append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
        shot = ROOT / "bench" / "results" / f"load-failed-{residents[0].split()[0]}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(shot), full_page=True)
        out["errors"].append(f"  the page is in {shot}")
    finally:
        await context.close()


async def warm_up(browser, context_args: dict, base: str) -> None:
    """The first visit: answers "who are you?" once for the store and opens it, before anyone is timed."""
    context = await browser.new_context(**context_args)
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    for _attempt in range(3):  # answered once, then a fresh page no longer asks
        await open_page(page, base, "log", "Log an introduction")
        await page.get_by_label(SUBJECT, exact=True).first.wait_for(timeout=TIMEOUT_MS)  # the whole form is drawn
        await idle(page)
        if not await page.get_by_role("textbox", name="Who are you?", exact=True).count():
            break
        await pick(page, "Who are you?", INTRODUCER)
    else:
        raise RuntimeError("the logging page kept asking 'Who are you?' after it was answered")
    await context.close()


async def manager(browser, context_args: dict, base: str, done: asyncio.Event, out: dict) -> None:
    """One manager opening the analysis pages in turn until the connectors are done."""
    context = await browser.new_context(**context_args)
    context.set_default_timeout(TIMEOUT_MS)  # every step, as in the browser tests: the machine is shared
    page = await context.new_page()
    try:
        while not done.is_set():
            for path, heading in BROWSED.items():
                out[path].append(await open_page(page, base, path, heading))
    except Exception as exc:  # noqa: BLE001
        out["errors"].append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    finally:
        await context.close()


def niced(command: list[str], nice: int) -> list[str]:
    """``command`` run at scheduling priority ``nice`` (0: unchanged)."""
    return ["nice", "-n", str(nice), *command] if nice else command


def client_browser(chromium: str, nice: int, folder: Path) -> str:
    """The browser to launch: Debian's Chromium, behind a wrapper that lowers its priority when ``nice``."""
    if not nice:
        return chromium
    wrapper = folder / "chromium-niced"
    wrapper.write_text(f'#!/bin/sh\nexec nice -n {int(nice)} "{chromium}" "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


def cli_writer(store_url: str, by: str, subjects: list[str], to: str, nice: int = 0) -> subprocess.Popen:
    """A shell loop logging one introduction per subject through the command line."""
    loop = 'for s in $SUBJECTS; do "$PY" -m connector_graph introduce --by "$BY" --subject "$s" --to "$TO" ' \
           '--purpose load || exit 1; done'
    env = {**os.environ, "CONNECTOR_GRAPH_STORE": store_url, "PY": sys.executable, "PYTHONPATH": str(ROOT),
           "SUBJECTS": " ".join(subjects), "BY": by, "TO": to}
    return subprocess.Popen(niced(["bash", "-c", loop], nice), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


# ------------------------------------------------------------------ one K

def unique_residents(store) -> list[tuple[str, str]]:
    """(id, name) of residents whose name no one else has, in name order."""
    people = store.list_people()
    count: dict[str, int] = {}
    for p in people:
        count[p.name.casefold()] = count.get(p.name.casefold(), 0) + 1
    return [(p.id, p.name) for p in people if count[p.name.casefold()] == 1 and "resident" in
            [str(getattr(r, "value", r)) for r in p.roles]]


def server_times(runs: list[dict]) -> tuple[list[float], dict[str, list[float]]]:
    """The server's seconds per submission (the click's run plus the rerun it asked for) and per page render."""
    submits: list[float] = []
    pages: dict[str, list[float]] = {}
    pending: dict[str, float] = {}
    for run in runs:
        who = run["session"]
        if who in pending:  # the rerun a submission asked for, where the confirmation is drawn
            submits.append(pending.pop(who) + run["seconds"])
        elif "intro" in run["actions"]:
            if run["done"] == "rerun":
                pending[who] = run["seconds"]
            else:
                submits.append(run["seconds"])
        elif not run["actions"]:
            pages.setdefault(run["page"], []).append(run["seconds"])
    return submits, pages


def slowest(runs: list[dict], since: float, count: int = 3) -> str:
    """The ``count`` slowest script runs: page, what the run did, seconds, and when (seconds since ``since``)."""
    worst = sorted(runs, key=lambda r: -r["seconds"])[:count]
    return "; ".join(f"{r['page']}{'/' + '+'.join(r['actions']) if r['actions'] else ''} {r['seconds']:.2f} s "
                     f"at {r['at'] - r['seconds'] - since:.0f} s" for r in worst)


def stat(values: list[float]) -> str:
    if not values:
        return "none"
    return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s (n={len(values)})"


def one_load(k: int, each: int, cli: int, browser_args: dict, chromium: str, root: Path = ROOT,
             nice: int = 0) -> list[str]:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'load.db'}"
        store = open_store(url)
        with acting_as("bench", "admin"):
            service.load_batch(store, generate("demo"))
            residents = unique_residents(store)
            by = next(p.id for p in store.search_actors(INTRODUCER, limit=5) if p.name == INTRODUCER)
            to = next(a.id for a in store.search_actors(ORGANISATION, limit=5) if a.name.startswith(ORGANISATION))
            before = store.counts().introductions
        store.close()
        if len(residents) < k * each + cli:
            sys.exit(f"error: the demo network has only {len(residents)} residents with a name of their own")
        browsed = residents[: k * each]
        by_cli = [pid for pid, _name in residents[k * each: k * each + cli]]
        load_before = os.getloadavg()
        browser_exe = client_browser(chromium, nice, folder)
        with running(url, folder, root) as server:
            out = {"log_open": [], "submit": [], "errors": [], **{p: [] for p in BROWSED}}

            async def everyone() -> None:
                async with async_playwright() as pw:
                    browser = await pw.chromium.launch(executable_path=browser_exe, args=["--no-sandbox"])
                    try:
                        await warm_up(browser, browser_args, server.base)
                        out["started"] = [time.time()]
                        server.start_sampling()
                        writer = cli_writer(url, by, by_cli, to, nice)
                        done = asyncio.Event()
                        watching = asyncio.create_task(manager(browser, browser_args, server.base, done, out))
                        names = [name for _pid, name in browsed]
                        await asyncio.gather(*(connector(browser, browser_args, server.base,
                                                         names[i * each:(i + 1) * each], out) for i in range(k)))
                        done.set()
                        await watching
                        while writer.poll() is None:
                            await asyncio.sleep(0.5)
                        if writer.returncode:
                            out["errors"].append("CLI writer: " + (writer.stderr.read() or "")[-300:])
                    finally:
                        await browser.close()

            asyncio.run(everyone())
            cpu, elapsed = server.stop_sampling()
            rss = [mb for _t, mb in server.rss]
            runs = read_runs(server.timing_log)
        load_after = os.getloadavg()
        store = open_store(url)
        try:
            intros = [i for i in store.list_introductions(IntroductionFilter(introducer_id=by))
                      if i.target_id == to]
            stored = store.counts().introductions - before
        finally:
            store.close()
        per_subject: dict[str, int] = {}
        for i in intros:
            per_subject[i.subject_id] = per_subject.get(i.subject_id, 0) + 1
        wanted = [pid for pid, _n in browsed] + by_cli
        twice = sum(1 for pid in wanted if per_subject.get(pid, 0) > 1)
        missing = sum(1 for pid in wanted if per_subject.get(pid, 0) == 0)
        submits, pages = server_times(runs)
        lines = [
            f"K = {k} connectors x {each} introductions, 1 manager browsing, CLI writer x {cli}"
            f"{f', clients at nice {nice}' if nice else ''}:",
            f"  stored {stored} of {k * each + cli} expected; missing {missing}, logged twice {twice}; "
            f"errors {len(out['errors'])}" + ("".join(f"\n    {e}" for e in out["errors"][:5])),
            f"  browser: submit (click -> 'Logged')   {stat(out['submit'])}",
            f"  browser: log page open               {stat(out['log_open'])}",
            *(f"  browser: {name:<28} {stat(out[path])}" for path, name in BROWSED.items()),
            f"  server: submission (run + rerun)     {stat(submits)}",
            *(f"  server: render {page:<22} {stat(times)}" for page, times in sorted(pages.items())),
            f"  server: all renders                  {stat([t for v in pages.values() for t in v])}",
            f"  server: slowest runs: {slowest([r for r in runs if r['at'] >= out['started'][0]], out['started'][0])}",
            f"  server CPU {cpu:.0%} of one core over {elapsed:.0f} s; RSS start {rss[0]:.0f} MB, "
            f"peak {max(rss):.0f} MB, end {rss[-1]:.0f} MB",
            f"  load average before {load_before[0]:.1f}, after {load_after[0]:.1f} "
            f"({os.cpu_count()} cores)",
        ]
        print("\n".join(lines), flush=True)
        return lines


def soak(k: int, minutes: float, each: int, browser_args: dict, chromium: str, root: Path = ROOT) -> list[str]:
    """Sessions coming and going for ``minutes``: waves of ``k`` connectors (new browser contexts, closed after
    ``each`` introductions) and a manager browsing, then 150 s with no one (past Streamlit's 120 s
    hold on a closed session); the server's memory over time."""
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'soak.db'}"
        store = open_store(url)
        with acting_as("bench", "admin"):
            service.load_batch(store, generate("demo"))
            names = [name for _pid, name in unique_residents(store)]
            before = store.counts().introductions
        store.close()
        with running(url, folder, root) as server:
            out = {"log_open": [], "submit": [], "errors": [], **{p: [] for p in BROWSED}}
            waves = 0

            async def everyone() -> None:
                nonlocal waves
                async with async_playwright() as pw:
                    browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                    try:
                        await warm_up(browser, browser_args, server.base)
                        server.start_sampling()
                        end = time.monotonic() + minutes * 60
                        while time.monotonic() < end:
                            done = asyncio.Event()
                            watching = asyncio.create_task(manager(browser, browser_args, server.base, done, out))
                            start = waves * k * each
                            wave = [names[(start + i) % len(names)] for i in range(k * each)]
                            await asyncio.gather(*(connector(browser, browser_args, server.base,
                                                             wave[i * each:(i + 1) * each], out) for i in range(k)))
                            done.set()
                            await watching
                            waves += 1
                            print(f"  wave {waves}: {time.monotonic() - end + minutes * 60:.0f} s, "
                                  f"RSS {server.rss[-1][1]:.0f} MB", flush=True)
                        await asyncio.sleep(150)  # everyone has left; their sessions are dropped after 120 s
                    finally:
                        await browser.close()

            asyncio.run(everyone())
            _cpu, elapsed = server.stop_sampling()
            rss = server.rss
        store = open_store(url)
        try:
            stored = store.counts().introductions - before
        finally:
            store.close()
    settled = next((mb for t, mb in rss if t >= 300), rss[-1][1])
    last_minute = [mb for t, mb in rss if t >= elapsed - 60]
    end_mb = rss[-1][1]
    growth = end_mb / settled - 1
    lines = [
        f"soak: {minutes:g} min, waves of K = {k} connectors x {each} introductions and 1 manager, "
        f"sessions closed after each wave; {waves} waves, then 150 s with no one:",
        f"  stored {stored} of {len(out['submit'])} confirmed; errors {len(out['errors'])}"
        + "".join(f"\n    {e}" for e in out["errors"][:5]),
        f"  browser: submit (click -> 'Logged')   {stat(out['submit'])}",
        f"  server RSS: start {rss[0][1]:.0f} MB, at 5 min {settled:.0f} MB, peak {max(mb for _t, mb in rss):.0f} MB, "
        f"end {end_mb:.0f} MB (last minute {min(last_minute):.0f}-{max(last_minute):.0f} MB); "
        f"end vs 5 min {growth:+.1%} (target within 10%)",
        "  RSS every 5 min: " + ", ".join(f"{mb:.0f}" for t, mb in rss[::600]),
    ]
    print("\n".join(lines), flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[2, 4, 8], metavar="K")
    parser.add_argument("--each", type=int, default=5, help="introductions each connector logs")
    parser.add_argument("--cli", type=int, default=50, help="introductions the CLI writer logs")
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    parser.add_argument("--checkout", type=Path, default=ROOT,
                        help="serve the app of another checkout (e.g. a worktree of main) to compare; "
                             "server-side times need its app to write the timing log")
    parser.add_argument("--soak", type=float, metavar="MINUTES",
                        help="instead: sessions coming and going for MINUTES (waves of the first K), "
                             "reporting the server's memory at 5 minutes and at the end")
    parser.add_argument("--clients-nice", type=int, default=19, metavar="N",
                        help="scheduling priority of the browsers and the CLI writer (default 19: below the "
                             "server's, as if on other machines; 0: share the cores evenly)")
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        sys.exit("error: the benchmark needs Debian's chromium (apt-get install chromium)")
    mobile = args.width < 600
    browser_args = {"viewport": {"width": args.width, "height": args.height}, "is_mobile": mobile,
                    "has_touch": mobile}
    lines = [f"load {dt.datetime.now():%Y-%m-%d %H:%M}  {platform.node()}  viewport {args.width}x{args.height}  "
             f"app of {args.checkout.resolve()}"]
    if args.soak:
        lines += soak(args.users[0], args.soak, args.each, browser_args, chromium, args.checkout.resolve())
    for k in [] if args.soak else args.users:
        lines += one_load(k, args.each, args.cli, browser_args, chromium, args.checkout.resolve(), args.clients_nice)
    text = "\n".join(lines)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"load-{dt.datetime.now():%Y%m%d-%H%M%S}.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
