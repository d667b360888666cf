#!/usr/bin/env bash
# The data-integrity soak (issue 22): thousands of transfers in parallel through hopwise, on each
# transport, with random sizes (0 to 20 MB), framings and close styles (length, chunked,
# until-close, Connection: close, CONNECT tunnels, WebSocket joins), random reader speeds and
# pauses, and origins that reset part-way. Each transfer must end complete with the right digest
# or visibly aborted at the client; the SILENT column (truncations and corruptions) must be 0.
# Loopback only. Not a test: it takes minutes. It never builds the proxy.
#
#   bench/integrity-soak.sh                          # 10,000 transfers on io_uring, epoll and nio
#   TRANSFERS=2000 TRANSPORTS="epoll" bench/integrity-soak.sh
#   PROXY_JAR=/tmp/old.jar bench/integrity-soak.sh   # another build (e.g. before a fix)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

TRANSFERS=${TRANSFERS:-10000}      # per transport
PARALLEL=${PARALLEL:-32}           # transfers in flight at once
SEED=${SEED:-22}                   # the same seed draws the same transfers on every transport
TRANSPORTS=${TRANSPORTS:-"io_uring epoll nio"}
PROXY_JAR=${PROXY_JAR:-$REPO_ROOT/proxy-app/target/hopwise.jar}
SOAK_JAR=${SOAK_JAR:-$REPO_ROOT/proxy-bench/target/benchmarks.jar}
JAVA=${JAVA:-java}
JAR_WAIT=${JAR_WAIT:-0}
PROXY_START_TIMEOUT=${PROXY_START_TIMEOUT:-30}
KEEP_TMP=${KEEP_TMP:-0}
NGINX=""

# shellcheck source=bench/lib.sh
source "$SCRIPT_DIR/lib.sh"

{ is_uint "$TRANSFERS" && ((TRANSFERS > 0 && TRANSFERS <= 1000000)); } || die "TRANSFERS must be in 1..1000000"
{ is_uint "$PARALLEL" && ((PARALLEL > 0 && PARALLEL <= 512)); } || die "PARALLEL must be in 1..512"
is_uint "$SEED" || die "SEED must be a non-negative integer"
[[ -f $SOAK_JAR ]] || die "$SOAK_JAR not found; build it first (./mvnw -q -B -DskipTests package)"

make_bench_tmp hopwise-soak
copy_proxy_jar
ORIGIN_PORT=$(free_port)
cat >"$TMP/soak.yaml" <<YAML
accessLog: "off"
connect:
  ports: [$ORIGIN_PORT]
  websocket: true
YAML

status=0
for transport in $TRANSPORTS; do
    port=$(free_port "$ORIGIN_PORT")
    admin=$(free_port "$ORIGIN_PORT" "$port")
    start_bg "" "$TMP/proxy-$transport.log" env HOPWISE_TRANSPORT="$transport" HOPWISE_SHUTDOWN_DELAY=0s \
        HOPWISE_SHUTDOWN_DRAINTIMEOUT=1s "$JAVA" @"$REPO_ROOT/conf/jvm.options" -jar "$TMP/hopwise.jar" \
        --config "$TMP/soak.yaml" --listen "127.0.0.1:$port" --admin "127.0.0.1:$admin"
    pid=$BG_PID
    if ! wait_port "$port" "$PROXY_START_TIMEOUT" "$pid" "hopwise on $transport"; then
        warn "hopwise did not start on $transport (log below); skipped"
        tail -3 "$TMP/proxy-$transport.log" >&2
        status=1
        continue
    fi
    log "$transport: $TRANSFERS transfers, $PARALLEL at a time"
    # A soak of 10,000 transfers takes minutes; an hour is a hang.
    timeout 3600 "$JAVA" -Xmx1g -cp "$SOAK_JAR" io.hopwise.bench.soak.IntegritySoak \
        "$port" "$ORIGIN_PORT" "$TRANSFERS" "$PARALLEL" "$SEED" "$transport" || status=1
    stop_pid "$pid"
done
exit "$status"
