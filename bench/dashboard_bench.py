"""Time how long the dashboard takes to render in a real browser (Debian's Chromium).

One command, from the repository root::

    python bench/dashboard_bench.py [--sizes demo,10000] [--repeat 3]

For each size it seeds the synthetic city network
(``connector_graph.seed.generate``) into a fresh SQLite store, starts the
dashboard (``streamlit run app.py``) on it and, in Chromium with a 1280x900
viewport, times from ``page.goto`` to:

- **overview, cold**: the first visit after the server starts (the network
  analysis is not cached yet) until "Top connectors" is shown and the script
  has finished;
- **overview, warm**: ``--repeat`` later visits, each in a new browser
  context (a new Streamlit session), reported as the median;
- **explorer, cold and warm**: ``/explorer`` until the network drawing's
  iframe sets ``data-stable-ms`` (the network has drawn), with that in-frame
  value itself (ms from the iframe's navigation start) and the number of
  nodes drawn;
- **first paint of every page, cold server, warm cache file**: after every
  page has been visited once (so the analysis' cache files exist beside the
  store), the server is stopped and started again; each page is then opened
  once, in order, and timed from ``page.goto`` to its heading and first
  content being visible (**first paint**), and on to the end of its script
  (**complete**: the heavy parts stream in between). Targets: 2 s for the
  overview, 3 s for every other page. This is done on ``--repeat`` freshly
  started servers, and the table gives the median (met or not) and range.

Two baselines are measured in the same run, so ratios compare like with like:

- **bare Streamlit page**: a script holding only ``st.title``, served the
  same way, timed to its heading (the fixed cost of any Streamlit page);
- **pyvis with browser physics** (pyvis's defaults): the same graph the
  explorer draws, written by a plain ``pyvis.network.Network`` with no
  positions, opened from a file and timed until vis-network reports
  "stabilized" or "stabilizationIterationsDone" (capped at 60 s).

A ratio is the measure's seconds divided by its baseline's seconds. Every
number is one wall-clock time on a shared machine: read them as orders of
magnitude. Results go to standard output and ``bench/results/``.
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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from results_file import publish  # noqa: E402
from server import PAGES, chromium_path, running_app, serving  # noqa: E402

from connector_graph import service  # noqa: E402
from connector_graph.auth import acting_as  # noqa: E402
from connector_graph.seed import generate  # noqa: E402
from connector_graph.store import open_store  # noqa: E402
from connector_graph.views.explorer import ExplorerOptions, explore  # noqa: E402

VIEWPORT = {"width": 1280, "height": 900}
#: How long one page may take before the benchmark gives up on it (ms).
PAGE_TIMEOUT_MS = 180_000
#: Cap on waiting for pyvis's browser physics to stabilise (ms).
PHYSICS_CAP_MS = 60_000
BARE_SCRIPT = 'import streamlit as st\n\nst.title("x")\n'
#: True once Streamlit has finished running the page's script (as ``wait_until_idle``, without its pause).
IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') !== 'running'
        && !document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]');
}"""
#: Stylesheets and scripts pyvis's template loads from the internet or from ``../``.
EXTERNAL = re.compile(
    r'<link[^>]*href="(?:https?:|//|\.\./)[^"]*"[^>]*>\s*|<script[^>]*src="(?:https?:|//|\.\./)[^"]*"[^>]*>\s*</script>\s*',
    re.IGNORECASE,
)
#: Marks the body once vis-network's physics has settled (time since navigation start, in ms).
ON_STABLE = """
<script type="text/javascript">
(function () {
  function done(event) {
    if (!document.body.hasAttribute("data-stable-ms")) {
      document.body.setAttribute("data-stable-ms", String(Math.round(performance.now())));
      document.body.setAttribute("data-stable-event", event);
    }
  }
  network.once("stabilizationIterationsDone", function () { done("stabilizationIterationsDone"); });
  network.once("stabilized", function () { done("stabilized"); });
})();
</script>
"""


class BenchError(RuntimeError):
    """Something the benchmark needs is missing or did not work; the message says what."""


@dataclass
class ExplorerVisit:
    """One visit to the explorer: wall seconds to a drawn network, the in-frame time and nodes drawn."""

    seconds: float
    in_frame_ms: int
    nodes: int


