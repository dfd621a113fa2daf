"""Network explorer: filter, focus on one actor, find who could introduce two people."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from connector_graph.model import OrgKind, PersonRole, Sector
from connector_graph.views.text import md_escape
from connector_graph.views import directory
from connector_graph.views.explorer import (
    COLOUR_BY, DEFAULT_MAX_NODES, DRAWING_HEIGHT, REDUCE_BY, SIZE_BY, ExplorerOptions, community_choices, explore,
)
from connector_graph.views.measures import shared_measures
from dashboard.widgets import drawing, freshness, friendly, page, pick_actor

store = page("Network explorer", "The network as groups first: pick a community to open it, or focus on one person. "
             "Hover over or click a shape to see who or what it is; drag to move around, scroll to zoom.")

with friendly():
    options = directory.choices(store)

with st.sidebar:
    st.subheader("What to show")
    wards = st.multiselect("Wards", [w.name for w in store.list_wards()], key="ex_wards")
    types = st.multiselect("People or organisations", ["person", "organisation"], key="ex_types")
    sectors = st.multiselect("Sectors (organisations)", [s.value for s in Sector], key="ex_sectors",
                             format_func=lambda v: v.replace("_", " "))
    kinds = st.multiselect("Kinds (organisations)", [k.value for k in OrgKind], key="ex_kinds",
                           format_func=lambda v: v.replace("_", " "))
    roles = st.multiselect("Roles (people)", [r.value for r in PersonRole], key="ex_roles")
    since = st.date_input("Links made since", value=None, key="ex_since", format="DD/MM/YYYY",
                          help="Leave empty for every link.")
    until = st.date_input("Network as it stood on", value=None, key="ex_until", format="DD/MM/YYYY",
                          max_value=dt.date.today(), help="Leave empty for today.")
    st.subheader("How to draw it")
    colour_by = st.selectbox("Colour by", list(COLOUR_BY), format_func=COLOUR_BY.get, key="ex_colour")
    size_by = st.selectbox("Size by", list(SIZE_BY), index=list(SIZE_BY).index("score"), format_func=SIZE_BY.get,
                           key="ex_size")
    max_nodes = st.slider("Most people and organisations to draw", 20, 1000, DEFAULT_MAX_NODES, step=20, key="ex_max",
                          help="More than a few hundred makes the picture slow and hard to read.")
    reduce_by = st.radio("When there are more, show", list(REDUCE_BY), key="ex_reduce", format_func=REDUCE_BY.get)

with st.spinner("Measuring the network…"), friendly():
    shared = shared_measures(store, as_of=until)
freshness(shared)
with friendly():
    communities = community_choices(store, until=until, measures=shared.value)
asked = st.query_params.get("community")  # a community clicked in the drawing opens it
if asked is not None and asked != st.session_state.get("ex_community_asked"):
    st.session_state["ex_community_asked"] = asked
    if asked.isdigit() and int(asked) in communities:
        st.session_state["ex_community"] = int(asked)
community = st.selectbox("Open a community", list(communities), index=None, format_func=communities.get,
                         key="ex_community", placeholder="All communities")
focus, route = st.columns(2)
with focus:
    ego = pick_actor("Focus on one person or organisation", options, key="ex_ego")
    hops = st.slider("Steps out from them", 1, 4, 1, key="ex_hops")
with route:
    a = pick_actor("Who could introduce…", options, key="ex_path_a")
    b = pick_actor("…to", options, key="ex_path_b")

chosen = ExplorerOptions(
    wards=tuple(wards), actor_types=tuple(types), sectors=tuple(sectors), kinds=tuple(kinds), roles=tuple(roles),
    since=since, until=until, ego=ego, hops=hops, path=(a, b) if a and b and a != b else None,
    colour_by=colour_by, size_by=size_by, max_nodes=max_nodes, reduce_by=reduce_by, community=community,
)
with st.spinner("Drawing the network…"), friendly():
    view = explore(store, chosen, measures=shared.value)

if view.path_names:
    middle = view.path_names[1:-1]
    first, last = md_escape(view.path_names[0]), md_escape(view.path_names[-1])
    if middle:
        st.success(f"{first} could be introduced to {last} through " + " → ".join(md_escape(m) for m in middle)
                   + f" ({len(view.path_names) - 1} steps, numbered and outlined in red).")
    else:
        st.info(f"{first} and {last} are already directly linked.")
for note in view.notes:
    st.info(md_escape(note))
shown_nodes, total = view.graph.number_of_nodes(), view.total_actors
st.caption(f"{shown_nodes:,} shape{'s' if shown_nodes != 1 else ''} drawn for {total:,} "
           f"{'person or organisation' if total == 1 else 'people and organisations'}; "
           f"{view.graph.number_of_edges():,} line{'s' if view.graph.number_of_edges() != 1 else ''}.")
picture, key = st.columns([3, 1])
with picture:
    if view.graph.number_of_nodes() == 0:
        st.warning("Nothing matches these filters.")
    else:
        drawing(view.html, height=DRAWING_HEIGHT + 130)  # the drawing and the details panel under it
legend = pd.DataFrame([{"colour": item.colour, "meaning": item.label, "count": item.count} for item in view.legend])
with key:
    if not legend.empty:
        st.markdown("**Legend**")
        st.dataframe(legend.style.map(lambda c: f"background-color: {c}; color: {c}", subset=["colour"]),
                     hide_index=True, width="stretch")

shown = [c for c in options if c.id in view.graph]
if shown:
    detail = pick_actor("Details of someone drawn", shown, key="ex_detail")
    if detail:
        st.page_link("dashboard/pages/directory.py", label="Open their profile", icon=":material/person:", query_params={"id": detail})
