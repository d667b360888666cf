#!/usr/bin/env bash
# hopwise vs. real peers, one invocation, loopback only (issue 7).
# Systems: direct (wrk -> nginx origin), hopwise smart, hopwise dumb (connection-per-request only),
# squid (caching off), tinyproxy, nginx as a reverse proxy with an upstream keep-alive pool.
# Scenarios: keep-alive clients with a 128 B and a 16 KiB body, connection-per-request clients,
# and N idle keep-alive client connections (memory). Per system and scenario: req/s, p50/p99,
# ratio to direct, upstream connections per 10,000 requests, TIME_WAIT sockets, peak RSS; medians
# of RUNS rounds with the systems interleaved in each round; then the issue's targets, met or not.
# See bench/README.md ("peers.sh"). It never builds the proxy.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
LUA_SCRIPT="$SCRIPT_DIR/proxy.lua"
IDLE_CLIENT="$SCRIPT_DIR/idle_conns.py"

# ---------------------------------------------------------------- settings
QUICK=${QUICK:-0}                  # 1 = fast check: RUNS=1 DURATION=3s WARMUP=1s IDLE_CONNS=2000
if [[ $QUICK == 1 ]]; then
    RUNS=${RUNS:-1}; DURATION=${DURATION:-3s}; WARMUP=${WARMUP:-1s}; JIT_WARMUP=${JIT_WARMUP:-0}
    JIT_WARMUP_PASSES=${JIT_WARMUP_PASSES:-1}
    IDLE_CONNS=${IDLE_CONNS:-2000}
fi
DURATION=${DURATION:-8s}           # per measured wrk run
RUNS=${RUNS:-3}                    # rounds; medians are reported
WARMUP=${WARMUP:-2s}               # discarded run per cell before round 1; 0 = none
JIT_WARMUP=${JIT_WARMUP:-10s}      # the same for the JVM systems (hopwise, relay), run first: the JIT
                                   # compiles for about 30 s of load; 0 = WARMUP like the others
JIT_WARMUP_PASSES=${JIT_WARMUP_PASSES:-2}  # times the JVM systems' warm-up cells run, all scenarios each time
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-2s}
SYSTEMS=${SYSTEMS:-direct smart dumb squid tinyproxy nginxrp haproxyrp relay}
SCENARIOS=${SCENARIOS:-ka128 ka16k close idle}
IDLE_CONNS=${IDLE_CONNS:-10000}    # idle client connections per proxy (scenario idle)
IDLE_BATCH=${IDLE_BATCH:-500}      # opened (and answered) per batch
IDLE_HOLD=${IDLE_HOLD:-3}          # seconds all of them are held before memory is read
IDLE_MAX_SECS=${IDLE_MAX_SECS:-90} # bound on opening them, per system
SETTLE=${SETTLE:-1}                # seconds after wrk exits before counting TIME_WAIT
TW_GAP=${TW_GAP:-2}                # seconds between two runs on the same ports

PROXY_JAR=${PROXY_JAR:-proxy-app/target/hopwise.jar}   # relative paths: relative to the repo root
BENCH_JAR=${BENCH_JAR:-proxy-bench/target/benchmarks.jar}   # holds ByteRelay, the relay system
PROXY_CONFIG=${PROXY_CONFIG-conf/proxy.yaml}           # "" omits --config
EXTRA_PROXY_ARGS=${EXTRA_PROXY_ARGS:-}
JAVA=${JAVA:-java}
JAR_WAIT=${JAR_WAIT:-60}
PROXY_START_TIMEOUT=${PROXY_START_TIMEOUT:-30}
HOPWISE_ACCESS_LOG=${HOPWISE_ACCESS_LOG:-off}          # peers log nothing either; "" = config's value
NGINX_RP_WORKERS=${NGINX_RP_WORKERS:-auto}             # nginx reverse proxy worker_processes
NGINX_RP_KEEPALIVE=${NGINX_RP_KEEPALIVE:-64}           # its upstream keepalive pool (per worker)
RSS_TARGET_MB=${RSS_TARGET_MB:-300}                    # idle target, MB = 10^6 bytes
POOL_SIZE=${POOL_SIZE:-}                               # hopwise pool size; empty = from config

WRK_CPUS=${WRK_CPUS:-}
PROXY_CPUS=${PROXY_CPUS:-}
ORIGIN_CPUS=${ORIGIN_CPUS:-}
KEEP_TMP=${KEEP_TMP:-0}
IGNORE_SANITY=${IGNORE_SANITY:-0}
NGINX=${NGINX:-}
SQUID=${SQUID:-}
TINYPROXY=${TINYPROXY:-}
HAPROXY=${HAPROXY:-}

TW_LEN=60      # Linux TCP_TIMEWAIT_LEN
TW_SLOP=1.5

# shellcheck source=bench/lib.sh
source "$SCRIPT_DIR/lib.sh"

# JVM options: the launcher's (conf/jvm.options, as bin/hopwise uses) unless JAVA_OPTS is set (even to "")
if [[ -z ${JAVA_OPTS+x} ]]; then
    JAVA_OPTS="@$REPO_ROOT/conf/jvm.options"
fi

ALL_SYSTEMS=(direct smart dumb squid tinyproxy nginxrp haproxyrp relay)
ALL_SCENARIOS=(ka128 ka16k close idle)
declare -A SYS_NAME=([direct]=direct [smart]="hopwise smart" [dumb]="hopwise dumb" [squid]=squid
    [tinyproxy]=tinyproxy [nginxrp]=nginx-RP [haproxyrp]=HAProxy-RP [relay]="relay (floor)")

# ---------------------------------------------------------------- helpers
sc_path() { if [[ $1 == ka16k ]]; then echo /16k; else echo /small; fi; }
sc_bytes() { if [[ $1 == ka16k ]]; then echo 16384; else echo 128; fi; }
is_forward() { [[ $1 == smart || $1 == dumb || $1 == squid || $1 == tinyproxy ]]; }
entry_port() { if [[ $1 == direct ]]; then echo "${OPORT[direct]}"; else echo "${EPORT[$1]}"; fi; }
target_of() {   # <system> <scenario>: absolute-form for forward proxies, origin-form otherwise
    if is_forward "$1"; then echo "http://127.0.0.1:${OPORT[$1]}$(sc_path "$2")"; else sc_path "$2"; fi
}
runs_in() {     # <system> <scenario>: is that cell measured?
    [[ $2 == idle ]] && { [[ $1 != direct && $1 != dumb && $1 != relay ]]; return; }
    [[ $1 == dumb && $2 != close ]] && return 1
    return 0
}
scenario_title() {
    case $1 in
        ka128) echo "(a) keep-alive clients, $CONNECTIONS connections, 128 B body" ;;
        ka16k) echo "(b) keep-alive clients, $CONNECTIONS connections, 16 KiB body" ;;
        close) echo "(c) connection-per-request clients (Connection: close), $CONNECTIONS connections, 128 B body" ;;
        idle) echo "(d) $IDLE_CONNS idle keep-alive client connections per proxy (memory)" ;;
    esac
}

# PIDs of a system's processes (its own process group: nginx master + workers, etc.)
sys_pids() { pgrep -g "${SYS_PID[$1]}" 2>/dev/null | tr '\n' ' ' || true; }
HWM_RESET_OK=1
reset_hwm() {   # reset VmHWM (peak RSS) to the current RSS: clear_refs 5 (Linux >= 4.0)
    local p
    for p in $(sys_pids "$1"); do
        { echo 5 >"/proc/$p/clear_refs"; } 2>/dev/null || HWM_RESET_OK=0
    done
}
sum_status_kb() {   # <system> <VmHWM|VmRSS>: summed over its processes (from /proc/PID/status)
    # shellcheck disable=SC2046  # one pid per word
    stats status-kb "$2" $(sys_pids "$1")
}
sys_ticks() {   # <cpu_ticks|user_ticks> <system>: those ticks of its processes (0 for direct: nothing of ours)
    [[ $2 == direct ]] && { echo 0; return; }
    # shellcheck disable=SC2046  # one pid per word
    "$1" $(sys_pids "$2")
}
us_per_req() { stats us-per-req "$1" "$2"; }   # <ticks> <requests>: microseconds per request, or nan
mb() { stats mb "$1"; }   # kB -> MB (10^6 bytes)

