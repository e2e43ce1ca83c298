"""Incidents: events from different articles that report the same happening, merged and reconciled.

Only `reported` events of each article's latest version take part. Two events are *compatible* when they come
from different articles, have compatible types and modes, overlapping (slightly widened) date ranges, the same
country and a place within `max_distance_km` (or the same admin1 when either is coarser than a point), and actors
and recipients that do not contradict each other (rules in data/incident_rules.yaml).

Grouping is agglomerative and deterministic: compatible pairs are taken best-first (most positive evidence, then
shortest distance, then ids) and two groups join only when *every* cross pair is compatible and they share no
article (complete linkage). So a vague report cannot chain two distinct incidents together, and events from one
article never merge. Incidents are brought up to date from events after each ingest (`update_incidents`
reclusters only the events new or changed reports can affect, with the result of a full `recompute_incidents`),
which makes merging reversible: a new report can split or join groups, and the result depends only on what is
stored.

Counts are reconciled across claims (one claim per event: its article, outlet and sources keep their own toll):
low = the smallest claimed `best` (or its `low` when given), high = the largest claimed `best` (or `high`),
best = the median of the claimed `best` values, the lower middle one when their number is even (conservative,
in the spirit of ACLED's "most conservative" count).
"""
from .comparing import Comparison, Criterion, compare, date_range, haversine_km, is_proper_name
from .explaining import explain_text
from .grouping import PRECISION_RANK, RECONCILE_RULE, Incident, cluster, incident_rows, reconcile
from .maintenance import IncidentSummary, recompute_incidents, update_incidents
from .merge_rules import MergeRules, default_rules

__all__ = [
    "Comparison", "Criterion", "Incident", "IncidentSummary", "MergeRules", "PRECISION_RANK", "RECONCILE_RULE",
    "cluster", "compare", "date_range", "default_rules", "explain_text", "haversine_km", "incident_rows",
    "is_proper_name", "recompute_incidents", "reconcile", "update_incidents",
]
