"""connector_graph dashboard: ``streamlit run app.py`` (or ``python -m dashboard.serve``, which loads the pages first).

Routes only; each page lives in ``dashboard/pages``. Every page runs as the
signed-in user, whose role the library checks on every call; pages a role
may not use are not even routed, so opening one by URL lands on the overview.
"""

import time

import streamlit as st
from streamlit import config as streamlit_config

from connector_graph import timing
from connector_graph.memory import keep_memory_settled
from connector_graph.auth import Permission, ROLE_PERMISSIONS, acting_as
from connector_graph.signin import CLIENT_SETTINGS, SERVER_LIMITS, unsafe_server_settings
from connector_graph.views.prepare import first_screen_drawn, prepare
from dashboard.auth_gate import current_user
from dashboard.state import get_store
from dashboard.widgets import warm_up_streamlit

STARTED = time.perf_counter()  # the server's time for this run counts from here (CONNECTOR_GRAPH_TIMING_LOG)
keep_memory_settled()  # once per process: freed memory goes back to the system, so the server's memory settles
st.set_page_config(page_title="connector_graph", page_icon="dashboard/assets/icon.png", layout="wide")
# The security settings hold wherever the app was started from, not only beside .streamlit/config.toml.
for option, value in CLIENT_SETTINGS.items():
    if st.get_option(option) != value:
        st.set_option(option, value)
for option, most in SERVER_LIMITS.items():  # st.set_option takes client settings only
    if st.get_option(option) > most:
        streamlit_config.set_option(option, most, "connector_graph app.py")
if problems := unsafe_server_settings(st.get_option):
    st.error("This app will not run while " + "; ".join(problems) + ". Start it from its own folder or fix the setting.")
    st.stop()

#: (file, title, icon, permission needed), in menu order.
PAGES = [
    ("overview.py", "Overview", ":material/home:", Permission.VIEW),
    ("log.py", "Log an introduction", ":material/handshake:", Permission.LOG),
    ("directory.py", "People and organisations", ":material/group:", Permission.VIEW),
    ("explorer.py", "Network explorer", ":material/hub:", Permission.VIEW),
    ("suggestions.py", "Suggestions", ":material/lightbulb:", Permission.VIEW),
    ("connectors.py", "Key connectors", ":material/star:", Permission.ANALYSE),
    ("gaps.py", "Gaps", ":material/extension:", Permission.ANALYSE),
    ("activity.py", "Activity", ":material/trending_up:", Permission.ANALYSE),
    ("data.py", "Import and export", ":material/inventory_2:", Permission.IMPORT),
    ("privacy.py", "Privacy and admin", ":material/shield:", Permission.AUDIT),
]

store = get_store()
principal = current_user(store, st.get_option("server.address")) if store is not None else None
if principal is not None:
    granted = ROLE_PERMISSIONS[principal.role]
    pages = [
        st.Page(f"dashboard/pages/{file}", title=title, icon=icon, default=file == "overview.py")
        for file, title, icon, needs in PAGES
        if needs in granted
    ]
    with acting_as(principal.username, principal.role):
        prepare(store, also=[warm_up_streamlit])  # shared lists and analyses, off the request path, after 1st screen
        chosen = st.navigation(pages)
        pressed = [k[len("_asked_"):] for k in st.session_state if str(k).startswith("_asked_")]
        with timing.script_run(chosen.url_path or "overview", session=st.context.headers.get("Sec-Websocket-Key", "")
                               if timing.timing_log_path() else "", actions=sorted(pressed), started=STARTED):
            try:
                chosen.run()
            finally:
                first_screen_drawn()  # if the page did not say so earlier: the shared results go on now
