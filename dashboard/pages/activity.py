"""Activity: introductions over time, network growth, and two dates compared."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from connector_graph.auth import Permission
from connector_graph.views import activity
from connector_graph.views.text import md_escape
from dashboard.widgets import friendly, page, table

store = page("Activity", "Introductions month by month, how the network has grown, and what changed.",
             needs=Permission.ANALYSE)

GROUP_LABELS = {"connector": "Connector", "ward": "Ward", "purpose": "Purpose", "status": "Status", "outcome": "Outcome"}
with st.sidebar:
    by = st.selectbox("Introductions by", list(activity.GROUPINGS), format_func=GROUP_LABELS.get, key="ac_by")
    since = st.date_input("From", value=dt.date.today() - dt.timedelta(days=730), key="ac_since", format="DD/MM/YYYY")
    until = st.date_input("To", value=dt.date.today(), key="ac_until", format="DD/MM/YYYY")
    ward = st.selectbox("Ward", [""] + [w.name for w in store.list_wards()], key="ac_ward",
                        format_func=lambda w: w or "all wards")

with friendly():
    monthly = activity.monthly_introductions(store, by, since=since, until=until, ward=ward or None)
    grown = activity.growth_table(store)

st.subheader(f"Introductions per month by {GROUP_LABELS[by].lower()}")
if monthly.empty:
    st.write("No introductions in this period.")
else:
    st.bar_chart(monthly, x_label="month", y_label="introductions")
    table(monthly.reset_index(), f"introductions_by_{by}.csv", aggregate=True)

st.subheader("Network growth")
if grown.empty:
    st.write("Nothing recorded yet.")
else:
    readable = activity.readable_growth(grown)
    st.line_chart(readable.set_index("month")[["ties in total", "introductions in total"]], x_label="month",
                  y_label="total so far")
    st.caption(f"From {readable['month'].iloc[0]}, the first month with anything recorded. Ties and introductions "
               "logged (every status); the comparison below counts links (ties and introductions that happened).")
    table(readable, "growth.csv", aggregate=True)

st.subheader("Compare two dates")
left, right = st.columns(2)
before = left.date_input("Before", value=dt.date.today() - dt.timedelta(days=365), key="ac_before", format="DD/MM/YYYY")
after = right.date_input("After", value=dt.date.today(), key="ac_after", format="DD/MM/YYYY")
with st.spinner("Comparing…"), friendly():
    comparison = activity.compare_dates(store, before, after)
st.caption(md_escape(activity.LINK_DEFINITION))
for sentence in comparison.sentences or ["Nothing changed between these dates."]:
    st.write("• " + md_escape(sentence))