# ---------------------------------------------------------------- packages
# Installs squid / tinyproxy if missing. Debian's postinst may start a system daemon on the default
# port (3128 / 8888) when no policy-rc.d forbids it: a daemon that was not running before the
# install and is running after it is stopped again (service ... stop, else TERM by its pid file).
daemon_pid() {   # <name>: pid from the package's default pid file, if alive
    local f p
    for f in "/run/$1.pid" "/var/run/$1.pid" "/run/$1/$1.pid" "/var/run/$1/$1.pid"; do
        [[ -r $f ]] || continue
        p=$(tr -dc '0-9' <"$f" 2>/dev/null || true)
        if is_uint "${p:-x}" && kill -0 "$p" 2>/dev/null; then echo "$p"; return 0; fi
    done
    return 1
}
ensure_peer_packages() {
    local missing=() want=() name pid i
    declare -A before=()
    if [[ " ${SYS_LIST[*]} " == *" squid "* ]]; then
        want+=(squid)
        [[ -n $SQUID ]] || SQUID=$(command -v squid 2>/dev/null || { [[ -x /usr/sbin/squid ]] && echo /usr/sbin/squid; } || true)
        [[ -n $SQUID ]] || missing+=(squid)
    fi
    if [[ " ${SYS_LIST[*]} " == *" tinyproxy "* ]]; then
        want+=(tinyproxy)
        [[ -n $TINYPROXY ]] || TINYPROXY=$(command -v tinyproxy 2>/dev/null || { [[ -x /usr/bin/tinyproxy ]] && echo /usr/bin/tinyproxy; } || true)
        [[ -n $TINYPROXY ]] || missing+=(tinyproxy)
    fi
    if [[ " ${SYS_LIST[*]} " == *" haproxyrp "* ]]; then
        want+=(haproxy)
        [[ -n $HAPROXY ]] || HAPROXY=$(command -v haproxy 2>/dev/null || { [[ -x /usr/sbin/haproxy ]] && echo /usr/sbin/haproxy; } || true)
        [[ -n $HAPROXY ]] || missing+=(haproxy)
    fi
    for name in "${want[@]}"; do
        pid=$(daemon_pid "$name" || true)
        [[ -z $pid ]] || log "note: a system $name daemon is running (pid $pid, default port); it is not used and not touched"
    done
    ((${#missing[@]} == 0)) && return 0
    for name in "${missing[@]}"; do before[$name]=$(daemon_pid "$name" || true); done
    apt_install "${missing[@]}"
    for name in "${missing[@]}"; do
        pid=$(daemon_pid "$name" || true)
        [[ -n $pid && $pid != "${before[$name]}" ]] || continue
        log "the $name package started a system daemon (pid $pid); stopping it"
        timeout 30 service "$name" stop >/dev/null 2>&1 || true
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
        for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && warn "system $name daemon (pid $pid) is still running (it uses its default port, not ours)"
    done
    [[ " ${want[*]} " != *" squid "* || -n $SQUID ]] || SQUID=$(command -v squid 2>/dev/null || echo /usr/sbin/squid)
    [[ " ${want[*]} " != *" tinyproxy "* || -n $TINYPROXY ]] || TINYPROXY=$(command -v tinyproxy 2>/dev/null || echo /usr/bin/tinyproxy)
    [[ " ${want[*]} " != *" squid "* || -x $SQUID ]] || die "squid still missing after install"
    [[ " ${want[*]} " != *" tinyproxy "* || -x $TINYPROXY ]] || die "tinyproxy still missing after install"
    [[ " ${want[*]} " != *" haproxy "* || -n $HAPROXY ]] || HAPROXY=$(command -v haproxy 2>/dev/null || echo /usr/sbin/haproxy)
    [[ " ${want[*]} " != *" haproxy "* || -x $HAPROXY ]] || die "haproxy still missing after install"
}

# ---------------------------------------------------------------- starting the systems
# start_system <system> <tag> <port>: sets SYS_PID[<system>] (the process group leader)
unpriv_user() {   # <preferred>: that user if it exists, else nobody
    if id -u "$1" >/dev/null 2>&1; then echo "$1"; else echo nobody; fi
}
start_system() {
    local s=$1 tag=$2 port=$3 dir="$TMP/$1-$2" pid user admin
    mkdir -p "$dir"
    port_open "$port" && die "port $port is already in use"
    case $s in
        smart | dumb)
            admin=$(free_port "${USED_PORTS[@]}"); USED_PORTS+=("$admin")
            local envs=(HOPWISE_SHUTDOWN_DELAY=0s HOPWISE_SHUTDOWN_DRAINTIMEOUT=1s)
            [[ -n $HOPWISE_ACCESS_LOG ]] && envs+=("HOPWISE_ACCESSLOG=$HOPWISE_ACCESS_LOG")
            local cmd=(env "${envs[@]}" "$JAVA" "${JAVA_OPTS_ARR[@]}" -jar "$TMP/hopwise.jar")
            [[ -n $PROXY_CONFIG ]] && cmd+=(--config "$PROXY_CONFIG")
            cmd+=(--listen "127.0.0.1:$port" --admin "127.0.0.1:$admin" --mode "$s" "${EXTRA_ARGS_ARR[@]}")
            log "starting $s ($tag): ${cmd[*]}"
            start_bg "$PROXY_CPUS" "$dir/proxy.log" "${cmd[@]}"
            ;;
        squid)
            user=$(unpriv_user proxy)
            cat >"$dir/squid.conf" <<EOF
# generated by bench/peers.sh: forward proxy on loopback, no caching, no logs
http_port 127.0.0.1:$port
workers 1
cache_effective_user $user
pid_filename $dir/squid.pid
coredump_dir $dir
cache_log $dir/cache.log
access_log none
cache_store_log none
logfile_rotate 0
cache deny all
http_access allow localhost
http_access deny all
icp_port 0
htcp_port 0
pinger_enable off
netdb_filename none
visible_hostname localhost
shutdown_lifetime 0 seconds
max_filedescriptors $([[ $NOFILE == unlimited ]] && echo 65536 || echo "$NOFILE")
EOF
            chown -R "$user" "$dir"
            "$SQUID" -k parse -f "$dir/squid.conf" >"$dir/parse.log" 2>&1 ||
                { cat "$dir/parse.log" >&2; die "squid: config check failed ($dir/squid.conf)"; }
            start_bg "$PROXY_CPUS" "$dir/stdout.log" "$SQUID" -N -f "$dir/squid.conf"
            ;;
        tinyproxy)
            user=$(unpriv_user tinyproxy)
            cat >"$dir/tinyproxy.conf" <<EOF
# generated by bench/peers.sh: forward proxy on loopback, log to a file (not syslog), errors only
Port $port
Listen 127.0.0.1
Timeout 600
MaxClients $((IDLE_CONNS > CONNECTIONS ? IDLE_CONNS + 100 : CONNECTIONS + 100))
Allow 127.0.0.1
PidFile "$dir/tinyproxy.pid"
LogFile "$dir/tinyproxy.log"
LogLevel Error
User $user
Group $(id -gn "$user")
EOF
            chown -R "$user" "$dir"
            start_bg "$PROXY_CPUS" "$dir/stdout.log" "$TINYPROXY" -d -c "$dir/tinyproxy.conf"
            ;;
        relay)
            local cmd=("$JAVA" "${JAVA_OPTS_ARR[@]}" -cp "$TMP/benchmarks.jar" io.hopwise.bench.ByteRelay "$port" "${OPORT[relay]}")
            log "starting relay ($tag): ${cmd[*]}"
            start_bg "$PROXY_CPUS" "$dir/relay.log" "${cmd[@]}"
            ;;
        haproxyrp)
            # HAProxy 2.6 as a reverse proxy (issue 28): HTTP mode, a thread per core like nginx-RP's
            # workers, and one pool of idle server connections for all clients (http-reuse always).
            # It reserves two descriptors per connection, so maxconn stays under half of ulimit -n.
            local nf=${NOFILE/unlimited/65536} ha_maxconn=$((IDLE_CONNS + 1000))
            ((ha_maxconn > nf / 2 - 100)) && ha_maxconn=$((nf / 2 - 100))
            cat >"$dir/haproxy.cfg" <<EOF
# generated by bench/peers.sh: HTTP reverse proxy on loopback with a server connection pool, no logs
global
    maxconn $ha_maxconn
    nbthread $(nproc)
defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 65s
    timeout server 65s
    timeout http-keep-alive 65s
frontend f
    bind 127.0.0.1:$port
    default_backend b
