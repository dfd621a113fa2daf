"""``python -m connector_graph``: the same as the ``connector-graph`` command."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="connector-graph")
