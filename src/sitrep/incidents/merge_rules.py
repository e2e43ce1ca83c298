"""The merge rules of incidents (data/incident_rules.yaml) as a frozen value."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..data import load_yaml


@dataclass(frozen=True)
class MergeRules:
    max_distance_km: float = 25.0
    date_slack_days: int = 1
    max_date_range_days: int = 7
    undated_window_days: int = 2
    point_precisions: frozenset = frozenset({"point", "area", "admin2"})
    vague_precisions: frozenset = frozenset({"country", "water", "unknown"})
    compatible_types: tuple = ()
    mode_groups: tuple = ()
    generic_actor_words: frozenset = frozenset()

    @classmethod
    def load(cls) -> "MergeRules":
        spec = load_yaml("incident_rules.yaml")
        return cls(
            max_distance_km=float(spec["max_distance_km"]),
            date_slack_days=int(spec["date_slack_days"]),
            max_date_range_days=int(spec["max_date_range_days"]),
            undated_window_days=int(spec["undated_window_days"]),
            point_precisions=frozenset(spec["point_precisions"]),
            vague_precisions=frozenset(spec["vague_precisions"]),
            compatible_types=tuple(frozenset(g) for g in spec.get("compatible_types") or ()),
            mode_groups=tuple(frozenset(g) for g in spec.get("mode_groups") or ()),
            generic_actor_words=frozenset(w.lower() for w in spec.get("generic_actor_words") or ()),
        )


@lru_cache(maxsize=1)
def default_rules() -> MergeRules:
    return MergeRules.load()
