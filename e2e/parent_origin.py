#!/usr/bin/env python3
"""A raw recording origin for e2e/parents.sh: frameworks normalise headers, this does not.

  parent_origin.py PORT LOG [CERT KEY]      (ORIGIN_HOST: the loopback address to listen on, 127.0.0.1)

Appends every request head it receives, exactly as received, to LOG (one JSON object per line:
{"head": "..."}); answers 200 with the request line as body (keep-alive), or, for a WebSocket
upgrade, 101 and then echoes each text frame back. With CERT and KEY it speaks TLS."""
import base64
import hashlib
import json
import os
import socket
import ssl
import sys
import threading

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def read_head(conn, buf):
    while b"\r\n\r\n" not in buf:
        chunk = conn.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    end = buf.index(b"\r\n\r\n") + 4
    return buf[:end].decode("latin-1"), buf[end:]


def recv_exact(conn, n, buf):
    while len(buf) < n:
        chunk = conn.recv(65536)
        if not chunk:
            raise EOFError
        buf += chunk
    return buf[:n], buf[n:]


def websocket_echo(conn, buf):
    """Echoes frames until a close frame or EOF (client frames are masked, ours are not)."""
    while True:
        hdr, buf = recv_exact(conn, 2, buf)
        opcode, length = hdr[0] & 0x0F, hdr[1] & 0x7F
        if length == 126:
            ext, buf = recv_exact(conn, 2, buf)
            length = int.from_bytes(ext, "big")
        elif length == 127:
            ext, buf = recv_exact(conn, 8, buf)
            length = int.from_bytes(ext, "big")
        mask, buf = recv_exact(conn, 4, buf) if hdr[1] & 0x80 else (b"\0\0\0\0", buf)
        data, buf = recv_exact(conn, length, buf)
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        if opcode == 8:
            conn.sendall(b"\x88\x00")
            return
        conn.sendall(bytes([0x80 | opcode, len(payload)]) + payload if len(payload) < 126
                     else bytes([0x80 | opcode, 126]) + len(payload).to_bytes(2, "big") + payload)


def serve(conn, log, lock):
    buf = b""
    try:
        while True:
            head, buf = read_head(conn, buf)
            if head is None:
                return
            with lock, open(log, "a") as f:
                f.write(json.dumps({"head": head}) + "\n")
            fields = {}
            for line in head.split("\r\n")[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    fields[k.strip().lower()] = v.strip()
            if fields.get("upgrade", "").lower() == "websocket":
                accept = base64.b64encode(hashlib.sha1((fields["sec-websocket-key"] + WS_GUID).encode()).digest()).decode()
                conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
                websocket_echo(conn, buf)
                return
            length = int(fields.get("content-length", "0"))
            _, buf = recv_exact(conn, length, buf)
            body = head.split("\r\n", 1)[0].encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    except (OSError, EOFError, ssl.SSLError):
        pass
    finally:
        conn.close()


def main():
    port, log = int(sys.argv[1]), sys.argv[2]
    ctx = None
    if len(sys.argv) > 4:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((os.environ.get("ORIGIN_HOST", "127.0.0.1"), port))
    srv.listen(128)
    lock = threading.Lock()
    while True:
        conn, _ = srv.accept()
        if ctx is not None:
            try:
                conn = ctx.wrap_socket(conn, server_side=True)
            except (OSError, ssl.SSLError):
                conn.close()
                continue
        threading.Thread(target=serve, args=(conn, log, lock), daemon=True).start()


if __name__ == "__main__":
    main()
