"""Killed and wounded counts by group, read from the dependency parse and attached to violent events.

Every sentence is scanned for harm words (killed, wounded, shot, died, death toll ...; `data/casualties.yaml`).
Each gives a `Mention`: an outcome (killed, injured, or harmed = hit with the outcome unsaid), the victims'
count split by group, and the character span it came from. Mentions attach to the violent event whose
trigger they hang from, else to the nearest violent event of the sentence, else to the nearest preceding one in
the paragraph. Consecutive events that report the same incident (an article that says "shot", then "the
shooting", then "the victim died") form one incident, and every event of an incident carries the incident's
combined counts: figures for the same outcome are the same victims told again (the largest wins, a later
"rose to" update wins over everything); victims named one by one add up when no figure is given; victims
hit with the outcome unsaid ("was shot") count as wounded unless the incident reports them killed.

The package: `lexicon` (the YAML), `counting` (numbers, bounds, groups of a victim phrase), `phrases` (the
wordings that state a toll), `tally` (an incident's totals), `resolver` (attachment to events, incidents).
"""
from .resolver import CasualtyResolver

__all__ = ["CasualtyResolver"]
