"""Gaps: who is isolated or fragile, single points of failure, thin wards and sectors."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from connector_graph.auth import Permission
from connector_graph.views.text import md_escape
from connector_graph.views import directory, insights
from dashboard.widgets import friendly, page, table

store = page("Gaps", "Where the network is thin: the people and places to reach next.", needs=Permission.ANALYSE)

with st.spinner("Looking for gaps…"), friendly():
    report = insights.analysis(store)
    wards_matrix = insights.ward_matrix(store)
gaps = report["gaps"]


def heatmap(frame: pd.DataFrame) -> None:
    """A tie-count table shaded by count (numbers shown, so colour is not the only signal)."""
    st.dataframe(frame.style.map(insights.shade, top=max(1, int(frame.to_numpy().max(initial=0)))), width="stretch")


def missing_sentence(pairs: list, limit: int = 30) -> str:
    """The pairs of groups with no tie, the first ``limit`` named."""
    if not pairs:
        return "Every pair is linked by at least one tie."
    more = f" and {len(pairs) - limit} more" if len(pairs) > limit else ""
    return f"{len(pairs)} pairs with no tie: {md_escape(insights.pairs_text(pairs[:limit]))}{more}."


cols = st.columns(4)
cols[0].metric("Isolated", gaps["isolated"]["count"], help="No ties at all.")
cols[1].metric("Fragile", gaps["fragile"]["count"], help="One tie, or every link through one actor.")
cols[2].metric("Single points of failure", gaps["cut_points"]["count"], help="Actors whose leaving would cut others off.")
cols[3].metric("Overdue follow-ups", gaps["overdue_follow_ups"]["count"])

tabs = st.tabs(["People", "Single points of failure", "Wards", "Sectors", "Organisations", "Stale and overdue"])
with tabs[0]:
    st.subheader(f"Isolated ({gaps['isolated']['count']})")
    table(insights.refs_frame(gaps["isolated"]["actors"]), "isolated.csv", empty="No one is isolated.")
    st.subheader(f"Fragile ({gaps['fragile']['count']})")
    fragile = pd.DataFrame([{**f["actor"], "why": f["reason"]} for f in gaps["fragile"]["actors"]],
                           columns=["name", "actor_type", "ward", "why", "id"]).rename(columns={"actor_type": "type"})
    table(fragile, "fragile.csv", empty="No one hangs by a single thread.")
with tabs[1]:
    for item in gaps["cut_points"]["items"]:
        st.write("• " + md_escape(item["sentence"]))
    for item in gaps["bridges"]["items"][:10]:
        st.write("• " + md_escape(item["sentence"]))
    if not gaps["cut_points"]["items"] and not gaps["bridges"]["items"]:
        st.write("No single person or link holds any part of the network on its own.")
with tabs[2]:
    wards = pd.DataFrame(gaps["wards"])
    table(wards, "wards.csv", empty="No wards yet.", aggregate=True)
    st.subheader("Ties between wards")
    st.write(missing_sentence(wards_matrix.missing, limit=20))
    if wards_matrix.groups:
        heatmap(insights.matrix_frame(wards_matrix.groups, wards_matrix.counts))
with tabs[3]:
    links = gaps["sector_links"]
    if links["priority_missing"]:
        st.warning("Missing links between statutory, health and community organisations: "
                   f"{md_escape(insights.pairs_text(links['priority_missing']))}.")
    st.write(missing_sentence(links["missing"]))
    sector_counts = {tuple(key.split("|")): n for key, n in links["counts"].items()}
    if sector_counts:
        heatmap(insights.matrix_frame(sorted({s for pair in sector_counts for s in pair}), sector_counts))
with tabs[4]:
    st.subheader("Organisations no connector is linked to")
    table(insights.refs_frame(gaps["unlinked_organisations"]), "unlinked_organisations.csv",
          empty="Every organisation is known to at least one connector.")
with tabs[5]:
    stale, overdue = gaps["stale_ties"], gaps["overdue_follow_ups"]
    names = directory.names_of(store, {x for i in stale["items"] for x in (i["source_id"], i["target_id"])}
                              | {x for i in overdue["items"] for x in (i["introducer_id"], i["subject_id"], i["target_id"])})
    st.subheader(f"Ties not confirmed for {stale['months']} months ({stale['count']})")
    table(pd.DataFrame([{"between": names[i["source_id"]], "and": names[i["target_id"]], "kind": i["kind"],
                         "last seen": i["last_seen"], "months": i["months"]} for i in stale["items"]]),
          "stale_ties.csv", empty="Every tie has been confirmed recently.")
    st.subheader(f"Follow-ups overdue ({overdue['count']})")
    table(pd.DataFrame([{"introducer": names[i["introducer_id"]], "person": names[i["subject_id"]],
                         "introduced to": names[i["target_id"]], "follow-up was due": i["follow_up"],
                         "days overdue": i["days_overdue"]} for i in overdue["items"]]),
          "overdue_follow_ups.csv", empty="No follow-up is overdue.")
