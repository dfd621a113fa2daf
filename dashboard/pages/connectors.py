"""Key connectors: who holds the network together, each measure explained."""

from __future__ import annotations

import streamlit as st

from connector_graph.analysis.centrality import METRICS
from connector_graph.auth import Permission
from connector_graph.views.text import md_escape
from connector_graph.views import answers, directory, insights, plain
from dashboard.widgets import freshness, friendly, page, table

store = page("Key connectors", "Who holds the network together, measured several ways.", needs=Permission.ANALYSE)

with st.sidebar:
    by = st.selectbox("Rank by", list(METRICS), format_func=lambda k: METRICS[k].label, key="kc_by")
    top = st.slider("How many", 5, 100, 20, key="kc_top")
    wards = st.multiselect("Only these wards", [w.name for w in store.list_wards()], key="kc_wards")

with st.spinner("Measuring the network…"), friendly():
    shared = insights.shared_analysis(store, top=top, by=by, wards=wards)
report = shared.value
freshness(shared)

with st.expander("What the measures mean", expanded=False):
    for metric in METRICS.values():
        st.markdown(f"- {metric.explanation}")
st.caption(insights.engine_caption(report))
st.caption(insights.sampling_caption(report))
for note in report["network"]["notes"]:
    st.info(f"Note: {note}.")

frame = insights.connectors_frame(report)
label = METRICS[by].label
if frame.empty:
    st.write("No one to rank yet: log some people and ties first.")
    st.stop()
st.subheader(f"Top {len(frame)} by {label.lower()}")
st.vega_lite_chart(insights.ranking_chart(frame, label), width="stretch")
with friendly():
    worded, raw = plain.plain_connectors(store, report)
st.caption("Each measure as a place in the whole network: top 1-25%, then high, medium or low. "
           "Hover over a bar for the raw value.")
table(worded, f"key_connectors_by_{by}.csv")
with st.expander("Raw values, for analysts"):
    table(raw, f"key_connectors_by_{by}_raw.csv")

st.subheader("What if someone left?")
with friendly():
    everyone = directory.choices(store)
labels = {c.id: c.label for c in everyone}
ranked = [i for i in frame["id"] if i in labels]
order = ranked + sorted((i for i in labels if i not in set(ranked)), key=lambda i: labels[i].casefold())
leaving = st.selectbox("Anyone: the top connectors first, then everyone else", order, format_func=labels.get,
                       key="kc_leaving")
if leaving:
    with friendly():
        gone = answers.person_departure(store, leaving)
    st.write(md_escape(answers.departure_text(gone, limit=50)) if gone else
             "They are not in the analysis (erased, or consent withdrawn).")
