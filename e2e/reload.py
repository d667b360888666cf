#!/usr/bin/env python3
"""Reload under load (issue 26), on loopback only, through the real proxy process.

Usage: reload.py JAR TMPDIR

The config file sits in a directory laid out as Kubernetes mounts a ConfigMap
(proxy.yaml -> ..data/proxy.yaml, ..data -> ..<timestamp>). While keep-alive clients send
requests without pause and two CONNECT tunnels carry requests every 50 ms, the rules change:
  1. the file is edited in place and the proxy gets SIGHUP: 127.0.0.2 becomes denied;
  2. a new version is swapped in as the kubelet does (new dir, ..data_tmp symlink renamed over
     ..data): 127.0.0.2 is allowed again;
  3. a broken version is swapped in: refused, the old rules stay;
  4. a version that changes the listen port: applied, the port kept, "needs a restart" said.
Passes when no request of the steady load failed, both tunnels (to 127.0.0.2, opened before it
was denied) carried every request, each new rule was seen by a probe within 2 s of its trigger
(the figure is printed), and /metrics counts the reloads by result. Every loop is bounded.
"""
import http.client
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

DEADLINE = time.monotonic() + 240  # the whole test stops by itself


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Quiet(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"ok " + self.server.server_address[0].encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def config(proxy_port, admin_port, origin_port, deny_second, listen_port=None):
    allow = "[127.0.0.1]" if deny_second else "[127.0.0.1, 127.0.0.2]"
    return f"""listen: 127.0.0.1:{listen_port or proxy_port}
admin: 127.0.0.1:{admin_port}
accessLog: off
connect:
  ports: [{origin_port}]
roles:
  static: app
  list:
    - name: app
      mode: enforce
      allow: {allow}
"""


class ConfigMapDir:
    """A directory laid out as the kubelet lays out a mounted ConfigMap, and its atomic update."""

    def __init__(self, root):
        self.root = root
        self.version = 0
        os.makedirs(root, exist_ok=True)

    def publish(self, text):
        self.version += 1
        name = f"..2026_12_06_{self.version:02d}"
        os.makedirs(os.path.join(self.root, name))
        with open(os.path.join(self.root, name, "proxy.yaml"), "w") as f:
            f.write(text)
        tmp = os.path.join(self.root, "..data_tmp")
        os.symlink(name, tmp)
        os.rename(tmp, os.path.join(self.root, "..data"))  # atomic, as the kubelet's swap
        link = os.path.join(self.root, "proxy.yaml")
        if not os.path.islink(link):
            os.symlink("..data/proxy.yaml", link)
        return link

    def edit_in_place(self, text):
        with open(os.path.join(self.root, "..data", "proxy.yaml"), "w") as f:
            f.write(text)


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.ok = 0
        self.failed = []

    def add(self, ok, why=None):
        with self.lock:
            if ok:
                self.ok += 1
            else:
                self.failed.append(why)


def steady_client(proxy_port, origin_port, stop, counts):
    """Keep-alive requests to 127.0.0.1, allowed by every version of the rules."""
    conn = None
    while not stop.is_set() and time.monotonic() < DEADLINE:
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=10)
            conn.request("GET", f"http://127.0.0.1:{origin_port}/steady")
            r = conn.getresponse()
            body = r.read()
            counts.add(r.status == 200 and body == b"ok 127.0.0.1", f"status {r.status} body {body[:40]!r}")
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except OSError as e:
            counts.add(False, f"{type(e).__name__}: {e}")
            conn = None


def tunnel_client(proxy_port, origin_port, opened, stop, counts):
    """A CONNECT tunnel to 127.0.0.2, opened while it is allowed, used every 50 ms until stopped."""
    s = socket.create_connection(("127.0.0.1", proxy_port), timeout=10)
    authority = f"127.0.0.2:{origin_port}"
    s.sendall(f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode())
    f = s.makefile("rb")
    status = f.readline()
    while f.readline() not in (b"\r\n", b""):
        pass
    if b" 200 " not in status:
        counts.add(False, f"tunnel not established: {status!r}")
        opened.set()
        return
    opened.set()
    while not stop.is_set() and time.monotonic() < DEADLINE:
        try:
            s.sendall(f"GET /tunnel HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode())
            line = f.readline()
            length = 0
            while True:
                h = f.readline()
                if h in (b"\r\n", b""):
                    break
                if h.lower().startswith(b"content-length:"):
                    length = int(h.split(b":")[1])
            body = f.read(length)
            counts.add(b" 200 " in line and body == b"ok 127.0.0.2", f"tunnel: {line!r} {body!r}")
            if not line:
                return
        except OSError as e:
            counts.add(False, f"tunnel: {type(e).__name__}: {e}")
            return
        time.sleep(0.05)
    s.close()


def probe_status(proxy_port, origin_port):
    """A new request to 127.0.0.2 on a new connection: 200 allowed, 403 denied."""
    conn = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=5)
    try:
        conn.request("GET", f"http://127.0.0.2:{origin_port}/probe")
        r = conn.getresponse()
        r.read()
        return r.status
    finally:
        conn.close()


def wait_for_status(proxy_port, origin_port, want, since, limit=2.0):
    """Seconds from `since` until the probe answers `want`; fails after `limit` seconds."""
    while time.monotonic() - since < limit:
        if probe_status(proxy_port, origin_port) == want:
            return time.monotonic() - since
        time.sleep(0.02)
    sys.exit(f"FAIL: the probe did not see {want} within {limit} s of the change")


