#!/usr/bin/env bash
# What a connection costs, and what an idle process holds, on the platform hopwise is built on
# against C peers (issue 28, targets 1 and 7), side by side in one run, loopback only.
#   connections  CPU per request of each system under keep-alive clients and under clients that
#                open a connection per request (wrk -t2 -c50, "Connection: close", 128 B from an
#                nginx origin), and from the two the CPU per connection:
#                  (close - keep-alive) / connections opened per request
#                A plain TCP relay opens two per request (the client's, accepted, and its own to the
#                origin); a proxy with an upstream pool one (the client's). The systems:
#                  vertx    io.hopwise.bench.ByteRelay: a relay on Vert.x NetSocket, hopwise's socket layer
#                  netty    io.hopwise.bench.NettyRelay: a relay on Netty alone (each loop accepts itself)
#                  haproxy  HAProxy in TCP mode, a thread per core
#                  hopwise  hopwise smart (proxy-app/target/hopwise.jar), absolute-form requests
#                  nginxrp  nginx as a reverse proxy with an upstream keep-alive pool, a worker per core
#                  nettyhttp  io.hopwise.bench.NettyResponder: the least an HTTP server on Netty does
#                           (accept, read, answer the 128 B itself, close), no upstream
#                  nginx    the origin itself (one worker), asked directly: the same, by nginx
#                The JVMs run with conf/jvm.options, on the epoll transport.
#   idle         resident memory (VmRSS) 5 s after one request through each, one process at a time:
#                an idle JVM (io.hopwise.bench.IdleJvm: conf/jvm.options and none of our classes),
#                the Netty relay, the Vert.x relay, hopwise as the README runs it (bin/hopwise, its
#                class archive, conf/proxy.yaml; the first round trains the archive), HAProxy.
# ROUNDS rounds, the systems in turn within each (a slow spell of a shared machine hits all alike);
# medians are printed. Each system is warmed up first (WARMUP per mode) so the JIT has compiled.
# Usage: [ROUNDS=3] [DURATION=10s] [WARMUP=10s] [PARTS="connections idle"] [SYSTEMS="vertx netty haproxy hopwise nginxrp nettyhttp nginx"] bench/floor.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
NGINX=${NGINX:-}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
PARTS=${PARTS:-connections idle}
SYSTEMS=${SYSTEMS:-vertx netty haproxy hopwise nginxrp nettyhttp nginx}
{ is_uint "$ROUNDS" && ((ROUNDS > 0 && ROUNDS <= 20)); } || die "ROUNDS must be in 1..20"
secs=$(dur_to_secs "$DURATION")
((secs > 0 && secs <= 120)) || die "DURATION must be 1..120 s"
warm=$(dur_to_secs "$WARMUP")
((warm <= 120)) || die "WARMUP must be 0..120 s"
for part in $PARTS; do
  [[ $part == connections || $part == idle ]] || die "PARTS: 'connections' and/or 'idle', not '$part'"
done
declare -A NAME=([vertx]="Vert.x relay (ByteRelay)" [netty]="Netty relay (NettyRelay)" [haproxy]="HAProxy, TCP mode"
  [hopwise]="hopwise smart" [nginxrp]="nginx-RP" [nettyhttp]="HTTP server on Netty" [nginx]="nginx, the origin itself")
declare -A CONNS=([vertx]=2 [netty]=2 [haproxy]=2 [hopwise]=1 [nginxrp]=1 [nettyhttp]=1 [nginx]=1)
read -r -a systems <<<"$SYSTEMS"
for s in "${systems[@]}"; do [[ -n ${NAME[$s]:-} ]] || die "SYSTEMS: unknown system '$s'"; done
bench_jar=proxy-bench/target/benchmarks.jar
[[ -f $bench_jar ]] || die "no $bench_jar: build it first (./mvnw -q -B -DskipTests package)"
[[ -f proxy-app/target/hopwise.jar ]] || die "no proxy-app/target/hopwise.jar: build it first (./mvnw -q -B -DskipTests package)"
ensure_packages
install_missing haproxy haproxy
make_bench_tmp hopwise-floor
STATUS_PORT=$(free_port)
origin=$(free_port "$STATUS_PORT")
ORIGIN_CPUS=""
start_origin "$origin"
origin_pid=$BG_PID
ticks_per_s=$(getconf CLK_TCK)
nofile=$(ulimit -n)
ha_maxconn=$(( (${nofile/unlimited/65536}) / 2 - 100 ))
((ha_maxconn > 20000)) && ha_maxconn=20000

