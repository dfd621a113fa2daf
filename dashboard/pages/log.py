"""Log an introduction in under 30 seconds, add people inline, record follow-ups."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from connector_graph import service
from connector_graph.auth import Permission
from connector_graph.errors import ConnectorGraphError
from connector_graph.model import Channel, IntroStatus, OrgKind, PersonRole, Sector
from connector_graph.views.text import md_escape
from connector_graph.views import directory
from dashboard.widgets import (
    ask, asked, forget_form_id, form_id, friendly, message_for, page, pick_actor, remembered, table,
)

store = page("Log an introduction", "Who did you introduce to whom, and why? Only the three names are required.",
             needs=Permission.LOG)

# ------------------------------------------------------------ add someone new


def _add_new() -> None:
    """Add the person or organisation typed in the 'new' box (after the duplicate check)."""
    state = st.session_state
    name = state.get("new_name", "").strip()
    if not name:
        state["new_message"] = ("error", "Type the new name first.")
        return
    try:
        matches = directory.similar_names(store, name)
        if matches and not state.get("new_anyway"):
            listed = "; ".join(md_escape(f"{m.name} ({m.actor_type}{', ' + m.ward if m.ward else ''})") for m in matches)
            state["new_message"] = ("warning", f"Already in the network under a similar name: {listed}. "
                                               "Pick them from the lists below, or tick 'add anyway'.")
            return
        if state.get("new_kind") == "Organisation":
            added = service.add_organisation(store, name, sector=state["new_sector"], kind=state["new_org_kind"],
                                             ward=state.get("new_ward") or None,
                                             organisation_id=form_id("new_actor_id", "o"))
        else:
            added = service.add_person(store, name, ward=state.get("new_ward") or None,
                                       roles=state.get("new_roles") or ["resident"],
                                       person_id=form_id("new_actor_id", "p"))
    except ConnectorGraphError as exc:
        state["new_message"] = ("error", md_escape(message_for(exc)))
        return
    forget_form_id("new_actor_id")
    state["new_message"] = ("success", f"Added {md_escape(added.name)}. They are now in the lists below.")
    slot = "intro_to" if state.get("new_kind") == "Organisation" or state.get("intro_subject") else "intro_subject"
    if not state.get(slot):
        state[slot] = added.id
    state["new_name"] = ""
    state["new_anyway"] = False


if asked("new"):
    _add_new()
with friendly():
    people, everyone, purposes, wards = remembered("log-lists", lambda: (
        directory.choices(store, people_only=True),
        directory.choices(store),
        directory.known_purposes(store),
        [w.name for w in store.list_wards()],
    ))

with st.expander("Someone new? Add a person or organisation first"):
    st.radio("New", ["Person", "Organisation"], horizontal=True, key="new_kind")
    st.text_input("Name", key="new_name", max_chars=200)
    st.selectbox("Ward", [""] + wards, key="new_ward", format_func=lambda w: w or "not known")
    if st.session_state.get("new_kind") == "Organisation":
        st.selectbox("Sector", [s.value for s in Sector], key="new_sector", format_func=lambda v: v.replace("_", " "))
        st.selectbox("Kind", [k.value for k in OrgKind], key="new_org_kind", format_func=lambda v: v.replace("_", " "))
    else:
        st.multiselect("Roles", [r.value for r in PersonRole], default=["resident"], key="new_roles")
    st.checkbox("Add anyway, even if the name looks like someone already here", key="new_anyway")
    st.button("Check and add", on_click=ask, args=("new",), key="new_add")
    if message := st.session_state.pop("new_message", None):
        getattr(st, message[0])(message[1])

# ------------------------------------------------------------ the introduction


def _log() -> None:
    """Write the introduction from the form's values; keep them if anything fails."""
    state = st.session_state
    missing = [label for key, label in (("intro_by", "who made it"), ("intro_subject", "the person introduced"),
                                        ("intro_to", "who they were introduced to")) if not state.get(key)]
    if missing:
        state["intro_message"] = ("error", "Please choose " + ", ".join(missing) + ".")
        return
    try:
        intro = service.log_introduction(
            store,
            introducer_id=state["intro_by"],
            subject_id=state["intro_subject"],
            target_id=state["intro_to"],
            date=state["intro_date"],
            purposes=state.get("intro_purposes") or [],
            channel=state["intro_channel"],
            status=state["intro_status"],
            follow_up=state.get("intro_follow_up"),
            outcome=state.get("intro_outcome") or None,
            introduction_id=form_id("intro_id", "i"),
        )
    except ConnectorGraphError as exc:
        state["intro_message"] = ("error", md_escape(message_for(exc)))
        return
    forget_form_id("intro_id")
    state["intro_message"] = ("success", f"Logged introduction {intro.id}.")
    for key in ("intro_subject", "intro_to"):
        state[key] = None
    state["intro_purposes"] = []
    state["intro_outcome"] = ""


