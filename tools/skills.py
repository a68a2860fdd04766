"""Skill taxonomy and skill extraction (STUB — being implemented)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tools.schemas import SkillCategory, SkillMention


@dataclass(frozen=True)
class SkillEntry:
    id: str  # stable slug, e.g. "kubernetes"
    name: str  # canonical display name, e.g. "Kubernetes"
    category: SkillCategory
    parent: str | None = None  # parent skill id, e.g. django -> python
    aliases: tuple[str, ...] = field(default_factory=tuple)
    hot: bool = False  # O*NET hot technology


class Taxonomy:
    def get(self, skill_id: str) -> SkillEntry | None:
        """Entry by id."""
        raise NotImplementedError

    def lookup(self, name: str) -> SkillEntry | None:
        """Entry for a canonical name or alias, case/punctuation-insensitive ("k8s" -> Kubernetes)."""
        raise NotImplementedError

    def relation_credit(self, have: str, want: str) -> float:
        """Credit (0..1) that having skill id `have` gives for a requirement `want`.

        1.0 same skill; partial when related through the parent tree (e.g. have=django,
        want=python → 0.5; have=python, want=django → 0.25; siblings → 0.2); 0 otherwise.
        """
        raise NotImplementedError


def load_taxonomy() -> Taxonomy:
    """The bundled taxonomy (cached; built from tools/data)."""
    raise NotImplementedError


def extract_skills(text: str, *, fuzzy: bool = True) -> list[SkillMention]:
    """All skill mentions in `text`, sorted by start offset, non-overlapping (longest wins)."""
    raise NotImplementedError