# start_system NAME PORT: starts it in front of the origin and checks one request; sets PID (the
# leader of its process group), PORT (where it listens: the origin's own for nginx) and TARGET (what
# wrk asks for).
start_system() {
  TARGET=/small
  PORT=$2
  case $1 in
    nginx) PORT=$origin ;;
    nettyhttp) start_bg "" "$TMP/$1.log" java @conf/jvm.options -Dtransport=epoll -cp "$bench_jar" \
             io.hopwise.bench.NettyResponder "$2" ;;
    vertx) start_bg "" "$TMP/$1.log" java @conf/jvm.options -Dtransport=epoll -cp "$bench_jar" \
             io.hopwise.bench.ByteRelay "$2" "$origin" ;;
    netty) start_bg "" "$TMP/$1.log" java @conf/jvm.options -Dtransport=epoll -cp "$bench_jar" \
             io.hopwise.bench.NettyRelay "$2" "$origin" ;;
    haproxy)
      write_haproxy_tcp_conf "$TMP/haproxy.cfg" "$2" "$origin" "$ha_maxconn" "$(nproc)"
      start_bg "" "$TMP/$1.log" haproxy -db -f "$TMP/haproxy.cfg" ;;
    hopwise)
      printf 'listen: 127.0.0.1:%s\nadmin: 127.0.0.1:%s\naccessLog: off\n' "$2" "$(free_port "$origin" "$STATUS_PORT" "$2")" \
        >"$TMP/hopwise.yaml"
      start_bg "" "$TMP/$1.log" env HOPWISE_SHUTDOWN_DELAY=0s HOPWISE_SHUTDOWN_DRAINTIMEOUT=1s \
        java @conf/jvm.options -jar proxy-app/target/hopwise.jar --config "$TMP/hopwise.yaml"
      TARGET="http://127.0.0.1:$origin/small" ;;
    nginxrp)
      write_nginx_conf "$TMP/nginxrp" "    upstream origin {
        server 127.0.0.1:$origin;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$2 backlog=4096;
        server_name _;
        location / {
            proxy_pass http://origin;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
        }
    }" auto
      "$NGINX" -t -q -e "$TMP/nginxrp/error.log" -p "$TMP/nginxrp" -c "$TMP/nginxrp/nginx.conf" ||
        die "nginx-RP: config test failed"
      start_bg "" "$TMP/$1.log" "$NGINX" -e "$TMP/nginxrp/error.log" -p "$TMP/nginxrp" -c "$TMP/nginxrp/nginx.conf" ;;
    *) die "unknown system $1" ;;
  esac
  PID=$BG_PID
  [[ $1 == nginx ]] && PID=$origin_pid
  wait_port "$PORT" 30 "$PID" "$1" || { tail -n 20 "$TMP/$1.log" >&2; die "$1 did not start"; }
  printf 'wrk.path = "%s"\n' "$TARGET" >"$TMP/target.lua"
  local via=(--url "http://127.0.0.1:$PORT$TARGET")
  [[ $1 == hopwise ]] && via=(-x "http://127.0.0.1:$PORT" --url "$TARGET")
  curl -sf -o /dev/null --max-time 5 -H "Connection: close" "${via[@]}" || die "$1: no 200 for $TARGET through it"
}

# load PORT SECONDS MODE OUT: wrk, keep-alive (ka) or a connection per request (close); prints
# "requests errors".
load() {
  local hdr=()
  [[ $3 == close ]] && hdr=(-H "Connection: close")
  timeout -k 5 $(($2 + 30)) wrk -t2 -c50 -d "${2}s" "${hdr[@]}" -s "$TMP/target.lua" "http://127.0.0.1:$1" >"$4" 2>&1 ||
    die "wrk failed: $(tail -n 5 "$4")"
  awk '/requests in/ {r = $1} /Socket errors|Non-2xx/ {e = 1} END {print r + 0, e + 0}' "$4"
}

group_ticks() { # <cpu_ticks|user_ticks> PID: those ticks of the process group PID leads
  # shellcheck disable=SC2046  # one pid per word
  "$1" $(pgrep -g "$2" | tr '\n' ' ')
}
# shellcheck disable=SC2086  # median_of "VALUES": the values are one per word
median_of() { median $1; }
us() { awk -v t="$1" -v n="$2" -v hz="$ticks_per_s" 'BEGIN {printf "%.1f", t * 1e6 / hz / n}'; }

declare -A KA=() CL=() RPS=() USR=() RSS=()
# measure SYSTEM MODE PORT: one measured run; appends CPU us/request to KA or CL (and req/s, user CPU for close).
measure() {
  local t0 u0 t1 u1 requests errors out="$TMP/wrk-$1-$2-$round.txt"
  t0=$(group_ticks cpu_ticks "$PID"); u0=$(group_ticks user_ticks "$PID")
  read -r requests errors < <(load "$3" "$secs" "$2" "$out")
  t1=$(group_ticks cpu_ticks "$PID"); u1=$(group_ticks user_ticks "$PID")
  ((requests > 0)) || die "$1 ($2): no requests answered"
  ((errors == 0)) || warn "$1 ($2) round $round: wrk reported errors ($(grep -E 'Socket errors|Non-2xx' "$out" | tr '\n' ' '))"
  if [[ $2 == ka ]]; then
    KA[$1]+=" $(us $((t1 - t0)) "$requests")"
  else
    CL[$1]+=" $(us $((t1 - t0)) "$requests")"
    USR[$1]+=" $(us $((u1 - u0)) "$requests")"
    RPS[$1]+=" $((requests / secs))"
  fi
}

