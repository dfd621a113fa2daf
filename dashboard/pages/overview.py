"""Overview: what the network holds and the latest introductions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from connector_graph import overview
from connector_graph.auth import Permission, allowed
from connector_graph.errors import ConnectorGraphError
from connector_graph.io.safe_csv import to_safe_csv
from dashboard.state import get_store, where_label

st.title("Overview")
store = get_store()
if store is None:
    st.stop()
st.caption(where_label(store))

try:
    summary = overview.summarise(store)
except ConnectorGraphError as exc:
    st.error(f"Could not read the network: {exc}")
    st.stop()

if summary.is_empty:
    st.info(
        "The network is empty. Load the synthetic demo city (no real people) with "
        "`connector-graph seed --size demo`, or start logging people and introductions."
    )

cols = st.columns(4)
cols[0].metric("People", f"{summary.counts.people:,}", help="Residents, volunteers, connectors and workers.")
cols[1].metric("Organisations", f"{summary.counts.organisations:,}", help="Groups, services and places.")
cols[2].metric("Ties", f"{summary.counts.ties:,}", help="Known relationships between them.")
cols[3].metric("Introductions", f"{summary.counts.introductions:,}", help="Introductions logged by connectors.")

st.subheader("Latest introductions")
if summary.recent:
    table = pd.DataFrame([row.model_dump() for row in summary.recent])
    st.dataframe(table, hide_index=True, width="stretch")
    if allowed(Permission.EXPORT):
        st.download_button("Download as CSV", to_safe_csv(table), "latest_introductions.csv", "text/csv")
else:
    st.write("None logged yet.")

st.subheader("Wards")
if summary.wards:
    wards = pd.DataFrame([row.model_dump() for row in summary.wards])
    st.dataframe(wards, hide_index=True, width="stretch")
else:
    st.write("No wards loaded.")
