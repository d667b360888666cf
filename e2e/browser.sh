#!/usr/bin/env bash
# Real-browser end-to-end test: headless Chromium, configured to use the proxy, loads a page with
# 12 subresources over plain HTTP (forwarding path) and over HTTPS (CONNECT tunnel). Asserts from
# the DOM that every subresource loaded, from the origins' logs that the requests came through
# the proxy, and from the proxy's connection log that the HTTPS page went through a tunnel.
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

http_port=$(free_port); https_port=$(free_port); proxy_port=$(free_port)
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
echo "browser e2e: OK (screenshots in e2e/out/)"
