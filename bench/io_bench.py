"""Time import and export for the demo network and for 100,000 actors, on each backend.

Run from the repository root::

    python bench/io_bench.py                      # demo and 100,000 actors, SQLite (+ Neo4j if available)
    python bench/io_bench.py --sizes demo --backends sqlite

Neo4j is used when ``CONNECTOR_GRAPH_TEST_NEO4J`` names a server (it is
wiped: never point it at real data) or when a throwaway server can be
started with ``tests/neo4j_local.py`` (JDK 17 and Maven). Prints a markdown
table: for each network, backend and format, the seconds to export the
whole store and to import the file into an empty store (read, validate
and write, all or nothing).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from connector_graph.io import transfer  # noqa: E402
from connector_graph.seed import generate  # noqa: E402
from connector_graph.store import open_store  # noqa: E402

#: Formats timed, with the file name used. pajek and gephi are import only: their files are made
#: from the GML export (not timed), since connector_graph does not write them.
FORMATS = {
    "json": "network.json", "csv": "csv", "kumu": "network.xlsx", "kumu-json": "network.kumu.json",
    "graphml": "network.graphml", "gexf": "network.gexf", "gml": "network.gml",
    "pajek": "network.net", "gephi": "gephi", "openreferral-json": "network.oruk.json",
}
IMPORTABLE = ("json", "csv", "kumu", "kumu-json", "graphml", "gexf", "gml", "pajek", "gephi", "openreferral-json")
#: The import format that reads an export format, where the two names differ.
READ_AS = {"kumu-json": "kumu", "openreferral-json": "openreferral"}
IMPORT_ONLY = ("pajek", "gephi")


def tool_files(gml: Path, work: Path, backend: str) -> None:
    """Pajek and Gephi CSV files of the exported network, as those tools would write them (a harness step)."""
    import csv

    import networkx as nx

    G = nx.read_gml(gml)
    H = nx.MultiDiGraph()
    H.add_nodes_from(G.nodes)
    H.add_edges_from((u, v, {"weight": d.get("weight", 1.0)}) for u, v, d in G.edges(data=True))
    nx.write_pajek(H, work / f"{backend}-{FORMATS['pajek']}")
    folder = work / f"{backend}-{FORMATS['gephi']}"
    folder.mkdir(exist_ok=True)
    with (folder / "nodes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Id", "Label", "actor_type"])
        writer.writerows((n, d.get("name", n), d.get("actor_type", "")) for n, d in G.nodes(data=True))
    with (folder / "edges.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Source", "Target", "Type", "Kind", "Weight"])
        writer.writerows((u, v, "Directed", d.get("kind", ""), d.get("weight", 1.0)) for u, v, d in G.edges(data=True))


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def wipe_neo4j(url: str) -> None:
    """Empty the benchmark's Neo4j server (a harness step, like the tests' fixture)."""
    import neo4j

    with neo4j.GraphDatabase.driver(url, auth=None) as driver, driver.session() as session:
        # relationships first, in small transactions: a small server heap cannot hold one big delete
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 5000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def neo4j_server() -> tuple[str | None, Any]:
    configured = os.environ.get("CONNECTOR_GRAPH_TEST_NEO4J")
    if configured:
        return configured, None
    try:
        from neo4j_local import java_available, start_local_neo4j
    except ImportError:
        return None, None
    if java_available():
        log(f"Neo4j skipped: {java_available()}")
        return None, None
    log("Starting a throwaway Neo4j...")
    server = start_local_neo4j()
    return server.url, server


def emit(row: dict) -> None:
    """Print one table row as soon as it is measured, so a long run that stops keeps its numbers."""
    export = f"{row['export']:.2f}" if row["export"] is not None else "–"
    imported = f"{row['import']:.2f}" if row["import"] is not None else "–"
    print(
        f"| {row['network']} | {row['backend']} | {row['actors']:,} | {row['records']:,} | {row['format']} "
        f"| {export} | {imported} |",
        flush=True,
    )


def run_backend(backend: str, url_for: Callable[[str], str], size: str, batch: Any, work: Path, formats: list[str]) -> list[dict]:
    rows: list[dict] = []
    base: dict[str, Any] = {"network": size, "backend": backend, "records": len(batch)}
    source = open_store(url_for("source"))
    try:
        seconds, _ = timed(lambda: source.bulk_load(batch))
        counts = source.counts()
        base["actors"] = counts.people + counts.organisations
        log(f"[{size}/{backend}] loaded {len(batch):,} records in {seconds:.1f} s")
        rows.append({**base, "format": "(bulk load)", "export": None, "import": seconds})
        emit(rows[-1])
        exported: dict[str, float] = {}
        for fmt in formats:
            if fmt in IMPORT_ONLY:
                continue
            path = work / f"{backend}-{FORMATS[fmt]}"
            exported[fmt], _ = timed(lambda: transfer.export_file(source, path, fmt))
            log(f"[{size}/{backend}] export {fmt}: {exported[fmt]:.1f} s")
        if set(IMPORT_ONLY) & set(formats):
            gml = work / f"{backend}-{FORMATS['gml']}"
            if not gml.exists():
                transfer.export_file(source, gml, "gml")
            tool_files(gml, work, backend)
    finally:
        source.close()
    for fmt in formats:
        imported = None
        if fmt in IMPORTABLE:
            target = open_store(url_for(f"target-{fmt}"))
            try:
                path = work / f"{backend}-{FORMATS[fmt]}"
                imported, report = timed(lambda: transfer.import_file(target, path, READ_AS.get(fmt, fmt)))
                if not report.written:
                    raise SystemExit(f"{fmt} import on {backend} was not written: {report.lines()[:5]}")
                if fmt in ("json", "csv") and target.counts() != counts:
                    raise SystemExit(f"{fmt} round trip on {backend} changed the counts: {target.counts()} != {counts}")
            finally:
                target.close()
            log(f"[{size}/{backend}] import {fmt}: {imported:.1f} s")
        rows.append({**base, "format": fmt, "export": exported.get(fmt), "import": imported})
        emit(rows[-1])
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="demo,100000", help="comma-separated: demo and/or numbers of actors")
    parser.add_argument("--backends", default="sqlite,neo4j", help="comma-separated: sqlite and/or neo4j")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats to time")
    args = parser.parse_args(argv)
    logging.getLogger("neo4j").setLevel(logging.ERROR)  # the server's deprecation notices are not ours to time
    formats = [f for f in args.formats.split(",") if f]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        parser.error(f"unknown format(s): {', '.join(unknown)}")
    backends = [b for b in args.backends.split(",") if b]
    neo4j_url, server = (neo4j_server() if "neo4j" in backends else (None, None))
    rows: list[dict] = []
    print("| network | backend | actors | records | format | export (s) | import (s) |")
    print("|---|---|---:|---:|---|---:|---:|", flush=True)
    try:
        for size in args.sizes.split(","):
            log(f"Generating the {size} network...")
            batch = generate(size if size == "demo" else int(size))
            for backend in backends:
                work = Path(tempfile.mkdtemp(prefix=f"io-bench-{backend}-"))
                try:
                    if backend == "sqlite":
                        rows += run_backend("sqlite", lambda name: f"sqlite:///{work / (name + '.db')}", size, batch, work, formats)
                    elif neo4j_url:
                        def neo4j_for(_name: str) -> str:
                            wipe_neo4j(neo4j_url)
                            return neo4j_url

                        rows += run_backend("neo4j", neo4j_for, size, batch, work, formats)
                finally:
                    shutil.rmtree(work, ignore_errors=True)
            del batch
    finally:
        if server is not None:
            server.stop()
    log(f"{len(rows)} measurements.")


if __name__ == "__main__":
    from connector_graph.auth import acting_as

    with acting_as("bench", "admin"):  # imports and exports need an admin's permissions
        main()
