#!/usr/bin/env bash
# Node's real proxy clients through the real proxy, on loopback only (e2e/node_clients.mjs).
# undici's ProxyAgent and EnvHttpProxyAgent (and Node's own fetch under NODE_USE_ENV_PROXY=1,
# the same machinery) tunnel even http:// URLs through CONNECT host:port instead of sending an
# absolute-form GET, so connect.ports decides whether a Node client can fetch plain http at all
# (hence the default [80, 443]). Cases, one line each:
#  1. ProxyAgent, http:// origin on port P in connect.ports: 200, and the proxy logged a tunnel;
#  2. the same through EnvHttpProxyAgent (setGlobalDispatcher, HTTP_PROXY, no NO_PROXY);
#  3. P not in connect.ports (the default [80, 443]): the fetch fails, the error's cause names the
#     403, and the proxy logged the refusal with its decision and rule;
#  4. an origin on port 80 and the default connect.ports: 200 (skipped if 127.0.0.1:80 cannot be
#     bound);
#  5. Node's global fetch with NODE_USE_ENV_PROXY=1 (skipped on a Node without it: < 22.21, 23);
#  6. https:// to a self-signed loopback origin through a tunnel, its certificate trusted: 200.
# Installs node and npm (Debian's) if missing and a pinned undici from npm into the temp dir;
# stops everything by PID.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
NAME="node e2e"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
make_tmp hopwise-node
# 6.x: its engines (node >= 18.17) fit Debian 12's nodejs 18.20; 7.x wants node >= 20.18.1.
# 6.29 has ProxyAgent (CONNECT for http:// too, as Node's fetch) and EnvHttpProxyAgent.
UNDICI_VERSION=6.29.1
install_missing python3 python3 openssl openssl curl curl node nodejs npm npm
jar=$(hopwise_jar)

node_version=$(node -p 'process.versions.node')
IFS=. read -r node_major node_minor _ <<<"$node_version"
if ((node_major < 18 || (node_major == 18 && node_minor < 17))); then
  fail "node $node_version is too old for undici $UNDICI_VERSION (needs >= 18.17)"
fi
mkdir -p "$TMP/npm"
timeout 300 npm install --prefix "$TMP/npm" --no-audit --no-fund --no-package-lock --no-save \
  --loglevel=error "undici@$UNDICI_VERSION" >"$TMP/npm.log" 2>&1 ||
  fail "npm install undici@$UNDICI_VERSION failed (see npm.log)"
got=$(node -p "require('$TMP/npm/node_modules/undici/package.json').version")
[[ $got == "$UNDICI_VERSION" ]] || fail "npm installed undici $got, not $UNDICI_VERSION"
echo "node v$node_version, undici $got"

wait_for() { # description, command...: up to 30 s
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  fail "timed out waiting for $what"
}

# logq FILE [--last] KEY=VALUE...: how many access-log JSON lines have all these fields (values
# compared as text); with --last, the last such line instead.
logq() {
  python3 - "$@" <<'PY'
import json, sys
path, want = sys.argv[1], sys.argv[2:]
last = "--last" in want
want = dict(kv.split("=", 1) for kv in want if kv != "--last")
hits = []
with open(path, encoding="utf-8", errors="replace") as f:
    for line in f:
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # the effective configuration and the "listening" line
        if isinstance(rec, dict) and all(str(rec.get(k)) == v for k, v in want.items()):
            hits.append(line.strip())
print((hits[-1] if hits else "") if last else len(hits))
PY
}
# wait_log FILE MIN KEY=VALUE...: until at least MIN such lines (the proxy flushes its access log
# every second, and logs a tunnel when it closes); up to 10 s
wait_log() {
  local file=$1 min=$2 i
  shift 2
  for ((i = 0; i < 40; i++)); do
    (($(logq "$file" "$@") >= min)) && return 0
    sleep 0.25
  done
  return 1
}

# run_client LABEL [VAR=VALUE...] MODE ARGS...: one fetch by node_clients.mjs, in an environment
# without any proxy variable but those given; sets OUT (its line) and RC. stderr: node-LABEL.log
run_client() {
  local label=$1 envs=()
  shift
  while [[ $1 == *=* ]]; do envs+=("$1"); shift; done
  RC=0
  OUT=$(timeout -k 5 30 env -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY \
    -u no_proxy -u NO_PROXY -u NODE_USE_ENV_PROXY UNDICI_PREFIX="$TMP/npm" "${envs[@]}" \
    node e2e/node_clients.mjs "$@" 2>"$TMP/node-$label.log") || RC=$?
}

