#!/usr/bin/env bash
# hopwise loopback benchmark: direct (wrk -> nginx) vs. proxied (wrk -> hopwise -> nginx).
# See bench/README.md. Everything binds to / connects to 127.0.0.1 only.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
LUA_SCRIPT="$SCRIPT_DIR/proxy.lua"

# ---------------------------------------------------------------- settings
DURATION=${DURATION:-10s}          # per wrk run (wrk syntax: 10s, 1m, or plain seconds)
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
RUNS=${RUNS:-3}                    # rounds; each round runs direct AND proxy
BODY=${BODY:-small}                # small (128 B) | 16k (16 KiB)
WARMUP=${WARMUP:-5s}               # discarded warm-up run per path before round 1; 0 = none
WRK_TIMEOUT=${WRK_TIMEOUT:-2s}     # wrk --timeout (requests slower than this count as timeouts)

# Proxy under test. PROXY_MODE: jar (default) | cmd | nginx | external | none
#   jar      : java $JAVA_OPTS -jar $PROXY_JAR --config $PROXY_CONFIG --listen 127.0.0.1:PORT $EXTRA_PROXY_ARGS
#   cmd      : bash -c "$PROXY_CMD" ({PORT} and {ORIGIN_PORT} substituted; also exported as env
#              PROXY_PORT / ORIGIN_PORT). Must listen on 127.0.0.1:{PORT}, run in the foreground.
#   nginx    : stand-in/reference: a second nginx doing plain reverse proxying (keepalive upstream)
#   external : a proxy you already started yourself on 127.0.0.1:$PROXY_PORT (not started/stopped here)
#   none     : direct path only
PROXY_CMD=${PROXY_CMD:-}
if [[ -n $PROXY_CMD ]]; then PROXY_MODE=${PROXY_MODE:-cmd}; else PROXY_MODE=${PROXY_MODE:-jar}; fi
PROXY_JAR=${PROXY_JAR:-proxy-app/target/hopwise.jar}   # relative paths: relative to the repo root
PROXY_CONFIG=${PROXY_CONFIG-conf/proxy.yaml}           # set to "" to omit --config
EXTRA_PROXY_ARGS=${EXTRA_PROXY_ARGS:-}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS-@$REPO_ROOT/conf/jvm.options}   # unset: the launcher's options; "" = none
NO_BUILD=${NO_BUILD:-0}                                # 1 = never run Maven
PROXY_START_TIMEOUT=${PROXY_START_TIMEOUT:-30}         # seconds to wait for the proxy port
PROXY_PORT=${PROXY_PORT:-}                             # required for external mode, else auto
ORIGIN_PORT=${ORIGIN_PORT:-}                           # auto if empty

# Optional CPU pinning (taskset -c lists, e.g. WRK_CPUS=0 PROXY_CPUS=1 ORIGIN_CPUS=1); empty = none.
WRK_CPUS=${WRK_CPUS:-}
PROXY_CPUS=${PROXY_CPUS:-}
ORIGIN_CPUS=${ORIGIN_CPUS:-}

KEEP_TMP=${KEEP_TMP:-0}             # 1 = keep the temp dir (configs, logs, raw wrk output)
IGNORE_SANITY=${IGNORE_SANITY:-0}   # 1 = benchmark even if the pre-flight request check fails
NGINX=${NGINX:-}

# ---------------------------------------------------------------- helpers
# shellcheck source=bench/lib.sh
source "$SCRIPT_DIR/lib.sh"

# ---------------------------------------------------------------- validate
{ is_uint "$CONNECTIONS" && ((CONNECTIONS > 0)); } || die "CONNECTIONS must be a positive integer"
{ is_uint "$THREADS" && ((THREADS > 0)); } || die "THREADS must be a positive integer"
{ is_uint "$RUNS" && ((RUNS > 0 && RUNS <= 100)); } || die "RUNS must be an integer in 1..100"
((THREADS <= CONNECTIONS)) || die "THREADS ($THREADS) must be <= CONNECTIONS ($CONNECTIONS)"
{ is_uint "$PROXY_START_TIMEOUT" && ((PROXY_START_TIMEOUT > 0 && PROXY_START_TIMEOUT <= 600)); } ||
    die "PROXY_START_TIMEOUT must be an integer in 1..600"
DURATION_SECS=$(dur_to_secs "$DURATION")
((DURATION_SECS > 0)) || die "DURATION must be > 0"
WARMUP_SECS=$(dur_to_secs "$WARMUP")
case $BODY in
    small) BODY_PATH=/small; BODY_BYTES=128 ;;
    16k)   BODY_PATH=/16k;   BODY_BYTES=16384 ;;
    *) die "BODY must be 'small' or '16k'" ;;
