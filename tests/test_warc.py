"""WARC input: archives written here with warcio's writer are read by `sitrep extract` and `sitrep ingest`; the
same pages give byte-identical events from WARC and from JSONL article records."""
from __future__ import annotations

import gzip
import html
import io
import json
from pathlib import Path

import pytest

from pg import store_url  # noqa: F401 - fixture
from sitrep.cli import main

OWN = [
    {"slug": "kunduz", "title": "Five killed in Kunduz market attack", "published": "2024-03-05",
     "text": "Gunmen killed five villagers in an attack on a market in Kunduz province on Tuesday, police said.\n"
             "The attackers fled on motorbikes after the shooting, according to the provincial governor."},
    {"slug": "nairobi", "title": "Fuel price protest in Nairobi", "published": "2024-03-04",
     "text": "Thousands of people protested in Nairobi on Monday against rising fuel prices.\n"
             "Police fired tear gas to disperse the crowd near the parliament building."},
]


def page_html(title: str, text: str, published_meta: str | None = None) -> str:
    meta = f'<meta property="article:published_time" content="{published_meta}">' if published_meta else ""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>{meta}</head>"
            f"<body><nav>Home | World | Sport</nav><article><h1>{html.escape(title)}</h1>{paragraphs}</article>"
            "<footer>Contact us</footer></body></html>")


def write_warc(path: Path, pages: list[dict], extra_records: bool = True) -> None:
    """pages: {url, html, crawled (ISO timestamp)}; with extra_records, the records a crawl also holds."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        writer.write_record(writer.create_warc_record("urn:info", "warcinfo", payload=io.BytesIO(b"software: test")))
        for p in pages:
            if extra_records:
                req = StatusAndHeaders(f"GET {p['url']} HTTP/1.1", [("Host", "www.example.org")], is_http_request=True)
                writer.write_record(writer.create_warc_record(p["url"], "request", payload=io.BytesIO(b""),
                                                              http_headers=req))
            head = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                p["url"], "response", payload=io.BytesIO(p["html"].encode("utf-8")), http_headers=head,
                warc_headers_dict={"WARC-Date": p["crawled"]}))
        if extra_records:
            for status, ctype, body in (("200 OK", "image/png", b"\x89PNG...."), ("404 Not Found", "text/html",
                                                                                  b"<html>gone</html>")):
                head = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record("https://www.example.org/other", "response",
                                                              payload=io.BytesIO(body), http_headers=head))


def corpus(shared: Path | None, n_dev: int = 12) -> list[dict]:
    """Our own articles and, where ../shared exists, the first dev articles: as pages and as JSONL records."""
    articles = [dict(a, id=a["slug"]) for a in OWN]
    if shared is not None:
        with open(shared / "eval-data" / "dev" / "gvdb-dev.jsonl", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if not rec.get("published"):        # the crawl date would stand in for it: not the same article
                    continue
                if len(articles) >= len(OWN) + n_dev:
                    break
                articles.append({"id": rec["id"], "title": rec.get("title") or rec["id"],
                                 "published": rec["published"], "text": rec["text"]})
    out = []
    for a in articles:
        url = f"https://www.example.org/news/{a['id']}"
        doc = page_html(a["title"], a["text"])
        out.append({"url": url, "html": doc, "crawled": a["published"] + "T06:30:00Z",
                    "record": {"id": url, "url": url, "title": a["title"], "outlet": "example.org",
                               "published": a["published"], "html": doc}})
    return out


def _shared_or_none():
    shared = Path(__file__).resolve().parents[2] / "shared"
    return shared if (shared / "eval-data" / "dev" / "gvdb-dev.jsonl").exists() else None


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_warc_and_jsonl_give_byte_identical_events(tmp_path, suffix):
    pages = corpus(_shared_or_none())
    warc = tmp_path / f"crawl{suffix}"
    write_warc(warc, pages)
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_text("".join(json.dumps(p["record"]) + "\n" for p in pages), encoding="utf-8")
    assert main(["extract", str(warc), "--format", "jsonl", "-o", str(tmp_path / "from-warc.jsonl")]) == 0
    assert main(["extract", str(jsonl), "--format", "jsonl", "-o", str(tmp_path / "from-jsonl.jsonl")]) == 0
    from_warc = (tmp_path / "from-warc.jsonl").read_bytes()
    assert from_warc == (tmp_path / "from-jsonl.jsonl").read_bytes()
    events = [json.loads(line) for line in from_warc.decode().splitlines()]
    assert {e["article_id"] for e in events} >= {"https://www.example.org/news/kunduz",
                                                 "https://www.example.org/news/nairobi"}
    assert any(e["event_type"] == "PROTEST" for e in events)


def test_warc_article_fields_crawl_date_is_only_the_fallback(tmp_path, capsys):
    pages = [
        {"url": "https://www.example.org/news/a", "html": page_html(OWN[0]["title"], OWN[0]["text"]),
         "crawled": "2024-03-06T10:00:00Z"},
        {"url": "https://www.example.org/news/b", "html": page_html(OWN[1]["title"], OWN[1]["text"],
                                                                    published_meta="2024-03-04T18:00:00+03:00"),
         "crawled": "2024-03-09T10:00:00Z"},
    ]
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, pages)
    assert main(["extract", str(warc), "--format", "json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert [(d["id"], d["url"], d["outlet"], d["published"], d["title"]) for d in docs] == [
        ("https://www.example.org/news/a", "https://www.example.org/news/a", "example.org", "2024-03-06",
         OWN[0]["title"]),
        ("https://www.example.org/news/b", "https://www.example.org/news/b", "example.org", "2024-03-04",
         OWN[1]["title"]),
    ]
    assert "Home | World" not in docs[0]["text"] and "Gunmen killed five villagers" in docs[0]["text"]


def test_warc_ingest_into_both_stores_is_idempotent(tmp_path, store_url, capsys):
    from sitrep.store import open_store

    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, corpus(None))
    assert main(["ingest", str(warc), "--db", store_url]) == 0
    assert "ingested 2 articles: 2 new" in capsys.readouterr().err
    assert main(["ingest", str(warc), "--db", store_url]) == 0
    assert "ingested 2 articles: 0 new, 0 new versions, 2 unchanged" in capsys.readouterr().err
    with open_store(store_url, read_only=True) as store:
        art = store.latest_article("https://www.example.org/news/kunduz")
        assert (art["outlet"], str(art["published"])) == ("example.org", "2024-03-05")
        assert store.counts().events > 0


def test_warc_truncated_archive_keeps_the_records_before(tmp_path, capsys):
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, corpus(None), extra_records=False)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 200])          # the last gzip member breaks off
    assert main(["extract", str(cut), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert [d["id"] for d in json.loads(captured.out)] == ["https://www.example.org/news/kunduz"]
    errors = [line for line in captured.err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "cut.warc.gz: the archive breaks off after record 1" in errors[0], captured.err


@pytest.mark.parametrize("content, message", [
    (b"this is not an archive at all\n" * 10, "not a readable WARC file"),
    (gzip.compress(b"<html>a page, not an archive</html>"), "not a readable WARC file"),
])
def test_warc_not_an_archive_is_one_error_line(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(content)
    assert main(["extract", str(bad), "--format", "jsonl"]) == 2
    err = capsys.readouterr().err
    assert f"Error: {bad}: {message}" in err and "Traceback" not in err


def test_warc_missing_file(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "none.warc"), "--format", "jsonl"]) == 2
    assert f"Error: {tmp_path / 'none.warc'}: no such file" in capsys.readouterr().err
