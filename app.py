"""connector_graph dashboard: ``streamlit run app.py``.

Routes only; each page lives in ``dashboard/pages``. Every page runs as the
signed-in user, whose role the library checks on every call.
"""

import streamlit as st

from connector_graph.auth import acting_as
from dashboard.auth_gate import current_user
from dashboard.state import get_store

st.set_page_config(page_title="connector_graph", page_icon="🌱", layout="wide")

store = get_store()
principal = current_user(store, st.get_option("server.address")) if store is not None else None
if principal is not None:
    pages = [
        st.Page("dashboard/pages/overview.py", title="Overview", icon="🏠", default=True),
    ]
    with acting_as(principal.username, principal.role):
        st.navigation(pages).run()