esac
case $PROXY_MODE in
    jar | cmd | nginx | none) ;;
    external) [[ -n $PROXY_PORT ]] || die "PROXY_MODE=external needs PROXY_PORT" ;;
    *) die "PROXY_MODE must be jar|cmd|nginx|external|none" ;;
esac
[[ $PROXY_MODE != cmd || -n $PROXY_CMD ]] || die "PROXY_MODE=cmd needs PROXY_CMD"
[[ -f $LUA_SCRIPT ]] || die "missing $LUA_SCRIPT"

cd "$REPO_ROOT"
ensure_packages
ulimit -n 65536 2>/dev/null || ulimit -n 16384 2>/dev/null || true

# ---------------------------------------------------------------- proxy jar (build if missing)
if [[ $PROXY_MODE == jar ]]; then
    if [[ ! -f $PROXY_JAR ]]; then
        [[ $NO_BUILD == 1 ]] && die "$PROXY_JAR not found and NO_BUILD=1"
        if [[ -x ./mvnw ]]; then MVN=(./mvnw); else MVN=(mvn); fi
        log "$PROXY_JAR missing; building: ${MVN[*]} -q -B -DskipTests package"
        "${MVN[@]}" -q -B -DskipTests package || die "maven build failed"
        [[ -f $PROXY_JAR ]] || die "build finished but $PROXY_JAR does not exist"
    fi
    command -v "$JAVA" >/dev/null 2>&1 || die "java not found ($JAVA)"
    if [[ -n $PROXY_CONFIG && ! -f $PROXY_CONFIG ]]; then
        warn "proxy config $PROXY_CONFIG not found (passing it anyway; set PROXY_CONFIG= to omit --config)"
    fi
fi

# ---------------------------------------------------------------- temp dir, docroot, origin
TMP=$(mktemp -d /tmp/hopwise-bench.XXXXXX)
chmod 755 "$TMP"   # nginx workers run as an unprivileged user and must read the docroot
mkdir -p "$TMP/docroot" "$TMP/origin" "$TMP/runs"
head -c 128 /dev/zero | tr '\0' 's' >"$TMP/docroot/small"
head -c 16384 /dev/zero | tr '\0' 'k' >"$TMP/docroot/16k"
chmod 755 "$TMP/docroot"
chmod 644 "$TMP/docroot/small" "$TMP/docroot/16k"

[[ -n $ORIGIN_PORT ]] || ORIGIN_PORT=$(free_port "$PROXY_PORT")
port_open "$ORIGIN_PORT" && die "origin port $ORIGIN_PORT is already in use"
write_nginx_conf "$TMP/origin" "    server {
        listen 127.0.0.1:$ORIGIN_PORT backlog=4096;
        server_name _;
        root $TMP/docroot;
        location / { try_files \$uri =404; }
    }"
start_nginx "$TMP/origin" "$ORIGIN_CPUS" "$ORIGIN_PORT" origin

# ---------------------------------------------------------------- proxy
PROXY_PID=""
PROXY_LOG=""
if [[ $PROXY_MODE != none && $PROXY_MODE != external ]]; then
    [[ -n $PROXY_PORT ]] || PROXY_PORT=$(free_port "$ORIGIN_PORT")
    port_open "$PROXY_PORT" && die "proxy port $PROXY_PORT is already in use"
fi
case $PROXY_MODE in
    jar)
        PROXY_LOG="$TMP/proxy.log"
        read -r -a java_opts <<<"$JAVA_OPTS"
        read -r -a extra_args <<<"$EXTRA_PROXY_ARGS"
        pcmd=("$JAVA" "${java_opts[@]}" -jar "$PROXY_JAR")
        [[ -n $PROXY_CONFIG ]] && pcmd+=(--config "$PROXY_CONFIG")
        pcmd+=(--listen "127.0.0.1:$PROXY_PORT" "${extra_args[@]}")
        log "starting proxy: ${pcmd[*]}"
        start_bg "$PROXY_CPUS" "$PROXY_LOG" "${pcmd[@]}"
        PROXY_PID=$BG_PID
        ;;
    cmd)
        PROXY_LOG="$TMP/proxy.log"
        pc=${PROXY_CMD//\{PORT\}/$PROXY_PORT}
        pc=${pc//\{ORIGIN_PORT\}/$ORIGIN_PORT}
        export PROXY_PORT ORIGIN_PORT
        log "starting proxy: bash -c '$pc'"
        start_bg "$PROXY_CPUS" "$PROXY_LOG" bash -c "$pc"
        PROXY_PID=$BG_PID
        ;;
    nginx)
        PROXY_LOG="$TMP/standin/error.log"
        write_nginx_conf "$TMP/standin" "    upstream origin {
        server 127.0.0.1:$ORIGIN_PORT;
        keepalive 256;
        keepalive_requests 100000;
    }
    server {
        listen 127.0.0.1:$PROXY_PORT backlog=4096;
        server_name _;
        location / {
            proxy_pass http://origin;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header Host \$http_host;
        }
    }"
        start_nginx "$TMP/standin" "$PROXY_CPUS" "$PROXY_PORT" "stand-in proxy"
        PROXY_PID=$BG_PID
        ;;
