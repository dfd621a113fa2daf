"""Log an introduction in under 20 seconds on a phone, add people inline, record follow-ups."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from connector_graph import me, service, submissions
from connector_graph.auth import Permission, current_principal
from connector_graph.config import Settings
from connector_graph.errors import ConnectorGraphError
from connector_graph.model import Channel, ConsentMethod, IntroStatus, LawfulBasis, OrgKind, PersonRole, Sector
from connector_graph.views import directory, logging_form, pickers
from connector_graph.views.text import md_escape
from dashboard.widgets import (
    ask, ask_for, asked, asked_for, clear_pick, crash_point, friendly, keep_values, message_for, note_in_url,
    note_values, page, remembered, renew_url_key, restore_from_url, search_picker, settle_picks, spend_url_key,
    url_key,
)

store = page("Log an introduction", "Who did you introduce to whom, and why? Only the three names are required.",
             needs=Permission.LOG)
state = st.session_state
username = current_principal().username
settings = Settings.from_env()
#: Form widgets whose values survive a visit to another page.
KEPT = ["intro_date", "intro_purposes", "intro_channel", "intro_status", "intro_follow_up", "intro_outcome",
        "fu_outcome", "fu_status"]
keep_values(KEPT)
#: Choices that are not widgets, kept in the page's address too (state key -> parameter), so a page that
#: reconnects after a server restart still holds them; the address also carries each form's submission
#: key ("k" for introductions, "nk" for someone new), so a retried submission writes nothing new.
IN_URL = {"intro_by": "by", "intro_subject": "subject", "intro_to": "to", "fu_chosen": "fu"}
restore_from_url(IN_URL)
settle_picks(["who_am_i", "intro_by", "intro_subject", "intro_to"])  # before any button's action is taken
url_key("k")
url_key("nk")


def _describe(actor_id: str) -> directory.Choice | None:
    found = remembered(f"label-{actor_id}", lambda: pickers.choices_for(store, [actor_id]))
    return found[0] if found else None


def _search(people_only: bool = False, prefer: frozenset[PersonRole] = frozenset()):
    return lambda text: pickers.search_choices(store, text, people_only=people_only, prefer=prefer)


# ------------------------------------------------------------ who you are

with friendly():
    mine = remembered(f"me-{username}", lambda: me.my_person(store, username))
    asks_who = remembered(f"can-remember-{username}", lambda: me.can_remember(store, username))
if "intro_by" not in state:
    state["intro_by"] = mine
if chosen_me := state.pop("who_am_i", None):
    clear_pick("who_am_i")  # its list is done with, and never read again
    with friendly(stop=False):
        me.remember_me(store, username, chosen_me)
        mine = state["intro_by"] = chosen_me
        state.setdefault("_remembered", {})[f"me-{username}"] = chosen_me
if mine is None and asks_who:
    st.info("Who are you? Choose yourself once (a connector or worker); this device remembers it, "
            "and your introductions are then logged as yours.")
    search_picker("Who are you?", key="who_am_i", search=_search(True, pickers.INTRODUCER_ROLES), describe=_describe)

# ------------------------------------------------------------ add someone new


def _add_checked(name: str, ward: str | None, actor_id: str):
    """Add the new person or organisation under ``actor_id`` after the look-alike check; ``None`` if warned."""
    matches = directory.similar_names(store, name, ward=ward)
    if matches and not state.get("new_anyway"):
        listed = "; ".join(md_escape(f"{m.name} ({m.actor_type}{', ' + m.ward if m.ward else ''})") for m in matches)
        state["new_message"] = ("warning", f"Already in the network under a similar name: {listed}. "
                                           "Search for them in the lists below, or tick 'add anyway'.")
        state["new_warned"] = True
        state["new_box"] = True  # open, so the warning's "add anyway" can be seen
        return None
    if state.get("new_kind") == "Organisation":
        return service.add_organisation(store, name, sector=state["new_sector"], kind=state["new_org_kind"],
                                        ward=ward, organisation_id=actor_id)
    basis = state.get("new_basis") or settings.default_lawful_basis.value
    consent = basis == LawfulBasis.CONSENT.value
    return service.add_person(
        store, name, ward=ward, roles=state.get("new_roles") or ["resident"],
        person_id=actor_id, lawful_basis=basis,
        consent_given_on=state.get("new_consent_on") if consent else None,
        consent_method=state.get("new_consent_method") if consent else None,
        consent_recorded_by=(state.get("new_consent_by") or None) if consent else None,
    )


def _add_new() -> None:
    """Add the person or organisation typed in the 'new' box (after the look-alike check)."""
    name = state.get("new_name", "").strip()
    if not name:
        state["new_message"] = ("error", "Type the new name first.")
        return
    ward = state.get("new_ward") or None
    organisation = state.get("new_kind") == "Organisation"
    key = url_key("nk")
    actor_id = submissions.record_id("o" if organisation else "p", key)
    again = ""
    try:
        added = submissions.same_actor(store, actor_id, name=name)  # sent again after a crash: already held
        if added is not None:
            again = submissions.already_saved(store, actor_id) + ": "
        else:
            if submissions.taken(store, actor_id):
                renew_url_key("nk")
                key = url_key("nk")
                actor_id = submissions.record_id("o" if organisation else "p", key)
            added = _add_checked(name, ward, actor_id)
            if added is None:
                return
            crash_point("after-save")
    except ConnectorGraphError as exc:
        state["new_message"] = ("error", md_escape(message_for(exc)))
        return
    slot = "intro_to" if state.get("new_kind") == "Organisation" or state.get("intro_subject") else "intro_subject"
    if not state.get(slot):
        state[slot] = added.id
    where = {"intro_to": "who they were introduced to", "intro_subject": "the person introduced"}[slot]
    state["new_message"] = ("success", md_escape(again) + f"Added {md_escape(added.name)}" +
                            (f", chosen as {where}." if state.get(slot) == added.id else ". Search for them below."))
    state["new_name"] = ""
    state["new_anyway"] = False
    state["new_warned"] = False
    spend_url_key("nk", key)  # last: a rerun asked for meanwhile may stop the page here


if asked("new"):
    _add_new()
with friendly():
    purposes, wards = remembered("log-lists", lambda: (directory.known_purposes(store), [w.name for w in store.list_wards()]))

# Like the optional details, the box's fields are drawn only while it is open (it opens by itself to show
# a look-alike warning); the name typed survives closing it.
keep_values(["new_name"])
adding = st.expander("Someone new? Add a person or organisation first", key="new_box", on_change="rerun")
if adding.open:
    with adding:
        st.radio("New", ["Person", "Organisation"], horizontal=True, key="new_kind")
        st.text_input("Name", key="new_name", max_chars=200)
        st.selectbox("Ward", [""] + wards, key="new_ward", format_func=lambda w: w or "not known")
        if state.get("new_kind") == "Organisation":
            st.selectbox("Sector", [s.value for s in Sector], key="new_sector", format_func=lambda v: v.replace("_", " "))
            st.selectbox("Kind", [k.value for k in OrgKind], key="new_org_kind", format_func=lambda v: v.replace("_", " "))
        else:
            st.multiselect("Roles", [r.value for r in PersonRole], default=["resident"], key="new_roles")
            bases = [b.value for b in LawfulBasis]
            st.selectbox("Lawful basis for holding their details", bases, index=bases.index(settings.default_lawful_basis.value),
                         key="new_basis", format_func=lambda v: v.replace("_", " "),
                         help="UK GDPR Article 6. Your organisation's usual basis is chosen; "
                              "change it if this person is different.")
            if state.get("new_basis") == LawfulBasis.CONSENT.value:
                st.date_input("Consent given on", value=dt.date.today(), max_value=dt.date.today(), key="new_consent_on",
                              format="DD/MM/YYYY")
                st.selectbox("How consent was given", [m.value for m in ConsentMethod], key="new_consent_method")
                st.text_input("Consent recorded by", key="new_consent_by", max_chars=200,
                              value=(_describe(mine).label.split(" (")[0] if mine and _describe(mine) else ""))
        if state.get("new_warned"):
            st.checkbox("Add anyway: this is someone else with a similar name", key="new_anyway")
        st.button("Check and add", on_click=ask, args=("new",), key="new_add")
note_values(["new_name"])
if message := state.pop("new_message", None):  # outside the box, so it shows whether the box is open or not
    getattr(st, message[0])(message[1])

# ------------------------------------------------------------ the introduction


def _log() -> None:
    """Write the introduction from the form's values; keep them if anything fails."""
    missing = [label for key, label in (("intro_by", "who made it"), ("intro_subject", "the person introduced"),
                                        ("intro_to", "who they were introduced to")) if not state.get(key)]
    if missing:
        state["intro_message"] = ("error", "Please choose " + ", ".join(missing) + ".")
        return
    key = url_key("k")
    intro_id = submissions.record_id("i", key)
    try:
        intro = submissions.same_introduction(store, intro_id, introducer_id=state["intro_by"],
                                              subject_id=state["intro_subject"], target_id=state["intro_to"])
        if intro is not None:  # sent again after a crash: the first press was saved
            state["intro_message"] = ("info", submissions.already_saved(store, intro_id) + "; nothing new was stored.")
        else:
            if submissions.taken(store, intro_id):  # an old address opened again: a new key for a new record
                renew_url_key("k")
                key = url_key("k")
                intro_id = submissions.record_id("i", key)
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
                introduction_id=intro_id,
            )
            crash_point("after-save")
    except ConnectorGraphError as exc:
        state["intro_message"] = ("error", md_escape(message_for(exc)))
        return
    state.setdefault("logged_here", []).append(intro.id)
    state["last_logged"] = intro.id
    state.pop("editing", None)
    clear_pick("intro_subject")
    clear_pick("intro_to")
    state["intro_follow_up"] = None
    state["intro_purposes"] = []
    state["intro_outcome"] = ""
    spend_url_key("k", key)  # last: a rerun asked for meanwhile (the next pick) may stop the page here


