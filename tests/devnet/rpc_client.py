#!/usr/bin/env python3
"""Small RPC client for the pontifex-devnet integration test, standard
library only (a fresh Debian has python3 but no websocket module):
HTTP GET/POST, light-block files for `pontifex verify header`, and a
websocket client written on a raw socket (RFC 6455 handshake and frames).

usage: rpc_client.py COMMAND ARGS...   (see the functions below)"""
import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.error
import urllib.request

TIMEOUT = 10


def http(url, body=None):
    """(status, parsed JSON or None, raw text)"""
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        doc = json.loads(raw)
    except ValueError:
        doc = None
    return status, doc, raw.decode("utf-8", "replace")


def result(url):
    status, doc, raw = http(url)
    if status != 200 or doc is None or "result" not in doc:
        sys.exit("rpc %s: status %d: %s" % (url, status, raw[:300]))
    return doc["result"]


def cmd_freeport():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


def cmd_get(url):
    status, _, raw = http(url)
    sys.stdout.write(raw)
    return 0 if status == 200 else 1


def cmd_post(url, body):
    """Prints 'STATUS BODY'; body '@big:N' sends N bytes of a JSON string."""
    if body.startswith("@big:"):
        n = int(body[5:])
        data = b'{"jsonrpc":"2.0","id":1,"method":"status","params":{"x":"' + b"a" * n + b'"}}'
    else:
        data = body.encode()
    status, _, raw = http(url, data)
    print(status, raw.strip())
    return 0


def cmd_wait_height(url, height, timeout):
    end = time.time() + float(timeout)
    while time.time() < end:
        try:
            r = result(url + "/status")
            if int(r["sync_info"]["latest_block_height"]) >= int(height):
                return 0
        except (OSError, SystemExit):
            pass
        time.sleep(0.1)
    sys.exit("height %s not reached in %ss" % (height, timeout))


def valset(url, h):
    r = result("%s/validators?height=%d&per_page=100" % (url, h))
    vals = r["validators"]
    total = sum(int(v["voting_power"]) for v in vals)
    return {"validators": vals, "proposer": vals[0], "total_voting_power": str(total)}


def cmd_lightblock(url, height, out):
    h = int(height)
    commit = result("%s/commit?height=%d" % (url, h))
    doc = {"signed_header": commit["signed_header"], "validator_set": valset(url, h),
           "next_validator_set": valset(url, h + 1)}
    with open(out, "w") as f:
        json.dump(doc, f)
    return 0


def cmd_header_field(url, height, field):
    print(result("%s/header?height=%s" % (url, height))["header"][field])
    return 0


def cmd_abci(url, height, store, key_hex, out):
    r = result('%s/abci_query?path="/store/%s/key"&data=0x%s&height=%s&prove=true'
               % (url, store, key_hex, height))
    with open(out, "w") as f:
        json.dump({"result": r}, f)
    return 0


# ---- websocket ----

def ws_connect(port):
    s = socket.create_connection(("127.0.0.1", int(port)), timeout=TIMEOUT)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET /websocket HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
               % (port, key)).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1)
        if not chunk:
            sys.exit("websocket: connection closed during the handshake")
        head += chunk
    if b" 101 " not in head.split(b"\r\n")[0]:
        sys.exit("websocket: handshake refused: %r" % head[:200])
    return s


def ws_send(s, text):
    data = text.encode()
    mask = os.urandom(4)
    n = len(data)
    if n < 126:
        hdr = struct.pack("!BB", 0x81, 0x80 | n)
    elif n < 65536:
        hdr = struct.pack("!BBH", 0x81, 0x80 | 126, n)
    else:
        hdr = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
    s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError("websocket closed")
        buf += chunk
    return buf


