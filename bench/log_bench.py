"""Time a scripted connector logging introductions on a phone-sized screen, in a real Chromium.

One command, from the repository root::

    python bench/log_bench.py [--repeat 5] [--width 390] [--height 844] [--compare CHECKOUT]

It seeds the demo network into a fresh SQLite store, starts the dashboard
(``streamlit run app.py``) on it and, in Debian's Chromium at 390x844
(touch, mobile), plays a connector who types at 90 ms a key and never
stops to think. Each run is a new browser session opened on the logging
page; the clock starts at ``page.goto``:

- **ready**: until the person picker can be typed into and the page's
  script has finished (target: 2 s or less);
- **ready, returning**: the same for a connector who has used the page
  before on this phone: a new session (a new tab) in a browser that
  already holds the app's code (Streamlit serves it as immutable, cached
  for a year), as on every visit but the first;
- **resident → existing organisation**: choose who made it (only when the
  page has not already filled it in for the signed-in connector), type the
  resident's name and pick them, type the organisation's name and pick it,
  press "Log introduction", until the confirmation shows (target: 15 s);
- **someone new, then logged**: open "Someone new?", type a new name, press
  "Check and add" (every other field left at its default), then choose who
  they were introduced to and log it, until the confirmation shows
  (target: 25 s).

The script drives either kind of picker the logging page has had: a
searchable select box (type, then tap the option) or a search box with a
short list of results (type, press Enter, tap the result). So the same
command measures the page before and after a change. Medians of
``--repeat`` runs are reported with the fastest and slowest; the machine
is shared, so read them together with the bare-page baseline measured in
the same run (a Streamlit page holding only a title). With ``--compare``
another checkout's logging page (e.g. ``git worktree add /tmp/before main``)
is timed in the same run, its runs interleaved with this one's, each on
its own copy of the same store, and the ratios of the medians are given.
Each app writes a timing log (``CONNECTOR_GRAPH_TIMING_LOG``), so "ready"
is also split into the server's seconds for the page's first script run
in each session (every timed open but the first follows a write) and the
rest, which is the browser's (connecting, loading the widgets' code,
drawing). Results go to standard output and ``bench/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "bench"))

from dashboard_bench import IDLE  # noqa: E402
from server import chromium_path, running_app, serving  # noqa: E402

from connector_graph import service, timing  # noqa: E402
from connector_graph.auth import acting_as  # noqa: E402
from connector_graph.seed import generate  # noqa: E402
from connector_graph.store import open_store  # noqa: E402

KEY_DELAY_MS = 90
TIMEOUT_MS = 120_000
INTRODUCER = "Gary Campbell"  # a connector in the demo network, the only one of that name
RESIDENT = "Jean Firth"  # a resident, the only one of that name
ORGANISATION = "Farsley Community Hub"  # "Farsley Community Hub and Library"
BARE_SCRIPT = 'import streamlit as st\n\nst.title("x")\n'
#: Idle, and no element is still drawn from the previous run (a tap on one of those can be lost).
SETTLED = f"() => ({IDLE})() && !document.querySelector('[data-stale=\"true\"]')"
BY = "Introduced by"
SUBJECT = "Person introduced"
TO = "Introduced to (person or organisation)"


def idle(page) -> None:
    """Wait until Streamlit has finished running the script (no fixed pause)."""
    page.wait_for_timeout(50)
    page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)


def pick(page, label: str, text: str) -> None:
    """Type ``text`` into the picker called ``label`` at 90 ms a key and tap the first option holding it."""
    search = page.get_by_role("textbox", name=label, exact=True)
    if search.count():  # a search box feeding a short list of results
        search.click()
        search.press_sequentially(text, delay=KEY_DELAY_MS)
        search.press("Enter")
        idle(page)
        matches = page.get_by_test_id("stRadio").filter(has=page.get_by_text(f"Matches for {label}", exact=True))
        matches.get_by_text(text).first.click()
    else:  # a searchable select box holding every option
        box = page.get_by_role("combobox", name=label, exact=True)
        box.click()
        box.press_sequentially(text, delay=KEY_DELAY_MS)
        page.get_by_role("option").filter(has_text=text).first.click()
    idle(page)


def needs_introducer(page) -> bool:
    """True when the page has not filled in who made the introduction."""
    if page.get_by_role("combobox", name=BY, exact=True).count():
        return page.get_by_role("combobox", name=BY, exact=True).input_value() == ""
    return page.get_by_role("textbox", name=BY, exact=True).count() > 0


def open_log(page, base: str) -> float:
    """Open the logging page; seconds until the person picker is ready and the script has finished."""
    start = time.perf_counter()
    page.goto(f"{base}/log")
    page.get_by_label(SUBJECT, exact=True).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
    return time.perf_counter() - start


def answer_who_am_i(page, base: str) -> None:
    """The once-only "who are you?" of single-user mode, before any timing (no-op where not asked)."""
    open_log(page, base)
    if page.get_by_role("textbox", name="Who are you?", exact=True).count():
        pick(page, "Who are you?", INTRODUCER)


#: Log taps that brought no confirmation within ``RETAP_AFTER_MS`` and were made again (reported).
LOST_TAPS: list[str] = []
RETAP_AFTER_MS = 20_000


def confirmed(page) -> None:
    """Wait for "Logged…"; if a tap on Log brought nothing for 20 s, tap again (counted, and the time counts)."""
    done = page.get_by_text(re.compile(r"^Logged")).first
    try:
        done.wait_for(timeout=RETAP_AFTER_MS)
    except Exception:
        LOST_TAPS.append(page.url)
        page.get_by_role("button", name="Log introduction").click()
        done.wait_for(timeout=TIMEOUT_MS)


def existing(page, base: str) -> tuple[float, float]:
    """Resident → existing organisation: (ready seconds, total seconds)."""
    start = time.perf_counter()
    ready = open_log(page, base)
    if needs_introducer(page):
        pick(page, BY, INTRODUCER)
    pick(page, SUBJECT, RESIDENT)
    pick(page, TO, ORGANISATION)
    page.get_by_role("button", name="Log introduction").click()
    confirmed(page)
    return ready, time.perf_counter() - start


def someone_new(page, base: str, n: int) -> tuple[float, float]:
    """Someone new, then logged: (ready seconds, total seconds)."""
    start = time.perf_counter()
    ready = open_log(page, base)
    if needs_introducer(page):
        pick(page, BY, INTRODUCER)
    page.get_by_text(re.compile(r"^Someone new\?")).first.click()
    name = page.get_by_label("Name", exact=True)
    name.click()
    name.press_sequentially(f"Zephyrine Okonkwo-Quill{chr(65 + n)}", delay=KEY_DELAY_MS)
    page.get_by_role("button", name="Check and add").click()
    added = page.get_by_text(re.compile(r"^Added "))
    warned = page.get_by_text(re.compile(r"similar name|look like"))
    added.or_(warned).first.wait_for(timeout=TIMEOUT_MS)
    if not added.count():  # a look-alike warning: a real user ticks "add anyway" and presses again
        page.get_by_text(re.compile(r"^Add anyway")).first.click()
        idle(page)
        page.get_by_role("button", name="Check and add").click()
        added.first.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    pick(page, TO, ORGANISATION)
    page.get_by_role("button", name="Log introduction").click()
    confirmed(page)
    return ready, time.perf_counter() - start


def _open_bare(page, base: str) -> float:
    start = time.perf_counter()
    page.goto(base)
    page.locator("h1").first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
    return time.perf_counter() - start


def bare_page(browser, context_args: dict, folder: Path, repeat: int) -> tuple[list[float], list[float]]:
    """Seconds to a ready bare page: in a new browser each time, and in a new tab of a browser that has the code."""
    script = folder / "bare.py"
    script.write_text(BARE_SCRIPT)
    times, returning = [], []
    with serving(script, log=folder / "bare.log") as base:
        for _ in range(repeat):
            context = browser.new_context(**context_args)
            times.append(_open_bare(context.new_page(), base))
            context.close()
        context = browser.new_context(**context_args)
        _open_bare(context.new_page(), base)
        for _ in range(repeat):
            page = context.new_page()
            returning.append(_open_bare(page, base))
            page.close()
        context.close()
    return times, returning


def returning_visit(context, base: str) -> float:
    """Seconds to a ready logging page in a new tab of ``context`` (a browser that has been here before)."""
    page = context.new_page()
    try:
        return open_log(page, base)
    finally:
        page.close()


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} s  (min {min(values):.2f}, max {max(values):.2f})"


def run_once(browser, context_args: dict, scenario, name: str) -> tuple[float, float]:
    """One scenario in a new browser session; a screenshot of the page if it fails."""
    context = browser.new_context(**context_args)
    page = context.new_page()
    try:
        return scenario(page)
    except Exception:
        failure = ROOT / "bench" / "results" / f"log_bench-failed-{name}.png"
        failure.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(failure), full_page=True)
        print(f"  {name} failed; the page is in {failure}", file=sys.stderr)
        raise
    finally:
        context.close()


def server_opens(timing_log: Path) -> list[float]:
    """The server's seconds for the first script run of each timed session (the warm-up session left out)."""
    first: dict[str, float] = {}
    for run in timing.read_runs(timing_log):
        if run.get("page") == "log" and run.get("session"):
            first.setdefault(run["session"], run["seconds"])
    return list(first.values())[1:]


