#!/usr/bin/env python3
"""Builds the example ICS-23 proofs in examples/ics23/ that `make demo`
verifies and the fuzz corpus starts from. Two small trees are built here
from scratch: a simple Merkle tree (the `tendermint` spec, as a multistore
commits its stores) and an IAVL tree (the `iavl` spec, as a Cosmos SDK store
commits its keys). Run it again to regenerate; the output is deterministic.
"""
import base64
import hashlib
import json
import os
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "ics23")


def sha(b):
    return hashlib.sha256(b).digest()


def uvarint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def zigzag(n):
    return uvarint((n << 1) ^ (n >> 63))


def field(num, wire, payload):
    key = uvarint(num << 3 | wire)
    if wire == 2:
        return key + uvarint(len(payload)) + payload
    return key + uvarint(payload)


def leaf_op(prefix):
    # hash SHA256, prehash_key NO_HASH, prehash_value SHA256, length VAR_PROTO
    return field(1, 0, 1) + field(3, 0, 1) + field(4, 0, 1) + field(5, 2, prefix)


def inner_op(prefix, suffix):
    msg = field(1, 0, 1) + field(2, 2, prefix)
    if suffix:
        msg += field(3, 2, suffix)
    return msg


def existence(key, value, leaf_prefix, path):
    msg = field(1, 2, key) + field(2, 2, value) + field(3, 2, leaf_op(leaf_prefix))
    for prefix, suffix in path:
        msg += field(4, 2, inner_op(prefix, suffix))
    return msg


def leaf_hash(prefix, key, value):
    return sha(prefix + uvarint(len(key)) + key + uvarint(32) + sha(value))


# --- simple Merkle tree (tendermint spec) -----------------------------------

def simple_root_and_paths(leaves):
    """Root of the RFC 6962-style tree CometBFT uses, and for each leaf the
    inner ops from the leaf up: (prefix, suffix)."""
    if len(leaves) == 1:
        return leaves[0], [[]]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    lroot, lpaths = simple_root_and_paths(leaves[:k])
    rroot, rpaths = simple_root_and_paths(leaves[k:])
    root = sha(b"\x01" + lroot + rroot)
    paths = [p + [(b"\x01", rroot)] for p in lpaths] + [p + [(b"\x01" + lroot, b"")] for p in rpaths]
    return root, paths


# --- IAVL tree ---------------------------------------------------------------

VERSION = 7


def iavl_build(items):
    """A balanced IAVL tree over sorted items; returns (hash, height, size,
    {key: path}) with paths from the leaf up."""
    if len(items) == 1:
        k, v = items[0]
        prefix = zigzag(0) + zigzag(1) + zigzag(VERSION)
        return leaf_hash(prefix, k, v), 0, 1, {k: []}
    mid = (len(items) + 1) // 2
    lh, lht, lsz, lp = iavl_build(items[:mid])
    rh, rht, rsz, rp = iavl_build(items[mid:])
    height = max(lht, rht) + 1
    size = lsz + rsz
    head = zigzag(height) + zigzag(size) + zigzag(VERSION)
    h = sha(head + b"\x20" + lh + b"\x20" + rh)
    paths = {}
    for k, p in lp.items():
        paths[k] = p + [(head + b"\x20", b"\x20" + rh)]
    for k, p in rp.items():
        paths[k] = p + [(head + b"\x20" + lh + b"\x20", b"")]
    return h, height, size, paths


def iavl_leaf_prefix():
    return zigzag(0) + zigzag(1) + zigzag(VERSION)


SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fuzz", "corpus")


def seed(folder, name, data):
    d = os.path.join(SEEDS, folder)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, name), "wb").write(data)


