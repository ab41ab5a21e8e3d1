"""Where the subject's dialect keeps the settings ``triage`` edits (``Dialect.writing``)."""

from __future__ import annotations

from cfgguard.dialects import BY_NAME
from cfgguard.dialects.writing import Place, Writing
from cfgguard.triage.subject import Subject
from cfgguard.yaml.nodes import Mapping

__all__ = ["Place", "accumulation", "clipping", "epochs", "learning_rate", "mapping", "of", "rank"]


def of(subject: Subject) -> Writing:
    return BY_NAME[subject.dialect].writing


def mapping(place: Place, subject: Subject) -> Mapping | None:
    """The mapping the key belongs in (inserted there when absent)."""
    return subject.reader.mapping(place.parent)


def clipping(subject: Subject) -> list[Place]:
    return of(subject).clipping(subject.reader)


def accumulation(subject: Subject) -> Place:
    return of(subject).accumulation(subject.reader)


def epochs(subject: Subject) -> Place | None:
    at = of(subject).epochs
    return None if at is None else at(subject.reader)


def rank(subject: Subject) -> Place:
    return of(subject).rank(subject.reader)


def learning_rate(subject: Subject) -> Place:
    return of(subject).learning_rate(subject.reader)
