"""A commitment as text for people: `sitrep commitment ID`."""
from __future__ import annotations


def _date(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else (value or "?")


def _deaths(counts: dict) -> str:
    f = (counts or {}).get("fatalities") or {}
    if f.get("best") is None:
        return "no deaths reported"
    return f"killed low/best/high {f.get('low')}/{f.get('best')}/{f.get('high')}"


def explain_text(row: dict) -> str:
    rec = row["record"]
    st = rec["statement"]
    check = rec["check"]
    lines = [f"Commitment {row['commitment_id']}: {row['holder_name'] or 'no named holder'}"
             f"{' (' + row['holder_code'] + ')' if row.get('holder_code') else ''} - {row['kind']} "
             f"({row['polarity']}, threshold {row['threshold']}"
             f"{', ' + str(row['quantity']) if row.get('quantity') else ''})",
             f"  status: {row['status']}  (rule: {row['status_rule']})",
             f"  window: {(check.get('window') or {}).get('start') or _date(row['start_date'])} .. "
             f"{(check.get('window') or {}).get('end') or _date(row['end_date'])}"
             f"  precision: {row['date_precision']}  area: {row.get('area_admin1') or row.get('area_country') or '?'}",
             "", "Statement:",
             f"  \"{st['sentence'].strip()}\"  [{st['sentence_span'][0]}:{st['sentence_span'][1]}] of {st['article_id']}",
             f"  trigger \"{st['trigger']['text']}\" [{st['trigger']['span'][0]}:{st['trigger']['span'][1]}]"
             if st["trigger"].get("span") else "",
             f"  source chain: made by {(st.get('holder') or {}).get('text') or '?'}; said by "
             f"{st['source']['said_by'] or '(the outlet itself)'} ({st['source']['mode']}"
             f"{', quote: ' + repr(st['source']['quote']) if st['source'].get('quote') else ''}); reported by "
             f"{st['source'].get('reported_by') or st.get('outlet') or '(outlet unknown)'}"]
    if not rec["testable"]:
        lines.append(f"  not testable: {rec.get('untestable_reason')}")
    lines += ["", f"Statements ({len(rec['claims'])}), side by side:"]
    for c in rec["claims"]:
        lines.append(f"  - {c['statement']:16s} {c.get('published') or '?'} {c.get('outlet') or ''}: "
                     f"{c.get('said_by') or '(narration)'} [{c['mode']}] \"{c['sentence'].strip()}\" "
                     f"[{c['span'][0]}:{c['span'][1]}] ({c['article_id']})")
    if check.get("window"):
        w = check["window"]
        lines += ["", f"Counts: window {w['start']}..{w['end']} ({w['days']} days): {check['in_window']['events']} "
                  f"events, {_deaths(check['in_window'])}; baseline {w['baseline_start']}..{w['baseline_end']}: "
                  f"{check['baseline']['events']} events, {_deaths(check['baseline'])}"]
        if check.get("quantity_done") is not None:
            lines.append(f"  done so far: {check['quantity_done']} of {row.get('quantity')}")
    if row["links"]:
        lines += ["", "Events held against it:"]
        for link in row["links"]:
            ev = link.get("evidence") or {}
            span = ev.get("span")
            lines.append(f"  - {link['relation']:10s} [{link['period']}] {link['event_type']} "
                         f"{_date(link.get('date_start'))} {link.get('actor_name') or '(actor unknown)'} "
                         f"{link.get('admin1') or link.get('country') or ''}; rule {link['rule']}; "
                         f"\"{(link.get('sentence') or '').strip()}\"{f' [{span[0]}:{span[1]}]' if span else ''} "
                         f"({link['article_id']})")
    lines += ["", "Status history:"]
    for h in row["history"]:
        lines.append(f"  {h['seq']:3d}. {_date(h['checked_at'])[:19]} {h['status']} (rule {h['rule']}; "
                     f"{h['in_count']} in window, {h['baseline_count']} in baseline)")
    return "\n".join(line for line in lines if line is not None) + "\n"