def ws_recv(s):
    """The next text message as JSON (fragments joined, control frames skipped)."""
    payload = b""
    while True:
        b0, b1 = recv_exact(s, 2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", recv_exact(s, 2))[0]
        elif n == 127:
            n = struct.unpack("!Q", recv_exact(s, 8))[0]
        data = recv_exact(s, n)
        op = b0 & 0x0F
        if op == 8:
            raise EOFError("websocket close frame")
        if op in (9, 10):
            continue
        payload += data
        if b0 & 0x80:
            return json.loads(payload)


def cmd_ws(port, count):
    """Subscribes to NewBlock, checks COUNT consecutive events and their
    shape, unsubscribes; prints the heights."""
    s = ws_connect(port)
    ws_send(s, json.dumps({"jsonrpc": "2.0", "id": "sub-1", "method": "subscribe",
                           "params": {"query": "tm.event='NewBlock'"}}))
    ack = ws_recv(s)
    if ack.get("id") != "sub-1" or ack.get("result") != {}:
        sys.exit("subscribe: unexpected reply %s" % ack)
    heights = []
    while len(heights) < int(count):
        ev = ws_recv(s)
        r = ev["result"]
        assert ev["id"] == "sub-1" and ev["jsonrpc"] == "2.0", ev
        assert r["query"] == "tm.event = 'NewBlock'", r["query"]
        assert r["events"]["tm.event"] == ["NewBlock"], r["events"]
        assert r["data"]["type"] == "tendermint/event/NewBlock", r["data"]["type"]
        v = r["data"]["value"]
        for k in ("block", "block_id", "result_finalize_block"):
            assert k in v, k
        assert isinstance(v["block"]["header"]["height"], str)
        heights.append(int(v["block"]["header"]["height"]))
    for a, b in zip(heights, heights[1:]):
        if b != a + 1:
            sys.exit("events not consecutive: %s" % heights)
    # a malformed query is an error, and the connection stays usable
    ws_send(s, json.dumps({"jsonrpc": "2.0", "id": 7, "method": "subscribe",
                           "params": {"query": "tm.event=NewBlock"}}))
    ws_send(s, "{not json")
    ws_send(s, json.dumps({"jsonrpc": "2.0", "id": 8, "method": "health"}))
    ws_send(s, json.dumps({"jsonrpc": "2.0", "id": 9, "method": "unsubscribe",
                           "params": {"query": "tm.event = 'NewBlock'"}}))
    seen = {}
    end = time.time() + TIMEOUT
    while len(seen) < 4 and time.time() < end:
        m = ws_recv(s)
        if m.get("id") == "sub-1":
            continue      # an event sent before the unsubscribe
        seen[m.get("id")] = m
    assert seen[7]["error"]["code"] == -32603, seen[7]
    assert seen[-1]["error"]["code"] == -32700, seen[-1]
    assert seen[8]["result"] == {}, seen[8]
    assert seen[9]["result"] == {}, seen[9]
    s.close()
    print(" ".join(map(str, heights)))
    return 0


def cmd_ws_drop(port, every):
    """Fault drop_ws: a NewBlock subscriber sees its connection closed when
    devnet_fault drop_ws is called, reconnects and gets events again; then
    with drop_ws=EVERY the connection closes at its EVERY-th message (the
    subscribe reply is the first). Prints 'dropped reconnected closed-at-N'."""
    url = "http://127.0.0.1:%s" % port
    s = ws_connect(port)
    ws_send(s, json.dumps({"jsonrpc": "2.0", "id": 1, "method": "subscribe",
                           "params": {"query": "tm.event = 'NewBlock'"}}))
    assert ws_recv(s).get("result") == {}
    ws_recv(s)      # one event: the subscription works
    doc = rpc_call(url, "devnet_fault", {"name": "drop_ws"})
    assert "result" in doc, doc
    try:
        end = time.time() + TIMEOUT
        while time.time() < end:
            ws_recv(s)
        sys.exit("drop_ws: the connection stayed open")
    except (EOFError, OSError):
        pass
    s.close()
    print("dropped", end=" ")
    s = ws_connect(port)
    ws_send(s, json.dumps({"jsonrpc": "2.0", "id": 2, "method": "subscribe",
                           "params": {"query": "tm.event = 'NewBlock'"}}))
    assert ws_recv(s).get("result") == {}
    assert ws_recv(s)["result"]["data"]["type"] == "tendermint/event/NewBlock"
    s.close()
    print("reconnected", end=" ")
    doc = rpc_call(url, "devnet_fault", {"name": "drop_ws", "value": int(every)})
    assert doc["result"]["drop_ws"] == int(every), doc
    s = ws_connect(port)
    ws_send(s, json.dumps({"jsonrpc": "2.0", "id": 3, "method": "subscribe",
                           "params": {"query": "tm.event = 'NewBlock'"}}))
    got = 0
    try:
        while got < 10 * int(every):
            ws_recv(s)
            got += 1
    except (EOFError, OSError):
        pass
    s.close()
    rpc_call(url, "devnet_fault", {"name": "drop_ws", "value": "off"})
    print("closed-at-%d" % (got + 1))
    return 0


def cmd_ws_last_commit(port):
    """Prints 'HEIGHT SIGNATURE' of the last_commit (first signature) of the
    next NewBlock event: the commit of HEIGHT - 1."""
    s = ws_connect(port)
    ws_send(s, json.dumps({"jsonrpc": "2.0", "id": 1, "method": "subscribe",
                           "params": {"query": "tm.event = 'NewBlock'"}}))
    assert ws_recv(s).get("result") == {}
    b = ws_recv(s)["result"]["data"]["value"]["block"]
    s.close()
    print(b["header"]["height"], b["last_commit"]["signatures"][0]["signature"])
    return 0


def cmd_fault(url, name, value=None):
    """devnet_fault NAME [VALUE] over POST; prints the compact response."""
    params = {"name": name}
    if value is not None:
        params["value"] = value
    print(json.dumps(rpc_call(url, "devnet_fault", params), sort_keys=True,
                     separators=(",", ":")))
    return 0


def cmd_block_hash(path):
    """The block hash a light-block file's commit signs."""
    with open(path) as f:
        print(json.load(f)["signed_header"]["commit"]["block_id"]["hash"])
    return 0


def cmd_timed(url):
    """Milliseconds that GET URL takes."""
    t = time.monotonic()
    http(url)
    print(int((time.monotonic() - t) * 1000))
    return 0


def rpc_call(url, method, params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
    _, doc, raw = http(url + "/", body.encode())
    return doc if doc is not None else {"raw": raw}


def cmd_broadcast(url, method, tx):
    """Prints the compact JSON response of broadcast_tx_* with tx (base64)."""
    print(json.dumps(rpc_call(url, method, {"tx": tx}), sort_keys=True, separators=(",", ":")))
    return 0


def cmd_send_all(url, path):
    """broadcast_tx_async of every line of a file (base64 txs)."""
    with open(path) as f:
        for line in f:
            if line.strip():
                rpc_call(url, "broadcast_tx_async", {"tx": line.strip()})
    return 0


def tx_hash(b64):
    import hashlib
    return hashlib.sha256(base64.b64decode(b64)).hexdigest().upper()


def cmd_found(url, path):
    """Prints one character per line of a file: 1 if `tx` finds it, else 0."""
    out = ""
    with open(path) as f:
        for line in f:
            if line.strip():
                doc = rpc_call(url, "tx", {"hash": "0x" + tx_hash(line.strip())})
                out += "1" if "result" in doc else "0"
    print(out)
    return 0


def cmd_tx_hash(b64):
    print(tx_hash(b64))
    return 0


def main():
    cmds = {"freeport": cmd_freeport, "get": cmd_get, "post": cmd_post,
            "wait-height": cmd_wait_height, "lightblock": cmd_lightblock,
            "header-field": cmd_header_field, "abci": cmd_abci, "ws": cmd_ws,
            "broadcast": cmd_broadcast, "send-all": cmd_send_all, "found": cmd_found,
            "tx-hash": cmd_tx_hash, "ws-drop": cmd_ws_drop, "fault": cmd_fault,
            "block-hash": cmd_block_hash, "timed": cmd_timed,
            "ws-last-commit": cmd_ws_last_commit}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    sys.exit(cmds[sys.argv[1]](*sys.argv[2:]) or 0)


if __name__ == "__main__":
    main()