@contextmanager
def app_at(root: Path, url: str, log: Path) -> Iterator[str]:
    """The dashboard of the checkout at ``root`` (its own code first on the path), serving ``url``."""
    if root == ROOT:
        with running_app(url, log=log) as base:
            yield base
        return
    env = {"CONNECTOR_GRAPH_STORE": url, "PYTHONPATH": str(root)}
    with serving(root / "app.py", env=env, log=log) as base:
        yield base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    parser.add_argument("--compare", type=Path, metavar="CHECKOUT",
                        help="Also time the logging page of another checkout (e.g. a worktree of main), "
                             "runs interleaved with this one's, on an identical copy of the store.")
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        sys.exit("error: the benchmark needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    mobile = args.width < 600
    context_args = {"viewport": {"width": args.width, "height": args.height}, "is_mobile": mobile, "has_touch": mobile}
    roots = {"this checkout": ROOT} | ({f"compared ({args.compare})": args.compare.resolve()} if args.compare else {})
    results = {label: {"ready": [], "returning": [], "existing": [], "new": []} for label in roots}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        store = open_store(f"sqlite:///{folder / 'seed.db'}")
        with acting_as("bench", "admin"):
            service.load_batch(store, generate("demo"))
        store.close()
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        stack.callback(browser.close)
        bare, bare_returning = bare_page(browser, context_args, folder, args.repeat)
        bases = {}
        returning = {}
        timing_logs: dict[str, Path] = {}
        for i, (label, root) in enumerate(roots.items()):
            (folder / f"app{i}").mkdir()
            copy = folder / f"app{i}" / "bench.db"
            shutil.copy(folder / "seed.db", copy)
            timing_logs[label] = folder / f"app{i}-timing.jsonl"
            os.environ[timing.TIMING_LOG] = str(timing_logs[label])  # read by the app's server when it starts
            try:
                bases[label] = stack.enter_context(app_at(root, f"sqlite:///{copy}", folder / f"app{i}.log"))
            finally:
                os.environ.pop(timing.TIMING_LOG, None)
            context = browser.new_context(**context_args)
            answer_who_am_i(context.new_page(), bases[label])  # also warms the server's caches
            context.close()
            returning[label] = browser.new_context(**context_args)
            stack.callback(returning[label].close)
            returning_visit(returning[label], bases[label])  # the browser now holds the app's code
        for n in range(args.repeat):
            for label, base in bases.items():
                for name, scenario in (("existing", lambda p: existing(p, base)),
                                       ("new", lambda p: someone_new(p, base, n))):
                    ready, total = run_once(browser, context_args, scenario, name)
                    results[label]["ready"].append(ready)
                    results[label][name].append(total)
                    print(f"  run {n + 1} {label} {name}: ready {ready:.2f} s, total {total:.2f} s", file=sys.stderr)
                results[label]["returning"].append(returning_visit(returning[label], base))
        for label, path in timing_logs.items():
            results[label]["server"] = server_opens(path)
    lines = [
        f"log_bench {dt.datetime.now():%Y-%m-%d %H:%M}  {platform.node()}  viewport {args.width}x{args.height}, "
        f"{KEY_DELAY_MS} ms a key, {args.repeat} runs each",
        f"  bare Streamlit page (baseline)          {summary(bare)}",
        f"    returning (code in the browser)       {summary(bare_returning)}",
    ]
    for label, times in results.items():
        lines += [
            f"{label}:",
            f"  logging page ready                      {summary(times['ready'])}   target <= 2 s",
            "    of which the server's script run      " + (summary(times["server"]) if times["server"] else "not logged"),
            f"  ready, returning (code in the browser)  {summary(times['returning'])}   target <= 2 s",
            f"  resident -> existing organisation       {summary(times['existing'])}   target <= 15 s",
            f"  someone new, then logged                {summary(times['new'])}   target <= 25 s",
            f"  ratio ready / bare page: {statistics.median(times['ready']) / statistics.median(bare):.2f}, "
            f"returning: {statistics.median(times['returning']) / statistics.median(bare_returning):.2f}",
        ]
    lines.append(f"Log taps that brought nothing within {RETAP_AFTER_MS / 1000:.0f} s and were made again: {len(LOST_TAPS)}")
    if len(results) == 2:
        (_, this), (_, other) = results.items()
        lines.append("this / compared (median): " + ", ".join(
            f"{key} {statistics.median(this[key]) / statistics.median(other[key]):.2f}" for key in ("ready", "returning", "existing", "new")))
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"log_bench-{dt.datetime.now():%Y%m%d-%H%M%S}.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
