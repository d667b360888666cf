#!/usr/bin/env bash
# Memory per idle connection (issue 28, target 2), loopback only: hopwise on the launcher's JVM
# options, an nginx origin, then COUNT keep-alive client connections that each get one response
# and stay idle (bench/idle_conns.py; beyond 25,000 they come from 127.0.0.2, 127.0.0.3, ... as one
# source address has too few ports). Prints hopwise's RSS before and while they are held, the
# bytes per connection, and with HISTO=1 the live-heap classes that grew most (jmap -histo:live
# before and during, each after a full collection): where the bytes per connection go.
# Raises its own descriptor limit (as root). Usage: [COUNT=10000] [HISTO=1] bench/idle.sh [hopwise.jar]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
BENCH_DIR="$root/bench"
NGINX=${NGINX:-}
ORIGIN_CPUS=""
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
make_bench_tmp hopwise-idle
COUNT=${COUNT:-10000}
HISTO=${HISTO:-1}
{ is_uint "$COUNT" && ((COUNT > 0 && COUNT <= 200000)); } || die "COUNT must be in 1..200000"
jar=${1:-$(hopwise_jar)}
[[ -f $jar ]] || die "no $jar: build it first (./mvnw -q -B -DskipTests package)"
ensure_packages

# Both ends hold COUNT descriptors: raise the limits (the hard one needs root).
fds=$((COUNT + 2000))
if [[ $(ulimit -Hn) != unlimited ]] && (($(ulimit -Hn) < fds)); then
  if ! ulimit -Hn "$fds" 2>/dev/null; then
    # Without CAP_SYS_RESOURCE (a container's root may lack it) the hard limit stays: hold what fits.
    hard=$(ulimit -Hn)
    ((hard > 3000)) || die "ulimit -n must reach $fds (hard limit $hard, which this process cannot raise)"
    warn "the hard descriptor limit is $hard and cannot be raised here: holding $((hard - 2000)) connections instead of $COUNT"
    COUNT=$((hard - 2000))
    fds=$hard
  fi
fi
ulimit -n "$fds"

ORIGIN_PORT=$(free_port)
STATUS_PORT=$(free_port "$ORIGIN_PORT")
start_origin "$ORIGIN_PORT"
hop=$(free_port "$ORIGIN_PORT" "$STATUS_PORT")
admin=$(free_port "$ORIGIN_PORT" "$STATUS_PORT" "$hop")
cat >"$TMP/proxy.yaml" <<YAML
listen: 127.0.0.1:$hop
admin: 127.0.0.1:$admin
accessLog: off
limits:
  maxClientConnections: $((COUNT + 1000))
YAML
start_bg "" "$TMP/hopwise.log" java @conf/jvm.options -jar "$jar" --config "$TMP/proxy.yaml"
pid=$BG_PID
wait_port "$hop" 30 "$pid" hopwise || die "hopwise did not start: $(tail -c 400 "$TMP/hopwise.log")"
curl -sf -o /dev/null -x "http://127.0.0.1:$hop" "http://127.0.0.1:$ORIGIN_PORT/small" || die "no proxied response"
sleep 2
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
# Twice: the serial collector's full collection leaves some dead objects in place (its dead-space
# allowance), which the first histogram still counts; the second compacts what the first freed.
[[ $HISTO == 1 ]] && jmap -histo:live "$pid" >/dev/null && jmap -histo:live "$pid" >"$TMP/before.txt"
rss0=$(rss_kb)

python3 bench/idle_conns.py --port "$hop" --target "http://127.0.0.1:$ORIGIN_PORT/small" \
  --host "127.0.0.1:$ORIGIN_PORT" --count "$COUNT" --hold 20 --max-secs 240 --pids "$pid" >"$TMP/idle.out" 2>&1 &
client=$!
STARTED_PIDS+=("$client")
# Wait (bounded) until the connections are all established, or the client has given up.
for ((i = 0; i < 600; i++)); do
  held=$(($(ss -Htn state established "( sport = :$hop )" | wc -l)))
  ((held >= COUNT)) && break
  kill -0 "$client" 2>/dev/null || break
  sleep 0.5
done
sleep 2
rss1=$(rss_kb)
[[ $HISTO == 1 ]] && jmap -histo:live "$pid" >/dev/null && jmap -histo:live "$pid" >"$TMP/after.txt"
wait "$client" || true
result=$(grep -m1 '^IDLE_RESULT' "$TMP/idle.out" || true)
[[ -n $result ]] || die "idle_conns.py gave no result: $(tail -c 400 "$TMP/idle.out")"
echo "$result"
echo "hopwise RSS: $((rss0 / 1024)) MB before, $((rss1 / 1024)) MB with $held idle connections held:" \
  "$(((rss1 - rss0) * 1024 / (held > 0 ? held : 1))) B per connection"
if [[ $HISTO == 1 ]]; then
  python3 - "$TMP/before.txt" "$TMP/after.txt" "$held" <<'PY'
import os, re, sys
def load(f):
    d = {}
    for line in open(f):
        m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
        if m:
            d[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return d
before, after, held = load(sys.argv[1]), load(sys.argv[2]), max(1, int(sys.argv[3]))
rows = sorted(((s - before.get(k, (0, 0))[1], n - before.get(k, (0, 0))[0], k) for k, (n, s) in after.items()), reverse=True)
print("live heap: +%.1f MB, %d B per connection; the classes that grew most:" % (sum(r[0] for r in rows) / 1e6, sum(r[0] for r in rows) // held))
for size, count, name in rows[:int(os.environ.get("HISTO_TOP", "15"))]:
    print("  %9d B  %7d objects  %6.0f B/conn  %s" % (size, count, size / held, name))
PY
fi
