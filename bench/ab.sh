#!/usr/bin/env bash
# Two hopwise builds, A and B, side by side: CPU per request and req/s under the same load
# (keep-alive clients, or CLIENTS=close) against one nginx origin, loopback only. For telling whether a change made the proxy
# cheaper when the machine's noise (+-20 % in req/s) hides it in peers.sh.
# MODE=together (default): in each round both builds take load at the same time, each from its
# own wrk with half the threads and connections, so both see the same machine; the per-round
# ratio B/A is what is reported. MODE=alternate: one build at a time, alternating which goes first.
# Each JVM compiles the same code a little differently, and that difference lasts as long as the
# JVM: with one JVM per build, two identical jars measured 0.974 here. RESTART_EVERY=1 starts both
# builds afresh for every round, so each round is a new draw (see bench/README.md, "ab.sh").
# It never builds the proxy.
#
#   bench/ab.sh OLD.jar NEW.jar                    # A = OLD, B = NEW
#   RESTART_EVERY=1 ROUNDS=10 bench/ab.sh OLD.jar NEW.jar
#   MODE=alternate TRANSPORT_A=epoll TRANSPORT_B=io_uring bench/ab.sh X.jar X.jar   # one build, two transports
#   CLIENTS=close bench/ab.sh OLD.jar NEW.jar      # a new client connection per request
#   ENV_B=HOPWISE_METRICS_DESTINATIONS=0 bench/ab.sh X.jar X.jar   # one build, a setting on and off
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
LUA_SCRIPT="$SCRIPT_DIR/proxy.lua"

MODE=${MODE:-together}             # together | alternate
ROUNDS=${ROUNDS:-6}                # A/B pairs; medians are reported
DURATION=${DURATION:-15s}          # per measured run
WARMUP=${WARMUP:-30s}              # per build, before round 1 (the JIT settles in about 30 s)
RESTART_EVERY=${RESTART_EVERY:-0}  # N > 0: fresh JVMs (and a warm-up) every N rounds; 0: one JVM per build
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-2s}
BODY=${BODY:-small}                # small (128 B) | 16k (16 KiB)
CLIENTS=${CLIENTS:-keepalive}      # keepalive | close (Connection: close on every request, so a new connection each)
ACCESS_LOG=${ACCESS_LOG:-off}      # hopwise accessLog for both builds: off | json | squid
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS-@$REPO_ROOT/conf/jvm.options}
JAVA_OPTS_A=${JAVA_OPTS_A-$JAVA_OPTS}   # per build, e.g. to compare JVM flags on one jar
JAVA_OPTS_B=${JAVA_OPTS_B-$JAVA_OPTS}
TRANSPORT_A=${TRANSPORT_A:-}             # per build: auto | io_uring | epoll | nio (HOPWISE_TRANSPORT); empty: the config's
TRANSPORT_B=${TRANSPORT_B:-}
ENV_A=${ENV_A:-}                         # per build, extra environment (HOPWISE_* settings), e.g.
ENV_B=${ENV_B:-}                         #   ENV_B="HOPWISE_METRICS_DESTINATIONS=0": one jar, two configs
PROXY_START_TIMEOUT=${PROXY_START_TIMEOUT:-30}
KEEP_TMP=${KEEP_TMP:-0}
NGINX=${NGINX:-}
WRK_CPUS=""; ORIGIN_CPUS=""

# shellcheck source=bench/lib.sh
source "$SCRIPT_DIR/lib.sh"

