#!/usr/bin/env python3
"""Reads the connection view's page as Chromium rendered it (--dump-dom) and prints what its
tables show, as JSON, for e2e/browser.sh to check against the traffic it sent.
Usage: connections_dom.py DOM.html PATH   (PATH: the target path whose exchange rows to count)"""
import html.parser
import json
import sys


class Tables(html.parser.HTMLParser):
    """Collects the text of every cell, per row, per table id."""

    def __init__(self):
        super().__init__()
        self.tables = {}
        self.table = None
        self.row = None
        self.cell = None
        self.spans = []
        self.summary = ""
        self.in_summary = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.table = a.get("id")
            self.tables.setdefault(self.table, [])
        elif tag == "tr" and self.table:
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = ""
        elif tag == "span" and self.table == "exchanges" and self.row is not None:
            self.spans.append(a.get("class", ""))
        elif tag == "div" and a.get("id") == "summary":
            self.in_summary = True

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.tables[self.table].append(self.row)
            self.row = None
        elif tag == "table":
            self.table = None
        elif tag == "div":
            self.in_summary = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.in_summary:
            self.summary += data


def main():
    page, path = sys.argv[1], sys.argv[2]
    p = Tables()
    with open(page, encoding="utf-8") as f:
        p.feed(f.read())
    rows = [r for r in p.tables.get("exchanges", []) if len(r) > 5 and path in r[3]]
    print(json.dumps({
        "summary": p.summary.strip(),
        "rows": len(rows),
        "clientNew": sum(1 for r in rows if r[1].endswith(" new")),
        "upstreamNew": sum(1 for r in rows if r[5].endswith(" new")),
        "upstreamReused": sum(1 for r in rows if " reused" in r[5]),
        "status200": sum(1 for r in rows if r[4] == "200"),
        "targetsWithQuery": sum(1 for r in rows if "?" in r[3]),
        "waterfallSpans": len(p.spans),
        "openRows": len(p.tables.get("open", [])),
        "closedRows": len(p.tables.get("closed", [])),
    }))


if __name__ == "__main__":
    main()
