#!/usr/bin/env bash
# The connection lab (issue 25), run as a user would: bin/hopwise lab. Checks what physics
# guarantees, never an upper bound on time: over links that hold each packet for RTT/2, a request
# over persistent connections takes at least 2 RTT (client to proxy, proxy to origin), one with a
# new connection on each hop at least 2 RTT more, and TCP_INFO reports at least the RTT set; a
# second write held by Nagle waits at least a round trip, and the delayed ACK (never under 40 ms
# on Linux) where the proxy answers at once. Also:
# the lab leaves no namespace or device behind, and refuses clearly without root.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
NAME="lab e2e"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
make_tmp hopwise-lab
tmp=$TMP
install_missing ip iproute2 setpriv util-linux python3 python3
jar=$(hopwise_jar)
[[ -e $root/proxy-app/target/hopwise.jar ]] || fail "bin/hopwise runs proxy-app/target/hopwise.jar, which is missing"

echo "== hopwise lab --rtt 40ms --requests 12"
bin/hopwise lab --rtt 40ms --requests 12 --out "$tmp/out" | tee "$tmp/lab.txt"
python3 - "$tmp/out/lab.json" <<'PY' || fail "the lab's results break what a 40 ms round trip guarantees"
import json, sys
r = json.load(open(sys.argv[1]))
rtt = r["rttMs"]
h = r["experiments"]["handshake"]
new, kept = h["newConnections"], h["persistent"]
checks = [
    ("persistent: at least 2 RTT a request", kept["medianMs"] >= 2 * rtt * 0.98),
    ("new connections: at least 2 RTT more than persistent", new["medianMs"] - kept["medianMs"] >= 2 * rtt * 0.9),
    ("a connect takes at least 1 RTT on each hop", new["clientConnectMedianMs"] >= rtt * 0.98
     and new["upstreamConnectMedianMs"] >= rtt * 0.98),
    ("TCP_INFO sees at least the RTT set", new["upstreamTcpInfoRttMedianMs"] >= rtt * 0.9),
    ("one upstream connection per request with new connections", new["upstreamConnections"] == h["requests"]),
    ("none opened for the measured persistent requests", kept["upstreamConnections"] == 0),
    ("every request measured", len(new["totalMs"]) == len(kept["totalMs"]) == h["requests"]),
    ("Nagle: the forwarded request's second write waits at least 1 RTT",
     r["experiments"]["nagle"]["forwarded"]["stallMs"] >= rtt * 0.9),
    ("Nagle: answered at once, the delayed ACK (>= 40 ms) adds to the RTT",
     r["experiments"]["nagle"]["answeredByTheProxy"]["stallMs"] >= rtt * 0.9 + 35),
    ("slow start: a fresh 1 MB download takes at least 2 RTT (two handshakes) more than a warm one",
     [d["ms"] for d in r["experiments"]["slowstart"]["downloads"] if d["connection"] == "fresh" and d["bytes"] == 1 << 20][0]
     - [d["ms"] for d in r["experiments"]["slowstart"]["downloads"] if d["connection"] == "warm" and d["bytes"] == 1 << 20][0]
     >= 2 * rtt * 0.9),
    ("slow start: the proxy's cwnd toward the client was sampled while downloading",
     all(len(d["cwnd"]) > 0 for d in r["experiments"]["slowstart"]["downloads"])),
    ("dumb proxy: the keep-alive client's 2nd request went unanswered, and hung until the origin closed",
     r["experiments"]["dumbhang"]["dumb"]["second"] != "answered on the same connection"
     and r["experiments"]["dumbhang"]["dumb"]["secondMs"] >= r["experiments"]["dumbhang"]["originIdleTimeoutMs"] * 0.9),
    ("hopwise: the HTTP/1.0 client's 2nd request answered on a new connection",
     r["experiments"]["dumbhang"]["smart"]["second"] == "answered on a new connection"),
    ("Connection-named field: removed by hopwise, passed on by the dumb proxy",
     r["experiments"]["connection"]["hopwiseRemoved"] and r["experiments"]["connection"]["dumbPassedOn"]),
    ("page load: 6 parallel connections beat serial ones, and persistent beats serial",
     (lambda w: w["6 parallel connections"] < w["serial"] and w["persistent"] < w["serial"])(
         {x["way"]: x["loadMs"] for x in r["experiments"]["pageload"]["ways"]})),
    ("page load: every object fetched, each way",
     all(len(x["fetches"]) == r["experiments"]["pageload"]["objects"] + 1 for x in r["experiments"]["pageload"]["ways"])),
    ("close: the naive server's reset cost the client the 413; hopwise's lingering close kept it",
     r["experiments"]["close"]["naiveLost"] and r["experiments"]["close"]["hopwiseKept"]),
    ("TIME_WAIT: through hopwise the proxy holds them, the origin almost none (pooled), the client almost none",
     (lambda t: t["timeWaitProxy"] >= 0.5 * r["experiments"]["timewait"]["requests"] and t["timeWaitOrigin"] <= 100
      and t["timeWaitClient"] <= 10 and t["failed"] == 0)(r["experiments"]["timewait"]["hopwise"])),
    ("TIME_WAIT: through the dumb proxy the origin holds one per request too",
     r["experiments"]["timewait"]["dumb"]["timeWaitOrigin"] >= 0.5 * r["experiments"]["timewait"]["requests"]),
    ("port exhaustion: the client closing first runs out of ports, the proxy closing first does not",
     (lambda e: e["clientClosesFirstNoPort"] >= e["attempts"] - e["ports"] - 2 and e["proxyClosesFirstNoPort"] == 0)(
         r["experiments"]["timewait"]["exhaustion"])),
    ("Proxy-Connection: through hopwise -> dumb -> hopwise the 2nd request hangs until the last hop's idle close",
     r["experiments"]["proxyconnection"]["smartDumbSmart"]["secondMs"]
     >= r["experiments"]["proxyconnection"]["lastHopIdleTimeoutMs"] * 0.9),
    ("Proxy-Connection: dumb -> hopwise does not hang, and no Proxy-Connection reaches the origin",
     r["experiments"]["proxyconnection"]["dumbSmart"]["secondMs"] < r["experiments"]["proxyconnection"]["lastHopIdleTimeoutMs"]
     and "proxy-connection" not in r["experiments"]["proxyconnection"]["dumbSmart"]["originSaw"].lower()
     and "proxy-connection" not in r["experiments"]["proxyconnection"]["smartDumbSmart"]["originSaw"].lower()),
    ("packets went over both links", r["links"]["clientPacketsCarried"] > 0 and r["links"]["originPacketsCarried"] > 0),
]
bad = [name for name, ok in checks if not ok]
for name, ok in checks:
    print(("ok   " if ok else "FAIL ") + name)
