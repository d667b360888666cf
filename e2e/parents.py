#!/usr/bin/env python3
"""Checks for e2e/parents.sh (issue 27): hopwise chained to a real parent (Debian's squid, with
Basic authentication) and to a second hopwise. Each check prints one line; any failure exits 1.

  parents.py CHECK ARGS...   (see the functions below; e2e/parents.sh calls each)"""
import base64
import http.client
import json
import os
import socket
import ssl
import sys
import time

# Fields of the client's hop (and of ours to the parent) that must not reach the origin. The last
# hop's own Connection (squid sends "Connection: keep-alive" for its hop) is that hop's to send.
HOP_BY_HOP = ["proxy-connection", "keep-alive", "proxy-authorization", "te", "upgrade", "x-client-hop"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def heads(log):
    """Request heads the raw origin recorded, oldest first: (request line, [(name, value)])."""
    out = []
    if not os.path.exists(log):
        return out
    with open(log) as f:
        for line in f:
            head = json.loads(line)["head"].split("\r\n")
            fields = [tuple(x.strip() for x in l.split(":", 1)) for l in head[1:] if ":" in l]
            out.append((head[0], fields))
    return out


def via_entries(fields):
    return [e.strip() for name, value in fields if name.lower() == "via" for e in value.split(",")]


def check_crossing(fields, hops, what):
    """One Via entry per hop (the names given, in order), and no hop-by-hop field from before."""
    via = via_entries(fields)
    if len(via) != len(hops) or any(h not in v for h, v in zip(hops, via)):
        fail("%s: Via entries %s, expected one per hop: %s" % (what, via, hops))
    leaked = [n for n, _ in fields if n.lower() in HOP_BY_HOP]
    leaked += ["Connection: " + v for n, v in fields if n.lower() == "connection" and v.lower() not in ("keep-alive", "close")]
    if leaked:
        fail("%s: hop-by-hop fields crossed: %s (all: %s)" % (what, leaked, fields))


def proxied_get(proxy_port, url, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=20)
    c.request("GET", url, headers=headers or {})
    r = c.getresponse()
    return r.status, r.read().decode("latin-1"), dict(r.getheaders())


def plain(proxy_port, origin_port, log):
    """Plain http through hopwise -> squid: absolute-form to the parent; the origin sees both Via entries."""
    before = len(heads(log))
    status, body, _ = proxied_get(proxy_port, "http://127.0.0.1:%s/plain" % origin_port,
                                  {"Connection": "X-Client-Hop", "X-Client-Hop": "1", "Proxy-Connection": "keep-alive",
                                   "Proxy-Authorization": "Basic " + base64.b64encode(b"client:not-for-the-parent").decode()})
    if status != 200 or body != "GET /plain HTTP/1.1":
        fail("plain: %s %r" % (status, body))
    line, fields = heads(log)[before]
    check_crossing(fields, ["hopwise-e2e", "squid"], "plain")
    print("plain http: 200; the origin got %r with Via %s and no hop-by-hop field" % (line, via_entries(fields)))


def https_absolute(proxy_port, tls_port, log):
    """https absolute-form: hopwise tunnels through squid's CONNECT, then TLS to the origin."""
    before = len(heads(log))
    status, body, _ = proxied_get(proxy_port, "https://localhost:%s/secure" % tls_port, {"Proxy-Connection": "keep-alive"})
    if status != 200 or body != "GET /secure HTTP/1.1":
        fail("https absolute-form: %s %r" % (status, body))
    line, fields = heads(log)[before]
    check_crossing(fields, ["hopwise-e2e"], "https absolute-form")  # squid saw only a tunnel
    print("https absolute-form: 200 through squid's CONNECT; the origin got %r, Via %s" % (line, via_entries(fields)))


def read_head(s):
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(1)
    return head


def tunnel(proxy_port, port, what):
    """A CONNECT to localhost:PORT through the proxy, answered 200."""
    s = socket.create_connection(("127.0.0.1", proxy_port), timeout=20)
    s.sendall(("CONNECT localhost:%s HTTP/1.1\r\nHost: localhost:%s\r\n\r\n" % (port, port)).encode())
    head = read_head(s)
    if not head.startswith(b"HTTP/1.1 200"):
        fail("%s: %r" % (what, head))
    return s


def connect_tunnel(proxy_port, tls_port, cert):
    """A client's CONNECT, chained to squid's CONNECT; TLS end to end."""
    s = tunnel(proxy_port, tls_port, "CONNECT")
    ctx = ssl.create_default_context(cafile=cert)
    t = ctx.wrap_socket(s, server_hostname="localhost")
    t.sendall(("GET /tunneled HTTP/1.1\r\nHost: localhost:%s\r\n\r\n" % tls_port).encode())
    data = t.recv(65536)
    if b"GET /tunneled HTTP/1.1" not in data:
        fail("CONNECT: %r" % data)
    t.close()
    print("CONNECT: 200, then TLS to the origin through both tunnels")


def websocket(proxy_port, ws_port):
    """A WebSocket through CONNECT (as browsers send ws:// through a proxy), chained through squid."""
    s = tunnel(proxy_port, ws_port, "websocket CONNECT")
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET /ws HTTP/1.1\r\nHost: localhost:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (ws_port, key)).encode())
    head = read_head(s)
    if not head.startswith(b"HTTP/1.1 101"):
        fail("websocket upgrade: %r" % head)
    payload, mask = b"hello through two proxies", os.urandom(4)
    s.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    frame = b""
    while len(frame) < 2 + len(payload):
        frame += s.recv(4096)
    if frame[2:] != payload:
        fail("websocket echo: %r" % frame)
    s.close()
    print("WebSocket through CONNECT: 101, and a frame echoed")


