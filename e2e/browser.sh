#!/usr/bin/env bash
# Real-browser end-to-end test: headless Chromium, configured to use the proxy, loads a page with
# 12 subresources over plain HTTP (forwarding path) and over HTTPS (CONNECT tunnel). Asserts from
# the DOM that every subresource loaded, from the origins' logs that the requests came through
# the proxy, and from the proxy's connection log that the HTTPS page went through a tunnel. Then
# it opens the connection view (/connections on the admin port) while 100 requests run, each on a
# new client connection, and checks from the rendered DOM that the rows match that load: 100
# exchanges, every client leg new, at most one new upstream connection per event loop and the
# rest reused, no query strings (e2e/connections_dom.py reads the tables).
# Saves screenshots in e2e/out/. Loopback only; stops everything it started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/e2e/out"
mkdir -p "$out"

NAME="browser e2e"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
make_tmp hopwise-e2e
tmp=$TMP
install_missing chromium chromium chromium fonts-dejavu-core openssl openssl python3 python3
jar=$(hopwise_jar)

http_port=$(free_port); https_port=$(free_port); proxy_port=$(free_port); admin_port=$(free_port)
python3 e2e/site.py "$tmp/www"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1

python3 e2e/origin.py "$tmp/www" "$http_port" 2>"$tmp/http-origin.log" &
STARTED_PIDS+=("$!")
python3 e2e/origin.py "$tmp/www" "$https_port" "$tmp/cert.pem" "$tmp/key.pem" 2>"$tmp/https-origin.log" &
STARTED_PIDS+=("$!")

cat >"$tmp/proxy.yaml" <<YAML
listen: 127.0.0.1:$proxy_port
admin: 127.0.0.1:$admin_port
eventLoops: 2
connect:
  ports: [$https_port]
YAML
# The connection log (System.Logger DEBUG = JUL FINE) tells how each client connection ended.
cat >"$tmp/logging.properties" <<PROPS
handlers=java.util.logging.ConsoleHandler
java.util.logging.ConsoleHandler.level=FINE
java.util.logging.SimpleFormatter.format=%4\$s %3\$s %5\$s%n
.level=INFO
io.hopwise.connections.level=FINE
PROPS
java -Djava.util.logging.config.file="$tmp/logging.properties" -jar "$jar" --config "$tmp/proxy.yaml" \
  >"$tmp/proxy.log" 2>&1 &
proxy_pid=$!
STARTED_PIDS+=("$proxy_pid")
for _ in $(seq 1 60); do
  grep -q "listening on" "$tmp/proxy.log" && break
  kill -0 "$proxy_pid" 2>/dev/null || fail "proxy exited"
  sleep 0.5
done
grep -q "listening on 127.0.0.1:$proxy_port" "$tmp/proxy.log" || fail "proxy did not start"

browse() { # name url -> DOM in $tmp/NAME.html, screenshot in $out/NAME.png
  local name=$1 url=$2
  local flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --disable-dev-shm-usage --user-data-dir="$tmp/profile-$name"
    --proxy-server="http://127.0.0.1:$proxy_port" --proxy-bypass-list='<-loopback>'
    --ignore-certificate-errors --virtual-time-budget=10000)
  timeout 60 chromium "${flags[@]}" --dump-dom "$url" >"$tmp/$name.html" 2>"$tmp/chromium-$name.log" \
    || fail "chromium failed on $url"
  timeout 60 chromium "${flags[@]}" --window-size=1024,600 --screenshot="$out/$name.png" "$url" \
    >>"$tmp/chromium-$name.log" 2>&1 || fail "chromium screenshot failed on $url"
  grep -o 'RESULT: [A-Z]* [0-9]*/[0-9]*[^<]*' "$tmp/$name.html" | head -1
  grep -q 'RESULT: OK 12/12' "$tmp/$name.html" || fail "$url: not every subresource loaded"
}