backend b
    server origin 127.0.0.1:${OPORT[haproxyrp]}
EOF
            "$HAPROXY" -c -q -f "$dir/haproxy.cfg" >"$dir/check.log" 2>&1 ||
                { cat "$dir/check.log" >&2; die "HAProxy-RP: config check failed ($dir/haproxy.cfg)"; }
            start_bg "$PROXY_CPUS" "$dir/stdout.log" "$HAPROXY" -db -f "$dir/haproxy.cfg"
            ;;
        nginxrp)
            write_nginx_conf "$dir" "    upstream origin {
        server 127.0.0.1:${OPORT[nginxrp]};
        keepalive $NGINX_RP_KEEPALIVE;
    }
    server {
        listen 127.0.0.1:$port backlog=4096;
        server_name _;
        location / {
            proxy_pass http://origin;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
        }
    }" "$NGINX_RP_WORKERS" "$((IDLE_CONNS + 2048 > 8192 ? IDLE_CONNS + 2048 : 8192))"
            "$NGINX" -t -q -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" ||
                die "nginx-RP: config test failed ($dir/nginx.conf)"
            start_bg "$PROXY_CPUS" "$dir/stdout.log" "$NGINX" -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf"
            ;;
    esac
    pid=$BG_PID
    SYS_PID[$s]=$pid
    if ! wait_port "$port" "$PROXY_START_TIMEOUT" "$pid" "$s ($tag)"; then
        tail -n 30 "$dir"/*.log >&2 2>/dev/null || true
        die "$s ($tag) did not start"
    fi
    log "$s ($tag): pid $pid on 127.0.0.1:$port (files: $dir)"
}

# check <system> <scenario>: one GET (two on one connection for keep-alive) with curl; sets
# CLOSES_AFTER_RESPONSE[<system>] when a keep-alive client's connection is not reused.
declare -A CLOSES_AFTER_RESPONSE=()
check() {
    local s=$1 sc=$2 url cargs=() out code size conns has=0 want
    BODY_BYTES=$(sc_bytes "$sc")
    if is_forward "$s"; then
        url=$(target_of "$s" "$sc"); cargs=(--proxy "http://127.0.0.1:$(entry_port "$s")")
    else
        url="http://127.0.0.1:$(entry_port "$s")$(sc_path "$sc")"; cargs=(--noproxy '*')
    fi
    if [[ $sc == close ]]; then
        want=1
        out=$(curl -sS --max-time 5 -D "$TMP/check.hdr" -o /dev/null -w '%{http_code} %{size_download}' \
            -H 'Connection: close' "${cargs[@]}" "$url" 2>&1) || out="curl failed: $out"
        grep -qi '^connection:[[:space:]]*close' "$TMP/check.hdr" 2>/dev/null && has=1
        read -r code size <<<"$out"
        if [[ $code == 200 && $size == "$BODY_BYTES" ]]; then
            if [[ $has == 1 ]]; then
                log "pre-flight $s/$sc: HTTP 200, $size bytes, Connection: close - OK"; return 0
            elif [[ ${CLOSES_AFTER_RESPONSE[$s]:-0} == 1 ]]; then
                log "pre-flight $s/$sc: HTTP 200, $size bytes, no Connection: close, but it closes every connection anyway - OK (wrk counts a read error per reconnect)"
                return 0
            fi
        fi
        warn "pre-flight $s/$sc: expected HTTP 200, $BODY_BYTES bytes, Connection: close; got: $out, Connection: close=$has"
        return 1
    fi
    # keep-alive: two requests; the second must reuse the connection (num_connects 0)
    out=$(curl -sS --max-time 5 -o /dev/null -o /dev/null -w '%{http_code} %{size_download} %{num_connects}\n' \
        "${cargs[@]}" "$url" "$url" 2>&1) || out="curl failed: $out"
    code=$(awk 'NR == 2 { print $1 }' <<<"$out"); size=$(awk 'NR == 2 { print $2 }' <<<"$out")
    conns=$(awk 'NR == 2 { print $3 }' <<<"$out")
    want=0
    if [[ $code == 200 && $size == "$BODY_BYTES" ]]; then
        if [[ $conns == 0 ]]; then
            log "pre-flight $s/$sc: HTTP 200, $size bytes, connection reused - OK"
        else
            CLOSES_AFTER_RESPONSE[$s]=1
            log "pre-flight $s/$sc: HTTP 200, $size bytes, but the connection was NOT reused: $s closes client connections after each response"
        fi
        return 0
    fi
    warn "pre-flight $s/$sc: expected two HTTP 200 with $BODY_BYTES bytes, got: $(tr '\n' ';' <<<"$out")"
    return 1
}

LAST_SYS=""
LAST_END=0
pause_if_same_ports() {   # TIME_WAIT attribution: a run on the same ports as the previous one waits TW_GAP
    local wait_s
    [[ $1 == "$LAST_SYS" ]] || return 0
    wait_s=$(gap_wait)
    sleep "$wait_s"
}

wrk_cell() {   # <system> <scenario> <label> <duration> <outfile>; sets RESULT
    local s=$1 sc=$2
    local args=("$3" "$(entry_port "$s")" "$(target_of "$s" "$sc")" "$4" "$5" "127.0.0.1:${OPORT[$s]}")
    [[ $sc == close ]] && args+=(close)
    run_wrk "${args[@]}"
}

# ---------------------------------------------------------------- validate
[[ $QUICK == 0 || $QUICK == 1 ]] || die "QUICK must be 0 or 1"
{ is_uint "$CONNECTIONS" && ((CONNECTIONS > 0)); } || die "CONNECTIONS must be a positive integer"
{ is_uint "$THREADS" && ((THREADS > 0 && THREADS <= CONNECTIONS)); } || die "THREADS must be in 1..CONNECTIONS"
{ is_uint "$RUNS" && ((RUNS > 0 && RUNS <= 20)); } || die "RUNS must be an integer in 1..20"
{ is_uint "$SETTLE" && ((SETTLE <= 10)); } || die "SETTLE must be an integer in 0..10"
{ is_uint "$TW_GAP" && ((TW_GAP >= 2 && TW_GAP <= 30)); } || die "TW_GAP must be an integer in 2..30"
{ is_uint "$JAR_WAIT" && ((JAR_WAIT <= 600)); } || die "JAR_WAIT must be an integer in 0..600"
{ is_uint "$PROXY_START_TIMEOUT" && ((PROXY_START_TIMEOUT > 0 && PROXY_START_TIMEOUT <= 600)); } ||
    die "PROXY_START_TIMEOUT must be an integer in 1..600"
{ is_uint "$IDLE_CONNS" && ((IDLE_CONNS > 0 && IDLE_CONNS <= 60000)); } || die "IDLE_CONNS must be in 1..60000"
{ is_uint "$IDLE_BATCH" && ((IDLE_BATCH > 0 && IDLE_BATCH <= 5000)); } || die "IDLE_BATCH must be in 1..5000"
{ is_uint "$IDLE_HOLD" && ((IDLE_HOLD <= 50)); } || die "IDLE_HOLD must be an integer in 0..50 (hopwise closes idle clients after 60 s)"
{ is_uint "$IDLE_MAX_SECS" && ((IDLE_MAX_SECS > 0 && IDLE_MAX_SECS <= 600)); } || die "IDLE_MAX_SECS must be in 1..600"
{ is_uint "$NGINX_RP_KEEPALIVE" && ((NGINX_RP_KEEPALIVE > 0)); } || die "NGINX_RP_KEEPALIVE must be a positive integer"
[[ $NGINX_RP_WORKERS == auto ]] || { is_uint "$NGINX_RP_WORKERS" && ((NGINX_RP_WORKERS > 0)); } ||
    die "NGINX_RP_WORKERS must be auto or a positive integer"
is_uint "$RSS_TARGET_MB" || die "RSS_TARGET_MB must be an integer"
DURATION_SECS=$(dur_to_secs "$DURATION")
WARMUP_SECS=$(dur_to_secs "$WARMUP")
JIT_WARMUP_SECS=$(dur_to_secs "$JIT_WARMUP")
TIMEOUT_SECS=$(dur_to_secs "$WRK_TIMEOUT")
((DURATION_SECS > 0 && DURATION_SECS <= 50)) || die "DURATION must be 1..50 s (TIME_WAIT counting needs runs < 60 s)"
((TIMEOUT_SECS > 0 && DURATION_SECS >= TIMEOUT_SECS + 1)) || die "DURATION must be >= WRK_TIMEOUT + 1 s"
((WARMUP_SECS <= 60)) || die "WARMUP must be <= 60 s"
{ [[ -n $JIT_WARMUP_SECS ]] && ((JIT_WARMUP_SECS <= 60)); } || die "JIT_WARMUP must be a duration <= 60 s"
{ is_uint "$JIT_WARMUP_PASSES" && ((JIT_WARMUP_PASSES >= 1 && JIT_WARMUP_PASSES <= 5)); } || die "JIT_WARMUP_PASSES must be in 1..5"
read -r -a SYS_LIST <<<"$SYSTEMS"
read -r -a SC_LIST <<<"$SCENARIOS"
((${#SYS_LIST[@]} > 0 && ${#SC_LIST[@]} > 0)) || die "SYSTEMS and SCENARIOS must not be empty"
for s in "${SYS_LIST[@]}"; do [[ " ${ALL_SYSTEMS[*]} " == *" $s "* ]] || die "unknown system '$s' (${ALL_SYSTEMS[*]})"; done
for s in "${SC_LIST[@]}"; do [[ " ${ALL_SCENARIOS[*]} " == *" $s "* ]] || die "unknown scenario '$s' (${ALL_SCENARIOS[*]})"; done
# keep the canonical order, whatever order was given
tmp=(); for s in "${ALL_SYSTEMS[@]}"; do [[ " ${SYS_LIST[*]} " == *" $s "* ]] && tmp+=("$s"); done; SYS_LIST=("${tmp[@]}")
tmp=(); for s in "${ALL_SCENARIOS[@]}"; do [[ " ${SC_LIST[*]} " == *" $s "* ]] && tmp+=("$s"); done; SC_LIST=("${tmp[@]}")
TP_SC=()   # throughput scenarios
for sc in "${SC_LIST[@]}"; do [[ $sc == idle ]] || TP_SC+=("$sc"); done
DO_IDLE=0; [[ " ${SC_LIST[*]} " == *" idle "* ]] && DO_IDLE=1
if [[ " ${SYS_LIST[*]} " == *" dumb "* && " ${TP_SC[*]} " != *" close "* ]]; then
    log "dropping dumb: it runs only in the close scenario (with keep-alive clients it hangs by design)"
    tmp=(); for s in "${SYS_LIST[@]}"; do [[ $s == dumb ]] || tmp+=("$s"); done; SYS_LIST=("${tmp[@]}")
    ((${#SYS_LIST[@]} > 0)) || die "no system left to measure"
fi
NEED_JAR=0
for s in "${SYS_LIST[@]}"; do [[ $s == smart || $s == dumb ]] && NEED_JAR=1; done
[[ -f $LUA_SCRIPT ]] || die "missing $LUA_SCRIPT"
[[ $DO_IDLE == 0 || -f $IDLE_CLIENT ]] || die "missing $IDLE_CLIENT"
read -r -a JAVA_OPTS_ARR <<<"$JAVA_OPTS"
read -r -a EXTRA_ARGS_ARR <<<"$EXTRA_PROXY_ARGS"

cd "$REPO_ROOT"
ensure_packages
ensure_peer_packages
"$NGINX" -V 2>&1 | grep -q with-http_stub_status_module ||
    die "$NGINX was built without http_stub_status_module (needed to count upstream connections)"
command -v ss >/dev/null 2>&1 || die "ss (iproute2) not found"
command -v pgrep >/dev/null 2>&1 || die "pgrep (procps) not found"
if ((DO_IDLE)); then command -v python3 >/dev/null 2>&1 || die "python3 is needed for the idle scenario"; fi

# file descriptors: the idle scenario needs IDLE_CONNS in the client and in the proxy
NOFILE_HARD=$(ulimit -Hn)
if [[ $NOFILE_HARD == unlimited ]]; then ulimit -n 65536 2>/dev/null || true
elif ((NOFILE_HARD >= 65536)); then ulimit -n 65536 2>/dev/null || true
else ulimit -n "$NOFILE_HARD" 2>/dev/null || true; fi
NOFILE=$(ulimit -n)
if ((DO_IDLE)) && [[ $NOFILE != unlimited ]] && ((NOFILE < IDLE_CONNS + 200)); then
    warn "ulimit -n is $NOFILE (hard limit $NOFILE_HARD): fewer than $IDLE_CONNS idle connections may be reachable; the report says how many were"
fi

# hopwise's upstream pool size: maxConnectionsPerOrigin per event loop x event loops
cfg_value() {   # <yaml key> <env var> <default>: a top-level-ish "key: N" from the config file
    local v=""
    if [[ -n ${!2:-} ]]; then v=${!2}
    elif [[ -n $PROXY_CONFIG && -f $PROXY_CONFIG ]]; then
        v=$(grep -E "^[[:space:]]*$1:[[:space:]]*[0-9]+" "$PROXY_CONFIG" | head -n1 | sed -E "s/^[[:space:]]*$1:[[:space:]]*([0-9]+).*/\1/" || true)
    fi
    is_uint "${v:-x}" && echo "$v" || echo "$3"
}
if [[ -z $POOL_SIZE ]]; then
    per_origin=$(cfg_value maxConnectionsPerOrigin HOPWISE_UPSTREAM_MAXCONNECTIONSPERORIGIN 16)
    loops=$(cfg_value eventLoops HOPWISE_EVENTLOOPS 0)
    ((loops == 0)) && loops=$(nproc)
    POOL_SIZE=$((per_origin * loops))
    POOL_TXT="$per_origin per origin x $loops event loops"
