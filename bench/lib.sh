# Shared helpers for the hopwise scripts: the loopback benchmarks (bench/*.sh), the end-to-end
# tests (e2e/browser.sh, e2e/ops.sh) and the launcher smoke test (.ci/smoke.sh).
# Sourced, not executed. Expects `set -euo pipefail`; the benchmarks' helpers also expect these
# globals from the caller: NGINX (may be empty: found by ensure_packages), and for
# check_request/run_wrk BODY_BYTES, LUA_SCRIPT, THREADS, CONNECTIONS, WRK_TIMEOUT, WRK_CPUS,
# ORIGIN_PORT. KEEP_TMP=1 keeps the temp dir.
# Sourcing it installs the EXIT/INT/TERM traps that stop every process in STARTED_PIDS (started
# with start_bg, or added by the caller; by PID / own process group) and remove the temp dir $TMP
# (kept when the script fails). Statistics and /proc and ss parsing are in stats.py beside it.
# shellcheck shell=bash

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
stats() { python3 "$BENCH_DIR/stats.py" "$@"; }   # see stats.py (no arguments: the list)

log()  { printf '[bench] %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# wrk duration ("10s", "2m", "1h", "15") -> whole seconds
dur_to_secs() {
    local d=$1
    case $d in
        *s) d=${d%s}; is_uint "$d" && { echo "$d"; return; } ;;
        *m) d=${d%m}; is_uint "$d" && { echo $((d * 60)); return; } ;;
        *h) d=${d%h}; is_uint "$d" && { echo $((d * 3600)); return; } ;;
        *)  is_uint "$d" && { echo "$d"; return; } ;;
    esac
    die "cannot parse duration '$1' (use e.g. 10s, 1m, 30)"
}

declare -a STARTED_PIDS=()
WRK_PID=""
AUX_PID=""      # a short-lived helper (the probe timer in run_wrk), stopped on exit
TMP=""

