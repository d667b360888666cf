#!/usr/bin/env bash
# hopwise connection benchmark: direct (wrk -> nginx) vs. smart proxy vs. dumb proxy, each with
# keep-alive clients and with connection-per-request clients (Connection: close).
# Per (system, scenario) it reports req/s, p99, upstream connections opened per 10,000 requests
# (nginx stub_status "accepts") and the TIME_WAIT sockets the run left behind on each side.
# See bench/README.md ("connections.sh"). Everything binds to / connects to 127.0.0.1 only.
# It never builds the proxy: it uses proxy-app/target/hopwise.jar as it is.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
LUA_SCRIPT="$SCRIPT_DIR/proxy.lua"

# ---------------------------------------------------------------- settings
DURATION=${DURATION:-8s}           # per measured wrk run
HANG_DURATION=${HANG_DURATION:-5s} # the dumb proxy + keep-alive clients cell (it hangs by design)
RUNS=${RUNS:-3}                    # rounds; the median of each cell is reported
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
BODY=${BODY:-small}                # small (128 B) | 16k (16 KiB)
WARMUP=${WARMUP:-2s}               # discarded run per cell before round 1 (not the hang cell); 0 = none
WRK_TIMEOUT=${WRK_TIMEOUT:-2s}     # wrk --timeout, whole seconds
SYSTEMS=${SYSTEMS:-direct smart dumb}
SCENARIOS=${SCENARIOS:-keepalive close}
SETTLE=${SETTLE:-1}                # seconds after wrk exits before counting TIME_WAIT (closes finish)
TW_GAP=${TW_GAP:-2}                # seconds between one run's count and the next run's start

PROXY_JAR=${PROXY_JAR:-proxy-app/target/hopwise.jar}   # relative paths: relative to the repo root
PROXY_CONFIG=${PROXY_CONFIG-conf/proxy.yaml}           # set to "" to omit --config
EXTRA_PROXY_ARGS=${EXTRA_PROXY_ARGS:-}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS-@$REPO_ROOT/conf/jvm.options}   # unset: the launcher's options; "" = none
JAR_WAIT=${JAR_WAIT:-60}                               # seconds to wait for a missing jar (never builds)
PROXY_START_TIMEOUT=${PROXY_START_TIMEOUT:-30}

WRK_CPUS=${WRK_CPUS:-}
PROXY_CPUS=${PROXY_CPUS:-}
ORIGIN_CPUS=${ORIGIN_CPUS:-}
KEEP_TMP=${KEEP_TMP:-0}
IGNORE_SANITY=${IGNORE_SANITY:-0}
NGINX=${NGINX:-}

TW_LEN=60      # Linux TCP_TIMEWAIT_LEN: a socket stays in TIME_WAIT 60 s (not tunable)
TW_SLOP=1.5    # seconds of tolerance when telling this run's TIME_WAIT sockets from older ones

# ---------------------------------------------------------------- helpers
# shellcheck source=bench/lib.sh
source "$SCRIPT_DIR/lib.sh"

entry_port() {   # where wrk connects for a system
    case $1 in
        direct) echo "${OPORT[direct]}" ;;
        smart) echo "$SMART_PORT" ;;
        dumb) echo "$DUMB_PORT" ;;
    esac
}
target_of() { if [[ $1 == direct ]]; then echo "$BODY_PATH"; else echo "http://127.0.0.1:${OPORT[$1]}$BODY_PATH"; fi; }
is_hang_cell() { [[ $1 == dumb && $2 == keepalive ]]; }
cell_duration() { if is_hang_cell "$1" "$2"; then echo "$HANG_DURATION"; else echo "$DURATION"; fi; }

LAST_END=0
# wait until TW_GAP seconds have passed since the previous run was counted (bounded: <= TW_GAP s)
pause_gap() {
    local wait_s
    wait_s=$(gap_wait)
    sleep "$wait_s"
}

# wrk_for <system> <scenario> <label> <duration> <outfile>
wrk_for() {
    local sys=$1 sc=$2 label=$3 dur=$4 outf=$5
    local args=("$label" "$(entry_port "$sys")" "$(target_of "$sys")" "$dur" "$outf" "127.0.0.1:${OPORT[$sys]}")
    [[ $sc == close ]] && args+=(close)
    run_wrk "${args[@]}"
}