# start_proxy NAME CONNECT-PORTS-OR-EMPTY: a proxy (JSON access log to NAME.log, on free ports);
# sets PROXY_PORT. Empty: no connect section at all, the default ports.
start_proxy() {
  local name=$1 ports=$2 admin
  PROXY_PORT=$(free_port); admin=$(free_port "$PROXY_PORT")
  {
    echo "listen: 127.0.0.1:$PROXY_PORT"
    echo "admin: 127.0.0.1:$admin"
    echo "accessLog: json"
    echo "shutdown: {delay: 0s, drainTimeout: 1s}"
    if [[ -n $ports ]]; then echo "connect: {ports: [$ports]}"; fi
  } >"$TMP/$name.yaml"
  java -jar "$jar" --config "$TMP/$name.yaml" >"$TMP/$name.log" 2>&1 &
  STARTED_PIDS+=("$!")
  wait_for "proxy $name's readiness" curl -sf --noproxy '*' "http://127.0.0.1:$admin/readyz"
}

# expect_ok CASE URL: OUT must be a 200 with the origin's file
body=$(printf 'hello from the hopwise e2e origin %s' "$RANDOM")
expect_ok() {
  [[ $RC == 0 && $OUT == "status=200 body=\"$body\"" ]] ||
    fail "case $1: expected 200 with the origin's body for $2, got (exit $RC): $OUT"
}
# expect_tunnel CASE LOG TARGET BEFORE: a tunnel line for TARGET beyond the BEFORE ones
expect_tunnel() {
  wait_log "$2" $(($4 + 1)) type=tunnel method=CONNECT target="$3" ||
    fail "case $1: the proxy logged no tunnel to $3 (no CONNECT?)"
}

mkdir -p "$TMP/www"
printf '%s\n' "$body" >"$TMP/www/hello"
http_port=$(free_port)
python3 e2e/origin.py "$TMP/www" "$http_port" 2>"$TMP/origin.log" &
STARTED_PIDS+=("$!")
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1 || fail "openssl could not make a certificate"
https_port=$(free_port "$http_port")
python3 e2e/origin.py "$TMP/www" "$https_port" "$TMP/cert.pem" "$TMP/key.pem" 2>"$TMP/https-origin.log" &
STARTED_PIDS+=("$!")
wait_for "the http origin" port_open "$http_port"
wait_for "the https origin" port_open "$https_port"

# A: the origins' ports allowed; B: the default connect.ports
start_proxy open "80, 443, $http_port, $https_port"
open_port=$PROXY_PORT
start_proxy default ""
default_port=$PROXY_PORT
origin="127.0.0.1:$http_port"

echo "== 1. ProxyAgent, http:// (connect.ports has $http_port)"
before=$(logq "$TMP/open.log" type=tunnel target="$origin")
run_client proxy-agent proxy-agent "http://$origin/hello?case=proxy-agent" "http://127.0.0.1:$open_port"
expect_ok 1 "http://$origin/hello"
expect_tunnel 1 "$TMP/open.log" "$origin" "$before"
absolute=$(logq "$TMP/open.log" type=request target="http://$origin/hello?case=proxy-agent")
[[ $absolute == 0 ]] || fail "case 1: the proxy saw an absolute-form GET, expected only a CONNECT"
grep -q "GET via=- /hello?case=proxy-agent" "$TMP/origin.log" ||
  fail "case 1: the origin did not get the request, or got it with a Via field (not tunneled)"
echo "1 ProxyAgent http://$origin/hello: $OUT; proxy: CONNECT tunnel to $origin, no absolute-form GET"

echo "== 2. EnvHttpProxyAgent, HTTP_PROXY/HTTPS_PROXY set, NO_PROXY unset"
before=$(logq "$TMP/open.log" type=tunnel target="$origin")
run_client env-agent HTTP_PROXY="http://127.0.0.1:$open_port" HTTPS_PROXY="http://127.0.0.1:$open_port" \
  env-agent "http://$origin/hello?case=env-agent"
expect_ok 2 "http://$origin/hello"
expect_tunnel 2 "$TMP/open.log" "$origin" "$before"
grep -q "GET via=- /hello?case=env-agent" "$TMP/origin.log" || fail "case 2: not tunneled to the origin"
echo "2 EnvHttpProxyAgent http://$origin/hello: $OUT; proxy: CONNECT tunnel to $origin (no loopback bypass without NO_PROXY)"