stop_pid() {
    local pid=$1 pgid i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    pgid=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ' || true)
    # Children were started with setsid, so each is the leader of its own process group;
    # signal that group (only if it really is the group we created) to catch forked children.
    if [[ $pgid == "$pid" ]]; then kill -TERM -- "-$pid" 2>/dev/null || true
    else kill -TERM "$pid" 2>/dev/null || true; fi
    for ((i = 0; i < 100; i++)); do            # up to 10 s
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid did not stop on TERM, sending KILL"
        if [[ $pgid == "$pid" ]]; then kill -KILL -- "-$pid" 2>/dev/null || true
        else kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$? i
    trap - EXIT INT TERM
    if [[ -n $AUX_PID ]]; then
        kill -TERM "$AUX_PID" 2>/dev/null || true
        wait "$AUX_PID" 2>/dev/null || true
    fi
    if [[ -n $WRK_PID ]]; then
        kill -TERM "$WRK_PID" 2>/dev/null || true
        wait "$WRK_PID" 2>/dev/null || true
    fi
    for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
        stop_pid "${STARTED_PIDS[i]}"
    done
    if [[ -n $TMP && -d $TMP ]]; then
        if [[ ${KEEP_TMP:-0} == 1 || $rc != 0 ]]; then
            log "temp dir kept: $TMP"
        else
            rm -rf -- "$TMP"
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_bg <cpus> <logfile> cmd... ; sets BG_PID
start_bg() {
    local cpus=$1 logf=$2
    shift 2
    if [[ -n $cpus ]]; then set -- taskset -c "$cpus" "$@"; fi
    setsid "$@" >"$logf" 2>&1 </dev/null &
    BG_PID=$!
    STARTED_PIDS+=("$BG_PID")
}

port_open() {   # does something accept connections on 127.0.0.1:$1 ?
    timeout 2 bash -c ": </dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# wait_port <port> <timeout-secs> <pid-or-empty> <name>
wait_port() {
    local port=$1 secs=$2 pid=$3 name=$4 i
    for ((i = 0; i < secs * 10; i++)); do
        if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
            return 1
        fi
        port_open "$port" && return 0
        sleep 0.1
    done
    log "$name did not open 127.0.0.1:$port within ${secs}s"
    return 1
}

# free_port [PORT...]: prints one free loopback TCP port, not one of the given ports.
# shellcheck disable=SC2120  # the ports to avoid are optional: calls without any are right
free_port() {
    local p i ex
    if command -v python3 >/dev/null 2>&1 &&
        p=$(python3 -c 'import socket
s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null) &&
        is_uint "$p"; then
        for ex in "$@"; do [[ $p == "$ex" ]] && p=""; done
        if [[ -n $p ]] && ! port_open "$p"; then echo "$p"; return 0; fi
    fi
    for ((i = 0; i < 200; i++)); do
        p=$((20000 + RANDOM % 30000))
        for ex in "$@"; do [[ $p == "$ex" ]] && continue 2; done
        if ss -Htan "( sport = :$p )" 2>/dev/null | grep -q .; then continue; fi
        port_open "$p" && continue
        echo "$p"
        return 0
    done
    die "could not find a free port"
}

# cpu_ticks <pid>...: user + system CPU of those processes (all their threads, dead ones included),
# in clock ticks (getconf CLK_TCK per second; stats.py us-per-req converts); a process that is
# gone counts 0
cpu_ticks() { stats ticks cpu "$@"; }
user_ticks() { stats ticks user "$@"; }   # user mode only (utime)

median() { stats median "$@"; }   # median of the numeric args, %.6f

# field <BENCH_RESULT line> <key>
field() {
    local kv
    for kv in $1; do
        if [[ $kv == "$2="* ]]; then echo "${kv#*=}"; return 0; fi
    done
    echo 0
}

# apt_install <package>...: as root, with --no-install-recommends; apt-get update once only if the
# first attempt fails. Dies with the log's tail and path when it cannot.
apt_install() {
    [[ $(id -u) == 0 ]] || die "missing packages ($*); run as root or install them"
    command -v apt-get >/dev/null 2>&1 || die "missing packages ($*) and no apt-get"
    log "installing: $*"
    export DEBIAN_FRONTEND=noninteractive
    local alog="/tmp/hopwise-bench-apt.$$.log"
    if ! apt-get install -y --no-install-recommends "$@" >"$alog" 2>&1; then
        log "apt-get install failed; running apt-get update once and retrying"
        apt-get update >>"$alog" 2>&1 || true
        apt-get install -y --no-install-recommends "$@" >>"$alog" 2>&1 ||
            { tail -n 20 "$alog" >&2; die "apt-get install $* failed, see $alog"; }
    fi
    rm -f "$alog"
}

# install_missing COMMAND PACKAGE [COMMAND PACKAGE ...]: installs the packages whose command is missing.
install_missing() {
    local need=()
    while (($# > 1)); do
        command -v "$1" >/dev/null 2>&1 || need+=("$2")
        shift 2
    done
    ((${#need[@]} == 0)) || apt_install "${need[@]}"
}

# start_origin <port>...: the origin nginx (one listen per port, serving $TMP/docroot) plus
# stub_status on $STATUS_PORT; waits for both. $1 is the port start_nginx waits on.
start_origin() {
    local listens="" p
    for p in "$@"; do listens+="        listen 127.0.0.1:$p backlog=4096;"$'\n'; done
    write_nginx_conf "$TMP/origin" "    server {
$listens        server_name _;
        root $TMP/docroot;
        location / { try_files \$uri =404; }
    }
    server {
        listen 127.0.0.1:$STATUS_PORT;
        server_name _;
        location = /nginx_status { stub_status; }
        location / { return 404; }
    }"
    start_nginx "$TMP/origin" "$ORIGIN_CPUS" "$1" origin
    wait_port "$STATUS_PORT" 5 "" "origin stub_status" || die "stub_status port did not open"
    read_status >/dev/null
}

ensure_packages() {
    local missing=()
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    if [[ -z $NGINX ]]; then
        NGINX=$(command -v nginx 2>/dev/null || true)
        [[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
    fi
    [[ -n $NGINX ]] || missing+=(nginx)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    ((${#missing[@]} == 0)) && return 0
    apt_install "${missing[@]}"
    if [[ -z $NGINX ]]; then
        NGINX=$(command -v nginx 2>/dev/null || true)
        [[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
    fi
    command -v wrk >/dev/null 2>&1 || die "wrk still missing after install"
    [[ -n $NGINX ]] || die "nginx still missing after install"
}

# write_nginx_conf <prefix-dir> <body-of-http-block> [<worker_processes> [<worker_connections>]]
# (defaults 1 and 8192; worker_rlimit_nofile: 2x the connections, at least 16384, at most ulimit -Hn)
write_nginx_conf() {
    local dir=$1 servers=$2 workers=${3:-1} wconns=${4:-8192} nofile hard
    nofile=$((wconns * 2 > 16384 ? wconns * 2 : 16384))
    hard=$(ulimit -Hn 2>/dev/null || echo unlimited)
    if is_uint "$hard" && ((nofile > hard)); then nofile=$hard; fi
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $workers;
worker_rlimit_nofile $nofile;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events {
    worker_connections $wconns;
    multi_accept on;
}
http {
    access_log off;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    server_tokens off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
$servers
}
EOF
}

# write_haproxy_tcp_conf <file> <listen-port> <origin-port> <maxconn> [<threads>]: HAProxy as a plain
# TCP relay on loopback (tunnel.sh, floor.sh); threads: HAProxy's default (one per core) when omitted.
write_haproxy_tcp_conf() {
    {
        echo "global"
        echo "  maxconn $4"
        [[ -n ${5:-} ]] && echo "  nbthread $5"
        cat <<CFG
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend f
  bind 127.0.0.1:$2
  default_backend b
backend b
  server o 127.0.0.1:$3
CFG
    } >"$1"
}

# start_nginx <prefix-dir> <cpus> <port> <name>
start_nginx() {
    local dir=$1 cpus=$2 port=$3 name=$4
    "$NGINX" -t -q -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" ||
        die "$name: nginx config test failed ($dir/nginx.conf)"
    start_bg "$cpus" "$dir/stdout.log" "$NGINX" -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf"
    local pid=$BG_PID
    if ! wait_port "$port" 10 "$pid" "$name"; then
        cat "$dir/error.log" "$dir/stdout.log" >&2 2>/dev/null || true
        die "$name (nginx) failed to start"
    fi
    log "$name: nginx pid $pid on 127.0.0.1:$port"
}

# check_request <label> <curl args...>: one GET, expect 200 + full body
check_request() {
    local label=$1 out code size
    shift
    out=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{size_download}' "$@" 2>&1) || out="curl failed: $out"
    code=${out%% *}
    size=${out##* }
    if [[ $code == 200 && $size == "$BODY_BYTES" ]]; then
        log "pre-flight $label: HTTP $code, $size bytes - OK"
        return 0
    fi
    warn "pre-flight $label: expected HTTP 200 with $BODY_BYTES bytes, got: $out"
    return 1
}

# run_wrk <label> <connect-port> <request-target> <duration> <outfile> [<host> [<lua-arg>...]]
# Sets RESULT (the BENCH_RESULT line printed by the Lua script's done()). <host> defaults to
# 127.0.0.1:$ORIGIN_PORT; further args go to the Lua script after target and host.
# Optional probe: if WRK_PROBE_AT (seconds, may be fractional) and WRK_PROBE_FN (a function name)
# are set, the function is called once that long after wrk started, while wrk is still running.
run_wrk() {
    local label=$1 port=$2 target=$3 dur=$4 outf=$5 host=${6:-127.0.0.1:$ORIGIN_PORT} secs rc=0
    shift 5
    if (($# > 0)); then shift; fi
    local cmd=(wrk -t "$THREADS" -c "$CONNECTIONS" -d "$dur" --timeout "$WRK_TIMEOUT" --latency
        -s "$LUA_SCRIPT" "http://127.0.0.1:$port" -- "$target" "$host" "$@")
    if [[ -n $WRK_CPUS ]]; then cmd=(taskset -c "$WRK_CPUS" "${cmd[@]}"); fi
    secs=$(dur_to_secs "$dur")
    # background + wait, so that INT/TERM traps fire immediately (cleanup stops wrk too)
    timeout -k 5 $((secs + 30)) "${cmd[@]}" >"$outf" 2>&1 &
    WRK_PID=$!
    if [[ -n ${WRK_PROBE_AT:-} && -n ${WRK_PROBE_FN:-} ]]; then
        sleep "$WRK_PROBE_AT" &
        AUX_PID=$!
        wait "$AUX_PID" || true
        AUX_PID=""
        if kill -0 "$WRK_PID" 2>/dev/null; then "$WRK_PROBE_FN"; fi
    fi
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    RESULT=$(grep -m1 '^BENCH_RESULT ' "$outf" || true)
    if [[ -z $RESULT ]]; then
        cat "$outf" >&2
        die "wrk ($label) produced no result (exit $rc)"
    fi
}

# ---------------------------------------------------------------- connection accounting
# Shared by connections.sh and peers.sh. Besides the globals above they use: TMP, STATUS_PORT
# (nginx stub_status port), TW_LEN / TW_SLOP (TIME_WAIT timer length and tolerance, seconds),
# TIMEOUT_SECS (wrk --timeout in seconds), BODY_BYTES, PROBE_PORT (set per run).

now() { date +%s.%N; }

# "accepts requests" from nginx's stub_status (on its own port, so reading it adds no TIME_WAIT
# on the ports we count; it does add 1 accept + 1 request, subtracted by the caller)
read_status() {
    local out
    out=$(curl -sS --noproxy '*' --max-time 5 "http://127.0.0.1:$STATUS_PORT/nginx_status") ||
        die "cannot read nginx stub_status on 127.0.0.1:$STATUS_PORT"
    awk 'NR == 3 && NF >= 3 && $1 ~ /^[0-9]+$/ { print $1, $3; ok = 1 } END { exit !ok }' <<<"$out" ||
        die "unexpected stub_status output: $out"
}

# tw_count <t0> <client-side-port> <origin-side-port or 0>
# Counts TIME_WAIT sockets that entered TIME_WAIT at or after t0 (their 60 s timer has at least
# 60 - (now - t0) - TW_SLOP left), so sockets of earlier runs (which end >= TW_GAP s before t0)
# are not counted. Prints: client-side held-by-connector, held-by-listener, origin-side
# held-by-connector, held-by-listener, all TIME_WAIT sockets on the machine.
tw_count() {
    ss -Htan -o state time-wait >"$TMP/tw.txt" 2>/dev/null || : >"$TMP/tw.txt"
    stats tw-count "$TMP/tw.txt" "$1" "$TW_LEN" "$TW_SLOP" "$2" "$3"
}

# gap_wait: seconds (%.2f, 0..TW_GAP) until TW_GAP seconds have passed since LAST_END
gap_wait() { stats gap-wait "$LAST_END" "$TW_GAP"; }

# Probe, called by run_wrk (lib.sh) shortly before a measured wrk run ends: snapshot wrk's own
# established connections to the system under test, with TCP info (lastrcv = ms since that
# connection last received data). wrk always keeps one request outstanding per connection, so a
# connection that received nothing for >= WRK_TIMEOUT has a request stuck for that long. wrk 4.x
# itself counts a timeout only when a late response finally arrives; a request that is never
# answered is not counted anywhere, hence this probe.
PROBE_PORT=0
probe_stalls() {
    ss -Htni state established "( dport = :$PROBE_PORT )" >"$TMP/probe.txt" 2>/dev/null || : >"$TMP/probe.txt"
}
# prints "<open connections> <stuck connections>" from the last probe
stall_count() { stats stalls "$TMP/probe.txt" "$((TIMEOUT_SECS * 1000))"; }

# preflight <label> <expect-close 0|1> <curl args...>: one GET; 200, full body, and the
# response must (1) / must not (0) carry Connection: close
preflight() {
    local label=$1 want=$2 out code size has=0
    shift 2
    out=$(curl -sS --max-time 5 -D "$TMP/preflight.hdr" -o /dev/null -w '%{http_code} %{size_download}' "$@" 2>&1) ||
        out="curl failed: $out"
    code=${out%% *}
    size=${out##* }
    grep -qi '^connection:[[:space:]]*close' "$TMP/preflight.hdr" 2>/dev/null && has=1
    if [[ $code == 200 && $size == "$BODY_BYTES" && $has == "$want" ]]; then
        log "pre-flight $label: HTTP $code, $size bytes, Connection: close in response: $([[ $has == 1 ]] && echo yes || echo no) - OK"
        return 0
    fi
    warn "pre-flight $label: expected HTTP 200, $BODY_BYTES bytes, Connection: close=$want; got: $out, Connection: close=$has"
    return 1
}

ms() { stats ms "$1"; }   # microseconds -> milliseconds, %.3f

# fmt_tw <total> <held-by-connector> <held-by-listener> <connector-name> <listener-name>
fmt_tw() { stats fmt-tw "$@"; }

# make_tmp PREFIX: the temp dir $TMP (/tmp/PREFIX.XXXXXX), removed on exit (see cleanup)
make_tmp() { TMP=$(mktemp -d "/tmp/$1.XXXXXX"); }

# make_bench_tmp PREFIX: a temp dir ($TMP) with the origin's docroot (/small 128 B, /16k 16 KiB),
# readable by nginx workers, squid and tinyproxy, which run unprivileged.
make_bench_tmp() {
    make_tmp "$1"
    chmod 755 "$TMP"
    mkdir -p "$TMP/docroot" "$TMP/origin" "$TMP/runs"
    head -c 128 /dev/zero | tr '\0' 's' >"$TMP/docroot/small"
    head -c 16384 /dev/zero | tr '\0' 'k' >"$TMP/docroot/16k"
    chmod 755 "$TMP/docroot"
    chmod 644 "$TMP/docroot/small" "$TMP/docroot/16k"
}

# copy_proxy_jar: waits (up to $JAR_WAIT s) for $PROXY_JAR, never builds it, and runs a private
# copy ($TMP/hopwise.jar) so that a rebuild during the benchmark cannot change the running jar.
copy_proxy_jar() {
    local i
    for ((i = 0; i < JAR_WAIT; i += 5)); do
        [[ -f $PROXY_JAR ]] && break
        log "$PROXY_JAR not there yet; waiting (this script never builds it)"
        sleep 5
    done
    [[ -f $PROXY_JAR ]] || die "$PROXY_JAR not found; build it first (./mvnw -q -B -DskipTests package)"
    command -v "$JAVA" >/dev/null 2>&1 || die "java not found ($JAVA)"
    cp -- "$PROXY_JAR" "$TMP/hopwise.jar"
}

# ---------------------------------------------------------------- end-to-end tests
# For e2e/*.sh and .ci/smoke.sh: they set NAME (used in messages), call make_tmp, and add the PIDs
# of what they start in the background to STARTED_PIDS.

# fail MESSAGE: prints "$NAME: FAIL: MESSAGE" and the tail of every log in $TMP, then exits 1
fail() {
    local f
    echo "${NAME:-${0##*/}}: FAIL: $*"
    for f in "$TMP"/*.log; do [[ -f $f ]] && { echo "--- $f"; tail -n 30 "$f"; }; done
    exit 1
}

# hopwise_jar: prints the proxy jar's path, building it first if it is missing
hopwise_jar() {
    local root jar
    root=$(cd "$BENCH_DIR/.." && pwd)
    jar="$root/proxy-app/target/hopwise.jar"
    [[ -f $jar ]] || (cd "$root" && ./mvnw -q -B -DskipTests package) >&2
    echo "$jar"
}
