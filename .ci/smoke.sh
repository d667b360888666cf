#!/usr/bin/env bash
# Starts the proxy exactly as the README says (bin/hopwise, default config), sends one request
# through it to a loopback origin with curl, and checks the answer. Stops what it started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

NAME="smoke"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
make_tmp hopwise-e2e
tmp=$TMP

origin_port=$(free_port)
mkdir -p "$tmp/www" && printf 'hello through hopwise\n' > "$tmp/www/index.txt"
python3 -m http.server "$origin_port" --bind 127.0.0.1 --directory "$tmp/www" >"$tmp/origin.log" 2>&1 &
STARTED_PIDS+=("$!")

# start_proxy LOG: the README's run command, on its default config (conf/proxy.yaml: 127.0.0.1:3128),
# waited for until it says it listens (at most 60 s); its pid is appended to STARTED_PIDS.
start_proxy() {
  bin/hopwise >"$1" 2>&1 &
  local pid=$!
  STARTED_PIDS+=("$pid")
  for _ in $(seq 1 120); do
    if grep -q "listening on" "$1" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$1"; echo "smoke: proxy exited"; exit 1; fi
    sleep 0.5
  done
}
start_proxy "$tmp/proxy.log"
grep -q "listening on 127.0.0.1:3128" "$tmp/proxy.log" || { cat "$tmp/proxy.log"; echo "smoke: proxy not listening on the default 127.0.0.1:3128"; exit 1; }

out=$(curl -sS --max-time 10 -D "$tmp/headers" -x http://127.0.0.1:3128 "http://127.0.0.1:$origin_port/index.txt")
[ "$out" = "hello through hopwise" ] || { echo "smoke: unexpected body: $out"; exit 1; }
grep -qi '^via: 1.[01] hopwise' "$tmp/headers" || { cat "$tmp/headers"; echo "smoke: no Via header"; exit 1; }

status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 http://127.0.0.1:3128/)
[ "$status" = "400" ] || { echo "smoke: origin-form without default upstream should be 400, got $status"; exit 1; }
transport=$(grep -o '(mode [a-z]*, [a-z_]* transport)' "$tmp/proxy.log" | grep -o '[a-z_]* transport') \
  || { cat "$tmp/proxy.log"; echo "smoke: the start-up line names no transport"; exit 1; }
# Class-data sharing (issue 28): that first run records its classes in an archive when it stops; the
# next run maps them. Stop it, check the archive is there, and forward once more from a run that uses it.
kill -TERM "${STARTED_PIDS[1]}"
for _ in $(seq 1 60); do kill -0 "${STARTED_PIDS[1]}" 2>/dev/null || break; sleep 0.5; done
kill -0 "${STARTED_PIDS[1]}" 2>/dev/null && { echo "smoke: the proxy did not stop within 30 s of SIGTERM"; exit 1; }
archives=(proxy-app/target/hopwise-*.jsa)
archive=${archives[0]}
[ -f "$archive" ] || { cat "$tmp/proxy.log"; echo "smoke: the first run left no class archive (proxy-app/target/hopwise-*.jsa)"; exit 1; }
start_proxy "$tmp/proxy2.log"
out=$(curl -sS --max-time 10 -x http://127.0.0.1:3128 "http://127.0.0.1:$origin_port/index.txt")
[ "$out" = "hello through hopwise" ] || { cat "$tmp/proxy2.log"; echo "smoke: unexpected body with the class archive: $out"; exit 1; }
[ -f "$archive" ] || { echo "smoke: the second run removed its archive $archive"; exit 1; }
echo "smoke: OK (forwarded through the default config on the $transport, origin-form refused; again with the class archive $(basename "$archive"))"