if asked("intro"):
    _log()
left, right = st.columns(2)
with left:
    pick_actor("Introduced by", [c for c in people], key="intro_by",
               help="The connector or worker who made the introduction (remembered for next time).")
    pick_actor("Person introduced", people, key="intro_subject")
    pick_actor("Introduced to (person or organisation)", everyone, key="intro_to")
    st.multiselect("Purposes", purposes, key="intro_purposes", accept_new_options=True,
                   help="Pick from purposes used before, or type a new one.", placeholder="e.g. social contact")
with right:
    st.date_input("Date", value=dt.date.today(), max_value=dt.date.today() + dt.timedelta(days=365),
                  key="intro_date", format="DD/MM/YYYY")
    st.selectbox("Channel", [c.value for c in Channel], key="intro_channel", format_func=lambda v: v.replace("_", " "))
    st.selectbox("Status", [s.value for s in IntroStatus], index=1, key="intro_status",
                 format_func=lambda v: v.replace("_", " "))
    st.date_input("Follow up on", value=None, key="intro_follow_up", format="DD/MM/YYYY",
                  help="When to check how it went (optional).")
    st.text_area("Outcome so far (optional)", key="intro_outcome", max_chars=1000, height=68)
st.button("Log introduction", type="primary", on_click=ask, args=("intro",), key="intro_log")
if message := st.session_state.pop("intro_message", None):
    getattr(st, message[0])(message[1])

# ------------------------------------------------------------ follow-ups

st.subheader("Introductions awaiting follow-up")
me = st.session_state.get("intro_by")
if not me:
    st.write("Choose who made the introduction above to see their introductions that have no outcome yet.")
else:
    with friendly():
        waiting = remembered(f"waiting-{me}", lambda: directory.awaiting_follow_up(store, me))
    overdue = int(waiting["overdue"].sum()) if not waiting.empty else 0
    st.caption(f"{len(waiting)} with no outcome yet; {overdue} past their follow-up date (listed first).")
    table(waiting, "awaiting_follow_up.csv", empty="Nothing is waiting: every introduction has an outcome.", height=240)
    if not waiting.empty:
        labels = {
            intro_id: f"{day}: {person} → {to}"
            for intro_id, day, person, to in zip(waiting["id"], waiting["date"], waiting["person"], waiting["introduced to"])
        }
        chosen = st.selectbox("Record the outcome of", list(labels), format_func=labels.get, key="fu_pick")
        st.selectbox("New status", [s.value for s in IntroStatus], index=2, key="fu_status",
                     format_func=lambda v: v.replace("_", " "))
        st.text_area("Outcome", key="fu_outcome", max_chars=1000, height=68,
                     placeholder="e.g. joined the lunch club and goes every Tuesday")
        if st.button("Save outcome", key="fu_save"):
            with friendly(stop=False):
                service.record_follow_up(store, chosen, status=st.session_state["fu_status"],
                                         outcome=st.session_state.get("fu_outcome") or None)
                st.success("Outcome saved.")