@dataclass
class PhysicsRun:
    """One pyvis page with browser physics: wall seconds, in-page ms and the event that ended it."""

    seconds: float
    in_page_ms: int | None
    event: str


#: First-paint targets in seconds (the overview, every other page).
FIRST_PAINT_TARGET = {"": 2.0}
OTHER_PAGE_TARGET = 3.0
#: True once the page shows its heading and something under it (the first paint a user sees).
PAINTED = """() => {
    const main = document.querySelector('[data-testid="stMain"]') || document;
    const heading = main.querySelector('h1');
    if (!heading || !heading.offsetParent) return false;
    const blocks = main.querySelectorAll('[data-testid="stElementContainer"]');
    return blocks.length >= 2;
}"""


@dataclass
class PageVisit:
    """One page opened on a freshly started server: seconds to first paint and to the end of its script."""

    path: str
    first_paint: float
    complete: float


@dataclass
class SizeResult:
    """Everything measured for one network size."""

    label: str
    actors: int
    drawn_nodes: int
    drawn_links: int
    seed_s: float
    overview_cold: float
    overview_warm: list[float]
    explorer_cold: ExplorerVisit
    explorer_warm: list[ExplorerVisit]
    physics: list[PhysicsRun]
    #: One list of visits (every page, in order) per freshly started server.
    pages: list[list[PageVisit]]


def log(message: str) -> None:
    """Progress on standard error, with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fmt(seconds: float | None) -> str:
    """Seconds to three decimals below 10 s, one above; '-' when missing."""
    if seconds is None:
        return "-"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def spread(values: list[float]) -> str:
    """The median, with the range when there is more than one value."""
    if len(values) == 1:
        return fmt(values[0])
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}–{fmt(max(values))})"


def ratio(seconds: float | None, baseline: float | None, *, at_least: bool = False) -> str:
    """``seconds / baseline`` as '1.23x' (two significant figures below 1), or '-'.

    ``at_least`` marks a baseline that is only a lower bound (it hit its cap), so the ratio is an upper bound.
    """
    if seconds is None or not baseline:
        return "-"
    value = seconds / baseline
    text = f"{value:.0f}x" if value >= 10 else f"{value:.2f}x" if value >= 1 else f"{value:.2g}x"
    return ("< " if at_least else "") + text


@contextmanager
def running_script(script: Path, log_file: Path, timeout: float = 60.0) -> Iterator[str]:
    """Serve one Streamlit script the way ``running_app`` serves the dashboard; yield its base URL."""
    try:
        with serving(script, log=log_file, timeout=timeout) as base:
            yield base
    except RuntimeError as exc:
        raise BenchError(f"the bare Streamlit page: {exc}") from exc


def in_new_context(browser: Any, visit: Callable[[Any], Any]) -> Any:
    """Run ``visit(page)`` in a fresh browser context (no cookies, a new Streamlit session)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        return visit(context.new_page())
    finally:
        context.close()


def time_heading(page: Any, url: str, heading: str | None) -> float:
    """Seconds from ``goto(url)`` until the heading (or any h1) is visible and the script has finished."""
    start = time.perf_counter()
    page.goto(url, timeout=PAGE_TIMEOUT_MS)
    if heading is None:
        page.locator("h1").first.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
    else:
        page.get_by_role("heading", name=heading).first.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(IDLE, timeout=PAGE_TIMEOUT_MS)
    return time.perf_counter() - start