def _undo(intro_id: str) -> None:
    """Remove an introduction logged in this session (audited)."""
    if intro_id not in state.get("logged_here", []):
        state["intro_message"] = ("error", "Only introductions logged here in this session can be undone.")
        return
    try:
        sentence = logging_form.logged_sentence(store, service.get_introduction(store, intro_id), mine)
        service.undo_introduction(store, intro_id)
    except ConnectorGraphError as exc:
        state["intro_message"] = ("error", md_escape(message_for(exc)))
        return
    state["logged_here"].remove(intro_id)
    state.pop("last_logged", None)
    state.pop("editing", None)
    state["intro_message"] = ("info", md_escape("Undone (recorded in the audit log): " + sentence.removeprefix("Logged: ")))


def _save_edit(intro_id: str) -> None:
    try:
        service.edit_introduction(
            store, intro_id, date=state.get("edit_date"), purposes=state.get("edit_purposes") or [],
            channel=state.get("edit_channel"), status=state.get("edit_status"),
            follow_up=state.get("edit_follow_up"), outcome=state.get("edit_outcome") or None,
        )
    except ConnectorGraphError as exc:
        state["intro_message"] = ("error", md_escape(message_for(exc)))
        return
    state.pop("editing", None)
    state["intro_message"] = ("success", "Changes saved.")


