#!/usr/bin/env python3
"""Checks k8s/monitoring against a real scrape (issue 24): every metric the Grafana dashboard and
the PrometheusRule query must exist in the proxy's /metrics, and the rules are written out as a
plain Prometheus rules file for promtool.
Usage: monitoring_check.py METRICS.txt PROMETHEUSRULE.yaml DASHBOARD.json OUT_RULES.yaml"""
import json
import re
import sys

import yaml

# Metric names in PromQL; recording rules (with a colon) are not scraped, so they are not asked for.
NAME = re.compile(r"\b((?:hopwise|process|jvm)_[a-z0-9_]+)")


def exposed(metrics_text):
    names = set()
    for line in metrics_text.splitlines():
        if line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def main():
    metrics, rule_file, dashboard, out = sys.argv[1:5]
    with open(metrics) as f:
        have = exposed(f.read())
    with open(rule_file) as f:
        rule = yaml.safe_load(f)
    groups = rule["spec"]["groups"]
    with open(out, "w") as f:
        yaml.safe_dump({"groups": groups}, f, sort_keys=False)
    queries = [r["expr"] for g in groups for r in g["rules"]]
    with open(dashboard) as f:
        dash = json.load(f)
    queries += [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
    queries += [v["query"] for v in dash.get("templating", {}).get("list", []) if v.get("type") == "query"]
    wanted = sorted({m for q in queries for m in NAME.findall(q)})
    missing = [m for m in wanted if m not in have]
    print(f"monitoring: {len(queries)} queries name {len(wanted)} metrics; "
          f"{len(wanted) - len(missing)} exist in the scrape")
    if missing:
        print("missing from /metrics: " + ", ".join(missing))
        sys.exit(1)


if __name__ == "__main__":
    main()