def time_first_paint(page: Any, base: str, path: str) -> PageVisit:
    """Seconds from ``goto`` to the page's first paint (heading and content), then to the end of its script."""
    start = time.perf_counter()
    page.goto(f"{base}/{path}", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(PAINTED, timeout=PAGE_TIMEOUT_MS, polling=20)
    painted = time.perf_counter() - start
    page.wait_for_function(IDLE, timeout=PAGE_TIMEOUT_MS)
    return PageVisit(path, painted, time.perf_counter() - start)


def time_explorer(page: Any, base: str) -> ExplorerVisit:
    """Seconds from ``goto('/explorer')`` until the drawing's iframe says the network has drawn."""
    start = time.perf_counter()
    page.goto(f"{base}/explorer", timeout=PAGE_TIMEOUT_MS)
    deadline = start + PAGE_TIMEOUT_MS / 1000
    frame = None
    while frame is None:
        for candidate in page.frames:
            if candidate == page.main_frame:
                continue
            try:
                if candidate.evaluate("typeof network") == "object":
                    frame = candidate
                    break
            except Exception:  # a frame still loading or already replaced: look again
                continue
        if frame is None:
            if time.perf_counter() > deadline:
                raise BenchError(f"the explorer drew no network within {PAGE_TIMEOUT_MS // 1000} s")
            page.wait_for_timeout(20)
    frame.wait_for_function("() => document.body && document.body.hasAttribute('data-stable-ms')",
                            timeout=PAGE_TIMEOUT_MS)
    seconds = time.perf_counter() - start
    in_frame = frame.evaluate("[Number(document.body.getAttribute('data-stable-ms')), nodes.length]")
    return ExplorerVisit(seconds, int(in_frame[0]), int(in_frame[1]))


def physics_page(graph: Any, path: Path) -> None:
    """Write ``graph`` as pyvis draws it by default (browser physics, no positions), for use offline."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    for node, data in graph.nodes(data=True):
        net.add_node(str(node), label=str(data.get("name", node)))
    for u, v in graph.edges():
        net.add_edge(str(u), str(v))
    html = EXTERNAL.sub("", net.generate_html())
    path.write_text(html.replace("</body>", ON_STABLE + "</body>", 1), encoding="utf-8")


def time_physics(page: Any, path: Path) -> PhysicsRun:
    """Seconds from opening the pyvis page until vis-network has stabilised (or the cap is reached)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.route(re.compile(r"^https?://"), lambda route: route.abort())
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=PAGE_TIMEOUT_MS)
    try:
        page.wait_for_function("() => document.body.hasAttribute('data-stable-ms')", timeout=PHYSICS_CAP_MS)
    except PlaywrightTimeout:
        return PhysicsRun(time.perf_counter() - start, None, f"not stable after {PHYSICS_CAP_MS // 1000} s")
    seconds = time.perf_counter() - start
    ms, event = page.evaluate("[Number(document.body.getAttribute('data-stable-ms')), "
                              "document.body.getAttribute('data-stable-event')]")
    return PhysicsRun(seconds, int(ms), event)


def bare_baseline(browser: Any, folder: Path, repeat: int) -> tuple[float, list[float]]:
    """The bare Streamlit page: the first visit after start, then ``repeat`` later visits."""
    script = folder / "bare_page.py"
    script.write_text(BARE_SCRIPT, encoding="utf-8")
    log("bare Streamlit page")
    with running_script(script, folder / "bare_page.log") as base:
        cold = in_new_context(browser, lambda page: time_heading(page, base, None))
        warm = [in_new_context(browser, lambda page: time_heading(page, base, None)) for _ in range(repeat)]
    return cold, warm


def bench_size(browser: Any, size: str, folder: Path, repeat: int) -> SizeResult:
    """Seed one network, write its pyvis baseline, then time the dashboard and the baseline."""
    label = "demo" if size == "demo" else f"{int(size):,}"
    log(f"{label}: seeding")
    url = f"sqlite:///{folder / 'bench.db'}"
    store = open_store(url)
    try:
        start = time.perf_counter()
        with acting_as("bench", "admin"):
            service.load_batch(store, generate(size if size == "demo" else int(size)))
        seed_s = time.perf_counter() - start
        log(f"{label}: the explorer's graph, for the pyvis baseline")
        with acting_as("bench", "admin"):
            view = explore(store, ExplorerOptions())
    finally:
        store.close()
    drawn = view.graph
    physics_file = folder / "pyvis_physics.html"
    physics_page(drawn, physics_file)

    app_log = folder / "dashboard.log"
    with running_app(url, log=app_log) as base:
        log(f"{label}: overview, cold")
        overview_cold = in_new_context(browser, lambda page: time_heading(page, base, "Top connectors"))
        log(f"{label}: overview, warm x{repeat}")
        overview_warm = [in_new_context(browser, lambda page: time_heading(page, base, "Top connectors"))
                         for _ in range(repeat)]
        log(f"{label}: explorer, cold")
        explorer_cold = in_new_context(browser, lambda page: time_explorer(page, base))
        log(f"{label}: explorer, warm x{repeat}")
        explorer_warm = [in_new_context(browser, lambda page: time_explorer(page, base)) for _ in range(repeat)]
    log(f"{label}: every page once, so the cache files exist")
    with running_app(url, log=folder / "dashboard-warmup.log") as base:
        for path in PAGES:
            in_new_context(browser, lambda page: time_first_paint(page, base, path))
    pages = []
    for run in range(1, repeat + 1):
        log(f"{label}: first paint of every page on a freshly started server ({run} of {repeat})")
        with running_app(url, log=folder / f"dashboard-cold-{run}.log") as base:
            pages.append([in_new_context(browser, lambda page: time_first_paint(page, base, path)) for path in PAGES])
    log(f"{label}: pyvis with browser physics x{repeat}")
    physics = [in_new_context(browser, lambda page: time_physics(page, physics_file)) for _ in range(repeat)]
    return SizeResult(
        label=label,
        actors=view.total_actors,
        drawn_nodes=drawn.number_of_nodes(),
        drawn_links=drawn.number_of_edges(),
        seed_s=seed_s,
        overview_cold=overview_cold,
        overview_warm=overview_warm,
        explorer_cold=explorer_cold,
        explorer_warm=explorer_warm,
        physics=physics,
        pages=pages,
    )


