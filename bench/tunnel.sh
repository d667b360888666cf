#!/usr/bin/env bash
# Tunnel throughput (issue 28, target 4), side by side in one run, loopback only: 1 GB through a
# CONNECT tunnel of hopwise, each way, against HAProxy in TCP mode and socat as plain relays, and
# against no relay at all. iperf3 is the sender and receiver; in front of each path the same socat
# front end turns iperf3's plain TCP into the path's first hop (for hopwise: socat's PROXY address,
# an HTTP CONNECT), so every path has the same extra copy and differs only in the relay measured.
# Reports per path and direction the median of ROUNDS runs: Gbit/s and the relay's CPU seconds per
# GB (from /proc), after an unmeasured warm-up of WARMUP_BYTES (2G; 0 for none) per path and direction;
# the rounds run every path in turn (interleaved), so a slow spell of a shared machine hits all alike.
# Then PARALLEL (100) tunnels at once carrying PARALLEL_BYTES (1000M) in all, 10 MB each.
# Usage: [ROUNDS=3] [BYTES=1G] [WARMUP_BYTES=2G] [PARALLEL=100] [PARALLEL_BYTES=1000M] bench/tunnel.sh [hopwise.jar [base.jar]]
# A second jar runs as path 'base' beside the first (did a change help?).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
make_tmp hopwise-tunnel
tmp=$TMP
install_missing iperf3 iperf3 socat socat haproxy haproxy
ROUNDS=${ROUNDS:-3}
BYTES=${BYTES:-1G}
WARMUP_BYTES=${WARMUP_BYTES:-2G}
PARALLEL=${PARALLEL:-100}
PARALLEL_BYTES=${PARALLEL_BYTES:-1000M}
jar=${1:-$(hopwise_jar)}
base_jar=${2:-}
ticks_per_s=$(getconf CLK_TCK)

origin=$(free_port)
start_bg "" "$tmp/iperf3.log" iperf3 -s -B 127.0.0.1 -p "$origin"
wait_port "$origin" 10 "$BG_PID" iperf3 || die "iperf3 did not start"

# One hopwise per jar: start_hopwise NAME JAR, sets hop_port[NAME] and hop_pid[NAME].
declare -A hop_port=() hop_pid=()
start_hopwise() {
  local p a
  p=$(free_port "$origin" "${hop_port[@]}")
  a=$(free_port "$origin" "${hop_port[@]}" "$p")
  cat >"$tmp/proxy-$1.yaml" <<YAML
listen: 127.0.0.1:$p
admin: 127.0.0.1:$a
accessLog: off
connect:
  ports: [$origin]
  sniCheck: off
YAML
  start_bg "" "$tmp/hopwise-$1.log" java @conf/jvm.options -jar "$2" --config "$tmp/proxy-$1.yaml"
  wait_port "$p" 30 "$BG_PID" "hopwise ($1)" || die "hopwise ($1) did not start"
  hop_port[$1]=$p
  hop_pid[$1]=$BG_PID
}
start_hopwise hopwise "$jar"
[[ -n $base_jar ]] && start_hopwise base "$base_jar"

ha_port=$(free_port "$origin" "${hop_port[@]}")
write_haproxy_tcp_conf "$tmp/haproxy.cfg" "$ha_port" "$origin" 1000
start_bg "" "$tmp/haproxy.log" haproxy -db -f "$tmp/haproxy.cfg"
haproxy_pid=$BG_PID
wait_port "$ha_port" 10 "$haproxy_pid" haproxy || die "haproxy did not start"

so_port=$(free_port "$origin" "${hop_port[@]}" "$ha_port")
start_bg "" "$tmp/socat-relay.log" socat "TCP-LISTEN:$so_port,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$origin"
socat_pid=$BG_PID
wait_port "$so_port" 10 "$socat_pid" socat || die "the socat relay did not start"

# One front end per path: iperf3 connects to it, it makes the path's first hop. Started in this
# shell (not in a command substitution's subshell), so that the exit trap stops them.
declare -A fronts=()
front() { # name address
  local p
  p=$(free_port "$origin" "${hop_port[@]}" "$ha_port" "$so_port" "${fronts[@]}")
  start_bg "" "$tmp/front-$1.log" socat "TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork" "$2"
  wait_port "$p" 10 "$BG_PID" "front $1" || die "the $1 front end did not start"
  fronts[$1]=$p
}
front none "TCP:127.0.0.1:$origin"
paths=(none)
for h in "${!hop_port[@]}"; do
  front "$h" "PROXY:127.0.0.1:127.0.0.1:$origin,proxyport=${hop_port[$h]}"
  paths+=("$h")
done
paths+=(haproxy socat)
front haproxy "TCP:127.0.0.1:$ha_port"
front socat "TCP:127.0.0.1:$so_port"
declare -A relay_pid=([none]="" [hopwise]=${hop_pid[hopwise]} [base]=${hop_pid[base]:-} [haproxy]=$haproxy_pid [socat]=$socat_pid)

