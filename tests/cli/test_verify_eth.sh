#!/usr/bin/env bash
# CLI contract of `pontifex verify eth-header` and `verify eth-proof`:
# exit codes 0/1/2/3 and one JSON object with --json. Inputs are derived
# at test time, in a temporary folder, from the shared vectors (nothing is
# copied into the repository); without them the test is skipped (77).
# Usage: test_verify_eth.sh PONTIFEX VECTORS_DIR
set -u
bin=$1
vec=$2/ethereum
if [ ! -d "$vec/rpc" ]; then
	echo "cli verify eth: skipped (no vectors at $vec)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() { # NAME WANT-EXIT GOT-EXIT
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: exit $3, want $2 ($(head -c 300 "$tmp/err"))"
	fi
}

expect() { # NAME WANT-EXIT ARGS...
	local name=$1 want=$2
	shift 2
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	check "$name" "$want" "$?"
}

# The response line of a recorded exchange, and pieces of it.
response() { sed -n 's/^<< //p' "$1" | head -1; }
py() { python3 -c "$@"; }

response "$vec/rpc/eth_getBlockByNumber/get-block-london-fork.io" > "$tmp/london-response.json"
py 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["result"]))' "$tmp/london-response.json" > "$tmp/london.json"
hash=$(py 'import json,sys; print(json.load(open(sys.argv[1]))["hash"])' "$tmp/london.json")
number=$(py 'import json,sys; print(int(json.load(open(sys.argv[1]))["number"], 16))' "$tmp/london.json")
badhash=${hash:0:10}$( [ "${hash:10:1}" = 0 ] && echo 1 || echo 0 )${hash:11}