if [[ " $PARTS " == *" connections "* ]]; then
  for ((round = 1; round <= ROUNDS; round++)); do
    for s in "${systems[@]}"; do
      port=$(free_port "$origin" "$STATUS_PORT")
      start_system "$s" "$port"
      if ((warm > 0)); then
        load "$PORT" "$warm" ka "$TMP/warm.txt" >/dev/null
        load "$PORT" "$warm" close "$TMP/warm.txt" >/dev/null
      fi
      measure "$s" ka "$PORT"
      measure "$s" close "$PORT"
      [[ $s == nginx ]] || stop_pid "$PID" # the origin serves every round
      log "round $round $s: CPU us/request keep-alive ${KA[$s]##* }, connection per request ${CL[$s]##* }"
    done
  done
fi

rss_mb() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
hop_port=3128
# idle_one NAME: starts it, one request through it, RSS 5 s later; appends to RSS[NAME].
idle_one() {
  local k
  case $1 in
    jvm)
      start_bg "" "$TMP/jvm.log" java @conf/jvm.options -cp "$bench_jar" io.hopwise.bench.IdleJvm 120
      PID=$BG_PID
      for ((k = 0; k < 200; k++)); do grep -q "idle jvm up" "$TMP/jvm.log" && break; sleep 0.05; done ;;
    hopwise)
      port_open "$hop_port" && die "something already listens on 127.0.0.1:$hop_port (hopwise's default port)"
      start_bg "" "$TMP/bin-hopwise.log" env HOPWISE_SHUTDOWN_DELAY=0s HOPWISE_SHUTDOWN_DRAINTIMEOUT=1s bin/hopwise
      PID=$BG_PID
      wait_port "$hop_port" 30 "$PID" hopwise || die "bin/hopwise did not start: $(tail -c 400 "$TMP/bin-hopwise.log")"
      curl -sf -o /dev/null --max-time 5 -x "http://127.0.0.1:$hop_port" "http://127.0.0.1:$origin/small" ||
        die "bin/hopwise: no 200 for /small through it" ;;
    *) start_system "$1" "$(free_port "$origin" "$STATUS_PORT")" ;;
  esac
  sleep 5
  # shellcheck disable=SC2046  # one pid per word
  RSS[$1]+=" $(stats mb $(stats status-kb VmRSS $(pgrep -g "$PID" | tr '\n' ' ')))"
  stop_pid "$PID"
}

idle_systems=(jvm netty vertx hopwise haproxy)
if [[ " $PARTS " == *" idle "* ]]; then
  for ((round = 1; round <= ROUNDS; round++)); do
    for s in "${idle_systems[@]}"; do idle_one "$s"; done
    log "round $round idle RSS (MB): jvm ${RSS[jvm]##* }, netty ${RSS[netty]##* }, vertx ${RSS[vertx]##* }, hopwise ${RSS[hopwise]##* }, haproxy ${RSS[haproxy]##* }"
  done
fi

echo
echo "== floor.sh ($(date -u +%F), $(nproc) cores, ROUNDS=$ROUNDS, medians; $(java -version 2>&1 | head -n1))"
if [[ " $PARTS " == *" connections "* ]]; then
  echo "-- CPU per request (us), wrk -t2 -c50, 128 B, ${secs}s per mode; per connection = (close - keep-alive) / connections per request"
  printf '%-26s %6s %11s %13s %10s %8s %15s\n' system conns keep-alive "conn/request" "(user)" req/s "per connection"
  for s in "${systems[@]}"; do
    ka=$(median_of "${KA[$s]}"); cl=$(median_of "${CL[$s]}"); u=$(median_of "${USR[$s]}"); r=$(median_of "${RPS[$s]}")
    printf '%-26s %6s %11.1f %13.1f %10.1f %8.0f %15.1f\n' "${NAME[$s]}" "${CONNS[$s]}" "$ka" "$cl" "$u" "$r" \
      "$(awk -v c="$cl" -v k="$ka" -v n="${CONNS[$s]}" 'BEGIN {print (c - k) / n}')"
  done
  for s in "${systems[@]}"; do printf 'floor_%s keep-alive:%s close:%s\n' "$s" "${KA[$s]}" "${CL[$s]}"; done
fi
if [[ " $PARTS " == *" idle "* ]]; then
  echo "-- resident memory 5 s after one request (MB)"
  declare -A INAME=([jvm]="idle JVM (IdleJvm)" [netty]="Netty relay" [vertx]="Vert.x relay" [hopwise]="hopwise (bin/hopwise)" [haproxy]="HAProxy, TCP mode")
  for s in "${idle_systems[@]}"; do
    printf '%-26s %8.1f   (rounds:%s)\n' "${INAME[$s]}" "$(median_of "${RSS[$s]}")" "${RSS[$s]}"
  done
fi
