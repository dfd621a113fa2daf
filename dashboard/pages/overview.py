"""Overview: the headline numbers, this month, the top connectors and the biggest gaps."""

from __future__ import annotations

import streamlit as st

from connector_graph import overview
from connector_graph.auth import Permission, allowed
from connector_graph.views import pulse
from connector_graph.views.prepare import first_screen_drawn
from connector_graph.views.text import md_escape
from dashboard.widgets import freshness, friendly, page, table

# The Overview is the first page a freshly started server draws: the counts come first, and the
# modules only the analysis and the tables need (networkx, pandas) load after them.
store = page("Overview")

with friendly():
    summary = overview.summarise(store)

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

with friendly():
    beats = pulse.shared_pulse(store).value

st.subheader("This month so far")
cols = st.columns(3)
for col, beat in zip(cols, beats):
    col.metric(beat.label.capitalize(), beat.so_far, delta=beat.so_far - beat.same_days_before,
               delta_description="vs same days last month", chart_data=beat.counts, chart_type="bar",
               help=f"Per month, {beat.months[0]} to {beat.months[-1]}: {', '.join(map(str, beat.counts))}.",
               border=True)
for beat in beats:
    st.caption(beat.sentence)
st.page_link("dashboard/pages/log.py", label="Log an introduction", icon=":material/handshake:")
first_screen_drawn()  # the shared lists and analyses, which waited for this screen, start now

if allowed(Permission.ANALYSE) and not summary.is_empty:
    from connector_graph.views import answers

    with st.spinner("Measuring the network…"), friendly():
        shared = answers.shared_gaps(store)
    report, found = shared.value["report"], shared.value["answers"]
    freshness(shared)
    left, right = st.columns(2)
    with left:
        st.subheader("Top connectors")
        for c in report["connectors"][:5]:
            st.write(f"{c['rank']}. {md_escape(c['name'])}" + (f" ({md_escape(c['ward'])})" if c.get("ward") else ""))
        st.page_link("dashboard/pages/connectors.py", label="All key connectors", icon=":material/star:")
    with right:
        st.subheader("Biggest gaps")
        alone = shared.value["no_link"]
        weakest = ", ".join(w["ward"] for w in found["weakest_wards"])
        st.write(f"• Least connected wards: {md_escape(weakest or 'none yet')}.")
        statutory = [u["name"] for u in found["unpartnered"] if u["sector"] == "statutory" and u["no_partner_at_all"]]
        st.write(f"• {len(statutory)} statutory organisation{'s' if len(statutory) != 1 else ''} with no voluntary, "
                 f"community or faith partner" + (f": {md_escape(answers.names_and_more(statutory, 3))}." if statutory else "."))
        points = found["single_points"]
        st.write(f"• {len(points)} single point{'s' if len(points) != 1 else ''} of failure.")
        for item in points[:2]:
            st.write("  – " + md_escape(item["sentence"]))
        st.write(f"• {len(found['went_nowhere'])} introductions went nowhere; "
                 f"{len(alone)} people and organisations have no link at all.")
        st.page_link("dashboard/pages/gaps.py", label="All gaps", icon=":material/extension:")
    st.subheader("Fair shares: are the most deprived wards getting more?")
    shares = shared.value["fair_share"]
    st.write(md_escape(shares.sentence))
    frame = answers.fair_share_frame(shares)
    if not frame.empty:
        st.bar_chart(frame.set_index("deprivation decile")[["introductions per 1,000", "links per 1,000"]],
                     x_label="deprivation decile (1 = most deprived)", y_label="per 1,000 residents", stack=False)
        st.caption("Deprivation comes with the ward table (IMD decile or score). The demo city's deciles are "
                   "illustrative and synthetic, not real figures.")
        table(frame, "fair_shares_by_deprivation.csv", aggregate=True)

import pandas as pd  # noqa: E402 - after the first paint

st.subheader("Latest introductions")
table(pd.DataFrame([row.model_dump() for row in summary.recent]), "latest_introductions.csv", empty="None logged yet.")

st.subheader("Wards")
table(pd.DataFrame([row.model_dump() for row in summary.wards]), "wards.csv", empty="No wards loaded.", aggregate=True)
