"""Privacy and admin: subject access, erasure, retention, the audit log and users."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from connector_graph import accounts, lawful, privacy, service
from connector_graph.auth import Permission, Role
from connector_graph.config import Settings
from connector_graph.model import LawfulBasis
from connector_graph.views import directory
from connector_graph.views.text import md_escape
from dashboard.widgets import friendly, page, pick_actor, table

store = page("Privacy and admin", "Requests from residents, the retention policy, the audit log and who can sign in.",
             needs=Permission.AUDIT)

with friendly():
    people = directory.choices(store, people_only=True)

tabs = st.tabs(["Subject access", "Erasure", "Retention", "Audit log", "Users"])

with tabs[0]:
    st.write("Everything held about one person: their details, consent, ties, introductions, measures and the "
             "audit entries about them. Other residents appear only as pseudonyms. The request itself is logged.")
    who = pick_actor("Person", people, key="sa_person")
    if who and st.button("Prepare the subject access report", key="sa_run"):
        with friendly(stop=False):
            report = privacy.subject_access(store, who)
            st.session_state["sa_report"] = (
                who,
                json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False),
                privacy.render_subject_access(report),
            )
    ready = st.session_state.get("sa_report")
    if ready and ready[0] == who:
        st.download_button("Download as JSON", ready[1], f"subject_access_{who}.json", "application/json", key="sa_json")
        st.download_button("Download the readable version", ready[2], f"subject_access_{who}.md", "text/markdown",
                           key="sa_md")
        with st.expander("Preview"):
            st.text(ready[2])

with tabs[1]:
    st.write("Erasure removes the person, their ties and every introduction that names them, from the store, "
             "the analysis and every later export. The erasure register keeps the id so a restore from an older "
             "backup can erase them again.")
    target = pick_actor("Person or organisation to erase", directory.choices(store), key="er_actor")
    if target:
        confirm = st.text_input("Type ERASE to confirm", key="er_confirm")
        if st.button("Erase for good", type="primary", key="er_run", disabled=confirm.strip() != "ERASE"):
            with friendly(stop=False):
                report = service.erase_actor(store, target)
                st.session_state.pop("er_actor", None)
                st.success(f"Erased {md_escape(report.actor_id)} with {report.ties} ties and "
                           f"{report.introductions} introductions.")
    with friendly(stop=False):
        register = privacy.erasure_register(store)
        table(pd.DataFrame(register, columns=["id", "erased at"]), "erasure_register.csv",
              empty="No one has been erased.")

with tabs[2]:
    months = st.number_input("Keep people this many months after their last activity", 1, 1200,
                             Settings.from_env().retention_months,
                             key="rt_months")
    with friendly(stop=False):
        review = privacy.retention_review(store, months=int(months))
        st.write(f"{len(review.due)} due for erasure today; {len(review.undated)} with no date to judge by.")
        table(pd.DataFrame([item.model_dump() for item in review.due], columns=["id", "due_on", "reason"]),
              "retention_due.csv", empty="No one is due.")
        if review.due:
            confirm = st.text_input(f"Type ERASE {len(review.due)} to erase them all", key="rt_confirm")
            if st.button("Apply the retention policy", type="primary", key="rt_apply",
                         disabled=confirm.strip() != f"ERASE {len(review.due)}"):
                erased = privacy.apply_retention(store, review)
                st.success(f"Erased {erased} people.")
    st.markdown("**Lawful basis**")
    with friendly(stop=False):
        missing = lawful.missing_lawful_basis(store)
        if not missing:
            st.write("Everyone held has a lawful basis recorded.")
        else:
            st.warning(f"{len(missing):,} people have no lawful basis recorded (stored by an older version).")
            table(pd.DataFrame([{"id": p.id, "name": p.name} for p in missing], columns=["id", "name"]),
                  "no_lawful_basis.csv", empty="")
            bases = [b.value for b in LawfulBasis]
            basis = st.selectbox("Give them this lawful basis", bases, key="lb_basis",
                                 index=bases.index(Settings.from_env().default_lawful_basis.value))
            if st.button("Set their lawful basis", key="lb_set"):
                changed = lawful.set_missing_lawful_basis(store, basis)
                st.success(f"Set the lawful basis of {len(changed):,} people to {md_escape(basis)}.")

with tabs[3]:
    with friendly(stop=False):
        check = privacy.verify_audit(store)
        if check.ok:
            st.success(f"The audit log is intact: {check.checked:,} entries checked.")
            if check.warning:
                st.warning(md_escape(check.warning) + ".")
        else:
            st.error(f"The audit log has been tampered with: {md_escape(check.problem)}.")
        about = st.text_input("Only entries about this id", key="au_target")
        entries = privacy.audit_log(store, target=about.strip() or None, limit=500)
        table(pd.DataFrame([e.model_dump(exclude={"prev_hash"}) for e in reversed(entries)],
                           columns=["seq", "at", "who", "action", "target", "hash"]),
              "audit_log.csv", empty="No entries.")

with tabs[4]:
    with friendly(stop=False):
        users = accounts.list_users(store)
        table(pd.DataFrame([{"user": u.username, "role": u.role.value} for u in users], columns=["user", "role"]),
              "users.csv", empty="No local accounts: the app runs as a single local user on this machine only.")
    with st.form("user_add"):
        st.markdown("**Add a user**")
        name = st.text_input("User name")
        role = st.selectbox("Role", [r.value for r in Role])
        password = st.text_input("Password (at least 12 characters)", type="password")
        if st.form_submit_button("Add"):
            with friendly(stop=False):
                accounts.add_user(store, name, role, password)
                st.success("Added.")
    if users:
        names = [u.username for u in users]
        with st.form("user_change"):
            st.markdown("**Change a role or remove a user**")
            chosen = st.selectbox("User", names)
            new_role = st.selectbox("New role", [r.value for r in Role])
            left, right = st.columns(2)
            if left.form_submit_button("Set role"):
                with friendly(stop=False):
                    accounts.set_role(store, chosen, new_role)
                    st.success("Role changed; it applies on their next click.")
            if right.form_submit_button("Remove user"):
                with friendly(stop=False):
                    accounts.remove_user(store, chosen)
                    st.success("Removed.")
