"""The Streamlit dashboard: thin pages over the connector_graph library."""
