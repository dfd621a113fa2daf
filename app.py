"""connector_graph dashboard: ``streamlit run app.py``.

Routes only; each page lives in ``dashboard/pages``.
"""

import streamlit as st

st.set_page_config(page_title="connector_graph", page_icon="🌱", layout="wide")

pages = [
    st.Page("dashboard/pages/overview.py", title="Overview", icon="🏠", default=True),
]
st.navigation(pages).run()
