"""People and organisations: search, filter, a profile for each, edit and erase."""

from __future__ import annotations

import streamlit as st

from connector_graph import service
from connector_graph.auth import Permission, allowed
from connector_graph.errors import ConnectorGraphError
from connector_graph.model import Person, PersonRole, Sector
from connector_graph.views.text import md_escape
from connector_graph.views import answers, directory
from dashboard.widgets import download, friendly, message_for, page, pick_actor, table

store = page("People and organisations", "Everyone in the network, what they bring, and who they know.")

with st.sidebar:
    text = st.text_input("Search names, gifts, skills and offers", key="dir_text")
    kind = st.radio("Show", ["everyone", "person", "organisation"], horizontal=True, key="dir_kind")
    wards = st.multiselect("Wards", [w.name for w in store.list_wards()], key="dir_wards")
    roles = st.multiselect("Roles (people)", [r.value for r in PersonRole], key="dir_roles")
    sectors = st.multiselect("Sectors (organisations)", [s.value for s in Sector], key="dir_sectors",
                             format_func=lambda v: v.replace("_", " "))

with friendly():
    rows = directory.actor_table(store, text=text, actor_type=None if kind == "everyone" else kind,
                                 wards=tuple(wards), roles=tuple(roles), sectors=tuple(sectors))
    options = directory.choices(store)



def _open_from_table() -> None:
    chosen = st.session_state["dir_table"].selection.rows
    if chosen:
        st.query_params["id"] = rows.iloc[chosen[0]]["id"]


def _open_from_picker() -> None:
    if st.session_state.get("profile_pick"):
        st.query_params["id"] = st.session_state["profile_pick"]


st.caption(f"{len(rows):,} found. Pick one below or tick a row in the table to open their profile.")
st.dataframe(rows, hide_index=True, width="stretch", height=280, on_select=_open_from_table,
             selection_mode="single-row", key="dir_table")
download(rows, "directory.csv")
pick_actor("Open a profile", options, key="profile_pick", on_change=_open_from_picker)

actor_id = st.query_params.get("id")
if not actor_id:
    st.stop()
try:
    profile = directory.profile(store, actor_id)
except ConnectorGraphError as exc:
    st.error(md_escape(message_for(exc)))
    st.stop()

actor = profile.actor
st.header(md_escape(actor.name))
if isinstance(actor, Person):
    st.write(f"**Roles:** {', '.join(r.label for r in actor.roles)} · **Ward:** {md_escape(actor.ward or 'not known')}")
    cols = st.columns(4)
    for col, (label, tags) in zip(cols, (("Gifts", actor.gifts), ("Skills", actor.skills),
                                         ("Interests", actor.interests), ("Looking for", actor.needs))):
        col.markdown(f"**{label}**")
        col.text(", ".join(tags) or "none recorded")
    if profile.withheld:
        st.warning("Consent was withdrawn or the record is restricted: this person is left out of the analysis and exports.")
else:
    st.write(f"**{actor.kind.label.capitalize()}**, {actor.sector.label} sector · **Ward:** {md_escape(actor.ward or 'not known')}")
    cols = st.columns(2)
    cols[0].markdown("**Offers**")
    cols[0].text(", ".join(actor.offers) or "none recorded")
    cols[1].markdown("**Spaces to share**")
    cols[1].text(", ".join(actor.spaces) or "none recorded")
    for label, text in (("Where", actor.locations), ("When", actor.schedule)):
        if text:
            st.markdown(f"**{label}**")
            st.text(text)

if profile.place:
    st.subheader("Place in the network")
    for line in profile.place:
        st.text(line)
if allowed(Permission.ANALYSE) and not profile.withheld:
    with friendly(stop=False):
        leaving = answers.person_departure(store, actor.id)
        if leaving is not None and leaving.is_single_point:
            st.warning("Single point of failure. " + md_escape(answers.departure_text(leaving)))

st.subheader(f"Ties ({len(profile.ties)})")
table(profile.ties, f"ties_{actor.id}.csv", empty="No ties recorded yet.")
st.subheader(f"Introductions made ({len(profile.made)})")
table(profile.made, f"introductions_made_{actor.id}.csv", empty="None.")
st.subheader(f"Introductions received ({len(profile.received)})")
table(profile.received, f"introductions_received_{actor.id}.csv", empty="None.")

if allowed(Permission.LOG):
    with st.expander("Edit details"):
        with st.form(f"edit_{actor.id}"):
            name = st.text_input("Name", value=actor.name, max_chars=200)
            ward_names = [""] + [w.name for w in store.list_wards()]
            ward = st.selectbox("Ward", ward_names, index=ward_names.index(actor.ward) if actor.ward in ward_names else 0,
                                format_func=lambda w: w or "not known")
            if isinstance(actor, Person):
                fields = {key: st.text_input(f"{key.capitalize()} (comma separated)", value=", ".join(getattr(actor, key)))
                          for key in ("gifts", "skills", "interests")}
            else:
                fields = {key: st.text_input(f"{label} (comma separated)", value=", ".join(getattr(actor, key)))
                          for key, label in (("offers", "Offers"), ("spaces", "Spaces to share"))}
            if st.form_submit_button("Save changes"):
                changes = {key: [t.strip() for t in value.split(",") if t.strip()] for key, value in fields.items()}
                with friendly(stop=False):
                    service.update_actor(store, actor.id, name=name, ward=ward or None, **changes)
                    st.success("Saved.")
                    st.rerun()

if allowed(Permission.ERASE):
    with st.expander("Erase from the network"):
        st.write(f"This removes {md_escape(actor.name)}, their {len(profile.ties)} ties and every introduction that names them, "
                 "for good. The audit log keeps only the id and the date.")
        confirm = st.text_input(f"Type the name ({md_escape(actor.name)}) to confirm", key=f"erase_confirm_{actor.id}")
        if st.button("Erase for good", type="primary", key=f"erase_{actor.id}", disabled=confirm.strip() != actor.name):
            with friendly(stop=False):
                report = service.erase_actor(store, actor.id)
                del st.query_params["id"]
                st.session_state.pop("profile_pick", None)
                st.success(f"Erased, with {report.ties} ties and {report.introductions} introductions.")