echo "== 3. refused: $http_port not in the default connect.ports [80, 443]"
run_client refused proxy-agent "http://$origin/hello?case=refused" "http://127.0.0.1:$default_port"
[[ $RC == 1 && $OUT == error:* ]] || fail "case 3: the fetch should fail, got (exit $RC): $OUT"
[[ $OUT == *403* ]] || fail "case 3: the client's error does not name the proxy's 403: $OUT"
wait_log "$TMP/default.log" 1 type=request method=CONNECT target="$origin" status=403 decision=deny ||
  fail "case 3: the proxy logged no refusal (CONNECT $origin, 403, decision deny)"
refusal=$(logq "$TMP/default.log" --last type=request method=CONNECT target="$origin" status=403 decision=deny)
[[ $refusal == *'"rule":"'?* ]] || fail "case 3: the refusal line has no rule: $refusal"
if grep -q "case=refused" "$TMP/origin.log"; then fail "case 3: the refused request reached the origin"; fi
echo "3 ProxyAgent via default ports, client: $OUT"
echo "3 proxy logged: $refusal"

echo "== 4. origin on port 80, the default connect.ports"
if port_open 80; then
  echo "4 default ports to :80: skipped (127.0.0.1:80 is in use)"
elif ! python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 80)); s.close()' 2>/dev/null; then
  echo "4 default ports to :80: skipped (cannot bind 127.0.0.1:80: not root?)"
else
  python3 e2e/origin.py "$TMP/www" 80 2>"$TMP/origin80.log" &
  STARTED_PIDS+=("$!")
  wait_for "the origin on port 80" port_open 80
  before=$(logq "$TMP/default.log" type=tunnel target=127.0.0.1:80)
  run_client port80 proxy-agent "http://127.0.0.1/hello?case=port80" "http://127.0.0.1:$default_port"
  expect_ok 4 "http://127.0.0.1/hello"
  expect_tunnel 4 "$TMP/default.log" 127.0.0.1:80 "$before"
  echo "4 ProxyAgent http://127.0.0.1/hello, default connect.ports: $OUT; proxy: CONNECT tunnel to 127.0.0.1:80"
fi

echo "== 5. Node's own fetch with NODE_USE_ENV_PROXY=1"
# Added in Node 24.0.0 and 22.21.0 (not in 23.x)
if ((node_major >= 24 || (node_major == 22 && node_minor >= 21))); then
  before=$(logq "$TMP/open.log" type=tunnel target="$origin")
  run_client env-proxy NODE_USE_ENV_PROXY=1 HTTP_PROXY="http://127.0.0.1:$open_port" \
    HTTPS_PROXY="http://127.0.0.1:$open_port" env-proxy "http://$origin/hello?case=env-proxy"
  expect_ok 5 "http://$origin/hello"
  expect_tunnel 5 "$TMP/open.log" "$origin" "$before"
  echo "5 global fetch, NODE_USE_ENV_PROXY=1: $OUT; proxy: CONNECT tunnel to $origin"
  # and the issue's own case: through the default ports, the cause names the 403
  run_client env-proxy-refused NODE_USE_ENV_PROXY=1 HTTP_PROXY="http://127.0.0.1:$default_port" \
    HTTPS_PROXY="http://127.0.0.1:$default_port" env-proxy "http://$origin/hello?case=env-proxy-refused"
  [[ $RC == 1 && $OUT == *403* ]] || fail "case 5: a refused fetch should fail naming the 403, got (exit $RC): $OUT"
  wait_log "$TMP/default.log" 2 type=request method=CONNECT target="$origin" status=403 decision=deny ||
    fail "case 5: the proxy logged no refusal for the refused fetch"
  echo "5 global fetch, NODE_USE_ENV_PROXY=1, default ports, client: $OUT"
else
  echo "5 NODE_USE_ENV_PROXY: skipped (node v$node_version has no support; needs >= 24 or 22.21)"
fi

echo "== 6. ProxyAgent, https:// to a self-signed origin, its certificate trusted"
before=$(logq "$TMP/open.log" type=tunnel target="127.0.0.1:$https_port")
run_client https proxy-agent "https://127.0.0.1:$https_port/hello?case=https" "http://127.0.0.1:$open_port" "$TMP/cert.pem"
expect_ok 6 "https://127.0.0.1:$https_port/hello"
expect_tunnel 6 "$TMP/open.log" "127.0.0.1:$https_port" "$before"
tunnel=$(logq "$TMP/open.log" --last type=tunnel target="127.0.0.1:$https_port")
echo "6 ProxyAgent https://127.0.0.1:$https_port/hello: $OUT; proxy: $tunnel"

echo "node e2e: OK"
