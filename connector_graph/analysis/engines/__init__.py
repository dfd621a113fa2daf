"""Analysis engines behind one small interface (see :mod:`.base`).

:mod:`.python` computes on the networkx graph (networkx or python-igraph);
:mod:`.gds` computes inside Neo4j with Graph Data Science. :func:`.choose.report_engine`
picks one per report.
"""

from .base import Centrality, Communities, Engine, Structure, Tables

__all__ = ["Engine", "Centrality", "Communities", "Structure", "Tables"]
