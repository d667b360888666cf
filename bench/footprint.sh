#!/usr/bin/env bash
# Footprint (issue 28, target 7): resident memory of the launcher as the README runs it (bin/hopwise,
# its class archive, conf/proxy.yaml), loopback only. Per variant of JVM options, ROUNDS times in turn:
#   idle      RSS 5 s after the first proxied response
#   load      the highest RSS sampled during LOAD (wrk, 50 keep-alive clients, 128 B, through the proxy)
#   after     RSS 10 s after the load ended
# and the load's req/s. A variant is "name=options" (options added after conf/jvm.options; several
# variants one per line in VARIANTS); "shipped=" is conf/jvm.options alone. BASE replaces
# conf/jvm.options as what every variant starts from (BASE="" for none). NMT=1 also prints the
# JVM's native memory summary (committed KB per area) after the load for each variant's last round.
# Usage: [ROUNDS=3] [LOAD=10s] [VARIANTS=$'shipped=\ntrim=-XX:TrimNativeHeapInterval=1000'] bench/footprint.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
BENCH_DIR="$root/bench"
NGINX=${NGINX:-}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
make_bench_tmp hopwise-footprint
ROUNDS=${ROUNDS:-3}
{ is_uint "$ROUNDS" && ((ROUNDS > 0 && ROUNDS <= 20)); } || die "ROUNDS must be in 1..20"
LOAD=${LOAD:-10s}
load_secs=$(dur_to_secs "$LOAD")
((load_secs > 0 && load_secs <= 120)) || die "LOAD must be 1..120 s"
VARIANTS=${VARIANTS:-shipped=}
BASE=${BASE-@$root/conf/jvm.options}
ensure_packages
[[ -f proxy-app/target/hopwise.jar ]] || die "no proxy-app/target/hopwise.jar: build it first (./mvnw -q -B -DskipTests package)"
port_open 3128 && die "something already listens on 127.0.0.1:3128 (hopwise's default port)"

origin=$(free_port)
mkdir -p "$TMP/docroot"
head -c 128 /dev/zero | tr '\0' x >"$TMP/docroot/small"
write_nginx_conf "$TMP/origin" "    server {
        listen 127.0.0.1:$origin;
        server_name _;
        root $TMP/docroot;
    }"
start_nginx "$TMP/origin" "" "$origin" origin

mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# first_response PID NAME: waits (at most 20 s) until the proxy PID answers a proxied GET.
first_response() {
  local k
  for ((k = 0; k < 2000; k++)); do
    curl -sf -o /dev/null --max-time 1 -x http://127.0.0.1:3128 "http://127.0.0.1:$origin/small" 2>/dev/null && return 0
    kill -0 "$1" 2>/dev/null || die "$2 exited before answering: $(tail -c 400 "$TMP/$2.log")"
    sleep 0.01
  done
  die "$2 did not answer within 20 s"
}

# once NAME OPTIONS: one run of the proxy; prints "idle load after req/s" (RSS in KB).
once() {
  local name=$1 opts=$2 pid idle peak=0 r after rps
  JAVA_OPTS="$BASE $opts" bin/hopwise >"$TMP/$name.log" 2>&1 &
  pid=$!
  STARTED_PIDS+=("$pid")
  first_response "$pid" "$name"
  sleep 5
  idle=$(rss_kb "$pid")
  timeout -k 5 $((load_secs + 30)) wrk -t 1 -c 50 -d "$LOAD" -s "$BENCH_DIR/proxy.lua" \
    http://127.0.0.1:3128 -- "http://127.0.0.1:$origin/small" "127.0.0.1:$origin" >"$TMP/wrk.txt" 2>&1 &
  local wrk=$!
  while kill -0 "$wrk" 2>/dev/null; do
    r=$(rss_kb "$pid")
    ((r > peak)) && peak=$r
    sleep 0.2
  done
  wait "$wrk" || die "wrk failed: $(cat "$TMP/wrk.txt")"
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$TMP/wrk.txt")
  [[ -n $rps ]] || die "no req/s from wrk: $(cat "$TMP/wrk.txt")"
  sleep 10
  after=$(rss_kb "$pid")
  if [[ ${NMT:-} == 1 ]]; then
    jcmd "$pid" VM.native_memory summary 2>/dev/null |
      awk -v n="$name" '/^-/ && /committed=/ {a=$0; sub(/^- */, "", a); sub(/ *\(.*committed=/, " ", a); sub(/KB.*/, "", a); printf "[nmt %s] %s KB\n", n, a}' >&2 || true
  fi
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$idle $peak $after $rps"
}

log "training hopwise's class archive (one run)"
bin/hopwise >"$TMP/train.log" 2>&1 &
train=$!
STARTED_PIDS+=("$train")
first_response "$train" train
kill -TERM "$train"
wait "$train" 2>/dev/null || true

names=()
declare -A opts=() idle=() load=() after=() rps=()
while IFS= read -r line; do
  [[ -z $line ]] && continue
  [[ $line == *=* ]] || die "a variant is name=options, got: $line"
  n=${line%%=*}
  names+=("$n")
  opts[$n]=${line#*=}
done <<<"$VARIANTS"
for ((r = 0; r < ROUNDS; r++)); do
  for n in "${names[@]}"; do
    o=${opts[$n]} nmt=0
    if [[ ${NMT:-} == 1 && $r == $((ROUNDS - 1)) ]]; then o+=" -XX:NativeMemoryTracking=summary" nmt=1; fi
    read -r a b c d < <(NMT=$nmt once "$n" "$o")
    log "round $((r + 1)) $n: idle $((a / 1024)) MB, load $((b / 1024)) MB, after $((c / 1024)) MB, $d req/s"
    idle[$n]+="$a "; load[$n]+="$b "; after[$n]+="$c "; rps[$n]+="$d "
  done
done
printf '%-16s %9s %9s %9s %9s   %s\n' variant "idle MB" "load MB" "after MB" "req/s" options
for n in "${names[@]}"; do
  # shellcheck disable=SC2086 # one number per word
  printf '%-16s %9.1f %9.1f %9.1f %9.0f   %s\n' "$n" "$(mb "$(median ${idle[$n]})")" \
    "$(mb "$(median ${load[$n]})")" "$(mb "$(median ${after[$n]})")" \
    "$(median ${rps[$n]})" "${BASE/@$root\//@} ${opts[$n]}"
done
