"""Shared widgets and the one open store per server process."""

from __future__ import annotations

import streamlit as st

from connector_graph.config import Settings
from connector_graph.errors import ConnectorGraphError
from connector_graph.store import Store, open_store


@st.cache_resource(show_spinner="Opening the network...")
def _open(url: str) -> Store:
    return open_store(url, Settings.from_env())


def get_store() -> Store | None:
    """The configured store, or ``None`` after telling the user in one sentence why not."""
    settings = Settings.from_env()
    try:
        return _open(settings.store_url)
    except ConnectorGraphError as exc:
        st.error(f"The network's database cannot be opened right now: {exc}")
        return None


def where_label(store: Store) -> str:
    """A short description of where the data lives, for the sidebar."""
    kind = "Neo4j" if store.url.startswith(("bolt", "neo4j")) else "embedded SQLite"
    return f"Data: {kind} ({store.url})"
