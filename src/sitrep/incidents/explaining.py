"""A stored incident as text (`sitrep incidents explain`)."""
from __future__ import annotations


def _count(c: dict) -> str:
    if not c or c.get("best") is None:
        return "-"
    return "/".join("?" if c.get(k) is None else str(c[k]) for k in ("low", "best", "high"))


def explain_text(row: dict) -> str:
    """A stored incident as text: where and when, every report's claim, and why each merge was allowed."""
    rec = row["record"]
    place = ", ".join(str(x) for x in (row.get("location_name"), row.get("admin1"), row.get("country")) if x)
    when = str(row.get("date_start") or "date unknown")
    if row.get("date_end") and row.get("date_end") != row.get("date_start"):
        when += f"..{row['date_end']}"
    mode = f" ({row['mode']})" if row.get("mode") else ""
    lines = [
        f"Incident {row['incident_id']}: {row['event_type']}{mode} on {when} at {place or 'place unknown'}",
        f"  actor: {row.get('actor_name') or '-'}; recipient: {row.get('recipient_name') or '-'}",
        f"  reported by {row['n_articles']} article(s) from {row['n_outlets']} outlet(s): {row.get('outlets') or '-'}",
        f"  fatalities low/best/high: {_count(rec['fatalities'])}; injuries: {_count(rec['injuries'])}",
        f"  ({rec['reconcile_rule']})",
        "",
        "Claims:",
    ]
    for c in rec["claims"]:
        lines.append(
            f"  {c['event_id']}  article {c['article_id']} ({c.get('outlet') or 'no outlet'}, {c.get('published') or '-'})"
            f": killed {_count(c['fatalities'])}, wounded {_count(c['injuries'])}"
            + (f", according to {c['sources']}" if c.get("sources") else "")
        )
        lines.append(f"      \"{' '.join((c.get('sentence') or '').split())}\"")
    lines.append("")
    if not rec["links"]:
        lines.append("Merges: none (a single report)")
    else:
        lines.append("Merges (in the order they were made):")
        for link in rec["links"]:
            lines.append(f"  {link['event_a']} + {link['event_b']} (evidence score {link['score']}):")
            for crit in link["criteria"]:
                mark = "ok" if crit["ok"] else "NO"
                lines.append(f"      {mark:2}  {crit['criterion']:<9} {crit['detail']}")
    return "\n".join(lines) + "\n"