# ---------------------------------------------------------------- validate
{ is_uint "$CONNECTIONS" && ((CONNECTIONS > 0)); } || die "CONNECTIONS must be a positive integer"
{ is_uint "$THREADS" && ((THREADS > 0)); } || die "THREADS must be a positive integer"
((THREADS <= CONNECTIONS)) || die "THREADS ($THREADS) must be <= CONNECTIONS ($CONNECTIONS)"
{ is_uint "$RUNS" && ((RUNS > 0 && RUNS <= 20)); } || die "RUNS must be an integer in 1..20"
{ is_uint "$SETTLE" && ((SETTLE <= 10)); } || die "SETTLE must be an integer in 0..10"
{ is_uint "$TW_GAP" && ((TW_GAP >= 2 && TW_GAP <= 30)); } || die "TW_GAP must be an integer in 2..30"
{ is_uint "$JAR_WAIT" && ((JAR_WAIT <= 600)); } || die "JAR_WAIT must be an integer in 0..600"
{ is_uint "$PROXY_START_TIMEOUT" && ((PROXY_START_TIMEOUT > 0 && PROXY_START_TIMEOUT <= 600)); } ||
    die "PROXY_START_TIMEOUT must be an integer in 1..600"
DURATION_SECS=$(dur_to_secs "$DURATION")
HANG_SECS=$(dur_to_secs "$HANG_DURATION")
WARMUP_SECS=$(dur_to_secs "$WARMUP")
TIMEOUT_SECS=$(dur_to_secs "$WRK_TIMEOUT")
((DURATION_SECS > 0 && DURATION_SECS <= 50)) || die "DURATION must be 1..50 s (TIME_WAIT counting needs runs < 60 s)"
((HANG_SECS > 0 && HANG_SECS <= 50)) || die "HANG_DURATION must be 1..50 s"
((TIMEOUT_SECS > 0)) || die "WRK_TIMEOUT must be > 0"
((DURATION_SECS >= TIMEOUT_SECS + 1 && HANG_SECS >= TIMEOUT_SECS + 1)) ||
    die "DURATION and HANG_DURATION must be >= WRK_TIMEOUT + 1 s (the stuck-request probe runs 0.5 s before the end)"
case $BODY in
    small) BODY_PATH=/small; BODY_BYTES=128 ;;
    16k)   BODY_PATH=/16k;   BODY_BYTES=16384 ;;
    *) die "BODY must be 'small' or '16k'" ;;