def write(name, spec, root, key, value, proof, fmt, note):
    for folder in ("ics23_decode", "ics23_verify", "protobuf"):
        seed(folder, "example-" + name, proof)
    base = os.path.join(OUT, name)
    if fmt == "hex":
        data = proof.hex() + "\n"
        path = base + ".hex"
        open(path, "w").write(data)
    elif fmt == "base64":
        path = base + ".b64"
        open(path, "w").write(base64.b64encode(proof).decode() + "\n")
    else:
        path = base + ".bin"
        open(path, "wb").write(proof)
    return {
        "name": name,
        "spec": spec,
        "root": root.hex(),
        "key": key.hex(),
        "value": value.hex() if value is not None else None,
        "proof": os.path.basename(path),
        "note": note,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []

    # A multistore-like simple tree: store name -> store root.
    stores = [(name.encode(), sha(b"root of " + name.encode()))
              for name in ["acc", "bank", "ibc", "params", "staking", "transfer", "upgrade"]]
    leaves = [leaf_hash(b"\x00", k, v) for k, v in stores]
    root, paths = simple_root_and_paths(leaves)

    def tm_exist(i):
        k, v = stores[i]
        return existence(k, v, b"\x00", paths[i])

    ibc = [k for k, _ in stores].index(b"ibc")
    cases.append(write("tendermint-ibc-member", "tendermint", root, b"ibc", stores[ibc][1],
                       field(1, 2, tm_exist(ibc)), "hex",
                       "the 'ibc' store root is committed in the multistore"))
    # "gov" sorts between "bank" and "ibc": absent.
    nonexist = field(1, 2, b"gov") + field(2, 2, tm_exist(ibc - 1)) + field(3, 2, tm_exist(ibc))
    cases.append(write("tendermint-gov-absent", "tendermint", root, b"gov", None,
                       field(2, 2, nonexist), "base64",
                       "no 'gov' store: its neighbours 'bank' and 'ibc' are adjacent"))
    last = len(stores) - 1
    nonexist = field(1, 2, b"zzz") + field(2, 2, tm_exist(last))
    cases.append(write("tendermint-zzz-absent", "tendermint", root, b"zzz", None,
                       field(2, 2, nonexist), "bin",
                       "no 'zzz' store: 'upgrade' is the right-most leaf"))

    # An IAVL store with IBC-like keys.
    items = sorted((("commitments/ports/transfer/channels/channel-0/sequences/%d" % s).encode(),
                    sha(b"packet %d" % s)) for s in range(1, 10))
    iroot, _, _, ipaths = iavl_build(items)
    keys = [k for k, _ in items]

    def iavl_exist(i):
        k, v = items[i]
        return existence(k, v, iavl_leaf_prefix(), ipaths[k])

    cases.append(write("iavl-commitment-member", "iavl", iroot, keys[2], items[2][1],
                       field(1, 2, iavl_exist(2)), "hex",
                       "a packet commitment stored in an IAVL tree"))
    absent = b"commitments/ports/transfer/channels/channel-0/sequences/25"
    lo = max(i for i, k in enumerate(keys) if k < absent)
    nonexist = field(1, 2, absent) + field(2, 2, iavl_exist(lo)) + field(3, 2, iavl_exist(lo + 1))
    cases.append(write("iavl-commitment-absent", "iavl", iroot, absent, None,
                       field(2, 2, nonexist), "hex",
                       "sequence 25 has no commitment: its neighbours are adjacent leaves"))

    # Fuzz seeds for the batch forms: a batch of the multistore proofs and
    # the same batch compressed (paths as indices into a shared table).
    entries = [field(1, 2, tm_exist(i)) for i in range(len(stores))]
    entries.append(field(2, 2, field(1, 2, b"gov") + field(2, 2, tm_exist(ibc - 1)) +
                         field(3, 2, tm_exist(ibc))))
    batch = field(3, 2, b"".join(field(1, 2, e) for e in entries))
    table, comp_entries = [], []

    def index_of(op):
        if op not in table:
            table.append(op)
        return table.index(op)

    def comp_exist(i):
        k, v = stores[i]
        idx = b"".join(uvarint(index_of(inner_op(p, q))) for p, q in paths[i])
        return field(1, 2, k) + field(2, 2, v) + field(3, 2, leaf_op(b"\x00")) + field(4, 2, idx)

    for i in range(len(stores)):
        comp_entries.append(field(1, 2, comp_exist(i)))
    comp_entries.append(field(2, 2, field(1, 2, b"gov") + field(2, 2, comp_exist(ibc - 1)) +
                              field(3, 2, comp_exist(ibc))))
    compressed = field(4, 2, b"".join(field(1, 2, e) for e in comp_entries) +
                       b"".join(field(2, 2, op) for op in table))
    for folder in ("ics23_decode", "ics23_verify"):
        seed(folder, "batch-multistore", batch)
        seed(folder, "compressed-multistore", compressed)

    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"cases": cases}, f, indent=2)
        f.write("\n")
    print("wrote %d example proofs to %s" % (len(cases), os.path.normpath(OUT)))


if __name__ == "__main__":
    sys.exit(main())