echo "== plain HTTP through the forwarding path"
browse http "http://127.0.0.1:$http_port/page.html"
forwarded=$(grep -c 'via=1.1 hopwise' "$tmp/http-origin.log" || true)
[ "$forwarded" -ge 13 ] || fail "the HTTP origin saw $forwarded requests with our Via, expected >= 13"
echo "HTTP origin: $forwarded requests arrived with Via: 1.1 hopwise"

echo "== HTTPS through CONNECT tunnels"
browse https "https://localhost:$https_port/page.html"
served=$(grep -c '^GET via=- ' "$tmp/https-origin.log" || true)
[ "$served" -ge 13 ] || fail "the HTTPS origin served $served requests, expected >= 13"
# Chromium has exited, so its tunnels are closed and logged.
sleep 1
tunnels=$(grep -c 'reason=tunnel-closed' "$tmp/proxy.log" || true)
[ "$tunnels" -ge 1 ] || fail "the proxy logged no CONNECT tunnel"
echo "HTTPS origin: $served requests (no Via: end-to-end TLS); proxy: $tunnels tunnel(s) closed"
cp "$tmp/http.html" "$out/http-dom.html"; cp "$tmp/https.html" "$out/https-dom.html"

echo "== the connection view (admin port) while a load runs, then checked against that load"
# 100 requests, each on a new client connection (curl closes it), with a query the view must not show.
load() {
  local i
  for i in $(seq 1 100); do
    curl -s -o /dev/null --max-time 10 -x "http://127.0.0.1:$proxy_port" \
      "http://127.0.0.1:$http_port/view-load.txt?secret=$i" || return 1
  done
}
printf 'load\n' >"$tmp/www/view-load.txt"
load &
load_pid=$!
STARTED_PIDS+=("$load_pid")
view=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir="$tmp/profile-view"
  --virtual-time-budget=3000)
timeout 60 chromium "${view[@]}" --window-size=1500,1100 --screenshot="$out/connections.png" \
  "http://127.0.0.1:$admin_port/connections" >"$tmp/chromium-view.log" 2>&1 || fail "chromium failed on /connections"
wait "$load_pid" || fail "the load through the proxy failed"
sleep 1 # the last client connections' closes reach the view
timeout 60 chromium "${view[@]}" --dump-dom "http://127.0.0.1:$admin_port/connections" \
  >"$tmp/connections.html" 2>>"$tmp/chromium-view.log" || fail "chromium failed on /connections"
cp "$tmp/connections.html" "$out/connections-dom.html"
seen=$(python3 e2e/connections_dom.py "$tmp/connections.html" /view-load.txt)
echo "connection view: $seen"
field_of() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$seen" "$1"; }
[ "$(field_of rows)" -eq 100 ] || fail "the view shows $(field_of rows) of the 100 load exchanges"
[ "$(field_of clientNew)" -eq 100 ] || fail "each load request came on a new client connection, the view says $(field_of clientNew)"
[ "$(field_of status200)" -eq 100 ] || fail "every load exchange was a 200"
# One pool per event loop (eventLoops: 2): at most 2 new upstream connections, the rest reused.
if [ "$(field_of upstreamNew)" -gt 2 ] || [ "$(field_of upstreamReused)" -lt 98 ]; then
  fail "expected <= 2 new and >= 98 reused upstream legs"
fi
[ "$(field_of targetsWithQuery)" -eq 0 ] || fail "the view shows query strings"
grep -q 'secret=' "$tmp/connections.html" && fail "a query string reached the page"
[ "$(field_of waterfallSpans)" -ge 100 ] || fail "no waterfall drawn"
[ "$(field_of closedRows)" -ge 100 ] || fail "the TIME_WAIT ledger lists $(field_of closedRows) closed connections"
case "$(field_of summary)" in
  *"TCP_INFO available"*|*"TCP_INFO not available on this transport"*) ;;
  *) fail "the summary does not say whether TCP_INFO is available: $(field_of summary)" ;;
esac
echo "browser e2e: OK (screenshots in e2e/out/)"