# The optional details' defaults, set before "Log introduction" reads them (their box may never be opened).
state.setdefault("intro_date", dt.date.today())
state.setdefault("intro_status", IntroStatus.MADE.value)
state.setdefault("intro_channel", Channel.IN_PERSON.value)
if asked("intro"):
    _log()
if undo_id := asked_for("undo"):
    _undo(str(undo_id))
if edit_id := asked_for("edit_save"):
    _save_edit(str(edit_id))

with friendly():
    search_picker("Introduced by", key="intro_by", search=_search(True, pickers.INTRODUCER_ROLES), describe=_describe,
                  help="The connector or worker who made the introduction (you, unless you choose someone else).")
    search_picker("Person introduced", key="intro_subject", search=_search(True), describe=_describe)
    search_picker("Introduced to (person or organisation)", key="intro_to", search=_search(), describe=_describe)
# The optional details are drawn only while their box is open: the first paint of the form then needs
# no date picker or list widgets (their code is the largest the browser loads for this page), and the
# values chosen are kept while the box is closed (KEPT) and used from state by "Log introduction".
details = st.expander("Purposes, date, channel, status, follow-up, outcome", key="intro_details", on_change="rerun")
if details.open:
    with details:
        st.multiselect("Purposes", purposes, key="intro_purposes", accept_new_options=True,
                       help="Pick from purposes used before, or type a new one.", placeholder="e.g. social contact")
        st.date_input("Date", max_value=dt.date.today() + dt.timedelta(days=365), key="intro_date", format="DD/MM/YYYY")
        st.selectbox("Channel", [c.value for c in Channel], key="intro_channel", format_func=lambda v: v.replace("_", " "))
        st.selectbox("Status", [s.value for s in IntroStatus], key="intro_status", format_func=lambda v: v.replace("_", " "))
        st.date_input("Follow up on", value=None, key="intro_follow_up", format="DD/MM/YYYY",
                      help="When to check how it went (optional).")
        st.text_area("Outcome so far (optional)", key="intro_outcome", max_chars=1000, height=68)
st.button("Log introduction", type="primary", on_click=ask, args=("intro",), key="intro_log")
if message := state.pop("intro_message", None):
    getattr(st, message[0])(message[1])