# The relay's CPU, children included (socat forks one per connection): utime+stime of the process
# and its reaped children, in ticks.
relay_ticks() {
  local pid=$1 t=0 p
  [[ -z $pid ]] && { echo 0; return; }
  for p in $pid $(pgrep -P "$pid" || true); do
    t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}

# run_once PATH DIR STREAMS BYTES: one iperf3 run through PATH; sets RUN_RATE (Gbit/s) and RUN_CPU
# (the relay's CPU seconds per GB received).
run_once() {
  local path=$1 dir=$2 streams=$3 bytes=$4 flags before after bps got
  flags=(-c 127.0.0.1 -p "${fronts[$path]}" -P "$streams")
  [[ $dir == download ]] && flags+=(-R)
  before=$(relay_ticks "${relay_pid[$path]}")
  # iperf3 with 100 streams through a forking socat now and then loses its control connection
  # ("control socket has closed unexpectedly"), with no relay in the path as well: up to 3 tries.
  for try in 1 2 3; do
    timeout 120 iperf3 "${flags[@]}" -n "$bytes" -J >"$tmp/run.json" 2>"$tmp/run.err" && break
    [[ $try == 3 ]] && die "iperf3 through $path ($dir, $streams streams) failed 3 times: $(tail -c 300 "$tmp/run.json" "$tmp/run.err")"
    echo "iperf3 through $path ($dir, $streams streams) failed, again: $(grep -o '"error":.*' "$tmp/run.json" | head -c 200)" >&2
  done
  after=$(relay_ticks "${relay_pid[$path]}")
  read -r bps got < <(python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["end"]; s=e["sum_received"]; print(s["bits_per_second"], s["bytes"])' "$tmp/run.json")
  RUN_RATE=$(python3 -c "print($bps / 1e9)")
  RUN_CPU=$(python3 -c "print(($after - $before) / $ticks_per_s / ($got / 1e9))")
}

# measure_all STREAMS BYTES: every path and direction warmed up once (not measured: a proxy runs
# for days, and a JVM compiles its hot code in its first seconds), then ROUNDS rounds, each running
# every path and direction once. Interleaved, so that a machine that slows down for a while (a
# shared one does) slows every path alike, rather than the one measured then. One table row per
# path and direction: the medians; RATE[path/dir] keeps the median rate for the target lines.
declare -A RATE=()
measure_all() {
  local streams=$1 bytes=$2 path dir round
  declare -A rates=() cpus=()
  if [[ $WARMUP_BYTES != 0 ]]; then
    for path in "${paths[@]}"; do
      for dir in upload download; do
        run_once "$path" "$dir" "$streams" "$WARMUP_BYTES"
      done
    done
  fi
  for round in $(seq 1 "$ROUNDS"); do
    for path in "${paths[@]}"; do
      for dir in upload download; do
        run_once "$path" "$dir" "$streams" "$bytes"
        rates[$path/$dir]+="$RUN_RATE "
        cpus[$path/$dir]+="$RUN_CPU "
      done
    done
    echo "round $round of $ROUNDS ($streams tunnels) done" >&2
  done
  for path in "${paths[@]}"; do
    for dir in upload download; do
      # shellcheck disable=SC2086 # the lists are space-separated numbers
      RATE[$path/$dir/$streams]=$(median ${rates[$path/$dir]})
      # shellcheck disable=SC2086
      printf '%-8s %-9s %8s %12.2f %14.3f\n' "$path" "$dir" "$streams" "${RATE[$path/$dir/$streams]}" "$(median ${cpus[$path/$dir]})"
    done
  done
}

printf '%-8s %-9s %8s %12s %14s\n' path direction tunnels "Gbit/s" "relay CPU s/GB"
measure_all 1 "$BYTES"
# Many tunnels at once (iperf3's -n is the total over its streams): PARALLEL x PARALLEL_BYTES/PARALLEL.
measure_all "$PARALLEL" "$PARALLEL_BYTES"

# Target 4: hopwise at least 0.9x the better of HAProxy and socat, each way, one and many tunnels.
echo "-- target (issue 28, 4): hopwise >= 0.9x the better of haproxy and socat (medians above)"
for streams in 1 "$PARALLEL"; do
  for dir in upload download; do
    python3 -c '
import sys
h, a, s = (float(x) for x in sys.argv[4:7])
best = max(a, s)
print("  %-7s %3s tunnel(s) %-8s hopwise %.2f vs %.2f Gbit/s (%s): %.2fx" % (
    "MET" if h >= 0.9 * best else "NOT MET", sys.argv[1], sys.argv[2], h, best,
    "haproxy" if a >= s else "socat", h / best))
' "$streams" "$dir" x "${RATE[hopwise/$dir/$streams]}" "${RATE[haproxy/$dir/$streams]}" "${RATE[socat/$dir/$streams]}"
  done
done
