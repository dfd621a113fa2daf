"""Gaps: the weakest wards on a map and who could bridge them, organisations with no partner
across the statutory line, single points of failure by name, introductions that went nowhere."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from connector_graph.auth import Permission
from connector_graph.errors import InvalidInput
from connector_graph.views import answers, directory, insights, wardmap
from connector_graph.views.text import md_escape
from dashboard.widgets import freshness, friendly, page, pick_actor, table

store = page("Gaps", "Where to send connectors next: the wards, organisations and people to reach.",
             needs=Permission.ANALYSE)
st.caption(md_escape(answers.LINK_DEFINITION))

with st.spinner("Looking for gaps…"), friendly():
    shared = answers.shared_gaps(store)
found, measures, report = shared.value["answers"], shared.value["ward_measures"], shared.value["report"]
freshness(shared)

# ------------------------------------------------------------------ the map
st.subheader("Wards on the map")
left, right = st.columns([3, 1])
with right:
    measure = st.selectbox("Colour wards by", list(answers.MEASURES), key="gp_measure",
                           format_func=lambda m: answers.MEASURES[m][0])
    upload = st.file_uploader("Ward boundaries (GeoJSON, optional)", type=["geojson", "json"], key="gp_geojson",
                              help="A FeatureCollection of ward polygons with the ward name in a 'name' property "
                                   "(or WD22NM and similar, as in ONS boundary files). Drawn here, offline.")
    chosen = st.session_state.get("gp_ward")
    if chosen and st.button("Show all wards", key="gp_clear"):
        st.session_state.pop("gp_ward", None)
        chosen = None
label, low_is_bad = answers.MEASURES[measure]
values = {row["ward"]: (None if pd.isna(row[measure]) else float(row[measure])) for _i, row in measures.iterrows()}
with left, friendly():
    try:
        if upload is not None:
            chart = wardmap.boundary_map(wardmap.read_geojson(upload.getvalue()), values, measure=label,
                                         low_is_bad=low_is_bad)
        else:
            chart = wardmap.tile_map(wardmap.load_grid(), values, measure=label, low_is_bad=low_is_bad,
                                     selected=chosen)
    except InvalidInput as exc:
        st.error(str(exc))
        chart = None
    if chart is not None:
        event = st.vega_lite_chart(chart, on_select="rerun", key="gp_map", selection_mode=wardmap.SELECTION,
                                   width="stretch")
        picked = (event.selection.get(wardmap.SELECTION) or []) if event else []
        if picked and picked[0].get("ward") and picked[0]["ward"] != chosen:
            st.session_state["gp_ward"] = chosen = picked[0]["ward"]
            st.rerun()
ward = chosen
if ward:
    st.info(f"Showing {md_escape(ward)} only. Click another ward, or 'Show all wards'.")
else:
    st.caption("Click a ward to show only its gaps. Grey: no value.")


def in_ward(item: dict) -> bool:
    """True when no ward is chosen, or the item is in the chosen ward."""
    return not ward or item.get("ward") == ward


# Only the open tab's code runs (a tab chosen reruns the page): the page's other five tabs, with their
# tables and pickers of everyone in the network, cost nothing on the request path.
tabs = st.tabs(["Least connected wards", "No partner across the line", "Single points of failure",
                "Introductions that went nowhere", "People with no link", "Stale and overdue"],
               key="gp_tab", on_change="rerun")

# ------------------------------------------------------------ weakest wards
with tabs[0]:
    if tabs[0].open:
        weakest = found["weakest_wards"]
        st.subheader("The three least connected wards" if not ward else f"{ward}")
        shown = weakest if not ward else [w for w in weakest if w["ward"] == ward]
        for w in shown:
            share = "unknown" if w["isolated_share"] is None else f"{w['isolated_share']:.0%}"
            per = "unknown" if w["links_per_1000"] is None else f"{w['links_per_1000']:g}"
            st.markdown(f"**{w['rank']}. {md_escape(w['ward'])}**: {per} links per 1,000 residents; "
                        f"{share} of its people have no link.")
            for b in w["bridges"]:
                st.write(f"• Best bridge: {md_escape(b['name'])} ({md_escape(b['ward'] or 'no ward')}), linked into "
                         f"{md_escape(w['ward'])} and {md_escape(', '.join(b['links_into']))}.")
            if w["missing_pairs"]:
                others = [x for pair in w["missing_pairs"] for x in pair if x != w["ward"]]
                st.write(f"• No link yet with neighbouring or service-sharing wards: "
                         f"{md_escape(answers.names_and_more(others, 6))}.")
        ranking = measures.rename(columns={"links_per_1000": "links per 1,000 residents",
                                           "isolated_share": "share of people with no link",
                                           "introductions_per_1000": "introductions per 1,000 residents",
                                           "deprivation_decile": "deprivation decile"})
        if ward:
            ranking = ranking[ranking["ward"] == ward]
        st.caption("Every ward, most thinly linked first (rank: average of the two rankings).")
        table(ranking, "wards_ranked.csv", empty="No wards yet.", aggregate=True)

# ------------------------------------------------ partners across the line
with tabs[1]:
    if tabs[1].open:
        unpartnered = [u for u in found["unpartnered"] if in_ward(u)]
        st.subheader(f"Organisations with no partner across the statutory / voluntary line ({len(unpartnered)})")
        st.caption("Statutory and health organisations with no link to a voluntary, community or faith organisation, "
                   "and the other way round. Nearest candidates: a connector who knows both, the same ward, "
                   "offers in common.")
        pairs: dict[tuple[str, str], list[dict]] = {}
        for u in unpartnered:
            for missing in u["no_partner_in"]:
                pairs.setdefault((u["sector"], missing), []).append(u)
        for (sector, missing), items in pairs.items():
            with st.expander(f"{sector.replace('_', ' ')} with no {missing.replace('_', ' ')} partner ({len(items)})",
                             expanded=sector == "statutory"):
                table(pd.DataFrame([{"organisation": u["name"], "ward": u["ward"],
                                     "nearest candidates": "; ".join(
                                         c["name"] + (f" ({', '.join(c['why'])})" if c["why"] else "")
                                         for c in u["candidates"])} for u in items]),
                      f"no_{missing}_partner_{sector}.csv")

# ------------------------------------------------- single points of failure
with tabs[2]:
    if tabs[2].open:
        points = [p for p in found["single_points"] if in_ward(p)]
        st.subheader(f"Single points of failure ({len(points)})")
        st.caption("People and organisations whose leaving would cut others off from the rest of the network, "
                   "with one backup link each.")
        for p in points:
            st.write("• " + md_escape(p["sentence"]))
        st.markdown("**What if someone else left?**")
        anyone = pick_actor("Anyone in the network", directory.choices(store), key="gp_anyone")
        if anyone:
            with friendly():
                gone = answers.person_departure(store, anyone)
            st.write(md_escape(answers.departure_text(gone, limit=50)) if gone else
                     "They are not in the analysis (erased, or consent withdrawn).")

# ------------------------------------------------------------- went nowhere
with tabs[3]:
    if tabs[3].open:
        days = st.number_input("No outcome after (days)", 7, 3650, 60, key="gp_days")
        options = directory.choices(store)
        cols = st.columns(3)
        with cols[0]:
            by = pick_actor("Connector", options, key="gp_by")
        with cols[1]:
            purpose = st.selectbox("Purpose", [""] + directory.known_purposes(store), key="gp_purpose",
                                   format_func=lambda p: p or "any purpose")
        with cols[2]:
            target = pick_actor("Introduced to (organisation)", answers.organisation_options(store), key="gp_target")
        with friendly():
            stalled = answers.stalled_frame(store, days=int(days), connector=by, purpose=purpose or None,
                                            target=target, ward=ward)
        st.subheader(f"Introductions that went nowhere ({len(stalled)})")
        st.caption("Declined, outcome unknown, or no outcome recorded that many days after the introduction.")
        table(stalled, "went_nowhere.csv", empty="None: every introduction led somewhere.")
        st.subheader("Who declines most")
        table(shared.value["declining"], "declined_most.csv", empty="No one has declined an introduction.")

# ------------------------------------------------------- isolated, stale
gaps = report["gaps"]
with tabs[4]:
    if tabs[4].open:
        isolated = [a for a in shared.value["no_link"] if in_ward(a)]
        st.subheader(f"No link at all ({len(isolated)})")
        table(insights.refs_frame(isolated), "isolated.csv", empty="Everyone has at least one link.")
        fragile = pd.DataFrame([{**f["actor"], "why": f["reason"]} for f in gaps["fragile"]["actors"]
                                if in_ward(f["actor"])],
                               columns=["name", "actor_type", "ward", "why", "id"])
        fragile = fragile.rename(columns={"actor_type": "type"})
        st.subheader(f"Hanging by one thread ({len(fragile)})")
        table(fragile, "fragile.csv", empty="No one hangs by a single thread.")
with tabs[5]:
    if tabs[5].open:
        stale, overdue = gaps["stale_ties"], gaps["overdue_follow_ups"]
        names = directory.names_of(
            store, {x for i in stale["items"] for x in (i["source_id"], i["target_id"])}
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