(($# == 2)) || die "usage: bench/ab.sh A.jar B.jar (two hopwise builds; A is the baseline)"
JAR_A=$1; JAR_B=$2
[[ -f $JAR_A ]] || die "$JAR_A not found"
[[ -f $JAR_B ]] || die "$JAR_B not found"
{ is_uint "$ROUNDS" && ((ROUNDS > 0 && ROUNDS <= 50)); } || die "ROUNDS must be in 1..50"
is_uint "$RESTART_EVERY" || die "RESTART_EVERY must be a non-negative integer"
{ is_uint "$CONNECTIONS" && ((CONNECTIONS > 0)); } || die "CONNECTIONS must be a positive integer"
[[ $BODY == small || $BODY == 16k ]] || die "BODY must be small or 16k"
[[ $MODE == together || $MODE == alternate ]] || die "MODE must be together or alternate"
if [[ $MODE == together ]]; then
    ((CONNECTIONS >= 2)) || die "MODE=together needs CONNECTIONS >= 2 (split between the builds)"
fi
[[ $ACCESS_LOG == off || $ACCESS_LOG == json || $ACCESS_LOG == squid ]] || die "ACCESS_LOG must be off, json or squid"
((($(dur_to_secs "$DURATION")) > 0)) || die "DURATION must be positive"
WARMUP_SECS=$(dur_to_secs "$WARMUP")
BODY_BYTES=$([[ $BODY == 16k ]] && echo 16384 || echo 128)
[[ $CLIENTS == keepalive || $CLIENTS == close ]] || die "CLIENTS must be keepalive or close"
CLOSE_ARG=()
[[ $CLIENTS == close ]] && CLOSE_ARG=(close)   # proxy.lua's third argument: the Connection value

ensure_packages
make_bench_tmp hopwise-ab
cp -- "$JAR_A" "$TMP/A.jar"   # private copies: a rebuild meanwhile cannot change what runs
cp -- "$JAR_B" "$TMP/B.jar"
# Both builds on their built-in defaults: the working tree's conf/proxy.yaml may hold keys an older
# build does not know (it refuses them), and a benchmark should not depend on it anyway.
: >"$TMP/defaults.yaml"
ORIGIN_PORT=$(free_port)
STATUS_PORT=$(free_port "$ORIGIN_PORT")
start_origin "$ORIGIN_PORT"

declare -A PORT=() PID=()
TARGET="http://127.0.0.1:$ORIGIN_PORT/$BODY"

# start_builds: a fresh JVM for each build, on new ports, checked with one request
start_builds() {
    local b opts_var transport_var env_var admin
    for b in A B; do
        opts_var=JAVA_OPTS_$b
        read -r -a JAVA_OPTS_ARR <<<"${!opts_var}"
        transport_var=TRANSPORT_$b
        TRANSPORT_ENV=()
        [[ -z ${!transport_var} ]] || TRANSPORT_ENV=(HOPWISE_TRANSPORT="${!transport_var}")
        env_var=ENV_$b
        read -r -a EXTRA_ENV <<<"${!env_var}"
        TRANSPORT_ENV+=("${EXTRA_ENV[@]}")
        PORT[$b]=$(free_port "$ORIGIN_PORT" "$STATUS_PORT" "${PORT[@]}")
        admin=$(free_port "$ORIGIN_PORT" "$STATUS_PORT" "${PORT[@]}")
        start_bg "" "$TMP/$b.log" env HOPWISE_ACCESSLOG="$ACCESS_LOG" HOPWISE_SHUTDOWN_DELAY=0s \
            HOPWISE_SHUTDOWN_DRAINTIMEOUT=1s "${TRANSPORT_ENV[@]}" "$JAVA" "${JAVA_OPTS_ARR[@]}" -jar "$TMP/$b.jar" \
            --config "$TMP/defaults.yaml" --listen "127.0.0.1:${PORT[$b]}" --admin "127.0.0.1:$admin"
        PID[$b]=$BG_PID
        wait_port "${PORT[$b]}" "$PROXY_START_TIMEOUT" "${PID[$b]}" "build $b" || die "build $b did not start (log: $TMP/$b.log)"
        check_request "build $b" --proxy "http://127.0.0.1:${PORT[$b]}" "$TARGET" ||
            die "build $b does not proxy a plain GET"
    done
}

stop_builds() {
    stop_pid "${PID[A]}"
    stop_pid "${PID[B]}"
}

# restart_due <round>: whether this round starts with fresh JVMs (RESTART_EVERY)
restart_due() {
    ((RESTART_EVERY > 0 && $1 > 1 && ($1 - 1) % RESTART_EVERY == 0))
}

start_builds
# measure <build> <duration> <outfile>: prints "<req/s> <cpu us/req> <p99 us>"
# checked_requests <build> <BENCH_RESULT line> <outfile>: the requests wrk completed (none: die;
# errors or timeouts: a warning)
checked_requests() {
    local reqs errs
    reqs=$(field "$2" requests)
    ((reqs > 0)) || die "build $1 completed no requests ($3)"
    errs=$(($(field "$2" err_connect) + $(field "$2" err_read) + $(field "$2" err_write) + $(field "$2" err_status) + $(field "$2" err_timeout)))
    ((errs == 0)) || warn "build $1: $errs errors/timeouts in $3"
    echo "$reqs"
}

measure() {
    local b=$1 c0 c1 reqs
    c0=$(cpu_ticks "${PID[$b]}")
    run_wrk "$b" "${PORT[$b]}" "$TARGET" "$2" "$3" "127.0.0.1:$ORIGIN_PORT" "${CLOSE_ARG[@]}"
    c1=$(cpu_ticks "${PID[$b]}")
    reqs=$(checked_requests "$b" "$RESULT" "$3") || exit 1
    echo "$(stats fmt %.1f "$(field "$RESULT" rps)") $(stats us-per-req "$((c1 - c0))" "$reqs") $(stats fmt %d "$(field "$RESULT" p99_us)")"
}

# together <duration> <outfile prefix>: both builds loaded at once, each by its own wrk with half
# the threads and connections. Prints "<rps> <cpu us/req> <user cpu us/req> <p99 us>" for A, then B.
together() {
    local dur=$1 pre=$2 b secs rc
    local -A c0=() u0=() wpid=() line=()
    secs=$(dur_to_secs "$dur")
    local t=$(((THREADS + 1) / 2)) c=$((CONNECTIONS / 2))
    for b in A B; do c0[$b]=$(cpu_ticks "${PID[$b]}"); u0[$b]=$(user_ticks "${PID[$b]}"); done
    for b in A B; do
        timeout -k 5 $((secs + 30)) wrk -t "$t" -c "$c" -d "$dur" --timeout "$WRK_TIMEOUT" --latency \
            -s "$LUA_SCRIPT" "http://127.0.0.1:${PORT[$b]}" -- "$TARGET" "127.0.0.1:$ORIGIN_PORT" "${CLOSE_ARG[@]}" >"$pre-$b.txt" 2>&1 &
        wpid[$b]=$!
    done
    WRK_PID=${wpid[A]}
    for b in A B; do
        rc=0; wait "${wpid[$b]}" || rc=$?
        ((rc == 0)) || { cat "$pre-$b.txt" >&2; die "wrk for build $b failed (exit $rc)"; }
    done
    WRK_PID=""
    for b in A B; do
        local res reqs
        res=$(grep -m1 '^BENCH_RESULT ' "$pre-$b.txt" || true)
        [[ -n $res ]] || { cat "$pre-$b.txt" >&2; die "wrk for build $b produced no result"; }
        reqs=$(checked_requests "$b" "$res" "$pre-$b.txt") || exit 1
        line[$b]="$(stats fmt %.1f "$(field "$res" rps)")"
        line[$b]+=" $(stats us-per-req "$(($(cpu_ticks "${PID[$b]}") - c0[$b]))" "$reqs" 2)"
        line[$b]+=" $(stats us-per-req "$(($(user_ticks "${PID[$b]}") - u0[$b]))" "$reqs" 2)"
        line[$b]+=" $(stats fmt %d "$(field "$res" p99_us)")"
    done
    echo "${line[A]} ${line[B]}"
}

# warm_up: two discarded runs, two thirds and one third of WARMUP. The end of a wrk run closes all
# its connections, which takes paths the JIT has not compiled yet; in the round after a single
# warm-up run the compiler then recompiled for the first seconds (C2 took 2.3-4.4 us per request
# of about 21 in the measured window, against 0.2-0.7 after two runs), and how much it did differed
# between builds. With two runs that first close happens while warming up.
warm_up() {
    log "warm-up: $WARMUP per build, in two runs (discarded)"
    ((WARMUP_SECS > 0)) || return 0
    local part secs
    for part in 1 2; do
        secs=$((part == 1 ? (WARMUP_SECS * 2 + 2) / 3 : WARMUP_SECS / 3))
        ((secs > 0)) || continue
        if [[ $MODE == together ]]; then
            together "${secs}s" "$TMP/runs/warmup$part" >/dev/null
        else
            for b in A B; do run_wrk "warm-up $b" "${PORT[$b]}" "$TARGET" "${secs}s" "$TMP/runs/warmup$part-$b.txt" "127.0.0.1:$ORIGIN_PORT" "${CLOSE_ARG[@]}"; done
        fi
    done
}
warm_up

jvms_line() {
    if ((RESTART_EVERY > 0)); then
        echo "   fresh JVMs every $RESTART_EVERY round(s): $(((ROUNDS + RESTART_EVERY - 1) / RESTART_EVERY)) per build"
    else
        echo "   one JVM per build for all rounds: a difference that JVM's JIT happened to make stays in every round (see bench/README.md, ab.sh)"
    fi
}

if [[ $MODE == together ]]; then
    RATIOS="" URATIOS="" RA="" RB="" CA="" CB="" UA="" UB="" PA="" PB=""
    wins=0
    for ((r = 1; r <= ROUNDS; r++)); do
        if restart_due "$r"; then stop_builds; start_builds; warm_up; fi
        read -r ra ca ua pa rb cb ub pb <<<"$(together "$DURATION" "$TMP/runs/round$r")"
        [[ -n ${pb:-} ]] || die "round $r failed (see above)"
        ratio=$(stats ratio "$cb" "$ca" %.4f)
        uratio=$(stats ratio "$ub" "$ua" %.4f 1.0000)
        RATIOS+=" $ratio"; URATIOS+=" $uratio"; RA+=" $ra"; RB+=" $rb"; CA+=" $ca"; CB+=" $cb"; UA+=" $ua"; UB+=" $ub"; PA+=" $pa"; PB+=" $pb"
        [[ $(stats below "$ratio" 1) == 1 ]] && wins=$((wins + 1))
        printf '  round %d/%d  A %8.1f req/s %6.1f us CPU/req (user %5.1f)   B %8.1f req/s %6.1f us CPU/req (user %5.1f)   B/A %.3f, user %.3f\n' \
            "$r" "$ROUNDS" "$ra" "$ca" "$ua" "$rb" "$cb" "$ub" "$ratio" "$uratio"
    done
    # shellcheck disable=SC2086  # word splitting of the value lists is intended
    {
        m_ratio=$(median $RATIOS); m_uratio=$(median $URATIOS)
        ma_rps=$(median $RA); mb_rps=$(median $RB); ma_cpu=$(median $CA); mb_cpu=$(median $CB)
        ma_u=$(median $UA); mb_u=$(median $UB); ma_p99=$(median $PA); mb_p99=$(median $PB)
    }
    echo
    echo "== A/B together: A = $JAR_A, B = $JAR_B; $ROUNDS rounds of $DURATION, both builds loaded at once (wrk -t$(((THREADS + 1) / 2)) -c$((CONNECTIONS / 2)) each), warm-up $WARMUP; $BODY_BYTES B body, $CLIENTS clients, accessLog $ACCESS_LOG"
    [[ $JAVA_OPTS_A == "$JAVA_OPTS_B" ]] || echo "   JVM options: A: ${JAVA_OPTS_A:-(none)}; B: ${JAVA_OPTS_B:-(none)}"
    [[ $TRANSPORT_A == "$TRANSPORT_B" ]] || echo "   transport: A: ${TRANSPORT_A:-(config)}; B: ${TRANSPORT_B:-(config)}"
    jvms_line
    printf '%-6s %12s %14s %16s %10s\n' build 'req/s' 'CPU us/req' 'user CPU us/req' 'p99 ms'
    printf '%-6s %12.1f %14.1f %16.1f %10s\n' A "$ma_rps" "$ma_cpu" "$ma_u" "$(ms "$ma_p99")"
    printf '%-6s %12.1f %14.1f %16.1f %10s\n' B "$mb_rps" "$mb_cpu" "$mb_u" "$(ms "$mb_p99")"
    printf "B/A (median of the rounds' ratios): CPU per request %s, user-mode CPU per request %s; B used less CPU per request in %d of %d rounds\n" \
        "$(stats fmt %.3f "$m_ratio")" "$(stats fmt %.3f "$m_uratio")" "$wins" "$ROUNDS"
    printf 'AB_SUMMARY mode=together clients=%s body=%s rounds=%d ratio_cpu=%.4f ratio_user_cpu=%.4f a_rps=%.1f b_rps=%.1f a_cpu_us=%.2f b_cpu_us=%.2f a_user_us=%.2f b_user_us=%.2f b_cheaper_rounds=%d\n' \
        "$CLIENTS" "$BODY" "$ROUNDS" "$m_ratio" "$m_uratio" "$ma_rps" "$mb_rps" "$ma_cpu" "$mb_cpu" "$ma_u" "$mb_u" "$wins"
    exit 0
fi

declare -A RPS=() CPU=() P99=()
wins=0
for ((r = 1; r <= ROUNDS; r++)); do
    if restart_due "$r"; then stop_builds; start_builds; warm_up; fi
    # alternate which build goes first, so that neither always runs after the other
    if ((r % 2)); then order=(A B); else order=(B A); fi
    declare -A cur=()
    for b in "${order[@]}"; do
        read -r rps cpu p99 <<<"$(measure "$b" "$DURATION" "$TMP/runs/round$r-$b.txt")"
        RPS[$b]+=" $rps"; CPU[$b]+=" $cpu"; P99[$b]+=" $p99"; cur[$b]=$cpu
        printf '  round %d/%d  %s  %9.1f req/s  %6.1f us CPU/req  p99 %s ms\n' "$r" "$ROUNDS" "$b" "$rps" "$cpu" "$(ms "$p99")"
    done
    [[ $(stats below "${cur[B]}" "${cur[A]}") == 1 ]] && wins=$((wins + 1))
done

# shellcheck disable=SC2086  # word splitting of the value lists is intended
{
    ma_cpu=$(median ${CPU[A]}); mb_cpu=$(median ${CPU[B]})
    ma_rps=$(median ${RPS[A]}); mb_rps=$(median ${RPS[B]})
    ma_p99=$(median ${P99[A]}); mb_p99=$(median ${P99[B]})
}
echo
echo "== A/B: A = $JAR_A, B = $JAR_B; $ROUNDS rounds of $DURATION (medians), warm-up $WARMUP; wrk -t$THREADS -c$CONNECTIONS, $BODY_BYTES B body, $CLIENTS clients, accessLog $ACCESS_LOG"
[[ $JAVA_OPTS_A == "$JAVA_OPTS_B" ]] || echo "   JVM options: A: ${JAVA_OPTS_A:-(none)}; B: ${JAVA_OPTS_B:-(none)}"
[[ $TRANSPORT_A == "$TRANSPORT_B" ]] || echo "   transport: A: ${TRANSPORT_A:-(config)}; B: ${TRANSPORT_B:-(config)}"
jvms_line
printf '%-6s %12s %14s %10s\n' build 'req/s' 'CPU us/req' 'p99 ms'
printf '%-6s %12.1f %14.1f %10s\n' A "$ma_rps" "$ma_cpu" "$(ms "$ma_p99")"
printf '%-6s %12.1f %14.1f %10s\n' B "$mb_rps" "$mb_cpu" "$(ms "$mb_p99")"
printf 'B/A: CPU per request %s, req/s %s; B used less CPU per request in %d of %d rounds\n' \
    "$(stats ratio "$mb_cpu" "$ma_cpu" %.3f)" "$(stats ratio "$mb_rps" "$ma_rps" %.3f)" "$wins" "$ROUNDS"
printf 'AB_SUMMARY mode=alternate clients=%s body=%s rounds=%d a_rps=%.1f b_rps=%.1f a_cpu_us=%.1f b_cpu_us=%.1f a_p99_us=%.0f b_p99_us=%.0f b_cheaper_rounds=%d\n' \
    "$CLIENTS" "$BODY" "$ROUNDS" "$ma_rps" "$mb_rps" "$ma_cpu" "$mb_cpu" "$ma_p99" "$mb_p99" "$wins"
