"""Pseudonymised exports: keyed pseudonyms that differ per export, no free text.

People's names and every id are replaced with pseudonyms from a key made
fresh for each export, so two exports cannot be joined on them. Free
text is dropped: introduction outcomes and purposes, people's gifts,
skills, interests and needs (tags typed by staff, which can identify
someone or hold special category detail) and who recorded consent.
People whose consent was withdrawn or whose record is restricted are left
out before this (see :func:`connector_graph.io.transfer.export_file`).
Organisations keep their names: they are not personal data.
"""

from __future__ import annotations

import networkx as nx

from ..model import Introduction, Tie
from ..privacy import Pseudonymiser
from ..store.base import Batch

__all__ = ["Pseudonyms"]


class Pseudonyms:
    """One export's pseudonyms: use the same instance for the whole export."""

    def __init__(self, key: bytes | None = None) -> None:
        self._code = Pseudonymiser(key, prefix="")

    def id(self, actor_or_record_id: str) -> str:
        """The pseudonymous id for ``actor_or_record_id``."""
        return "x-" + self._code(actor_or_record_id).strip().lower()

    def batch(self, batch: Batch) -> Batch:
        """The batch with people's names, every id and all free text replaced or dropped."""
        people = [
            p.model_copy(update={"id": self.id(p.id), "name": "Person " + self.id(p.id)[2:].upper(),
                                 "consent_recorded_by": None, "gifts": [], "skills": [], "interests": [],
                                 "needs": []})
            for p in batch.people
        ]
        organisations = [o.model_copy(update={"id": self.id(o.id)}) for o in batch.organisations]
        ties = [
            Tie.model_validate(
                {**t.model_dump(), "id": "", "source_id": self.id(t.source_id), "target_id": self.id(t.target_id)}
            )
            for t in batch.ties
        ]
        introductions = [
            Introduction.model_validate(
                {
                    **i.model_dump(),
                    "id": self.id(i.id),
                    "introducer_id": self.id(i.introducer_id),
                    "subject_id": self.id(i.subject_id),
                    "target_id": self.id(i.target_id),
                    "outcome": None,
                    "purposes": [],
                }
            )
            for i in batch.introductions
        ]
        return Batch(wards=batch.wards, people=people, organisations=organisations, ties=ties, introductions=introductions)

    def graph(self, G: nx.Graph) -> nx.Graph:
        """The analysis graph with nodes relabelled and people's names replaced."""
        H = nx.relabel_nodes(G, {node: self.id(node) for node in G}, copy=True)
        for node, data in H.nodes(data=True):
            if data.get("actor_type") == "person":
                data["name"] = "Person " + node[2:].upper()
        return H