# eth-header: verified.
expect "header result" 0 verify eth-header "$tmp/london.json"
grep -q "$hash" "$tmp/out" || { fail=$((fail + 1)); echo "FAIL header: hash not printed"; }
grep -q "number  $number" "$tmp/out" || { fail=$((fail + 1)); echo "FAIL header: number not printed"; }
expect "header response" 0 verify eth-header "$tmp/london-response.json"
expect "header expected hash" 0 verify eth-header "$tmp/london.json" --expect-hash "$hash"
expect "header expected hash first" 0 verify eth-header --expect-hash "${hash#0x}" "$tmp/london.json"
expect "header on stdin" 0 verify eth-header - < "$tmp/london.json"
for f in "$vec"/rpc/eth_getBlockByNumber/*.io "$vec"/rpc/eth_getBlockByHash/*.io; do
	response "$f" > "$tmp/blk.json"
	if py 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["result"] is None else 1)' "$tmp/blk.json"; then
		expect "$(basename "$f") (null result)" 2 verify eth-header "$tmp/blk.json"
	else
		expect "$(basename "$f")" 0 verify eth-header "$tmp/blk.json"
	fi
done

# eth-header: not verified.
expect "header wrong expected hash" 1 verify eth-header "$tmp/london.json" --expect-hash "$badhash"
grep -q '^not verified: ' "$tmp/err" || { fail=$((fail + 1)); echo "FAIL header: no reason on stderr"; }
py 'import json,sys; d=json.load(open(sys.argv[1])); d["gasUsed"]="0x1"; print(json.dumps(d))' "$tmp/london.json" > "$tmp/changed.json"
expect "header changed field" 1 verify eth-header "$tmp/changed.json"
py 'import json,sys; d=json.load(open(sys.argv[1])); d["hash"]=sys.argv[2]; print(json.dumps(d))' "$tmp/london.json" "$badhash" > "$tmp/claimed.json"
expect "header wrong claimed hash" 1 verify eth-header "$tmp/claimed.json"

# eth-header: malformed and usage.
py 'import json,sys; d=json.load(open(sys.argv[1])); del d["stateRoot"]; print(json.dumps(d))' "$tmp/london.json" > "$tmp/missing.json"
expect "header missing field" 2 verify eth-header "$tmp/missing.json"
grep -q stateRoot "$tmp/err" || { fail=$((fail + 1)); echo "FAIL header: missing field not named"; }
py 'import json,sys; d=json.load(open(sys.argv[1])); d["stateRoot"]="0x1234"; print(json.dumps(d))' "$tmp/london.json" > "$tmp/short.json"
expect "header short hash field" 2 verify eth-header "$tmp/short.json"
py 'import json,sys; d=json.load(open(sys.argv[1])); d["number"]=27; print(json.dumps(d))' "$tmp/london.json" > "$tmp/int.json"
expect "header number as integer" 2 verify eth-header "$tmp/int.json"
head -c 100 "$tmp/london.json" > "$tmp/trunc.json"
expect "header truncated JSON" 2 verify eth-header "$tmp/trunc.json"
printf '[1,2,3]' > "$tmp/array.json"
expect "header not an object" 2 verify eth-header "$tmp/array.json"
py 'import json,sys; d=json.load(open(sys.argv[1])); del d["hash"]; print(json.dumps(d))' "$tmp/london.json" > "$tmp/nohash.json"
expect "header without hash" 2 verify eth-header "$tmp/nohash.json"
expect "header without hash, expected given" 0 verify eth-header "$tmp/nohash.json" --expect-hash "$hash"
expect "header odd expected hash" 2 verify eth-header "$tmp/london.json" --expect-hash "${hash}0"
expect "header short expected hash" 2 verify eth-header "$tmp/london.json" --expect-hash 0x1234
expect "header no file" 2 verify eth-header
expect "header two files" 2 verify eth-header "$tmp/london.json" "$tmp/london.json"
expect "header unknown option" 2 verify eth-header --frobnicate "$tmp/london.json"
expect "header option without value" 2 verify eth-header "$tmp/london.json" --expect-hash
expect "header missing file" 3 verify eth-header "$tmp/does-not-exist.json"

# eth-proof: the state root of the proofs' block is the chain head's
# (from the recorded latest block).
response "$vec/rpc/eth_getBlockByNumber/get-latest.io" > "$tmp/latest.json"
root=$(py 'import json,sys; print(json.load(open(sys.argv[1]))["result"]["stateRoot"])' "$tmp/latest.json")
badroot=${root:0:20}$( [ "${root:20:1}" = 0 ] && echo 1 || echo 0 )${root:21}
response "$vec/rpc/eth_getProof/get-account-proof-with-storage.io" > "$tmp/proof-response.json"
py 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["result"]))' "$tmp/proof-response.json" > "$tmp/proof.json"
expect "proof result" 0 verify eth-proof --state-root "$root" --proof "$tmp/proof.json"
grep -q '^balance' "$tmp/out" && grep -q '^code hash' "$tmp/out" && grep -q '^slot ' "$tmp/out" ||
	{ fail=$((fail + 1)); echo "FAIL proof: account fields not printed"; }
expect "proof response" 0 verify eth-proof --state-root "${root#0x}" --proof "$tmp/proof-response.json"
expect "proof on stdin" 0 verify eth-proof --state-root "$root" --proof - < "$tmp/proof.json"
for f in "$vec"/rpc/eth_getProof/*.io; do
	grep -q '"latest"\]\|\[\]\]}' "$f" || continue
	response "$f" > "$tmp/p.json"
	expect "$(basename "$f")" 0 verify eth-proof --state-root "$root" --proof "$tmp/p.json"
done
# Absent account and slot from the edge cases (their own state root).
eroot=$(py 'import json,sys; print(json.load(open(sys.argv[1]))["stateRoot"])' "$vec/proofs/edge-cases.json")
py 'import json,sys
d = json.load(open(sys.argv[1]))
for c in d["cases"]:
    if c["expect"] == "valid" and "absent account" in c["what"]:
        print(json.dumps(c["result"])); break' "$vec/proofs/edge-cases.json" > "$tmp/absent.json"
expect "proof absent account" 0 verify eth-proof --state-root "$eroot" --proof "$tmp/absent.json"
grep -q 'absent' "$tmp/out" || { fail=$((fail + 1)); echo "FAIL proof: absence not reported"; }

# eth-proof: not verified.
expect "proof wrong root" 1 verify eth-proof --state-root "$badroot" --proof "$tmp/proof.json"
py 'import json,sys; d=json.load(open(sys.argv[1])); d["balance"]="0x1"; print(json.dumps(d))' "$tmp/proof.json" > "$tmp/bal.json"
expect "proof changed balance" 1 verify eth-proof --state-root "$root" --proof "$tmp/bal.json"
py 'import json,sys; d=json.load(open(sys.argv[1])); s=d["storageProof"][0]; s["value"]=hex(int(s["value"],16)+1); print(json.dumps(d))' "$tmp/proof.json" > "$tmp/val.json"
expect "proof changed slot value" 1 verify eth-proof --state-root "$root" --proof "$tmp/val.json"
py 'import json,sys
d = json.load(open(sys.argv[1])); n = d["accountProof"][-1]
d["accountProof"][-1] = n[:-4] + ("00" if n[-4:-2] != "00" else "01") + n[-2:]
print(json.dumps(d))' "$tmp/proof.json" > "$tmp/node.json"
expect "proof changed node byte" 1 verify eth-proof --state-root "$root" --proof "$tmp/node.json"

# eth-proof: malformed and usage.
py 'import json,sys; d=json.load(open(sys.argv[1])); d["accountProof"][0]=d["accountProof"][0][:-1]; print(json.dumps(d))' "$tmp/proof.json" > "$tmp/odd.json"
expect "proof odd hex node" 2 verify eth-proof --state-root "$root" --proof "$tmp/odd.json"
py 'import json,sys; d=json.load(open(sys.argv[1])); del d["address"]; print(json.dumps(d))' "$tmp/proof.json" > "$tmp/noaddr.json"
expect "proof missing address" 2 verify eth-proof --state-root "$root" --proof "$tmp/noaddr.json"
printf '{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"missing trie node"}}' > "$tmp/rpcerr.json"
expect "proof error response" 2 verify eth-proof --state-root "$root" --proof "$tmp/rpcerr.json"
expect "proof short root" 2 verify eth-proof --state-root 0x1234 --proof "$tmp/proof.json"
expect "proof bad root" 2 verify eth-proof --state-root zz --proof "$tmp/proof.json"
expect "proof missing --proof" 2 verify eth-proof --state-root "$root"
expect "proof extra argument" 2 verify eth-proof --state-root "$root" --proof "$tmp/proof.json" extra
expect "proof missing file" 3 verify eth-proof --state-root "$root" --proof "$tmp/does-not-exist.json"

# Help lists both.
expect "verify --help" 0 verify --help
grep -q 'eth-header' "$tmp/out" && grep -q 'eth-proof' "$tmp/out" ||
	{ fail=$((fail + 1)); echo "FAIL verify --help does not list eth-header and eth-proof"; }

# --json: exactly one object on stdout, for every outcome.
json_check() { # NAME WANT-EXIT WANT-VERIFIED WANT-CODE EXTRA-KEYS ARGS...
	local name=$1 want=$2 wv=$3 wc=$4 keys=$5
	shift 5
	"$bin" --json "$@" >"$tmp/out" 2>"$tmp/err"
	check "$name" "$want" "$?"
	if py 'import json,sys
d = json.loads(open(sys.argv[1]).read())
assert isinstance(d, dict) and set(d) >= {"verified", "code", "message"}, d
assert d["verified"] == (sys.argv[2] == "true"), d
assert sys.argv[3] == "any" or d["code"] == int(sys.argv[3]), d
assert isinstance(d["message"], str) and d["message"], d
for k in filter(None, sys.argv[4].split(",")):
    assert k in d, (k, d)
if "hash" in d:
    assert d["hash"].startswith("0x") and len(d["hash"]) == 66, d
    assert isinstance(d["number"], int), d' "$tmp/out" "$wv" "$wc" "$keys" 2>"$tmp/pyerr"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: JSON output: $(cat "$tmp/out") $(tail -1 "$tmp/pyerr")"
	fi
}
json_check "json header verified" 0 true 0 hash,number verify eth-header "$tmp/london.json"
py 'import json,sys; d=json.load(open(sys.argv[1])); assert d["hash"]==sys.argv[2] and d["number"]==int(sys.argv[3])' "$tmp/out" "$hash" "$number" ||
	{ fail=$((fail + 1)); echo "FAIL json header: hash or number wrong"; }
json_check "json header not verified" 1 false 340 hash,number verify eth-header "$tmp/changed.json"
json_check "json header malformed" 2 false any "" verify eth-header "$tmp/missing.json"
json_check "json header usage" 2 false 500 "" verify eth-header
json_check "json header io" 3 false 101 "" verify eth-header "$tmp/does-not-exist.json"
json_check "json proof verified" 0 true 0 account,stateRoot verify eth-proof --state-root "$root" --proof "$tmp/proof.json"
json_check "json proof not verified" 1 false 301 "" verify eth-proof --state-root "$badroot" --proof "$tmp/proof.json"
json_check "json proof value mismatch" 1 false 303 "" verify eth-proof --state-root "$root" --proof "$tmp/bal.json"
json_check "json proof malformed" 2 false any "" verify eth-proof --state-root "$root" --proof "$tmp/odd.json"
json_check "json proof io" 3 false 101 "" verify eth-proof --state-root "$root" --proof "$tmp/does-not-exist.json"

echo "cli verify eth: $((pass + fail)) checks, $pass passed, $fail failed"
[ "$fail" -eq 0 ]
