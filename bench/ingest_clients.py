#!/usr/bin/env python3
"""bench/ingest_clients.py: the load generators of bench/ingest (stdlib only).

  mqtt-pub   FILE HOST PORT TOPIC QOS
      Publishes one MQTT message per line of FILE (MQTT 3.1.1, one
      connection) as fast as the broker takes them.  The PUBLISH packets are
      framed before the clock starts, then written in 256 kB writes; for
      QoS 1 at most WINDOW (30000) messages are un-acknowledged, so packet
      ids (1..65535) are never reused while in flight.  Ends after a
      DISCONNECT (QoS 0) or the last PUBACK (QoS 1).
  mqtt-pace  HOST PORT TOPIC QOS RATE SECS
      Publishes RATE synthetic reads per second for SECS seconds, each with
      "sent": the epoch time (us) at which it was handed to the socket.
  http-post  HOST PORT TOKEN CONTENT_TYPE CLIENTS CHUNK...
      POSTs the chunk files over CLIENTS keep-alive connections (one thread
      each, taking the next chunk from a shared list); every answer must be
      200 {"accepted":N,"rejected":M}.  CONTENT_TYPE application/json sends
      each NDJSON chunk as a JSON array instead.
  sub-latency FILE
      Reads mosquitto_sub -F '%U %p' output (receive time, payload) of
      mqtt-pace messages; prints n and p50/p95/p99/max of receive - sent, ms.
  http-pace  HOST PORT TOKEN CLIENTS RATE SECS BATCH
      RATE reads per second for SECS seconds as POSTs of BATCH reads, one
      every BATCH/RATE s, over CLIENTS connections; "sent" as for mqtt-pace
      (stamped when the POST is started).

Each prints one line of key=value pairs: t_first and t_last (epoch seconds
of the first write and of the end), sent (messages or rows), and for http
accepted and rejected.  Errors go to stderr with exit status 1.
"""
import http.client
import json
import os
import pickle
import random
import select
import socket
import sys
import threading
import time

WINDOW = 30000


def die(msg):
    print("ingest_clients: " + msg, file=sys.stderr)
    sys.exit(1)


def remlen(n):
    out = bytearray()
    while True:
        b = n % 128
        n //= 128
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def mqtt_str(s):
    b = s.encode()
    return len(b).to_bytes(2, "big") + b


def mqtt_connect(host, port, client_id):
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    var = mqtt_str("MQTT") + bytes([4, 0x02]) + (60).to_bytes(2, "big")
    body = var + mqtt_str(client_id)
    sock.sendall(b"\x10" + remlen(len(body)) + body)
    ack = b""
    while len(ack) < 4:
        part = sock.recv(4 - len(ack))
        if not part:
            die("broker closed the connection before CONNACK")
        ack += part
    if ack[0] != 0x20 or ack[3] != 0:
        die("CONNACK refused: %r" % ack)
    return sock