def report(results: list[SizeResult], bare_cold: float, bare_warm: list[float], repeat: int,
           versions: dict[str, str]) -> list[str]:
    """The markdown report: header, the dashboard table, the baselines table and notes."""
    bare = statistics.median(bare_warm)
    lines = [
        "## connector_graph dashboard render benchmark",
        "",
        f"{dt.datetime.now().isoformat(timespec='minutes')}; Python {platform.python_version()}, "
        + ", ".join(f"{name} {version}" for name, version in versions.items())
        + f"; {os.cpu_count()} cores, shared with other work. Chromium headless, viewport "
        f"{VIEWPORT['width']}x{VIEWPORT['height']}, a new browser context per visit.",
        "",
        f"Each number is a wall-clock time from `page.goto` on a shared machine; warm rows are the median "
        f"of {repeat} visits (range in brackets). Ratio = seconds / baseline seconds.",
        "",
        "### Dashboard",
        "",
        "| size | measure | seconds | baseline | baseline (s) | ratio |",
        "|---|---|---:|---|---:|---:|",
    ]
    for r in results:
        warm_overview = statistics.median(r.overview_warm)
        warm_explorer = statistics.median(v.seconds for v in r.explorer_warm)
        warm_frame = statistics.median(v.in_frame_ms for v in r.explorer_warm) / 1000
        capped = any(p.in_page_ms is None for p in r.physics)
        physics = PHYSICS_CAP_MS / 1000 if capped else statistics.median(p.in_page_ms / 1000 for p in r.physics)
        physics_text = f"> {fmt(physics)}" if capped else fmt(physics)
        rows = [
            ("overview, cold (first visit, analysis not cached)", fmt(r.overview_cold), "bare page", fmt(bare),
             ratio(r.overview_cold, bare)),
            ("overview, warm", spread(r.overview_warm), "bare page", fmt(bare), ratio(warm_overview, bare)),
            ("explorer to stable, cold", fmt(r.explorer_cold.seconds), "bare page", fmt(bare),
             ratio(r.explorer_cold.seconds, bare)),
            ("explorer to stable, warm", spread([v.seconds for v in r.explorer_warm]), "bare page", fmt(bare),
             ratio(warm_explorer, bare)),
            ("explorer in-frame draw, cold", fmt(r.explorer_cold.in_frame_ms / 1000), "pyvis with physics",
             physics_text, ratio(r.explorer_cold.in_frame_ms / 1000, physics, at_least=capped)),
            ("explorer in-frame draw, warm", spread([v.in_frame_ms / 1000 for v in r.explorer_warm]),
             "pyvis with physics", physics_text, ratio(warm_frame, physics, at_least=capped)),
        ]
        for measure, seconds, baseline, baseline_s, share in rows:
            lines.append(f"| {r.label} | {measure} | {seconds} | {baseline} | {baseline_s} | {share} |")
    lines += [
        "",
        "### First paint of every page (cold server, warm cache file)",
        "",
        "| size | page | first paint (s) | target (s) | met | complete (s) |",
        "|---|---|---:|---:|---|---:|",
    ]
    for r in results:
        for path in PAGES:
            visits = [visit for run in r.pages for visit in run if visit.path == path]
            painted = [visit.first_paint for visit in visits]
            target = FIRST_PAINT_TARGET.get(path, OTHER_PAGE_TARGET)
            lines.append(f"| {r.label} | {PAGES[path]} | {spread(painted)} | {target:.0f} | "
                         f"{'yes' if statistics.median(painted) <= target else 'no'} | "
                         f"{spread([visit.complete for visit in visits])} |")
    lines += [
        "",
        "### Baselines",
        "",
        "| size | baseline | seconds | in page (s) | note |",
        "|---|---|---:|---:|---|",
        f"| - | bare Streamlit page (`st.title`), cold | {fmt(bare_cold)} | - | first visit after start |",
        f"| - | bare Streamlit page (`st.title`), warm | {spread(bare_warm)} | - | |",
    ]
    for r in results:
        events = sorted({p.event for p in r.physics})
        in_page = [p.in_page_ms / 1000 for p in r.physics if p.in_page_ms is not None]
        lines.append(
            f"| {r.label} | pyvis defaults, browser physics, {r.drawn_nodes} nodes | "
            f"{spread([p.seconds for p in r.physics])} | {spread(in_page) if in_page else '-'} | "
            f"ended by: {', '.join(events)} |"
        )
    lines += ["", "### Notes", ""]
    for r in results:
        drawn = {v.nodes for v in [r.explorer_cold, *r.explorer_warm]}
        lines.append(
            f"- {r.label}: {r.actors:,} actors, seeded in {fmt(r.seed_s)} s; the explorer drew "
            f"{', '.join(str(n) for n in sorted(drawn))} nodes (`nodes.length`), "
            f"{r.drawn_links:,} links ({r.drawn_nodes} nodes in the server-side view)."
        )
    lines += [
        "- In-frame times are `performance.now()` inside the drawing's page, i.e. from the iframe's (or the "
        "pyvis file's) navigation start to the first drawing (explorer, physics off, positions from the "
        "server) or to vis-network's stabilisation (pyvis defaults, up to 1000 iterations).",
        "",
    ]
    return lines