sys.exit(1 if bad else 0)
PY
echo "== with loss: --loss 5% drops packets on both links, and every request still completes (TCP retransmits)"
bin/hopwise lab --only handshake --loss 5% --requests 10 --out "$tmp/loss" >"$tmp/loss.txt" 2>&1 ||
  fail "the lab with loss failed: $(tail -3 "$tmp/loss.txt")"
python3 - "$tmp/loss/lab.json" <<'PY' || fail "the links did not drop packets with --loss 5%"
import json, sys
r = json.load(open(sys.argv[1]))
links, h = r["links"], r["experiments"]["handshake"]
print("dropped: %d of %d packets toward the client hop, %d of %d on the origin hop; %d + %d requests completed" % (
    links["clientPacketsDropped"], links["clientPacketsDropped"] + links["clientPacketsCarried"],
    links["originPacketsDropped"], links["originPacketsDropped"] + links["originPacketsCarried"],
    len(h["newConnections"]["totalMs"]), len(h["persistent"]["totalMs"])))
sys.exit(0 if links["clientPacketsDropped"] + links["originPacketsDropped"] > 0 and r["loss"] == 0.05 else 1)
PY

echo "== the report, rendered by a real Chromium from the results embedded in it"
install_missing chromium chromium
[[ -s $tmp/out/report.html ]] || fail "no report.html"
# Self-contained: no address it could fetch (the SVG namespace is a name, not a request).
external=$(grep -o 'https\?://[a-z][^"]*' "$tmp/out/report.html" | grep -vx 'http://www.w3.org/2000/svg' || true)
[[ -z $external ]] || fail "the report refers to the network: $external"
chromium_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir="$tmp/chromium")
timeout 60 chromium "${chromium_flags[@]}" --dump-dom "file://$tmp/out/report.html" >"$tmp/report-dom.html" 2>/dev/null ||
  fail "chromium could not render the report"
sections=$(grep -o '<h2>[0-9]\.' "$tmp/report-dom.html" | wc -l)
plots=$(grep -o 'class="plot"' "$tmp/report-dom.html" | wc -l)
expected=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["experiments"]))' "$tmp/out/lab.json")
[[ $sections == "$expected" && $plots == "$expected" ]] ||
  fail "the report shows $sections sections and $plots plots for $expected experiments"
mkdir -p e2e/out
timeout 60 chromium "${chromium_flags[@]}" --window-size=1100,1800 --screenshot="$root/e2e/out/lab-report.png" \
  "file://$tmp/out/report.html" >/dev/null 2>&1 || fail "chromium could not take the report's screenshot"
echo "report: $sections sections, each with its table and plot (screenshot: e2e/out/lab-report.png)"

left=$(ip netns list | grep -c 'hopwise-lab' || true)
[[ $left == 0 ]] || fail "the lab left $left network namespaces behind"
ip link show | grep -q 'hwl-' && fail "the lab left TUN devices behind"
echo "nothing left behind: no hopwise-lab namespace, no hwl- device"

echo "== without root"
set +e
setpriv --reuid=65534 --regid=65534 --clear-groups java -jar "$jar" lab >"$tmp/nonroot.out" 2>"$tmp/nonroot.err"
code=$?
set -e
[[ $code == 1 ]] || fail "without root the lab exited $code, expected 1: $(cat "$tmp/nonroot.err")"
grep -q '^hopwise lab: needs root: it makes network namespaces and TUN devices' "$tmp/nonroot.err" ||
  fail "without root: $(cat "$tmp/nonroot.err")"
echo "refused: $(cat "$tmp/nonroot.err")"
echo "lab e2e: OK"