else
    is_uint "$POOL_SIZE" || die "POOL_SIZE must be an integer"
    POOL_TXT="POOL_SIZE"
fi

# ---------------------------------------------------------------- temp dir, jar
make_bench_tmp hopwise-peers
if ((NEED_JAR)); then
    copy_proxy_jar
fi
if [[ " ${SYS_LIST[*]} " == *" relay "* ]]; then
    if [[ -f $BENCH_JAR ]]; then
        cp -- "$BENCH_JAR" "$TMP/benchmarks.jar"
    else
        log "dropping relay: $BENCH_JAR not found (./mvnw -q -B -DskipTests package builds it)"
        tmp=(); for s in "${SYS_LIST[@]}"; do [[ $s == relay ]] || tmp+=("$s"); done; SYS_LIST=("${tmp[@]}")
    fi
fi

# ---------------------------------------------------------------- ports, origin
# One origin port per system, so each system's origin-side TIME_WAIT sockets are told apart;
# stub_status on a port of its own.
declare -A OPORT=() EPORT=() SYS_PID=()
USED_PORTS=()
for s in "${ALL_SYSTEMS[@]}"; do
    OPORT[$s]=$(free_port "${USED_PORTS[@]}"); USED_PORTS+=("${OPORT[$s]}")
done
STATUS_PORT=$(free_port "${USED_PORTS[@]}"); USED_PORTS+=("$STATUS_PORT")
for s in "${SYS_LIST[@]}"; do
    [[ $s == direct ]] && continue
    EPORT[$s]=$(free_port "${USED_PORTS[@]}"); USED_PORTS+=("${EPORT[$s]}")
done
ORIGIN_PORT=${OPORT[direct]}

origin_ports=("${OPORT[direct]}")
for s in "${ALL_SYSTEMS[@]}"; do [[ $s == direct ]] || origin_ports+=("${OPORT[$s]}"); done
start_origin "${origin_ports[@]}"

# ---------------------------------------------------------------- systems, pre-flight
for s in "${SYS_LIST[@]}"; do
    [[ $s == direct ]] && continue
    start_system "$s" bench "${EPORT[$s]}"
done
sane=1
for s in "${SYS_LIST[@]}"; do
    # ka128 always (except dumb) and first: it finds out whether the system keeps client
    # connections open, which the close check and the report use
    for sc in ka128 ka16k close; do
        [[ $s == dumb && $sc != close ]] && continue
        if [[ $sc == ka128 || " ${TP_SC[*]} " == *" $sc "* ]]; then
            check "$s" "$sc" || sane=0
        fi
    done
done
if [[ $sane != 1 && $IGNORE_SANITY != 1 ]]; then
    die "pre-flight check failed (set IGNORE_SANITY=1 to benchmark anyway)"
fi

