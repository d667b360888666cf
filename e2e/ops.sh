#!/usr/bin/env bash
# Operations end-to-end test, on loopback only:
#  1. a real Prometheus scrapes the admin port: `up` is 1 and the proxy's request counter grows;
#     `promtool check metrics` finds no problem in the exposition; every metric k8s/monitoring's
#     dashboard and rules query exists in that scrape, and promtool checks and tests the rules;
#  2. graceful drain: under continuous load, SIGTERM makes /readyz say 503 at once, the process
#     exits 0, and no request gets a partial or empty answer (only "connection refused" once the
#     listener is closed).
# Installs Debian's prometheus (which brings promtool) if missing; stops everything by PID.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
NAME="ops e2e"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
make_tmp hopwise-e2e
tmp=$TMP
install_missing prometheus prometheus promtool prometheus curl curl
jar=$(hopwise_jar)
wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  fail "timed out waiting for $what"
}

origin_port=$(free_port); proxy_port=$(free_port); admin_port=$(free_port); prom_port=$(free_port)
mkdir -p "$tmp/www" && head -c 20000 /dev/zero | tr '\0' 'x' > "$tmp/www/file.txt"
python3 e2e/origin.py "$tmp/www" "$origin_port" 2>"$tmp/origin.log" &
STARTED_PIDS+=("$!")

cat >"$tmp/proxy.yaml" <<YAML
listen: 127.0.0.1:$proxy_port
admin: 127.0.0.1:$admin_port
upstream:
  idleTimeout: 1s
accessLog: off
shutdown:
  delay: 2s
  drainTimeout: 10s
YAML
java -jar "$jar" --config "$tmp/proxy.yaml" >"$tmp/proxy.log" 2>&1 &
proxy_pid=$!
STARTED_PIDS+=("$proxy_pid")
wait_for "the proxy's readiness" curl -sf "http://127.0.0.1:$admin_port/readyz"
target="http://127.0.0.1:$origin_port/file.txt"
for _ in $(seq 1 20); do
  curl -sf -o /dev/null -x "http://127.0.0.1:$proxy_port" "$target" || fail "request through the proxy failed"
done

# Events whose series appear once they happen: a refusal (an origin-form request is 400) and an
# upstream close (upstream.idleTimeout: 1s above), so the monitoring check below finds them.
curl -s -o /dev/null "http://127.0.0.1:$proxy_port/origin-form" || true
sleep 2
echo "== promtool check metrics"
curl -sf "http://127.0.0.1:$admin_port/metrics" >"$tmp/metrics.txt"
if ! promtool check metrics <"$tmp/metrics.txt" >"$tmp/promtool.log" 2>&1 || [ -s "$tmp/promtool.log" ]; then
  cat "$tmp/promtool.log"; fail "promtool found problems in /metrics"
fi
echo "promtool: no problems in $(grep -c '^# TYPE' "$tmp/metrics.txt") metric families"

echo "== k8s/monitoring: the dashboard's and the rules' metrics exist; promtool checks and tests the rules"
python3 -c 'import yaml' 2>/dev/null || apt_install python3-yaml
mkdir -p "$tmp/rules"
python3 e2e/monitoring_check.py "$tmp/metrics.txt" k8s/monitoring/prometheusrule.yaml \
  k8s/monitoring/grafana-dashboard.json "$tmp/rules/hopwise-rules.yaml" || fail "k8s/monitoring names metrics /metrics lacks"
promtool check rules "$tmp/rules/hopwise-rules.yaml" >"$tmp/promtool-rules.log" 2>&1 \
  || { cat "$tmp/promtool-rules.log"; fail "promtool check rules failed"; }
cp e2e/rules-test.yaml "$tmp/rules/"
(cd "$tmp/rules" && promtool test rules rules-test.yaml) >"$tmp/promtool-test.log" 2>&1 \
  || { cat "$tmp/promtool-test.log"; fail "promtool test rules failed"; }
echo "promtool: rules check and $(grep -c '^  - name:' e2e/rules-test.yaml) rule tests pass"

echo "== a real Prometheus scrapes the admin port"
cat >"$tmp/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: hopwise
    static_configs:
      - targets: ['127.0.0.1:$admin_port']
YAML
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$tmp/prometheus.log" 2>&1 &
prom_pid=$!
STARTED_PIDS+=("$prom_pid")
query() { curl -sf --get "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'; }
up_is_1() { [ "$(query 'up{job="hopwise"}')" = "1" ]; }
wait_for "Prometheus to scrape the proxy (up == 1)" up_is_1
before=$(query 'sum(hopwise_requests_total{job="hopwise"})')
for _ in $(seq 1 25); do curl -sf -o /dev/null -x "http://127.0.0.1:$proxy_port" "$target"; done
grew() { local now; now=$(query 'sum(hopwise_requests_total{job="hopwise"})'); python3 -c "import sys; sys.exit(0 if float('$now') >= float('$before') + 25 else 1)"; }
wait_for "the request counter to grow by 25 in Prometheus" grew
echo "Prometheus: up == 1; hopwise_requests_total went from $before to $(query 'sum(hopwise_requests_total{job="hopwise"})')"
kill "$prom_pid"; wait "$prom_pid" 2>/dev/null || true

echo "== graceful drain on SIGTERM under load"
load() { # one client: requests until the proxy refuses connections; logs "id curl-exit-code"
  local n=0
  while [ $n -lt 400 ]; do
    code=0
    curl -s -o /dev/null --max-time 10 -x "http://127.0.0.1:$proxy_port" "$target?id=$1-$n" || code=$?
    echo "$1-$n $code" >>"$tmp/load.codes"
    [ "$code" = 7 ] && break   # connection refused: the proxy stopped accepting
    n=$((n + 1))
  done
}
for i in 1 2 3 4; do load "$i" & STARTED_PIDS+=("$!"); done
sleep 1
kill -TERM "$proxy_pid"
sleep 0.5
ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port/readyz" || true)
[ "$ready" = "503" ] || fail "/readyz should say 503 while draining, said $ready"
code=0
wait "$proxy_pid" || code=$?
[ "$code" = 0 ] || fail "the proxy exited with $code after SIGTERM, expected 0"
sleep 1
codes=$(awk '{print $2}' "$tmp/load.codes" | sort | uniq -c | tr '\n' ' ')
ok=$(awk '$2 == 0' "$tmp/load.codes" | wc -l)
# curl 18 (partial body) or 28 (timed out waiting) is never acceptable.
partial=$(awk '$2 == 18 || $2 == 28' "$tmp/load.codes" | wc -l)
[ "$partial" = 0 ] || fail "responses cut short during the drain (curl exit codes: $codes)"
# Every request the proxy took (the origin saw it) was answered completely. Others may have
# been refused (7) or reset in the listen queue when the listener closed (52, 56): never taken.
unanswered=0
while read -r id code; do
  if [ "$code" != 0 ] && grep -q "id=$id\$" "$tmp/origin.log"; then unanswered=$((unanswered + 1)); echo "taken but not answered: $id ($code)"; fi
done <"$tmp/load.codes"
[ "$unanswered" = 0 ] || fail "$unanswered requests reached the origin but not their client"
[ "$ok" -gt 20 ] || fail "too little load ran ($ok requests)"
echo "drain: exit 0; readyz 503 while draining; curl exit codes (count code): $codes"
echo "ops e2e: OK"