if (last := state.get("last_logged")) in state.get("logged_here", []):
    with friendly(stop=False):
        logged = service.get_introduction(store, last)
        st.success(md_escape(logging_form.logged_sentence(store, logged, mine)))
        undo, edit = st.columns(2)
        undo.button("Undo", key="intro_undo", on_click=ask_for, args=("undo", last),
                    help="Remove this introduction (the audit log keeps a record that it was removed).")
        edit.button("Edit", key="intro_edit", on_click=lambda: state.update(editing=last))
        if state.get("editing") == last:
            values = logging_form.edit_values(logged)
            for key, value in values.items():
                state.setdefault(key, value)
            with st.container(border=True):
                st.date_input("Date", key="edit_date", format="DD/MM/YYYY")
                st.multiselect("Purposes", sorted(set(purposes) | set(values["edit_purposes"])), key="edit_purposes",
                               accept_new_options=True)
                st.selectbox("Channel", [c.value for c in Channel], key="edit_channel",
                             format_func=lambda v: v.replace("_", " "))
                st.selectbox("Status", [s.value for s in IntroStatus], key="edit_status",
                             format_func=lambda v: v.replace("_", " "))
                st.date_input("Follow up on", key="edit_follow_up", format="DD/MM/YYYY")
                st.text_area("Outcome", key="edit_outcome", max_chars=1000, height=68)
                st.button("Save changes", key="edit_save", on_click=ask_for, args=("edit_save", last))
        else:
            for key in logging_form.EDIT_KEYS:
                state.pop(key, None)

# ------------------------------------------------------------ follow-ups

st.subheader("Introductions awaiting follow-up")


def _save_outcome(intro_id: str) -> None:
    """Record the outcome of exactly the introduction the Save button was drawn beside."""
    status, outcome = state.get("fu_status"), state.get("fu_outcome") or None
    again = ""
    try:
        held = service.get_introduction(store, intro_id)
        if outcome and held.outcome == outcome and held.status.value == status:  # sent again after a crash
            saved, again = held, submissions.already_saved(store, intro_id) + ". "
        else:
            saved = service.record_follow_up(store, intro_id, status=status, outcome=outcome)
            crash_point("after-save")
    except ConnectorGraphError as exc:
        state["fu_message"] = ("error", md_escape(message_for(exc)))
        return
    state["fu_message"] = ("success", md_escape(again + "Outcome saved for: " + logging_form.short_title(store, saved)))
    state.pop("fu_chosen", None)
    state["fu_outcome"] = ""
    state["_kept_fu_outcome"] = ""
    state["fu_generation"] = state.get("fu_generation", 0) + 1  # a fresh list widget: nothing stays selected


if saved_id := asked_for("fu_save"):
    _save_outcome(str(saved_id))
if message := state.pop("fu_message", None):
    getattr(st, message[0])(message[1])
whose = state.get("intro_by")
if not whose:
    st.write("Choose who made the introduction above to see their introductions that have no outcome yet.")
else:
    with friendly():
        groups = remembered(f"waiting-{whose}", lambda: logging_form.follow_up_groups(store, whose))
    total = sum(len(g.items) for g in groups)
    if not total:
        st.write("Nothing is waiting: every introduction has an outcome.")
    else:
        names = {g.key: f"{g.title} ({len(g.items)})" for g in groups}
        group_key = st.radio("Show", list(names), format_func=names.get, horizontal=True, key="fu_group")
        group = next(g for g in groups if g.key == group_key)
        pages = max(1, -(-len(group.items) // logging_form.PAGE_SIZE))
        number = st.number_input("Page", 1, pages, 1, key=f"fu_page_{group_key}") if pages > 1 else 1
        shown = group.items[(number - 1) * logging_form.PAGE_SIZE: number * logging_form.PAGE_SIZE]
        labels = {item.id: item.label for item in shown}
        if not shown:
            st.write("Nothing in this group.")
        else:
            ids = list(labels)
            current = state.get("fu_chosen")
            st.radio("Record the outcome of", ids, index=ids.index(current) if current in ids else None,
                     format_func=lambda i: md_escape(labels[i]), key=f"fu_pick_{state.get('fu_generation', 0)}",
                     on_change=lambda k: state.get(k) is not None and state.update(fu_chosen=state.get(k)),
                     args=(f"fu_pick_{state.get('fu_generation', 0)}",))
        chosen = state.get("fu_chosen")
        state.setdefault("fu_status", IntroStatus.FOLLOWED_UP.value)
        # Five statuses: one tap each (buttons in a row), and no drop-down list's code for the page's first paint.
        st.radio("New status", [s.value for s in IntroStatus], key="fu_status", horizontal=True,
                 format_func=lambda v: v.replace("_", " "))
        st.text_area("Outcome", key="fu_outcome", max_chars=1000, height=68,
                     placeholder="e.g. joined the lunch club and goes every Tuesday")
        st.button("Save outcome", key="fu_save", disabled=not chosen, on_click=ask_for, args=("fu_save", chosen),
                  help=None if chosen else "Choose an introduction in the list first.")
        if chosen:
            st.caption(md_escape("Saving for: " + labels.get(chosen, "the introduction chosen")))

note_values(KEPT)
note_in_url(IN_URL)