TW_MAX=$(sysctl -n net.ipv4.tcp_max_tw_buckets 2>/dev/null || echo 0)
is_uint "$TW_MAX" || TW_MAX=0
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(now)
log "config: DURATION=$DURATION RUNS=$RUNS WARMUP=$WARMUP JIT_WARMUP=$JIT_WARMUP x$JIT_WARMUP_PASSES CONNECTIONS=$CONNECTIONS THREADS=$THREADS WRK_TIMEOUT=$WRK_TIMEOUT IDLE_CONNS=$IDLE_CONNS cpus=$(nproc) load=$LOAD_START ulimit -n=$NOFILE"
log "ports: origin $(for s in "${ALL_SYSTEMS[@]}"; do printf '%s=%s ' "$s" "${OPORT[$s]}"; done)status=$STATUS_PORT; entry $(for s in "${!EPORT[@]}"; do printf '%s=%s ' "$s" "${EPORT[$s]}"; done)"

# ---------------------------------------------------------------- warm-up
# The JVM systems go first, each cell for JIT_WARMUP: the JIT keeps compiling for about 30 s of
# load (hopwise went 2,700 -> 4,500 -> 7,800 req/s in consecutive 10 s connection-per-request runs),
# and its compiler threads would take CPU from whatever runs meanwhile. The rest get WARMUP.
# The JVM cells run JIT_WARMUP_PASSES times over: code compiled under one kind of load is
# deoptimized by the next (new connections, larger bodies) and compiled again, and after one pass
# that still cost hopwise's C2 thread 0.66 s of CPU in the next 8 s keep-alive round (0.13 s after two).
is_jvm() { [[ $1 == smart || $1 == dumb || $1 == relay ]]; }
WARMED=0
JVM_PASSES=()
for ((i = 1; i <= JIT_WARMUP_PASSES; i++)); do JVM_PASSES+=(jvm); done
for pass in "${JVM_PASSES[@]}" other; do
    for sc in "${TP_SC[@]}"; do
        for s in "${SYS_LIST[@]}"; do
            runs_in "$s" "$sc" || continue
            if is_jvm "$s"; then [[ $pass == jvm ]] || continue; else [[ $pass == other ]] || continue; fi
            w=$WARMUP; ws=$WARMUP_SECS
            if is_jvm "$s" && ((JIT_WARMUP_SECS > WARMUP_SECS)); then w=$JIT_WARMUP; ws=$JIT_WARMUP_SECS; fi
            ((ws > 0)) || continue
            log "warm-up $s/$sc ($w, discarded)"
            wrk_cell "$s" "$sc" "warm-up $s/$sc" "$w" "$TMP/runs/warmup-$s-$sc.txt"
            LAST_SYS=$s; WARMED=1
        done
    done
done
if ((WARMED)); then
    sleep "$SETTLE"
    LAST_END=$(now)
fi

# ---------------------------------------------------------------- measured rounds
declare -A L_RPS=() L_P50=() L_P99=() L_CPK=() L_ACC=() L_TWC=() L_TWO=() L_HWM=() L_CPU=() L_UCPU=()
declare -A REQS=() E_CONN=() E_READ=() E_WRITE=() E_STATUS=() E_TO=() STUCK=() SLOWRUNS=()
declare -A TWC_C=() TWC_S=() TWO_C=() TWO_S=()
MAX_TW_ALL=0
for sc in "${TP_SC[@]}"; do
    for s in "${SYS_LIST[@]}"; do
        k="$s/$sc"
        L_RPS[$k]=""; L_P50[$k]=""; L_P99[$k]=""; L_CPK[$k]=""; L_ACC[$k]=""; L_TWC[$k]=""; L_TWO[$k]=""; L_HWM[$k]=""; L_CPU[$k]=""; L_UCPU[$k]=""
        REQS[$k]=0; E_CONN[$k]=0; E_READ[$k]=0; E_WRITE[$k]=0; E_STATUS[$k]=0; E_TO[$k]=0; STUCK[$k]=0; SLOWRUNS[$k]=0
        TWC_C[$k]=0; TWC_S[$k]=0; TWO_C[$k]=0; TWO_S[$k]=0
    done
done

