"""``analyse_store``: one analysis of a store, as the ``analyse`` command and the dashboard ask for it.

This module is light on purpose: answering from a kept report needs no
networkx, numpy or igraph, so those are imported (with
:mod:`.report`) only when a report has to be made.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Collection

from ..caching import LruCache
from . import report_cache

__all__ = ["analyse_store"]

_CACHE = LruCache(8)


def analyse_store(
    store: Any,
    *,
    top: int = 10,
    by: str = "score",
    as_of: dt.date | None = None,
    wards: Collection[str] | None = None,
    include_organisations: bool = True,
    engine: str = "auto",
    samples: int | None = None,
    seed: int = 0,
    use_cache: bool = True,
) -> dict[str, Any]:
    """Project ``store`` and run :func:`~.report.network_report`, cached by graph version.

    ``samples`` is the number of pivots for sampled bridging and closeness
    (None: the analysis' default). The cache key is the projection (store
    URL, graph version, options), the report's options and today's date
    (stale ties and overdue follow-ups depend on it). Each call returns its
    own copy. The report is also kept on disk by the same key
    (:mod:`~connector_graph.analysis.report_cache`), so a new process with an
    unchanged store does not analyse again, and the projection comes from its
    cache file when that is current. ``use_cache=False`` reads the store
    again and recomputes everything (``analyse --no-cache``), then keeps the
    fresh results.

    Examples
    --------
    >>> import os, tempfile
    >>> from connector_graph.store import open_store
    >>> store = open_store("sqlite:///" + os.path.join(tempfile.mkdtemp(), "g.db"))
    >>> analyse_store(store)["network"]["actors"]
    0
    >>> store.close()
    """
    from ..graph import projection_key
    from .engines.choose import report_engine

    options = dict(as_of=as_of, wards=wards, include_organisations=include_organisations)
    projection = projection_key(store, **options)
    chosen = report_engine(store, engine)  # the one place a report's engine is chosen
    key = (projection, top, by, engine, chosen, samples, seed, dt.date.today())
    settings = dict(zip(("as_of", "wards", "include_organisations", "tie_kinds"), projection[2:]))
    settings.update(top=top, by=by, engine=engine, chosen=chosen, samples=samples, seed=seed, today=key[-1])
    database = getattr(store, "_database", None)

    def make() -> dict[str, Any]:
        if chosen == "gds":
            return _gds_report(store, top=top, by=by, samples=samples, seed=seed, **options)
        from .projection import introduction_records, load_projection, select, tie_records, to_networkx
        from .report import network_report

        history = store.introduction_history() if as_of is not None else None
        confirmations = store.tie_confirmations() if as_of is not None else None
        selection = select(load_projection(store, use_cache=use_cache), history=history, confirmations=confirmations,
                           **options)
        ward_records = [w for w in store.list_wards() if wards is None or w.name in set(wards)]
        extra = {} if samples is None else {"samples": samples}
        return network_report(
            to_networkx(selection),
            top=top,
            by=by,
            wards=ward_records,
            ties=tie_records(selection),
            introductions=introduction_records(selection),
            as_of=as_of,
            ward_filter=wards,
            engine=engine if engine in ("networkx", "igraph") else "auto",  # "python" and "auto": either, by size
            seed=seed,
            **extra,
        )

    def kept() -> dict[str, Any]:
        return report_cache.kept(store.url, database, projection[1], settings, make, use_cache=use_cache)

    if not use_cache:
        _CACHE.forget(key)
    if chosen == "gds":  # computed in the server: nothing to keep beside the store
        return copy.deepcopy(_CACHE.get_or_make(key, make))
    return copy.deepcopy(_CACHE.get_or_make(key, kept))


def _gds_report(store: Any, *, top: int, by: str, samples: int | None, seed: int, **options: Any) -> dict[str, Any]:
    """The report computed inside Neo4j by Graph Data Science (exact up to the igraph exact limit)."""
    from .centrality import DEFAULT_SAMPLES, EXACT_LIMIT_IGRAPH
    from .engines.gds_report import gds_network_report

    n = store.counts()
    exact = n.people + n.organisations <= EXACT_LIMIT_IGRAPH
    pivots = None if exact else (samples or DEFAULT_SAMPLES)
    return gds_network_report(store, top=top, by=by, samples=pivots, seed=seed, **options)
