"""Overview: the headline numbers, this month, the top connectors and the biggest gaps."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from connector_graph import overview
from connector_graph.auth import Permission, allowed
from connector_graph.views import insights
from connector_graph.views.text import md_escape
from dashboard.widgets import friendly, page, table

store = page("Overview")

with friendly():
    summary = overview.summarise(store)
    change = overview.month_change(store)

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

st.subheader(f"This month ({change.month})")
for sentence in change.sentences():
    st.write("• " + sentence)
st.page_link("dashboard/pages/log.py", label="Log an introduction", icon=":material/handshake:")

if allowed(Permission.ANALYSE) and not summary.is_empty:
    with st.spinner("Measuring the network…"), friendly():
        report = insights.analysis(store, top=5)
    left, right = st.columns(2)
    with left:
        st.subheader("Top connectors")
        for c in report["connectors"]:
            st.write(f"{c['rank']}. {md_escape(c['name'])}" + (f" ({md_escape(c['ward'])})" if c.get("ward") else ""))
        st.page_link("dashboard/pages/connectors.py", label="All key connectors", icon=":material/star:")
    with right:
        st.subheader("Biggest gaps")
        gaps = report["gaps"]
        st.write(f"• {gaps['isolated']['count']} people and organisations with no ties at all.")
        st.write(f"• {gaps['cut_points']['count']} single points of failure.")
        for item in gaps["cut_points"]["items"][:2]:
            st.write("  – " + md_escape(item["sentence"]))
        if gaps["sector_links"]["priority_missing"]:
            pairs = insights.pairs_text(gaps["sector_links"]["priority_missing"])
            st.write(f"• Missing links between sectors: {md_escape(pairs)}.")
        st.write(f"• {gaps['overdue_follow_ups']['count']} follow-ups overdue.")
        st.page_link("dashboard/pages/gaps.py", label="All gaps", icon=":material/extension:")

st.subheader("Latest introductions")
table(pd.DataFrame([row.model_dump() for row in summary.recent]), "latest_introductions.csv", empty="None logged yet.")

st.subheader("Wards")
table(pd.DataFrame([row.model_dump() for row in summary.wards]), "wards.csv", empty="No wards loaded.", aggregate=True)