for ((r = 1; r <= RUNS; r++)); do
    for sc in "${TP_SC[@]}"; do
        cells=()
        for s in "${SYS_LIST[@]}"; do runs_in "$s" "$sc" && cells+=("$s"); done
        n=${#cells[@]}
        ((n > 0)) || continue
        # interleave: every system once per scenario and round, order rotated per round
        for ((i = 0; i < n; i++)); do
            s=${cells[(i + r - 1) % n]}
            k="$s/$sc"
            outf="$TMP/runs/round$r-$s-$sc.txt"
            pause_if_same_ports "$s"
            [[ $s != direct ]] && reset_hwm "$s"
            st0=$(read_status)
            : >"$TMP/probe.txt"
            PROBE_PORT=$(entry_port "$s")
            WRK_PROBE_FN=probe_stalls
            WRK_PROBE_AT="$((DURATION_SECS - 1)).5"   # 0.5 s before the end
            t0=$(now)
            cpu0=$(sys_ticks cpu_ticks "$s"); ucpu0=$(sys_ticks user_ticks "$s")
            wrk_cell "$s" "$sc" "$k" "$DURATION" "$outf"
            cpu1=$(sys_ticks cpu_ticks "$s"); ucpu1=$(sys_ticks user_ticks "$s")
            WRK_PROBE_AT=""
            read -r open_conns stuck <<<"$(stall_count)"
            hwm=0
            [[ $s != direct ]] && hwm=$(sum_status_kb "$s" VmHWM)
            sleep "$SETTLE"
            tw=$(tw_count "$t0" "$(entry_port "$s")" "$([[ $s == direct ]] && echo 0 || echo "${OPORT[$s]}")")
            LAST_END=$(now); LAST_SYS=$s
            st1=$(read_status)
            read -r twc_c twc_s two_c two_s tw_all <<<"$tw"
            read -r a0 _ <<<"$st0"
            read -r a1 _ <<<"$st1"
            accepts=$((a1 - a0 - 1))   # minus the stub_status read's own connection
            reqs=$(field "$RESULT" requests)
            et=$(field "$RESULT" err_timeout)
            ec=$(field "$RESULT" err_connect); er=$(field "$RESULT" err_read)
            ew=$(field "$RESULT" err_write); es=$(field "$RESULT" err_status)
            cpk=$(stats per-10k "$accepts" "$reqs")
            L_RPS[$k]+=" $(field "$RESULT" rps)"; L_P50[$k]+=" $(field "$RESULT" p50_us)"; L_P99[$k]+=" $(field "$RESULT" p99_us)"
            [[ $cpk != nan ]] && L_CPK[$k]+=" $cpk"
            cpu=$(us_per_req "$((cpu1 - cpu0))" "$reqs"); ucpu=$(us_per_req "$((ucpu1 - ucpu0))" "$reqs")
            [[ $s != direct && $cpu != nan ]] && L_CPU[$k]+=" $cpu"
            [[ $s != direct && $ucpu != nan ]] && L_UCPU[$k]+=" $ucpu"
            L_ACC[$k]+=" $accepts"; L_HWM[$k]+=" $hwm"
            L_TWC[$k]+=" $((twc_c + twc_s))"; L_TWO[$k]+=" $((two_c + two_s))"
            TWC_C[$k]=$((TWC_C[$k] + twc_c)); TWC_S[$k]=$((TWC_S[$k] + twc_s))
            TWO_C[$k]=$((TWO_C[$k] + two_c)); TWO_S[$k]=$((TWO_S[$k] + two_s))
            REQS[$k]=$((REQS[$k] + reqs)); E_TO[$k]=$((E_TO[$k] + et))
            E_CONN[$k]=$((E_CONN[$k] + ec)); E_READ[$k]=$((E_READ[$k] + er))
            E_WRITE[$k]=$((E_WRITE[$k] + ew)); E_STATUS[$k]=$((E_STATUS[$k] + es))
            STUCK[$k]=$((STUCK[$k] + stuck))
            if (((et + stuck) * 100 >= reqs + stuck && et + stuck > 0)); then SLOWRUNS[$k]=$((SLOWRUNS[$k] + 1)); fi
            if ((tw_all > MAX_TW_ALL)); then MAX_TW_ALL=$tw_all; fi
            printf '  round %d/%d  %-5s %-10s %9.1f req/s  p50 %7s ms  p99 %8s ms  %8d reqs  origin accepts %6d  TIME_WAIT client %d/%d origin %d/%d  peak RSS %s MB  CPU %s us/req (user %s)  errors c/r/w/s %d/%d/%d/%d  late %d  stuck %d (of %d)\n' \
                "$r" "$RUNS" "$sc" "$s" "$(field "$RESULT" rps)" "$(ms "$(field "$RESULT" p50_us)")" "$(ms "$(field "$RESULT" p99_us)")" \
                "$reqs" "$accepts" "$twc_c" "$twc_s" "$two_c" "$two_s" "$(if [[ $s == direct ]]; then echo -; else mb "$hwm"; fi)" \
                "$([[ $s == direct ]] && echo - || echo "$cpu")" "$([[ $s == direct ]] && echo - || echo "$ucpu")" "$ec" "$er" "$ew" "$es" "$et" "$stuck" "$open_conns"
        done
    done
done

LOAD_TP_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- idle connections (memory)
# A fresh instance of each proxy (so earlier load does not shape its memory), one warm request,
# RSS at 0 client connections, then IDLE_CONNS connections, each answered once and left idle.
declare -A IDLE=()
if ((DO_IDLE)); then
    for s in "${SYS_LIST[@]}"; do
        runs_in "$s" idle || continue
        [[ -n ${SYS_PID[$s]:-} ]] && stop_pid "${SYS_PID[$s]}"   # its bench instance is done
        port=$(free_port "${USED_PORTS[@]}"); USED_PORTS+=("$port")
        EPORT[$s]=$port
        start_system "$s" idle "$port"
        BODY_BYTES=128
        if is_forward "$s"; then
            check_request "$s idle instance" --proxy "http://127.0.0.1:$port" "$(target_of "$s" ka128)" ||
                warn "$s idle instance: warm request failed"
        else
            check_request "$s idle instance" --noproxy '*' "http://127.0.0.1:$port/small" ||
                warn "$s idle instance: warm request failed"
        fi
        sleep 1
        pids=$(sys_pids "$s" | tr ' ' ',' | sed 's/,$//')
        log "idle $s: opening $IDLE_CONNS connections in batches of $IDLE_BATCH (pids $pids)"
        # in the background + wait, so that INT/TERM stop it at once (cleanup kills AUX_PID)
        timeout -k 5 $((IDLE_MAX_SECS + IDLE_HOLD + 60)) python3 "$IDLE_CLIENT" --port "$port" \
            --target "$(target_of "$s" ka128)" --host "127.0.0.1:${OPORT[$s]}" --count "$IDLE_CONNS" \
            --batch "$IDLE_BATCH" --hold "$IDLE_HOLD" --pids "$pids" --max-secs "$IDLE_MAX_SECS" \
            >"$TMP/runs/idle-$s.txt" 2>&1 &
        AUX_PID=$!
        wait "$AUX_PID" || true
        AUX_PID=""
        IDLE[$s]=$(grep -m1 '^IDLE_RESULT ' "$TMP/runs/idle-$s.txt" || true)
        if [[ -z ${IDLE[$s]} ]]; then
            cat "$TMP/runs/idle-$s.txt" >&2
            warn "idle $s: the client produced no result"
        else
            log "idle $s: ${IDLE[$s]}"
        fi
        alive=1; kill -0 "${SYS_PID[$s]}" 2>/dev/null || alive=0
        ((alive)) || warn "idle $s: the process died during the idle test"
        IDLE[$s]+=" alive=$alive"
        stop_pid "${SYS_PID[$s]}"
    done
fi
T_END=$(now)

# ---------------------------------------------------------------- report
fmt_ms() { stats ms "$1" 2; }
med() { median "$@"; }
status=0
echo
echo "== hopwise vs. peers: DURATION=$DURATION RUNS=$RUNS (medians) WARMUP=$WARMUP JIT_WARMUP=$JIT_WARMUP x$JIT_WARMUP_PASSES CONNECTIONS=$CONNECTIONS THREADS=$THREADS wrk --timeout $WRK_TIMEOUT$([[ $QUICK == 1 ]] && echo '  [QUICK=1]')"
echo "   machine: $(nproc) cpus, load average at start $LOAD_START, after the throughput runs $LOAD_TP_END, at the end $(cut -d' ' -f1-3 /proc/loadavg) (the idle test's thread-per-connection tinyproxy inflates the last); wall time $(stats elapsed "$T_START" "$T_END") s after start-up"
echo "   systems: direct = wrk -> nginx origin (1 worker); hopwise smart / dumb = java ${JAVA_OPTS:-(no JVM options)} -jar hopwise.jar$([[ -n $PROXY_CONFIG ]] && echo " --config $PROXY_CONFIG")$([[ -n $HOPWISE_ACCESS_LOG ]] && echo ", accessLog=$HOPWISE_ACCESS_LOG") (pool: $POOL_SIZE = $POOL_TXT);"
peers_txt=""
[[ -n $SQUID ]] && peers_txt+="squid $("$SQUID" -v 2>/dev/null | awk 'NR == 1 { print $4 }') (-N: 1 process, cache deny all, no cache_dir, access_log none); "
[[ -n $TINYPROXY ]] && peers_txt+="tinyproxy $("$TINYPROXY" -v 2>/dev/null | awk '{ print $2 }') (a thread per connection, MaxClients raised for the idle test); "
[[ -n $peers_txt ]] && echo "            ${peers_txt% }"
echo "            nginx-RP = nginx $("$NGINX" -v 2>&1 | sed 's|.*nginx/||') reverse proxy, worker_processes $NGINX_RP_WORKERS, upstream keepalive $NGINX_RP_KEEPALIVE, origin-form requests (the sidecar comparison)"
echo "            relay (floor) = io.hopwise.bench.ByteRelay: hopwise's stack (Vert.x NetSocket, the transport hopwise's auto picks, one event loop per core, same JVM options)"
echo "            copying bytes between each client and an origin connection of its own, no HTTP: what hopwise costs above it is its own work"
echo "   wrk -> forward proxies: absolute-form via proxy.lua; -> direct, nginx-RP and relay: origin-form"
echo "   upstream/10k = origin nginx accepts per 10,000 completed requests (direct: the client connections themselves)"
echo "   TIME_WAIT = sockets a run left in TIME_WAIT (median); client side = wrk<->system, origin side = system<->origin"
echo "   peak RSS = VmHWM of the system's processes (summed: nginx master + workers), reset at the start of each run$([[ $HWM_RESET_OK == 1 ]] || echo ' [RESET FAILED: cumulative since start]');"
echo "   CPU us/req = user + system CPU time of the system's processes (all threads) during the measured run, per completed request"
echo "   (median); on loopback this includes the kernel's work delivering what the system sends. It compares costs whatever share of the CPUs wrk and the origin took"
echo "   (user) = its user-mode part: the system's own work; the rest is the kernel's (system calls, loopback TCP)"
echo "   the JVM's RSS includes its Java heap (with conf/jvm.options: a fixed 24 MB young generation, the old one grows with live data), metaspace and JIT code"
summary="PEERS_SUMMARY runs=$RUNS duration=$DURATION connections=$CONNECTIONS quick=$QUICK"

declare -A M_RPS=() M_P50=() M_P99=() M_CPK=() M_ACC=() M_HWM=() M_CPU=() M_UCPU=()
for sc in "${TP_SC[@]}"; do
    echo
    echo "-- scenario $(scenario_title "$sc")"
    printf '%-13s %10s %8s %8s %9s %12s %7s %-24s %-24s %9s %17s  %-16s %s\n' system 'req/s' 'x direct' 'p50 ms' 'p99 ms' 'upstream/10k' 'opened' \
        'TIME_WAIT client side' 'TIME_WAIT origin side' 'peak RSS' 'CPU us/req (user)' 'errors/timeouts' notes
    # shellcheck disable=SC2086  # intentional word splitting of the value lists
    d_rps=$( [[ -n ${L_RPS[direct/$sc]:-} ]] && med ${L_RPS[direct/$sc]} || echo 0)
    for s in "${SYS_LIST[@]}"; do
        k="$s/$sc"
        if [[ $s == dumb && $sc != close ]]; then
            printf '%-13s %s\n' "${SYS_NAME[$s]}" "not run: with keep-alive clients the dumb proxy hangs by design (it relays the first request and waits for the origin to close; see connections.sh)"
            continue
        fi
        # shellcheck disable=SC2086
        {
            M_RPS[$k]=$(med ${L_RPS[$k]}); M_P50[$k]=$(med ${L_P50[$k]}); M_P99[$k]=$(med ${L_P99[$k]})
            M_CPK[$k]=$(med ${L_CPK[$k]}); M_ACC[$k]=$(med ${L_ACC[$k]}); M_HWM[$k]=$(med ${L_HWM[$k]})
            M_CPU[$k]=$( [[ -n ${L_CPU[$k]} ]] && med ${L_CPU[$k]} || echo "")
            M_UCPU[$k]=$( [[ -n ${L_UCPU[$k]} ]] && med ${L_UCPU[$k]} || echo "")
            m_twc=$(printf '%.0f' "$(med ${L_TWC[$k]})"); m_two=$(printf '%.0f' "$(med ${L_TWO[$k]})")
        }
        ratio=$(stats ratio "${M_RPS[$k]}" "$d_rps" %.2f -)
        p99_txt=$(fmt_ms "${M_P99[$k]}")
        ((SLOWRUNS[$k] * 2 > RUNS)) && p99_txt=">=$((TIMEOUT_SECS * 1000))(t/o)"
        cn=$([[ $s == direct ]] && echo nginx || echo proxy)
        twc_txt=$(fmt_tw "$m_twc" "${TWC_C[$k]}" "${TWC_S[$k]}" wrk "$cn")
        if [[ $s == direct ]]; then two_txt="- (same conns)"; else two_txt=$(fmt_tw "$m_two" "${TWO_C[$k]}" "${TWO_S[$k]}" proxy nginx); fi
        hwm_txt=$([[ $s == direct ]] && echo - || echo "$(mb "${M_HWM[$k]}") MB")
        errs=$((E_CONN[$k] + E_READ[$k] + E_WRITE[$k] + E_STATUS[$k]))
        touts=$((E_TO[$k] + STUCK[$k]))
        et_txt="$errs / $touts"
        note=""
        expected_errs=0
        if [[ ${CLOSES_AFTER_RESPONSE[$s]:-0} == 1 ]]; then
            # closes after every response without Connection: close: wrk counts a read (or write)
            # error for each of them and reconnects; those are not failures of the request
            expected_errs=$((E_READ[$k] + E_WRITE[$k]))
            note="closes every client connection after the response (no client keep-alive; no Connection: close sent): the read/write errors are wrk's reconnects"
        fi
        [[ $s == smart || $s == dumb ]] && hwm_txt+=" (JVM)"
        cpu_txt=$([[ -n ${M_CPU[$k]} ]] && printf '%.1f' "${M_CPU[$k]}" || echo -)
        ucpu_txt=$([[ -n ${M_UCPU[$k]} ]] && printf '%.1f' "${M_UCPU[$k]}" || echo -)
        printf '%-13s %10.1f %8s %8s %9s %12.1f %7.0f %-24s %-24s %9s %17s  %-16s %s\n' "${SYS_NAME[$s]}" "${M_RPS[$k]}" "$ratio" \
            "$(fmt_ms "${M_P50[$k]}")" "$p99_txt" "${M_CPK[$k]}" "${M_ACC[$k]}" "$twc_txt" "$two_txt" "$hwm_txt" \
            "$([[ $cpu_txt == - ]] && echo - || echo "$cpu_txt ($ucpu_txt)")" "$et_txt" "$note"
        summary+=" ${s}_${sc}_rps=$(printf '%.1f' "${M_RPS[$k]}") ${s}_${sc}_p50_us=$(printf '%.0f' "${M_P50[$k]}") ${s}_${sc}_p99_us=$(printf '%.0f' "${M_P99[$k]}") ${s}_${sc}_upstream_per_10k=$(printf '%.1f' "${M_CPK[$k]}") ${s}_${sc}_tw_client=$m_twc ${s}_${sc}_tw_origin=$m_two ${s}_${sc}_peak_rss_kb=$(printf '%.0f' "${M_HWM[$k]}") ${s}_${sc}_cpu_us_per_req=${cpu_txt} ${s}_${sc}_user_cpu_us_per_req=${ucpu_txt} ${s}_${sc}_errors=$errs ${s}_${sc}_timeouts=$touts"
        if ((errs - expected_errs + touts > 0)); then
            echo "WARNING: $k had $((errs - expected_errs)) unexpected errors (connect ${E_CONN[$k]}, read ${E_READ[$k]}, write ${E_WRITE[$k]}, status ${E_STATUS[$k]}) and $touts late/never-answered requests: that cell is NOT reliable"
            status=2
        fi
        if ((REQS[$k] == 0)); then echo "WARNING: $k completed no requests"; status=2; fi
    done
    if [[ $sc != close ]]; then
        echo "   note: a pool that sits idle longer than its idle timeout between a system's turns is refilled at the start of the next run"
        echo "   (hopwise: upstream.idleTimeout 30s, so up to the pool size per run); nginx-RP also reconnects every 1000 requests per upstream"
        echo "   connection (nginx's upstream keepalive_requests default)"
    fi
    if [[ $sc == close && -n ${L_CPK[direct/close]:-} ]]; then
        # shellcheck disable=SC2086
        c=$(med ${L_CPK[direct/close]})
        if [[ $(stats at-least "$c" 9000) == 1 ]]; then
            echo "   check: direct opened $(printf '%.0f' "$c") connections per 10,000 requests: wrk really reconnects for every request"
        else
            echo "WARNING: direct opened only $(printf '%.0f' "$c") connections per 10,000 requests: wrk did not reconnect per request"
            status=2
        fi
    fi
done
if ((${#TP_SC[@]} > 0)); then
    if ((TW_MAX > 0 && MAX_TW_ALL * 10 >= TW_MAX * 9)); then
        echo "WARNING: up to $MAX_TW_ALL TIME_WAIT sockets on the machine (tcp_max_tw_buckets=$TW_MAX): TIME_WAIT counts are a lower bound"
    fi
    echo "   (TIME_WAIT counts are lower bounds, see connections.sh in README.md; max on the machine at any count: $MAX_TW_ALL)"
fi

idle_f() { field "${IDLE[$1]:-}" "$2"; }
if ((DO_IDLE)); then
    echo
    echo "-- scenario $(scenario_title idle)"
    echo "   a fresh instance per proxy; one request, then RSS at 0 client connections; then the connections are opened in"
    echo "   batches of $IDLE_BATCH, each sends one request and reads the response, then stays open and idle; held ${IDLE_HOLD} s;"
    echo "   peak RSS = VmHWM reset just before opening (so it covers opening + holding). ulimit -n: $NOFILE (hard $NOFILE_HARD)"
    printf '%-13s %-8s %13s %14s %14s %14s %16s %12s  %s\n' system mode 'held/target' 'RSS 0 conns' 'peak RSS' 'RSS held' 'per 1k conns' 'open secs' notes
    for s in "${SYS_LIST[@]}"; do
        if [[ $s == direct || $s == relay ]]; then continue; fi   # relay: the floor for throughput only
        if [[ $s == dumb ]]; then
            printf '%-13s %s\n' "${SYS_NAME[$s]}" "not run: idle keep-alive clients are the dumb proxy's hang case (each would pin an origin connection)"
            continue
        fi
        if [[ -z ${IDLE[$s]:-} || $(idle_f "$s" held) == 0 && $(idle_f "$s" opened) == 0 ]]; then
            printf '%-13s %s\n' "${SYS_NAME[$s]}" "no result: ${IDLE[$s]:-the client printed nothing} (see the log above)"
            status=2
            continue
        fi
        held=$(idle_f "$s" held); rss0=$(idle_f "$s" rss0_kb); hwm=$(idle_f "$s" hwm_kb); rssh=$(idle_f "$s" rss_kb)
        per1k=$(stats per-1k-mb "$hwm" "$rss0" "$held")
        note=""
        [[ $(idle_f "$s" mode) == connect ]] && note="connections opened WITHOUT a request: $s closes a client connection after each response, so it cannot hold idle keep-alive ones; "
        ((held < IDLE_CONNS)) && note+="reached $held of $IDLE_CONNS (opened $(idle_f "$s" opened), connect failures $(idle_f "$s" connect_failed), not answered $(idle_f "$s" no_answer), non-200 $(idle_f "$s" bad_status), stopped: $(idle_f "$s" stopped)); "
        [[ $(idle_f "$s" alive) == 0 ]] && note+="PROCESS DIED; "
        [[ $s == smart ]] && note+="JVM; "
        note+="threads $(idle_f "$s" threads), server-side established $(idle_f "$s" server_established)"
        [[ $(idle_f "$s" hwm_reset) == 1 ]] || note+="; VmHWM not reset: includes start-up"
        printf '%-13s %-8s %13s %14s %14s %14s %16s %12s  %s\n' "${SYS_NAME[$s]}" "$(idle_f "$s" mode)" "$held/$IDLE_CONNS" \
            "$(mb "$rss0") MB" "$(mb "$hwm") MB" "$(mb "$rssh") MB" "$per1k" "$(idle_f "$s" open_secs)" "$note"
        summary+=" ${s}_idle_held=$held ${s}_idle_rss0_kb=$rss0 ${s}_idle_peak_rss_kb=$hwm ${s}_idle_rss_held_kb=$rssh ${s}_idle_mode=$(idle_f "$s" mode)"
    done
fi

# ---------------------------------------------------------------- targets (issue 7)
echo
echo "-- targets (issue 7), this run$([[ $QUICK == 1 ]] && echo ' (QUICK=1: 1 short run, fewer idle connections: indicative only)')"
met() { if [[ $1 == 1 ]]; then echo MET; else echo "NOT MET"; fi; }
have() { [[ -n ${M_RPS[$1]:-} ]]; }
if have smart/ka128 && have nginxrp/ka128; then
    a=${M_RPS[smart/ka128]}; b=${M_RPS[nginxrp/ka128]}
    ok=$(stats at-least "$a" "$b")
    printf '  %-7s smart keep-alive 128 B req/s >= nginx-RP req/s:        %.0f vs %.0f (%.2fx)\n' "$(met "$ok")" "$a" "$b" "$(stats ratio "$a" "$b")"
    a=${M_P99[smart/ka128]}; b=${M_P99[nginxrp/ka128]}
    ok=$(stats at-most "$a" "$b" 1.5)
    ((SLOWRUNS[smart/ka128] * 2 > RUNS)) && ok=0
    printf '  %-7s smart keep-alive 128 B p99 <= 1.5x nginx-RP p99:       %s ms vs %s ms (%.2fx)\n' "$(met "$ok")" "$(fmt_ms "$a")" "$(fmt_ms "$b")" "$(stats ratio "$a" "$b" print 0)"
    a=${M_CPU[smart/ka128]:-}; b=${M_CPU[nginxrp/ka128]:-}
    if [[ -n $a && -n $b ]]; then
        printf '  %-7s smart keep-alive 128 B CPU per request vs nginx-RP:   %.1f vs %.1f us (%.2fx)\n' "(ref)" "$a" "$b" "$(stats ratio "$a" "$b" print 0)"
        a=${M_UCPU[smart/ka128]:-}; b=${M_UCPU[nginxrp/ka128]:-}; f=${M_UCPU[relay/ka128]:-}
        if [[ -n $a && -n $b ]]; then
            printf '  %-7s   of which user mode (the rest is kernel time):  %.1f vs %.1f us%s\n' "(ref)" "$a" "$b" \
                "$([[ -n $f ]] && printf '; relay (floor) %.1f us' "$f")"
        fi
    fi
else
    echo "  n/a     smart vs nginx-RP (needs SYSTEMS with smart and nginxrp, SCENARIOS with ka128)"
fi
# Issue 28: HAProxy as a reverse proxy beside nginx-RP, and new connections as cheap as nginx-RP's.
for sc in ka128 close; do
    if have "smart/$sc" && have "haproxyrp/$sc"; then
        a=${M_RPS[smart/$sc]}; b=${M_RPS[haproxyrp/$sc]}; c=${M_P99[smart/$sc]}; d=${M_P99[haproxyrp/$sc]}
        printf '  %-7s smart %-5s vs HAProxy-RP: req/s %.0f vs %.0f (%.2fx), p99 %s vs %s ms (%.2fx)\n' "(ref)" "$sc" \
            "$a" "$b" "$(stats ratio "$a" "$b")" "$(fmt_ms "$c")" "$(fmt_ms "$d")" "$(stats ratio "$c" "$d" print 0)"
    fi
done
if have smart/close && have nginxrp/close; then
    a=${M_RPS[smart/close]}; b=${M_RPS[nginxrp/close]}; c=${M_P99[smart/close]}; d=${M_P99[nginxrp/close]}
    ok=$(stats at-least "$a" "$b")
    [[ $ok == 1 ]] && ok=$(stats at-most "$c" "$d" 1)
    printf '  %-7s smart connection per request: req/s >= nginx-RP, p99 <= nginx-RP (issue 28): %.0f vs %.0f req/s (%.2fx), p99 %s vs %s ms\n' \
        "$(met "$ok")" "$a" "$b" "$(stats ratio "$a" "$b")" "$(fmt_ms "$c")" "$(fmt_ms "$d")"
fi
for p in squid tinyproxy; do
    if have smart/ka128 && have "$p/ka128"; then
        a=${M_RPS[smart/ka128]}; b=${M_RPS[$p/ka128]}
        ok=$(stats at-least "$a" "$b" 3)
        extra=""
        for sc in ka16k close; do
            if have "smart/$sc" && have "$p/$sc"; then
                extra+=", $sc $(stats ratio "${M_RPS[smart/$sc]}" "${M_RPS[$p/$sc]}" %.2f)x"
            fi
        done
        printf '  %-7s smart keep-alive 128 B req/s >= 3x %-10s %11s %.0f vs %.0f (%.2fx; for reference%s)\n' "$(met "$ok")" "$p:" "" "$a" "$b" \
            "$(stats ratio "$a" "$b")" "${extra:-: -}"
        # What bounds this ratio on a 2-core machine: wrk and the origin share the cores with the
        # proxy, while squid's one process is held to one core. A relay that does no HTTP work
        # shows how far a proxy on this stack could go in the same run.
        if have relay/ka128; then
            r=$(stats ratio "${M_RPS[relay/ka128]}" "$b" %.2f)
            n=""
            if have nginxrp/ka128; then
                n=", nginx-RP $(stats ratio "${M_RPS[nginxrp/ka128]}" "$b" %.2f)x"
            fi
            printf '  %-7s   same run, for scale: relay (floor, no HTTP work) %sx %s%s%s\n' "(ref)" "$r" "$p" "$n" \
                "$([[ $(stats below "$r" 3) == 0 ]] || echo ": below 3x, so 3x was out of reach for a proxy on this stack in this run")"
        fi
    else
        echo "  n/a     smart >= 3x $p (needs smart and $p in SYSTEMS, ka128 in SCENARIOS)"
    fi
done
if have smart/ka128 || have smart/ka16k; then
    worst=0; txt=""
    for sc in ka128 ka16k; do
        have "smart/$sc" || continue
        worst=$(stats max "$worst" "${M_CPK[smart/$sc]}")
        txt+="$sc $(printf '%.1f' "${M_CPK[smart/$sc]}") per 10k ($(printf '%.0f' "${M_ACC[smart/$sc]}") opened in a run); "
    done
    ok=$(stats at-most "$worst" "$POOL_SIZE")
    printf '  %-7s smart upstream conns per 10k keep-alive requests <= pool size %d: %s\n' "$(met "$ok")" "$POOL_SIZE" "${txt%; }"
else
    echo "  n/a     upstream connections per 10k keep-alive requests (needs smart with ka128 or ka16k)"
fi
if ((DO_IDLE)) && [[ -n ${IDLE[smart]:-} ]]; then
    held=$(idle_f smart held); hwm=$(idle_f smart hwm_kb)
    ok=$(stats idle-target "$held" "$hwm" "$RSS_TARGET_MB")
    verdict=$(met "$ok")
    ((IDLE_CONNS < 10000)) && verdict="n/a"
    printf '  %-7s smart holds 10,000 idle connections with peak RSS < %d MB: held %d of %d, peak RSS %s MB (%s MB at 0 connections)%s\n' \
        "$verdict" "$RSS_TARGET_MB" "$held" "$IDLE_CONNS" "$(mb "$hwm")" "$(mb "$(idle_f smart rss0_kb)")" \
        "$( ((IDLE_CONNS < 10000)) && echo "; only $IDLE_CONNS opened (QUICK or IDLE_CONNS): not judged")"
else
    echo "  n/a     10,000 idle connections (needs smart in SYSTEMS and idle in SCENARIOS)"
fi
echo "  (not measured here: the JMH target for header rules + parse, see the proxy-bench module)"
echo "$summary"
if [[ $KEEP_TMP == 1 ]]; then log "raw output: $TMP/runs/"; fi
exit "$status"
