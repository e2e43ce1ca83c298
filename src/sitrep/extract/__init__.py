"""Extraction: from a parsed article to event records."""