class Acks:
    """Counts PUBACKs (4-byte packets) read from the socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.n = 0

    def read(self, block):
        r, _, _ = select.select([self.sock], [], [], None if block else 0)
        if not r:
            return
        data = self.sock.recv(1 << 16)
        if not data:
            die("broker closed the connection")
        self.buf += data
        k = len(self.buf) // 4
        for i in range(k):
            if self.buf[4 * i] != 0x40:
                die("unexpected packet 0x%02x from the broker" % self.buf[4 * i])
        self.n += k
        self.buf = self.buf[4 * k:]


def publish_packet(topic_b, qos, pid, payload):
    if qos == 0:
        body = topic_b + payload
        return b"\x30" + remlen(len(body)) + body
    body = topic_b + pid.to_bytes(2, "big") + payload
    return b"\x32" + remlen(len(body)) + body


def frame_file(path, topic, qos):
    """The PUBLISH packets for every line of path, grouped in writes of
    about 256 kB; cached beside path (framing 2M lines takes seconds)."""
    cache = "%s.%s.q%d.frames" % (path, topic.replace("/", "_"), qos)
    try:
        with open(cache, "rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        pass
    topic_b = mqtt_str(topic)
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    writes, cur, cur_len, counts, n_in = [], [], 0, [], 0
    for i, line in enumerate(lines):
        pkt = publish_packet(topic_b, qos, i % 65535 + 1, line)
        cur.append(pkt)
        cur_len += len(pkt)
        n_in += 1
        if cur_len >= 262144 or n_in >= 2000:
            writes.append(b"".join(cur))
            counts.append(n_in)
            cur, cur_len, n_in = [], 0, 0
    if cur:
        writes.append(b"".join(cur))
        counts.append(n_in)
    with open(cache + ".tmp", "wb") as f:
        pickle.dump((writes, counts), f, protocol=pickle.HIGHEST_PROTOCOL)
    os.rename(cache + ".tmp", cache)
    return writes, counts


def cmd_mqtt_pub(path, host, port, topic, qos):
    qos = int(qos)
    writes, counts = frame_file(path, topic, qos)
    sock = mqtt_connect(host, int(port), "bench-pub-%d" % random.getrandbits(32))
    acks = Acks(sock)
    sent = 0
    t_first = time.time()
    for data, n in zip(writes, counts):
        if qos == 1:
            while sent + n - acks.n > WINDOW:
                acks.read(True)
            acks.read(False)
        sock.sendall(data)
        sent += n
    if qos == 1:
        while acks.n < sent:
            acks.read(True)
    sock.sendall(b"\xe0\x00")
    t_last = time.time()
    sock.close()
    print("t_first=%.6f t_last=%.6f sent=%d" % (t_first, t_last, sent))


def synthetic_read(rng, sent):
    iso = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sent)) + ".%06dZ" % (int(sent * 1e6) % 1000000)
    return ('{"asset_id":"asset-%05d","event_time":"%s","source_id":"reader-%d",'
            '"lon":%.6f,"lat":%.6f,"rssi":%.1f,"sent":%.6f}'
            % (rng.randint(1, 10000), iso, rng.randint(1, 500),
               13.30 + rng.random() * 0.2, 52.45 + rng.random() * 0.1,
               -30 - rng.random() * 60, sent))


def cmd_mqtt_pace(host, port, topic, qos, rate, secs):
    qos, rate, secs = int(qos), float(rate), float(secs)
    total = int(rate * secs)
    topic_b = mqtt_str(topic)
    rng = random.Random(7)
    sock = mqtt_connect(host, int(port), "bench-pace-%d" % random.getrandbits(32))
    acks = Acks(sock)
    t_first = time.time()
    sent = 0
    while sent < total:
        now = time.time()
        due = min(total, int((now - t_first) * rate) + 1)
        if due > sent:
            pkts = []
            for i in range(sent, due):
                pkts.append(publish_packet(topic_b, qos, i % 65535 + 1,
                                           synthetic_read(rng, time.time()).encode()))
            sock.sendall(b"".join(pkts))
            sent = due
        if qos == 1:
            acks.read(False)
        time.sleep(0.0005)
    if qos == 1:
        while acks.n < sent:
            acks.read(True)
    sock.sendall(b"\xe0\x00")
    t_last = time.time()
    sock.close()
    print("t_first=%.6f t_last=%.6f sent=%d" % (t_first, t_last, sent))


class Poster:
    """Keep-alive POSTs on one connection; counts accepted and rejected."""

    def __init__(self, host, port, token):
        self.conn = http.client.HTTPConnection(host, int(port), timeout=300)
        self.headers = {"Authorization": "Bearer " + token} if token else {}

    def post(self, body, ctype):
        h = dict(self.headers)
        h["Content-Type"] = ctype
        self.conn.request("POST", "/", body=body, headers=h)
        r = self.conn.getresponse()
        text = r.read()
        if r.status != 200:
            raise RuntimeError("HTTP %d: %s" % (r.status, text[:300]))
        a = json.loads(text)
        return int(a["accepted"]), int(a["rejected"])


def run_threads(n, fn):
    errors = []

    def wrap():
        try:
            fn()
        except Exception as e:  # reported below, the run fails
            errors.append(repr(e))
    ts = [threading.Thread(target=wrap) for _ in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        die("POST failed: " + errors[0])


def cmd_http_post(host, port, token, ctype, clients, *chunks):
    bodies = []
    for path in chunks:
        with open(path, "rb") as f:
            data = f.read()
        n = data.count(b"\n")
        if ctype == "application/json":
            data = b"[" + b",".join(l for l in data.split(b"\n") if l) + b"]"
        bodies.append((data, n))
    lock = threading.Lock()
    todo = list(reversed(bodies))
    tot = {"accepted": 0, "rejected": 0, "sent": 0}

    def client():
        p = Poster(host, port, token)
        while True:
            with lock:
                if not todo:
                    break
                data, n = todo.pop()
            a, r = p.post(data, ctype)
            with lock:
                tot["accepted"] += a
                tot["rejected"] += r
                tot["sent"] += n
    t_first = time.time()
    run_threads(int(clients), client)
    t_last = time.time()
    print("t_first=%.6f t_last=%.6f sent=%d accepted=%d rejected=%d"
          % (t_first, t_last, tot["sent"], tot["accepted"], tot["rejected"]))


def cmd_http_pace(host, port, token, clients, rate, secs, batch):
    rate, secs, batch = float(rate), float(secs), int(batch)
    nposts = int(rate * secs / batch)
    period = batch / rate
    lock = threading.Lock()
    state = {"next": 0, "accepted": 0, "rejected": 0, "sent": 0, "late": 0}
    t_first = time.time() + 0.2
    rng = random.Random(7)

    def client():
        p = Poster(host, port, token)
        while True:
            with lock:
                k = state["next"]
                if k >= nposts:
                    break
                state["next"] += 1
            due = t_first + k * period
            now = time.time()
            if due > now:
                time.sleep(due - now)
            elif now - due > 0.01:
                with lock:
                    state["late"] += 1
            with lock:
                t = time.time()
                body = "\n".join(synthetic_read(rng, t) for _ in range(batch)) + "\n"
            a, r = p.post(body.encode(), "application/x-ndjson")
            with lock:
                state["accepted"] += a
                state["rejected"] += r
                state["sent"] += batch
    run_threads(int(clients), client)
    t_last = time.time()
    print("t_first=%.6f t_last=%.6f sent=%d accepted=%d rejected=%d late_posts=%d"
          % (t_first, t_last, state["sent"], state["accepted"], state["rejected"], state["late"]))


def cmd_sub_latency(path):
    lat = []
    with open(path) as f:
        for line in f:
            t, _, payload = line.partition(" ")
            if payload.strip():
                lat.append((float(t) - json.loads(payload)["sent"]) * 1000)
    if not lat:
        die("no messages in " + path)
    lat.sort()

    def pct(p):  # as percentile_cont
        x = p * (len(lat) - 1)
        i = int(x)
        return lat[i] if i + 1 >= len(lat) else lat[i] + (lat[i + 1] - lat[i]) * (x - i)
    print("n=%d p50=%.3f p95=%.3f p99=%.3f pmax=%.3f" % (len(lat), pct(0.5), pct(0.95), pct(0.99), lat[-1]))


COMMANDS = {
    "sub-latency": (cmd_sub_latency, 1),
    "mqtt-pub": (cmd_mqtt_pub, 5),
    "mqtt-pace": (cmd_mqtt_pace, 6),
    "http-post": (cmd_http_post, None),
    "http-pace": (cmd_http_pace, 7),
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        die("usage: see the header of this file")
    fn, nargs = COMMANDS[sys.argv[1]]
    args = sys.argv[2:]
    if nargs is not None and len(args) != nargs:
        die("%s takes %d arguments" % (sys.argv[1], nargs))
    fn(*args)
