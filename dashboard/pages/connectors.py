"""Key connectors: who holds the network together, each measure explained."""

from __future__ import annotations

import altair as alt
import streamlit as st

from connector_graph.analysis.centrality import METRICS
from connector_graph.auth import Permission
from connector_graph.views.text import md_escape
from connector_graph.views import insights
from dashboard.widgets import friendly, page, table

store = page("Key connectors", "Who holds the network together, measured several ways.", needs=Permission.ANALYSE)

with st.sidebar:
    by = st.selectbox("Rank by", list(METRICS), format_func=lambda k: METRICS[k].label, key="kc_by")
    top = st.slider("How many", 5, 100, 20, key="kc_top")
    wards = st.multiselect("Only these wards", [w.name for w in store.list_wards()], key="kc_wards")

with st.spinner("Measuring the network…"), friendly():
    report = insights.analysis(store, top=top, by=by, wards=wards)

with st.expander("What the measures mean", expanded=False):
    for metric in METRICS.values():
        st.markdown(f"- {metric.explanation}")
st.caption(insights.engine_caption(report))
for note in report["network"]["notes"]:
    st.info(f"Note: {note}.")

frame = insights.connectors_frame(report)
label = METRICS[by].label
if frame.empty:
    st.write("No one to rank yet: log some people and ties first.")
    st.stop()
st.subheader(f"Top {len(frame)} by {label.lower()}")
bars = frame.assign(who=[f"{rank}. {name}" for rank, name in zip(frame["rank"], frame["name"])])[["who", label]]
chart = alt.Chart(bars).mark_bar().encode(
    x=alt.X(f"{label}:Q", title=label), y=alt.Y("who:N", sort=list(bars["who"]), title=None), tooltip=["who", label]
)
st.altair_chart(chart, width="stretch")
table(frame, f"key_connectors_by_{by}.csv")

st.subheader("What if one of them left?")
names = dict(zip(frame["id"], frame["name"]))
leaving = st.selectbox("Choose someone", list(names), format_func=names.get, key="kc_leaving")
if leaving:
    with friendly():
        st.write(md_escape(insights.if_they_left(store, leaving)))
