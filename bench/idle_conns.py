#!/usr/bin/env python3
"""Idle keep-alive client connections for bench/peers.sh (scenario "idle").

Opens COUNT connections to 127.0.0.1:PORT in batches. On each connection it sends one GET
(absolute-form for a forward proxy, origin-form for a reverse proxy) and reads the complete
response, then leaves the connection open and idle: a keep-alive client between requests.
After all batches it holds them HOLD seconds, counts how many are still open, reads the memory
of the server processes (/proc/PID/status: VmRSS, and VmHWM = peak RSS) and prints one line:

  IDLE_RESULT mode=... target=... opened=... answered=... held=... server_established=...
              rss0_kb=... hwm_kb=... rss_kb=... ...

Mode "auto" first tries one connection: if the server closes it after the response (tinyproxy
does: it has no client keep-alive), the connections are opened WITHOUT a request ("connect"
mode: an idle connection that has not sent its request yet), which the result line says.

Everything is bounded: each batch has a deadline, and the whole run MAX_SECS. Connections are
closed with SO_LINGER 0 (a reset), so they leave no TIME_WAIT sockets behind. Loopback only.
"""
import argparse
import errno
import os
import resource
import select
import socket
import struct
import subprocess
import sys
import time


def status_kb(pids, key):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def reset_hwm(pids):
    ok = True
    for pid in pids:
        try:
            with open(f"/proc/{pid}/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            ok = False
    return ok


def response_complete(buf):
    """None if incomplete, else (status, total length, has Connection: close)."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = buf[:end].decode("latin-1").split("\r\n")
    try:
        status = int(head[0].split()[1])
    except (IndexError, ValueError):
        return (0, end + 4, True)
    length = 0
    close = False
    for line in head[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            try:
                length = int(value.strip())
            except ValueError:
                length = 0
        elif name == "connection" and "close" in value.lower():
            close = True
    if len(buf) < end + 4 + length:
        return None
    return (status, end + 4 + length, close)


def close_hard(s):
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    s.close()


class Result:
    def __init__(self):
        self.opened = 0
        self.connect_failed = 0
        self.answered = 0
        self.bad_status = 0
        self.no_answer = 0
        self.fd_limit = False
        self.stopped_early = ""


def open_batch(addr, k, request, deadline, res, keep, sources=1):
    socks = []
    for i in range(k):
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        except OSError as e:
            if e.errno in (errno.EMFILE, errno.ENFILE):
                res.fd_limit = True
                break
            raise
        if sources > 1:
            # One source address has about 28,000 ephemeral ports towards one destination: more
            # connections than that come from 127.0.0.2, 127.0.0.3, ... (all loopback).
            s.bind((f"127.0.0.{2 + (res.opened + res.connect_failed + i) % sources}", 0))
        s.setblocking(False)
        err = s.connect_ex(addr)
        if err not in (0, errno.EINPROGRESS):
            res.connect_failed += 1
            close_hard(s)
            continue
        socks.append(s)
    if not socks:
        return
    poller = select.poll()
    by_fd = {}
    for s in socks:
        poller.register(s.fileno(), select.POLLOUT)
        by_fd[s.fileno()] = s
    pending = dict(by_fd)
    # 1. wait for the connects
    connected = {}
    while pending and time.monotonic() < deadline:
        for fd, ev in poller.poll(100):
            s = pending.pop(fd, None)
            if s is None:
                continue
            poller.unregister(fd)
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0 or ev & (select.POLLERR | select.POLLHUP):
                res.connect_failed += 1
                close_hard(s)
            else:
                connected[fd] = s
    for fd, s in pending.items():   # connect did not finish in time
        poller.unregister(fd)
        res.connect_failed += 1
        close_hard(s)
    res.opened += len(connected)
    if request is None:
        keep.extend(connected.values())
        return
    # 2. one request per connection, read the whole response
    bufs = {}
    for fd, s in list(connected.items()):
        try:
            s.send(request)   # small: fits the empty send buffer at once
        except OSError:
            res.no_answer += 1
            close_hard(s)
            del connected[fd]
            continue
        bufs[fd] = b""
        poller.register(fd, select.POLLIN)
    waiting = dict(connected)
    while waiting and time.monotonic() < deadline:
        for fd, ev in poller.poll(100):
            s = waiting.get(fd)
            if s is None:
                continue
            try:
                data = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                res.no_answer += 1
                poller.unregister(fd)
                del waiting[fd]
                close_hard(s)
                continue
            bufs[fd] += data
            done = response_complete(bufs[fd])
            if done is not None:
                poller.unregister(fd)
                del waiting[fd]
                status, _, _ = done
                if status == 200:
                    res.answered += 1
                    keep.append(s)
                else:
                    res.bad_status += 1
                    keep.append(s)   # still an open connection, unless the server closes it
    for fd, s in waiting.items():
        poller.unregister(fd)
        res.no_answer += 1
        close_hard(s)


def still_open(socks):
    """Sockets the server has not closed (no EOF / reset pending)."""
    alive = []
    for s in socks:
        try:
            data = s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
            if data == b"":
                continue          # EOF: closed by the server
            alive.append(s)       # unexpected bytes, but open
        except BlockingIOError:
            alive.append(s)
        except OSError:
            continue
    return alive


def server_established(port):
    """Established sockets on the server side of 127.0.0.1:port (cross-check, from ss)."""
    try:
        out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
                             capture_output=True, text=True, timeout=20).stdout
        return sum(1 for line in out.splitlines() if line.strip())
    except (OSError, subprocess.SubprocessError):
        return -1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--target", required=True, help="request-target, e.g. http://127.0.0.1:8080/small or /small")
    ap.add_argument("--host", required=True, help="Host header value")
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--hold", type=float, default=3.0, help="seconds to hold all connections idle")
    ap.add_argument("--mode", choices=["auto", "request", "connect"], default="auto")
    ap.add_argument("--pids", default="", help="comma-separated server PIDs whose memory is read")
    ap.add_argument("--batch-secs", type=float, default=15.0, help="deadline per batch")
    ap.add_argument("--max-secs", type=float, default=90.0, help="bound on the whole opening phase")
    ap.add_argument("--sources", type=int, default=0,
                    help="source addresses 127.0.0.2.. to spread the connections over (0: one per 25,000 connections, "
                         "none below that)")
    a = ap.parse_args()
    sources = a.sources if a.sources > 0 else (a.count + 24999) // 25000
    if not 1 <= sources <= 250:
        ap.error("--sources must be in 1..250")

    t_start = time.monotonic()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = a.count + 64
    if soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        except (ValueError, OSError):
            pass
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    pids = [int(p) for p in a.pids.split(",") if p.strip()]
    addr = ("127.0.0.1", a.port)
    request = (f"GET {a.target} HTTP/1.1\r\nHost: {a.host}\r\nUser-Agent: hopwise-bench-idle\r\n"
               f"Accept: */*\r\n\r\n").encode("ascii")

    mode = a.mode
    if mode == "auto":
        # does the server keep a connection open after a response?
        probe_res, probe = Result(), []
        open_batch(addr, 1, request, time.monotonic() + 10, probe_res, probe)
        if probe_res.answered != 1:
            print(f"IDLE_RESULT error=probe_failed opened={probe_res.opened} connect_failed={probe_res.connect_failed} "
                  f"no_answer={probe_res.no_answer} bad_status={probe_res.bad_status}", flush=True)
            return 1
        time.sleep(0.5)
        mode = "request" if still_open(probe) else "connect"
        for s in probe:
            close_hard(s)
        time.sleep(0.5)

    rss0 = status_kb(pids, "VmRSS")
    hwm_reset = reset_hwm(pids) if pids else False
    res = Result()
    keep = []
    t_open = time.monotonic()
    deadline_all = t_open + a.max_secs
    while res.opened + res.connect_failed < a.count and not res.fd_limit:
        now = time.monotonic()
        if now >= deadline_all:
            res.stopped_early = "time_limit"
            break
        k = min(a.batch, a.count - res.opened - res.connect_failed)
        before = res.opened + res.connect_failed
        open_batch(addr, k, request if mode == "request" else None, min(now + a.batch_secs, deadline_all), res, keep,
                   sources)
        if res.opened + res.connect_failed == before:
            res.stopped_early = "no_progress"
            break
        if res.connect_failed > max(100, a.count // 10):
            res.stopped_early = "connect_failures"
            break
    if res.fd_limit:
        res.stopped_early = f"client_fd_limit_{nofile}"
    open_secs = time.monotonic() - t_open
    time.sleep(max(0.0, a.hold))
    alive = still_open(keep)
    established = server_established(a.port)
    hwm = status_kb(pids, "VmHWM")
    rss = status_kb(pids, "VmRSS")
    threads = status_kb(pids, "Threads")
    print(f"IDLE_RESULT mode={mode} target={a.count} opened={res.opened} answered={res.answered} "
          f"bad_status={res.bad_status} no_answer={res.no_answer} connect_failed={res.connect_failed} "
          f"held={len(alive)} server_established={established} rss0_kb={rss0} hwm_kb={hwm} rss_kb={rss} "
          f"threads={threads} hwm_reset={1 if hwm_reset else 0} open_secs={open_secs:.2f} "
          f"client_nofile={nofile} stopped={res.stopped_early or 'no'} total_secs={time.monotonic() - t_start:.2f}",
          flush=True)
    for s in keep:
        close_hard(s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
