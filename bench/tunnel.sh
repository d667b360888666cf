#!/usr/bin/env bash
# Tunnel throughput (issue 28, target 4), side by side in one run, loopback only: 1 GB through a
# CONNECT tunnel of hopwise, each way, against HAProxy in TCP mode and socat as plain relays, and
# against no relay at all. iperf3 is the sender and receiver; in front of each path the same socat
# front end turns iperf3's plain TCP into the path's first hop (for hopwise: socat's PROXY address,
# an HTTP CONNECT), so every path has the same extra copy and differs only in the relay measured.
# Reports per path and direction the median of ROUNDS runs: Gbit/s and the relay's CPU seconds per
# GB (from /proc). Usage: [ROUNDS=3] [BYTES=1G] bench/tunnel.sh [hopwise.jar]
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
jar=${1:-$(hopwise_jar)}
ticks_per_s=$(getconf CLK_TCK)

origin=$(free_port)
start_bg "" "$tmp/iperf3.log" iperf3 -s -B 127.0.0.1 -p "$origin"
wait_port "$origin" 10 "$BG_PID" iperf3 || die "iperf3 did not start"

hop_port=$(free_port "$origin")
cat >"$tmp/proxy.yaml" <<YAML
listen: 127.0.0.1:$hop_port
admin: 127.0.0.1:$(free_port "$origin" "$hop_port")
accessLog: off
connect:
  ports: [$origin]
  sniCheck: off
YAML
start_bg "" "$tmp/hopwise.log" java @conf/jvm.options -jar "$jar" --config "$tmp/proxy.yaml"
hopwise_pid=$BG_PID
wait_port "$hop_port" 30 "$hopwise_pid" hopwise || die "hopwise did not start"

ha_port=$(free_port "$origin" "$hop_port")
cat >"$tmp/haproxy.cfg" <<CFG
global
  maxconn 1000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend f
  bind 127.0.0.1:$ha_port
  default_backend b
backend b
  server o 127.0.0.1:$origin
CFG
start_bg "" "$tmp/haproxy.log" haproxy -db -f "$tmp/haproxy.cfg"
haproxy_pid=$BG_PID
wait_port "$ha_port" 10 "$haproxy_pid" haproxy || die "haproxy did not start"

so_port=$(free_port "$origin" "$hop_port" "$ha_port")
start_bg "" "$tmp/socat-relay.log" socat "TCP-LISTEN:$so_port,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$origin"
socat_pid=$BG_PID
wait_port "$so_port" 10 "$socat_pid" socat || die "the socat relay did not start"

# One front end per path: iperf3 connects to it, it makes the path's first hop. Started in this
# shell (not in a command substitution's subshell), so that the exit trap stops them.
declare -A fronts=()
front() { # name address
  local p
  p=$(free_port "$origin" "$hop_port" "$ha_port" "$so_port" "${fronts[@]}")
  start_bg "" "$tmp/front-$1.log" socat "TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork" "$2"
  wait_port "$p" 10 "$BG_PID" "front $1" || die "the $1 front end did not start"
  fronts[$1]=$p
}
front none "TCP:127.0.0.1:$origin"
front hopwise "PROXY:127.0.0.1:127.0.0.1:$origin,proxyport=$hop_port"
front haproxy "TCP:127.0.0.1:$ha_port"
front socat "TCP:127.0.0.1:$so_port"
declare -A relay_pid=([none]="" [hopwise]=$hopwise_pid [haproxy]=$haproxy_pid [socat]=$socat_pid)

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

printf '%-8s %-9s %12s %14s\n' path direction "Gbit/s" "relay CPU s/GB"
for path in none hopwise haproxy socat; do
  for dir in upload download; do
    rates=(); cpus=()
    for _ in $(seq 1 "$ROUNDS"); do
      before=$(relay_ticks "${relay_pid[$path]}")
      flags=(-c 127.0.0.1 -p "${fronts[$path]}" -n "$BYTES" -J)
      [[ $dir == download ]] && flags+=(-R)
      timeout 120 iperf3 "${flags[@]}" >"$tmp/run.json" 2>"$tmp/run.err" || die "iperf3 through $path ($dir) failed: $(tail -c 300 "$tmp/run.err")"
      after=$(relay_ticks "${relay_pid[$path]}")
      read -r bps bytes < <(python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["end"]; s=e["sum_received"]; print(s["bits_per_second"], s["bytes"])' "$tmp/run.json")
      rates+=("$(python3 -c "print($bps / 1e9)")")
      cpus+=("$(python3 -c "print(($after - $before) / $ticks_per_s / ($bytes / 1e9))")")
    done
    printf '%-8s %-9s %12.2f %14.3f\n' "$path" "$dir" "$(median "${rates[@]}")" "$(median "${cpus[@]}")"
  done
done