def versions() -> dict[str, str]:
    """Versions of the tools whose speed is measured."""
    import networkx
    import pyvis
    import streamlit
    from importlib.metadata import version

    return {"streamlit": streamlit.__version__, "pyvis": getattr(pyvis, "__version__", version("pyvis")),
            "networkx": networkx.__version__, "playwright": version("playwright")}


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run every measure, print the report and write it to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="demo,10000", help="comma-separated: demo and/or numbers of actors")
    parser.add_argument("--repeat", type=int, default=3, help="warm visits per measure, and freshly started servers for the first paints (default 3)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"), help="folder for the markdown results")
    args = parser.parse_args(argv)
    sizes = [s.strip().replace("_", "") for s in args.sizes.split(",") if s.strip()]
    bad = [s for s in sizes if s != "demo" and not s.isdigit()]
    if bad or not sizes or args.repeat < 1:
        parser.error("--sizes takes 'demo' and/or whole numbers; --repeat must be at least 1")

    chromium = chromium_path()
    if chromium is None:
        print("dashboard_bench: Chromium not found (apt-get install chromium, or set CONNECTOR_GRAPH_CHROMIUM)",
              file=sys.stderr)
        return 1
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("dashboard_bench: Playwright is not installed (pip install playwright)", file=sys.stderr)
        return 1

    scratch = Path(tempfile.mkdtemp(prefix="dashboard-bench-"))
    log(f"scratch folder (kept if something fails): {scratch}")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                bare_cold, bare_warm = bare_baseline(browser, scratch, args.repeat)
                results = []
                for size in sizes:
                    folder = scratch / f"size-{size}"
                    folder.mkdir()
                    results.append(bench_size(browser, size, folder, args.repeat))
            finally:
                browser.close()
    except Exception as exc:  # one clear line, with where the server logs are
        print(f"dashboard_bench: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
              f"(server logs under {scratch})", file=sys.stderr)
        return 1

    publish("\n".join(report(results, bare_cold, bare_warm, args.repeat, versions())), args.out,
            f"dashboard-{dt.datetime.now():%Y%m%d-%H%M}.md", log)
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
