"""Suggestions: introductions worth making, each with its reasons."""

from __future__ import annotations

import streamlit as st

from connector_graph.auth import Permission, allowed
from connector_graph.views import directory, insights
from dashboard.widgets import friendly, page, pick_actor, table

store = page("Suggested introductions", "Ideas to check with the people involved: matches of interests and needs, "
             "nearby, with a connector who knows them.")

with friendly():
    people = directory.choices(store, people_only=True)

st.subheader("For one person")
person = pick_actor("Person", people, key="sg_person")
if person:
    with st.spinner("Finding matches…"), friendly():
        ideas = insights.person_suggestions(store, person)
    table(ideas, f"suggestions_{person}.csv",
          empty="No match yet: record their interests or what they are looking for on their profile.")

st.subheader("For the network")
if not allowed(Permission.ANALYSE):
    st.write("Suggestions for the whole network are for managers.")
    st.stop()
with friendly():
    wait = insights.network_list_on_request(store)
if wait and not st.toggle("Rank introductions across the whole network (a few minutes for a network this size; "
                          "kept until the network changes)", key="sg_across"):
    st.stop()
with st.spinner("Looking across the network…"), friendly():
    links, bridges = insights.network_suggestions(store)
st.markdown("**The best introductions across the network** (every person's suggestions, ranked together)")
table(links, "suggested_links.csv", empty="Nothing to suggest yet.")
st.markdown("**Communities with no tie between them, and who could bridge them**")
table(bridges, "bridge_candidates.csv", empty="Every community is linked to every other.")
