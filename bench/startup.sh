#!/usr/bin/env bash
# Start-up (issue 28, target 9): milliseconds from a proxy's exec to its first proxied response (a
# sidecar delays its pod by that much), loopback only. Paths, each started ROUNDS times in turn:
#   hopwise      bin/hopwise as the README runs it, with its class archive (AppCDS, trained first)
#   hopwise-nocds  the same with HOPWISE_CDS=off (what every start cost before the archive)
#   nginx-RP     nginx as a reverse proxy, one worker, to the same origin
# The first proxied response is polled for every 5 ms with curl; the proxy is then stopped and
# waited for. Prints the median and the spread per path.
# Usage: [ROUNDS=7] bench/startup.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
BENCH_DIR="$root/bench"
NGINX=${NGINX:-}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
make_bench_tmp hopwise-startup
ROUNDS=${ROUNDS:-7}
{ is_uint "$ROUNDS" && ((ROUNDS > 0 && ROUNDS <= 50)); } || die "ROUNDS must be in 1..50"
ensure_packages
[[ -f proxy-app/target/hopwise.jar ]] || die "no proxy-app/target/hopwise.jar: build it first (./mvnw -q -B -DskipTests package)"
port_open 3128 && die "something already listens on 127.0.0.1:3128 (hopwise's default port)"

origin=$(free_port)
write_nginx_conf "$TMP/origin" "    server {
        listen 127.0.0.1:$origin;
        server_name _;
        root $TMP/docroot;
    }"
start_nginx "$TMP/origin" "" "$origin" origin

rp=$(free_port "$origin")
write_nginx_conf "$TMP/rp" "    upstream origin { server 127.0.0.1:$origin; keepalive 16; }
    server {
        listen 127.0.0.1:$rp;
        server_name _;
        location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
    }"
"$NGINX" -t -q -e "$TMP/rp/error.log" -p "$TMP/rp" -c "$TMP/rp/nginx.conf" || die "nginx-RP: config test failed"

# once PATH: starts it, polls until a proxied GET answers 200, prints the milliseconds, stops it.
once() {
  local t0 t1 pid k
  t0=$(date +%s%N)
  case $1 in
    hopwise) bin/hopwise >"$TMP/hopwise.log" 2>&1 & ;;
    hopwise-nocds) HOPWISE_CDS=off bin/hopwise >"$TMP/hopwise.log" 2>&1 & ;;
    nginx-RP) "$NGINX" -e "$TMP/rp/error.log" -p "$TMP/rp" -c "$TMP/rp/nginx.conf" >"$TMP/rp.log" 2>&1 & ;;
  esac
  pid=$!
  STARTED_PIDS+=("$pid")
  for ((k = 0; k < 4000; k++)); do
    case $1 in
      nginx-RP) curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$rp/small" 2>/dev/null && break ;;
      *) curl -sf -o /dev/null --max-time 1 -x http://127.0.0.1:3128 "http://127.0.0.1:$origin/small" 2>/dev/null && break ;;
    esac
    kill -0 "$pid" 2>/dev/null || die "$1 exited before answering: $(tail -c 400 "$TMP"/*.log)"
    sleep 0.005
  done
  ((k < 4000)) || die "$1 did not answer within 20 s"
  t1=$(date +%s%N)
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  echo $(((t1 - t0) / 1000000))
}

# The archive is trained by the first run that serves (bin/hopwise does it at that run's exit).
log "training hopwise's class archive (one run)"
once hopwise >/dev/null
declare -A ms=()
paths=(hopwise hopwise-nocds nginx-RP)
for ((r = 0; r < ROUNDS; r++)); do
  for p in "${paths[@]}"; do
    ms[$p]+="$(once "$p") "
  done
done
printf '%-14s %10s   %s\n' path "median ms" "all runs (ms)"
for p in "${paths[@]}"; do
  # shellcheck disable=SC2086 # one number per word
  printf '%-14s %10.0f   %s\n' "$p" "$(median ${ms[$p]})" "${ms[$p]}"
done