esac
read -r -a SYS_LIST <<<"$SYSTEMS"
read -r -a SC_LIST <<<"$SCENARIOS"
((${#SYS_LIST[@]} > 0 && ${#SC_LIST[@]} > 0)) || die "SYSTEMS and SCENARIOS must not be empty"
for s in "${SYS_LIST[@]}"; do [[ $s == direct || $s == smart || $s == dumb ]] || die "unknown system '$s' (direct smart dumb)"; done
for s in "${SC_LIST[@]}"; do [[ $s == keepalive || $s == close ]] || die "unknown scenario '$s' (keepalive close)"; done
NEED_PROXY=0
for s in "${SYS_LIST[@]}"; do if [[ $s != direct ]]; then NEED_PROXY=1; fi; done
[[ -f $LUA_SCRIPT ]] || die "missing $LUA_SCRIPT"

cd "$REPO_ROOT"
ensure_packages
"$NGINX" -V 2>&1 | grep -q with-http_stub_status_module ||
    die "$NGINX was built without http_stub_status_module (needed to count upstream connections)"
command -v ss >/dev/null 2>&1 || die "ss (iproute2) not found"
ulimit -n 65536 2>/dev/null || ulimit -n 16384 2>/dev/null || true

# ---------------------------------------------------------------- temp dir, jar
make_bench_tmp hopwise-conn
if ((NEED_PROXY)); then
    copy_proxy_jar
fi

# ---------------------------------------------------------------- ports, origin
# One origin port per system: each system's proxy->origin (or client->origin) connections, and
# so their TIME_WAIT sockets, are told apart by port. stub_status gets a port of its own.
declare -A OPORT=()
used=()
for s in direct smart dumb; do
    OPORT[$s]=$(free_port "${used[@]}")
    used+=("${OPORT[$s]}")
done
STATUS_PORT=$(free_port "${used[@]}"); used+=("$STATUS_PORT")
SMART_PORT=$(free_port "${used[@]}"); used+=("$SMART_PORT")
DUMB_PORT=$(free_port "${used[@]}"); used+=("$DUMB_PORT")
SMART_ADMIN=$(free_port "${used[@]}"); used+=("$SMART_ADMIN")
DUMB_ADMIN=$(free_port "${used[@]}"); used+=("$DUMB_ADMIN")
ORIGIN_PORT=${OPORT[direct]}   # used by lib.sh defaults

start_origin "${OPORT[direct]}" "${OPORT[smart]}" "${OPORT[dumb]}"

# ---------------------------------------------------------------- proxies
declare -A PROXY_PID=()
read -r -a java_opts <<<"$JAVA_OPTS"
read -r -a extra_args <<<"$EXTRA_PROXY_ARGS"
start_proxy() {   # start_proxy <mode> <port> <admin-port>
    local mode=$1 port=$2 admin=$3 pcmd
    port_open "$port" && die "proxy port $port is already in use"
    pcmd=("$JAVA" "${java_opts[@]}" -jar "$TMP/hopwise.jar")
    [[ -n $PROXY_CONFIG ]] && pcmd+=(--config "$PROXY_CONFIG")
    pcmd+=(--listen "127.0.0.1:$port" --admin "127.0.0.1:$admin" --mode "$mode" "${extra_args[@]}")
    log "starting $mode proxy: ${pcmd[*]}"
    start_bg "$PROXY_CPUS" "$TMP/proxy-$mode.log" "${pcmd[@]}"
    PROXY_PID[$mode]=$BG_PID
}
for s in "${SYS_LIST[@]}"; do
    if [[ $s == smart ]]; then start_proxy smart "$SMART_PORT" "$SMART_ADMIN"; fi
    if [[ $s == dumb ]]; then start_proxy dumb "$DUMB_PORT" "$DUMB_ADMIN"; fi
done
for s in "${!PROXY_PID[@]}"; do
    if ! wait_port "$(entry_port "$s")" "$PROXY_START_TIMEOUT" "${PROXY_PID[$s]}" "$s proxy"; then
        tail -n 50 "$TMP/proxy-$s.log" >&2 || true
        die "$s proxy did not start"
    fi
    log "$s proxy: pid ${PROXY_PID[$s]} on 127.0.0.1:$(entry_port "$s") (log: $TMP/proxy-$s.log)"
done

# ---------------------------------------------------------------- pre-flight
sane=1
for s in "${SYS_LIST[@]}"; do
    if [[ $s == direct ]]; then
        cargs=(--noproxy '*' "http://127.0.0.1:${OPORT[direct]}$BODY_PATH")
    else
        cargs=(--proxy "http://127.0.0.1:$(entry_port "$s")" "$(target_of "$s")")
    fi
    # keep-alive: the response must not end the connection; close: it must say Connection: close
    # (wrk reconnects only after a response carrying Connection: close)
    for sc in "${SC_LIST[@]}"; do
        if [[ $sc == keepalive ]]; then
            preflight "$s keep-alive" 0 "${cargs[@]}" || sane=0
        else
            preflight "$s Connection: close" 1 -H 'Connection: close' "${cargs[@]}" || sane=0
        fi
    done
done
if [[ $sane != 1 && $IGNORE_SANITY != 1 ]]; then
    die "pre-flight check failed (set IGNORE_SANITY=1 to benchmark anyway)"
fi

TW_MAX=$(sysctl -n net.ipv4.tcp_max_tw_buckets 2>/dev/null || echo 0)
is_uint "$TW_MAX" || TW_MAX=0
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "config: BODY=$BODY DURATION=$DURATION HANG_DURATION=$HANG_DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS RUNS=$RUNS WARMUP=$WARMUP WRK_TIMEOUT=$WRK_TIMEOUT cpus=$(nproc) load=$LOAD_START"
log "kernel: tcp_tw_reuse=$(sysctl -n net.ipv4.tcp_tw_reuse 2>/dev/null || echo '?') ip_local_port_range=$(sysctl -n net.ipv4.ip_local_port_range 2>/dev/null | tr '\t' '-' || echo '?') tcp_max_tw_buckets=$TW_MAX"
log "ports: origin direct=${OPORT[direct]} smart=${OPORT[smart]} dumb=${OPORT[dumb]} status=$STATUS_PORT; proxies smart=$SMART_PORT dumb=$DUMB_PORT"

# ---------------------------------------------------------------- warm-up
if ((WARMUP_SECS > 0)); then
    for sc in "${SC_LIST[@]}"; do
        for s in "${SYS_LIST[@]}"; do
            is_hang_cell "$s" "$sc" && continue
            log "warm-up $s/$sc (${WARMUP}, discarded)"
            wrk_for "$s" "$sc" "warm-up $s/$sc" "$WARMUP" "$TMP/runs/warmup-$s-$sc.txt"
        done
    done
    sleep "$SETTLE"
    LAST_END=$(now)
fi

# ---------------------------------------------------------------- measured rounds
declare -A L_RPS=() L_P99=() L_CPK=() L_TWC=() L_TWO=() REQS=() ERRS=() TOUTS=() HANGRUNS=()
declare -A TWC_C=() TWC_S=() TWO_C=() TWO_S=() STUCK=() L_STUCK=() SLOWRUNS=()
MAX_TW_ALL=0
for sc in "${SC_LIST[@]}"; do
    for s in "${SYS_LIST[@]}"; do
        k="$s/$sc"
        L_RPS[$k]=""; L_P99[$k]=""; L_CPK[$k]=""; L_TWC[$k]=""; L_TWO[$k]=""
        REQS[$k]=0; ERRS[$k]=0; TOUTS[$k]=0; HANGRUNS[$k]=0; STUCK[$k]=0; L_STUCK[$k]=""; SLOWRUNS[$k]=0
        TWC_C[$k]=0; TWC_S[$k]=0; TWO_C[$k]=0; TWO_S[$k]=0
    done
done

for ((r = 1; r <= RUNS; r++)); do
    # rotate the system order every round to cancel drift
    n=${#SYS_LIST[@]}
    order=()
    for ((i = 0; i < n; i++)); do order+=("${SYS_LIST[(i + r - 1) % n]}"); done
    for sc in "${SC_LIST[@]}"; do
        for s in "${order[@]}"; do
            k="$s/$sc"
            dur=$(cell_duration "$s" "$sc")
            outf="$TMP/runs/round$r-$s-$sc.txt"
            pause_gap
            st0=$(read_status)
            : >"$TMP/probe.txt"
            PROBE_PORT=$(entry_port "$s")
            WRK_PROBE_FN=probe_stalls
            WRK_PROBE_AT="$(($(dur_to_secs "$dur") - 1)).5"   # 0.5 s before the end
            t0=$(now)
            wrk_for "$s" "$sc" "$k" "$dur" "$outf"
            WRK_PROBE_AT=""
            read -r open_conns stuck <<<"$(stall_count)"
            sleep "$SETTLE"
            tw=$(tw_count "$t0" "$(entry_port "$s")" "$([[ $s == direct ]] && echo 0 || echo "${OPORT[$s]}")")
            LAST_END=$(now)
            st1=$(read_status)
            read -r twc_c twc_s two_c two_s tw_all <<<"$tw"
            read -r a0 q0 <<<"$st0"
            read -r a1 q1 <<<"$st1"
            accepts=$((a1 - a0 - 1))   # minus the stub_status read's own connection
            oreqs=$((q1 - q0 - 1))
            reqs=$(field "$RESULT" requests)
            rps=$(field "$RESULT" rps)
            p99=$(field "$RESULT" p99_us)
            et=$(field "$RESULT" err_timeout)
            ne=$(($(field "$RESULT" err_connect) + $(field "$RESULT" err_read) + $(field "$RESULT" err_write) + $(field "$RESULT" err_status)))
            cpk=$(stats per-10k "$accepts" "$reqs")
            L_RPS[$k]+=" $rps"; L_P99[$k]+=" $p99"
            [[ $cpk != nan ]] && L_CPK[$k]+=" $cpk"
            L_TWC[$k]+=" $((twc_c + twc_s))"; L_TWO[$k]+=" $((two_c + two_s))"
            TWC_C[$k]=$((TWC_C[$k] + twc_c)); TWC_S[$k]=$((TWC_S[$k] + twc_s))
            TWO_C[$k]=$((TWO_C[$k] + two_c)); TWO_S[$k]=$((TWO_S[$k] + two_s))
            REQS[$k]=$((REQS[$k] + reqs)); ERRS[$k]=$((ERRS[$k] + ne)); TOUTS[$k]=$((TOUTS[$k] + et))
            STUCK[$k]=$((STUCK[$k] + stuck)); L_STUCK[$k]+=" $stuck"
            # wrk's p99 covers completed requests only. If late + never-answered requests are >= 1%
            # of all, the real p99 is at least the timeout.
            if (((et + stuck) * 100 >= reqs + stuck && et + stuck > 0)); then SLOWRUNS[$k]=$((SLOWRUNS[$k] + 1)); fi
            # a hang: at least half of the connections stuck at the end of the run
            if ((stuck * 2 >= CONNECTIONS)); then HANGRUNS[$k]=$((HANGRUNS[$k] + 1)); fi
            if ((tw_all > MAX_TW_ALL)); then MAX_TW_ALL=$tw_all; fi
            printf '  round %d/%d  %-6s %-9s %9.1f req/s  p99 %8s ms  %8d reqs  origin: %6d accepts %8d reqs  TIME_WAIT client side: %d at wrk, %d at %s; origin side: %s  errors %d, late %d, stuck %d (of %d established at the probe)\n' \
                "$r" "$RUNS" "$s" "$sc" "$rps" "$(ms "$p99")" "$reqs" "$accepts" "$oreqs" "$twc_c" "$twc_s" \
                "$([[ $s == direct ]] && echo nginx || echo proxy)" \
                "$([[ $s == direct ]] && echo '-' || echo "$two_c at proxy, $two_s at nginx")" "$ne" "$et" "$stuck" "$open_conns"
        done
    done
done

for s in "${!PROXY_PID[@]}"; do
    if ! kill -0 "${PROXY_PID[$s]}" 2>/dev/null; then
        warn "the $s proxy (pid ${PROXY_PID[$s]}) is no longer running! last log lines:"
        tail -n 30 "$TMP/proxy-$s.log" >&2 || true
    fi
done

# ---------------------------------------------------------------- report
scenario_title() {
    if [[ $1 == keepalive ]]; then
        echo "keep-alive clients (wrk default: HTTP/1.1, $CONNECTIONS connections, each reused for many requests)"
    else
        echo "connection-per-request clients (wrk sends Connection: close; a new connection per request)"
    fi
}
echo
echo "== hopwise connections bench: BODY=$BODY ($BODY_BYTES B)  DURATION=$DURATION (dumb/keep-alive: $HANG_DURATION)  CONNECTIONS=$CONNECTIONS  THREADS=$THREADS  RUNS=$RUNS  wrk --timeout $WRK_TIMEOUT"
echo "   median over $RUNS run(s); errors/timeouts = totals over all runs; upstream conns = nginx accepts per 10,000 completed requests"
echo "   TIME_WAIT = sockets left in TIME_WAIT by one run, median; (at X N%) = which end holds them, i.e. closed first"
echo "   client side = client<->proxy connections (direct: client<->nginx); origin side = proxy<->nginx connections"
echo "   machine: $(nproc) cpus, load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
summary="CONNECTIONS_SUMMARY body=$BODY duration=$DURATION hang_duration=$HANG_DURATION connections=$CONNECTIONS runs=$RUNS"
status=0
for sc in "${SC_LIST[@]}"; do
    echo
    echo "-- scenario: $(scenario_title "$sc")"
    printf '%-7s %10s %15s %23s  %-23s %-23s %s\n' system 'req/s' 'p99 ms' 'upstream conns/10k req' 'TIME_WAIT client side' 'TIME_WAIT origin side' 'errors/timeouts'
    for s in "${SYS_LIST[@]}"; do
        k="$s/$sc"
        # shellcheck disable=SC2086  # intentional word splitting of the value lists
        {
            m_rps=$(median ${L_RPS[$k]}); m_p99=$(median ${L_P99[$k]})
            m_cpk=$(median ${L_CPK[$k]}); m_twc=$(median ${L_TWC[$k]}); m_two=$(median ${L_TWO[$k]})
        }
        m_twc=$(printf '%.0f' "$m_twc"); m_two=$(printf '%.0f' "$m_two")
        p99_txt=$(ms "$m_p99")
        note=""
        if ((SLOWRUNS[$k] * 2 > RUNS)); then p99_txt=">=$((TIMEOUT_SECS * 1000)) (t/o)"; fi
        if ((HANGRUNS[$k] * 2 > RUNS)); then note="  <- HANGS"; fi
        et_txt="${ERRS[$k]} / $((TOUTS[$k] + STUCK[$k]))"
        if ((STUCK[$k] > 0)); then et_txt+=" (${STUCK[$k]} never answered)"; fi
        cn=$([[ $s == direct ]] && echo nginx || echo proxy)
        twc_txt=$(fmt_tw "$m_twc" "${TWC_C[$k]}" "${TWC_S[$k]}" wrk "$cn")
        if [[ $s == direct ]]; then two_txt="- (same conns)"; else two_txt=$(fmt_tw "$m_two" "${TWO_C[$k]}" "${TWO_S[$k]}" proxy nginx); fi
        printf '%-7s %10.1f %15s %23.1f  %-23s %-23s %s%s\n' "$s" "$m_rps" "$p99_txt" "$m_cpk" "$twc_txt" "$two_txt" \
            "$et_txt" "$note"
        summary+=" ${s}_${sc}_rps=$(printf '%.1f' "$m_rps") ${s}_${sc}_p99_us=$(printf '%.0f' "$m_p99") ${s}_${sc}_upstream_per_10k=$(printf '%.1f' "$m_cpk") ${s}_${sc}_tw_client=$m_twc ${s}_${sc}_tw_origin=$([[ $s == direct ]] && echo - || echo "$m_two") ${s}_${sc}_errors=${ERRS[$k]} ${s}_${sc}_late=${TOUTS[$k]} ${s}_${sc}_stuck=${STUCK[$k]} ${s}_${sc}_requests=${REQS[$k]}"
        if ! is_hang_cell "$s" "$sc" && ((ERRS[$k] + TOUTS[$k] + STUCK[$k] > 0)); then
            echo "WARNING: $s/$sc had ${ERRS[$k]} errors, ${TOUTS[$k]} late and ${STUCK[$k]} never-answered requests - that cell is NOT meaningful"
            status=2
        fi
        if ! is_hang_cell "$s" "$sc" && ((REQS[$k] == 0)); then
            echo "WARNING: $s/$sc completed no requests"
            status=2
        fi
    done
    if [[ $sc == keepalive && " ${SYS_LIST[*]} " == *" dumb "* ]]; then
        k=dumb/keepalive
        per_run=$((REQS[$k] / RUNS))
        # shellcheck disable=SC2086
        m_stuck=$(printf '%.0f' "$(median ${L_STUCK[$k]})")
        if ((HANGRUNS[$k] * 2 > RUNS)); then
            echo "   dumb/keep-alive HANGS, as designed: ~$per_run requests per ${HANG_DURATION} run on $CONNECTIONS connections, i.e. one per connection;"
            echo "   then each connection's 2nd request waits for the origin to close (nginx keepalive_timeout 65s): $m_stuck of $CONNECTIONS connections"
            echo "   had a request unanswered for >= ${WRK_TIMEOUT} near the end of the run (median). wrk counts no timeout for a request that is never"
            echo "   answered, so these come from an ss probe; p99 is shown as >= the timeout because those requests never complete"
        else
            echo "   NOTE: dumb/keep-alive did NOT hang ($per_run requests per run, median $m_stuck stuck connections)"
        fi
    fi
    if [[ $sc == close && " ${SYS_LIST[*]} " == *" direct "* ]]; then
        # shellcheck disable=SC2086
        c=$(median ${L_CPK[direct/close]})
        if [[ $(stats at-least "$c" 9000) == 1 ]]; then
            echo "   check: direct/close opened $(printf '%.0f' "$c") connections per 10,000 requests: wrk really reconnects for every request"
        else
            echo "WARNING: direct/close opened only $(printf '%.0f' "$c") connections per 10,000 requests: wrk did not reconnect per request"
            status=2
        fi
    fi
done
if ((TW_MAX > 0 && MAX_TW_ALL * 10 >= TW_MAX * 9)); then
    echo "WARNING: up to $MAX_TW_ALL TIME_WAIT sockets on the machine (limit tcp_max_tw_buckets=$TW_MAX): the kernel may have dropped some, TIME_WAIT counts are a lower bound"
fi
echo "   (max TIME_WAIT sockets on the machine at any count: $MAX_TW_ALL; tcp_tw_reuse=$(sysctl -n net.ipv4.tcp_tw_reuse 2>/dev/null || echo '?'): the connecting end may reuse its own TIME_WAIT ports on loopback, which lowers the wrk/proxy-held counts)"
for s in "${!PROXY_PID[@]}"; do
    if ! kill -0 "${PROXY_PID[$s]}" 2>/dev/null; then
        echo "WARNING: the $s proxy died during the benchmark"
        status=2
    fi
done
echo "$summary"
if [[ $KEEP_TMP == 1 ]]; then log "raw wrk output: $TMP/runs/"; fi
exit "$status"
