"""What each dashboard page shows, computed without any web framework.

Every module here takes a store or a graph and returns plain data (models,
dataclasses, pandas frames or an HTML string), so the dashboard's pages stay
thin and everything they show is testable on its own.
"""