esac
if [[ $PROXY_MODE == jar || $PROXY_MODE == cmd ]]; then
    if ! wait_port "$PROXY_PORT" "$PROXY_START_TIMEOUT" "$PROXY_PID" proxy; then
        log "proxy log ($PROXY_LOG):"
        tail -n 50 "$PROXY_LOG" >&2 || true
        die "proxy did not start"
    fi
    log "proxy: pid $PROXY_PID on 127.0.0.1:$PROXY_PORT (log: $PROXY_LOG)"
fi
if [[ $PROXY_MODE == external ]]; then
    port_open "$PROXY_PORT" || die "nothing listens on 127.0.0.1:$PROXY_PORT (PROXY_MODE=external)"
fi

# ---------------------------------------------------------------- pre-flight
DIRECT_TARGET=$BODY_PATH
PROXY_TARGET="http://127.0.0.1:$ORIGIN_PORT$BODY_PATH"
PATHS=(direct)
[[ $PROXY_MODE != none ]] && PATHS+=(proxy)

sane=1
check_request direct --noproxy '*' "http://127.0.0.1:$ORIGIN_PORT$BODY_PATH" || sane=0
if [[ $PROXY_MODE != none ]]; then
    # curl --proxy sends exactly what wrk sends: absolute-form request line + Host of the origin
    check_request proxy --proxy "http://127.0.0.1:$PROXY_PORT" "$PROXY_TARGET" || sane=0
fi
if [[ $sane != 1 && $IGNORE_SANITY != 1 ]]; then
    die "pre-flight check failed (set IGNORE_SANITY=1 to benchmark anyway)"
fi

target_of() { if [[ $1 == direct ]]; then echo "$DIRECT_TARGET"; else echo "$PROXY_TARGET"; fi; }
port_of()   { if [[ $1 == direct ]]; then echo "$ORIGIN_PORT"; else echo "$PROXY_PORT"; fi; }

log "config: BODY=$BODY ($BODY_BYTES B) DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS RUNS=$RUNS WARMUP=$WARMUP PROXY_MODE=$PROXY_MODE cpus=$(nproc) pinning: wrk=${WRK_CPUS:--} proxy=${PROXY_CPUS:--} origin=${ORIGIN_CPUS:--}"

# ---------------------------------------------------------------- warm-up
if ((WARMUP_SECS > 0)); then
    for p in "${PATHS[@]}"; do
        log "warm-up $p (${WARMUP}, discarded)"
        run_wrk "warm-up $p" "$(port_of "$p")" "$(target_of "$p")" "$WARMUP" "$TMP/runs/warmup-$p.txt"
    done
fi

# ---------------------------------------------------------------- measured rounds
declare -A RPS_L=() P50_L=() P99_L=() ERR=() ECONN=() EREAD=() EWRITE=() ESTATUS=() ETIMEOUT=() REQS=()
for p in "${PATHS[@]}"; do
    RPS_L[$p]=""; P50_L[$p]=""; P99_L[$p]=""
    ERR[$p]=0; ECONN[$p]=0; EREAD[$p]=0; EWRITE[$p]=0; ESTATUS[$p]=0; ETIMEOUT[$p]=0; REQS[$p]=0
done