def tls_parent(proxy_port, origin_port, log):
    """Through an https:// parent (TLS to squid's https_port): plain http, then a CONNECT tunnel."""
    before = len(heads(log))
    status, body, _ = proxied_get(proxy_port, "http://127.0.0.2:%s/over-tls" % origin_port)
    if status != 200 or body != "GET /over-tls HTTP/1.1":
        fail("https:// parent, plain http: %s %r" % (status, body))
    s = socket.create_connection(("127.0.0.1", proxy_port), timeout=20)
    s.sendall(("CONNECT 127.0.0.2:%s HTTP/1.1\r\nHost: 127.0.0.2:%s\r\n\r\n" % (origin_port, origin_port)).encode())
    head = read_head(s)
    if not head.startswith(b"HTTP/1.1 200"):
        fail("https:// parent, CONNECT: %r" % head)
    s.sendall(("GET /in-tunnel HTTP/1.1\r\nHost: 127.0.0.2:%s\r\n\r\n" % origin_port).encode())
    data = s.recv(65536)
    if b"GET /in-tunnel HTTP/1.1" not in data:
        fail("https:// parent, in the tunnel: %r" % data)
    got = heads(log)[before:]
    check_crossing(got[0][1], ["hopwise-e2e", "squid"], "https:// parent")
    print("https:// parent (TLS to squid): plain http 200 with Via %s; CONNECT 200 and a request inside"
          % via_entries(got[0][1]))


def refused(proxy_port, host, expect):
    """A parent that answers 407 (wrong or missing credentials): the client gets 502 with the reason, never 407."""
    status, body, fields = proxied_get(proxy_port, "http://%s/" % host)
    if status != 502 or expect not in body or "Proxy-Authenticate" in fields:
        fail("%s: expected 502 with %r, got %s %r %s" % (host, expect, status, body, fields))
    print("%s: 502 (%s)" % (host, body.strip().splitlines()[-1][:110]))


def failover(proxy_port, origin_port, log, kill_pid, total):
    """Requests in a row through [hopB, squid]; hopB is killed a third of the way: none may fail."""
    c = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=20)
    failures, killed_at, first_via_squid = [], None, None
    for i in range(total):
        if i == total // 3:
            last = heads(log)[-1]
            if not any("hopB" in v for v in via_entries(last[1])):
                fail("failover: before hopB stopped, requests did not go through it: %s" % (last,))
            os.kill(kill_pid, 9)
            killed_at = time.monotonic()
        before = len(heads(log))
        try:
            c.request("GET", "http://127.0.0.1:%s/failover/%d" % (origin_port, i))
            r = c.getresponse()
            body = r.read()
            if r.status != 200:
                failures.append("%d: %s %r" % (i, r.status, body[:200]))
        except (OSError, http.client.HTTPException) as e:
            failures.append("%d: %r" % (i, e))
            c = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=20)
            continue
        if killed_at is not None and first_via_squid is None:
            got = heads(log)[before:]
            if got and any("squid" in v for v in via_entries(got[-1][1])) and not any("hopB" in v for v in via_entries(got[-1][1])):
                first_via_squid = time.monotonic() - killed_at
    if failures:
        fail("failover: %d of %d requests failed: %s" % (len(failures), total, failures[:5]))
    if first_via_squid is None:
        fail("failover: no request went through squid after hopB stopped")
    print("failover: %d requests, 0 failed; hopB killed after %d, the next went through squid %.0f ms later"
          % (total, total // 3, first_via_squid * 1000))


def main():
    fn = globals()[sys.argv[1]]
    args = [int(a) if a.isdigit() else a for a in sys.argv[2:]]
    fn(*args)


if __name__ == "__main__":
    main()