def metric(admin_port, name):
    """The value of one series on /metrics (None if absent)."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/metrics", timeout=5).read().decode()
    for line in text.splitlines():
        series, _, value = line.replace(",}", "}").rpartition(" ")
        if series == name:
            return float(value)
    return None


def wait_line(log_path, needle, since_len, limit=5.0):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        with open(log_path) as f:
            text = f.read()[since_len:]
        for line in text.splitlines():
            if needle in line:
                return line
        time.sleep(0.05)
    sys.exit(f"FAIL: no line with {needle!r} in the proxy's output")


def main():
    jar, tmp = sys.argv[1], sys.argv[2]
    origin_port, proxy_port, admin_port = free_port(), free_port(), free_port()
    servers = []
    for host in ("127.0.0.1", "127.0.0.2"):
        srv = http.server.ThreadingHTTPServer((host, origin_port), Quiet)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)

    cm = ConfigMapDir(os.path.join(tmp, "configmap"))
    path = cm.publish(config(proxy_port, admin_port, origin_port, deny_second=False))
    log_path = os.path.join(tmp, "proxy.log")
    log = open(log_path, "w")
    proxy = subprocess.Popen(["java", "-jar", jar, "--config", path], stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/readyz", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("FAIL: the proxy did not become ready")
        if probe_status(proxy_port, origin_port) != 200:
            sys.exit("FAIL: 127.0.0.2 is not allowed by the first rules")

        stop = threading.Event()
        steady, tunnels = Counts(), Counts()
        threads = [threading.Thread(target=steady_client, args=(proxy_port, origin_port, stop, steady)) for _ in range(4)]
        for _ in range(2):
            opened = threading.Event()
            t = threading.Thread(target=tunnel_client, args=(proxy_port, origin_port, opened, stop, tunnels))
            t.start()
            threads.append(t)
            opened.wait(10)
        for t in threads[:4]:
            t.start()
        time.sleep(1)

        # 1. Edit in place, then SIGHUP: 127.0.0.2 denied.
        cm.edit_in_place(config(proxy_port, admin_port, origin_port, deny_second=True))
        mark = os.path.getsize(log_path)
        t0 = time.monotonic()
        proxy.send_signal(signal.SIGHUP)
        took_hup = wait_for_status(proxy_port, origin_port, 403, t0)
        print(f"reload: SIGHUP: 127.0.0.2 denied {took_hup * 1000:.0f} ms after the signal")
        print("  " + wait_line(log_path, "reload (", mark))
        time.sleep(1)

        # 2. A ConfigMap-style swap: 127.0.0.2 allowed again.
        mark = os.path.getsize(log_path)
        t0 = time.monotonic()
        cm.publish(config(proxy_port, admin_port, origin_port, deny_second=False))
        took_swap = wait_for_status(proxy_port, origin_port, 200, t0)
        print(f"reload: symlink swap: 127.0.0.2 allowed {took_swap * 1000:.0f} ms after the swap")
        print("  " + wait_line(log_path, "reload (", mark))
        time.sleep(1)

        # 3. A broken file: refused, the old rules stay.
        mark = os.path.getsize(log_path)
        cm.publish(config(proxy_port, admin_port, origin_port, deny_second=False).replace("mode: enforce", "mode: block"))
        line = wait_line(log_path, "refused", mark)
        print("  " + line)
        if "roles.list[0].mode: must be enforce, report or open, got 'block'" not in line:
            sys.exit("FAIL: the refusal does not say what is wrong: " + line)
        if probe_status(proxy_port, origin_port) != 200:
            sys.exit("FAIL: a broken file changed the rules in force")

        # 4. A listen change: applied but for the port, which needs a restart.
        mark = os.path.getsize(log_path)
        cm.publish(config(proxy_port, admin_port, origin_port, deny_second=True, listen_port=free_port()))
        line = wait_line(log_path, "reload (", mark)
        print("  " + line)
        if "needs a restart (kept 127.0.0.1:%d)" % proxy_port not in line:
            sys.exit("FAIL: a listen change was not named as needing a restart: " + line)
        took = wait_for_status(proxy_port, origin_port, 403, time.monotonic())
        time.sleep(0.5)

        stop.set()
        for t in threads:
            t.join(15)
        applied = metric(admin_port, 'hopwise_config_reloads_total{result="applied"}')
        refused = metric(admin_port, 'hopwise_config_reloads_total{result="refused"}')
        print(f"reload: steady load {steady.ok} requests ok, {len(steady.failed)} failed; "
              f"tunnels {tunnels.ok} requests ok, {len(tunnels.failed)} failed; reloads applied {applied}, refused {refused}")
        if steady.failed or tunnels.failed:
            sys.exit("FAIL: " + "; ".join((steady.failed + tunnels.failed)[:5]))
        if steady.ok < 100 or tunnels.ok < 20:
            sys.exit("FAIL: too little traffic went through to say anything")
        # 3 or 4 applied: the watch may also see the edit that SIGHUP announced, if it looks first.
        if applied not in (3, 4) or refused != 1:
            sys.exit(f"FAIL: /metrics counts {applied} applied and {refused} refused reloads, not 3 (or 4) and 1")
        if took > 2:
            sys.exit("FAIL: slow")
        print("reload: OK")
    finally:
        proxy.terminate()
        try:
            proxy.wait(20)
        except subprocess.TimeoutExpired:
            proxy.kill()
        for srv in servers:
            srv.shutdown()


if __name__ == "__main__":
    main()