for ((r = 1; r <= RUNS; r++)); do
    order=("${PATHS[@]}")
    # alternate the order each round (direct,proxy / proxy,direct / ...) to cancel drift
    if ((${#PATHS[@]} == 2 && r % 2 == 0)); then order=(proxy direct); fi
    for p in "${order[@]}"; do
        outf="$TMP/runs/round$r-$p.txt"
        run_wrk "$p" "$(port_of "$p")" "$(target_of "$p")" "$DURATION" "$outf"
        rps=$(field "$RESULT" rps)
        p50=$(field "$RESULT" p50_us)
        p99=$(field "$RESULT" p99_us)
        reqs=$(field "$RESULT" requests)
        bytes=$(field "$RESULT" bytes)
        ec=$(field "$RESULT" err_connect); er=$(field "$RESULT" err_read)
        ew=$(field "$RESULT" err_write); es=$(field "$RESULT" err_status)
        et=$(field "$RESULT" err_timeout)
        nerr=$((ec + er + ew + es + et))
        RPS_L[$p]+=" $rps"; P50_L[$p]+=" $p50"; P99_L[$p]+=" $p99"
        REQS[$p]=$((REQS[$p] + reqs)); ERR[$p]=$((ERR[$p] + nerr))
        ECONN[$p]=$((ECONN[$p] + ec)); EREAD[$p]=$((EREAD[$p] + er)); EWRITE[$p]=$((EWRITE[$p] + ew))
        ESTATUS[$p]=$((ESTATUS[$p] + es)); ETIMEOUT[$p]=$((ETIMEOUT[$p] + et))
        bpr=0
        ((reqs > 0)) && bpr=$((bytes / reqs))
        printf '  round %d/%d  %-6s  %10.1f req/s   p50 %7.3f ms   p99 %7.3f ms   errors %d   (%d B/resp)\n' \
            "$r" "$RUNS" "$p" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$nerr" "$bpr"
        if ((reqs == 0)); then warn "$p round $r completed 0 requests"; fi
    done
done

if [[ -n $PROXY_PID ]] && ! kill -0 "$PROXY_PID" 2>/dev/null; then
    warn "the proxy process (pid $PROXY_PID) is no longer running! last log lines:"
    tail -n 30 "$PROXY_LOG" >&2 || true
fi

# ---------------------------------------------------------------- report
declare -A M_RPS=() M_P50=() M_P99=()
for p in "${PATHS[@]}"; do
    # shellcheck disable=SC2086  # intentional word splitting of the value lists
    {
        M_RPS[$p]=$(median ${RPS_L[$p]})
        M_P50[$p]=$(median ${P50_L[$p]})
        M_P99[$p]=$(median ${P99_L[$p]})
    }
done

echo
echo "== hopwise bench: BODY=$BODY ($BODY_PATH, $BODY_BYTES B)  DURATION=$DURATION  CONNECTIONS=$CONNECTIONS  THREADS=$THREADS  RUNS=$RUNS  proxy=$PROXY_MODE"
echo "   (median over $RUNS run(s); errors = total over all runs: connect/read/write/timeout/HTTP>=400)"
printf '%-8s %12s %10s %10s %10s\n' path 'req/s' 'p50 ms' 'p99 ms' errors
for p in "${PATHS[@]}"; do
    printf '%-8s %12.1f %10.3f %10.3f %10d\n' "$p" "${M_RPS[$p]}" \
        "$(ms "${M_P50[$p]}")" "$(ms "${M_P99[$p]}")" "${ERR[$p]}"
done
summary="BENCH_SUMMARY body=$BODY duration=$DURATION connections=$CONNECTIONS threads=$THREADS runs=$RUNS"
for p in "${PATHS[@]}"; do
    summary+=" ${p}_rps=$(printf '%.1f' "${M_RPS[$p]}") ${p}_p50_us=$(printf '%.0f' "${M_P50[$p]}") ${p}_p99_us=$(printf '%.0f' "${M_P99[$p]}") ${p}_errors=${ERR[$p]}"
done
if [[ $PROXY_MODE != none ]]; then
    ratio_rps=$(stats ratio "${M_RPS[proxy]}" "${M_RPS[direct]}" %.3f n/a)
    ratio_p99=$(stats ratio "${M_P99[proxy]}" "${M_P99[direct]}" %.3f n/a)
    printf 'ratio proxy/direct:  req/s %s   p99 %s\n' "$ratio_rps" "$ratio_p99"
    summary+=" ratio_rps=$ratio_rps ratio_p99=$ratio_p99"
fi
echo "$summary"

status=0
for p in "${PATHS[@]}"; do
    if ((ERR[$p] > 0)); then
        echo "WARNING: $p path had ${ERR[$p]} failed requests over ${REQS[$p]} completed" \
            "(connect=${ECONN[$p]} read=${EREAD[$p]} write=${EWRITE[$p]} timeout=${ETIMEOUT[$p]} http>=400=${ESTATUS[$p]}) - results are NOT meaningful"
        status=2
    fi
    if ((REQS[$p] == 0)); then
        echo "WARNING: $p path completed no requests at all"
        status=2
    fi
done
if [[ -n $PROXY_PID ]] && ! kill -0 "$PROXY_PID" 2>/dev/null; then
    echo "WARNING: proxy process died during the benchmark"
    status=2
fi
[[ $KEEP_TMP == 1 ]] && log "raw wrk output: $TMP/runs/"
exit "$status"
