#!/usr/bin/env bash
# CLI contract of `pontifex verify header` and `pontifex verify abci` on
# files written at test time by mkchain (signed light blocks of a test
# chain, abci_query responses): exit codes 0/1/2/3, the reason and 3xx code
# on stderr, one JSON object with --json (height, hash, key, value).
# Usage: test_verify_header.sh PONTIFEX MKCHAIN
set -u
bin=$1
mk=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
d="$tmp/in"
"$mk" "$d" || { echo "mkchain failed"; exit 1; }
pass=0
fail=0
# The chain starts 2024-01-01T00:00:00Z, one block every 10 s.
now=2024-01-01T00:10:00Z

check() { # NAME WANT GOT
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

has() { # NAME FILE PATTERN
	if grep -q -- "$3" "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: no '$3' in $(cat "$2")"; fi
}

H() { expect "$1" "$2" verify header --trusted "$d/trusted.json" --now "$now" "${@:3}"; }

H "adjacent" 0 --untrusted "$d/adjacent.json"
has "adjacent prints height" "$tmp/out" '^verified: height 2 hash [0-9A-F]\{64\}'
H "skipping within trust" 0 --untrusted "$d/skip.json"
H "json-rpc envelope" 0 --untrusted "$d/envelope.json"
H "too far without bisection" 1 --untrusted "$d/far.json"
has "not enough trust named" "$tmp/err" 'not_enough_trust (320)'
H "bisection over an array" 0 --untrusted "$d/chain.json"
has "bisection reaches 40" "$tmp/out" '^verified: height 40 .*trace of [0-9]* blocks'
H "bisection over a folder" 0 --untrusted "$d/chain"
has "folder reaches 40" "$tmp/out" '^verified: height 40'
H "trust level 1/1 still adjacent" 0 --untrusted "$d/adjacent.json" --trust-level 1/1
H "wrong chain id" 1 --untrusted "$d/other-chain.json"
has "chain id reason" "$tmp/err" 'chain_id_mismatch (322)'
H "tampered signature" 1 --untrusted "$d/tampered.json"
has "signature reason" "$tmp/err" 'bad_signature (329)'
expect "expired trust" 1 verify header --trusted "$d/trusted.json" --untrusted "$d/adjacent.json" --now 2024-02-01T00:00:00Z
has "expired reason" "$tmp/err" 'trust_expired (321)'
expect "short trusting period" 1 verify header --trusted "$d/trusted.json" --untrusted "$d/adjacent.json" --now "$now" --trusting-period 100s
expect "header from the future" 1 verify header --trusted "$d/trusted.json" --untrusted "$d/adjacent.json" --now 2024-01-01T00:00:05Z
has "future reason" "$tmp/err" 'header_from_future (325)'
expect "trusted is not older" 1 verify header --trusted "$d/adjacent.json" --untrusted "$d/adjacent.json" --now "$now"

# Malformed input and usage: exit 2.
H "bad height" 2 --untrusted "$d/bad-height.json"
printf '{"signed_header": ' > "$tmp/trunc.json"
H "truncated json" 2 --untrusted "$tmp/trunc.json"
H "trusted as untrusted needs validator_set" 2 --untrusted "$d/trusted.json"
expect "trusted file malformed" 2 verify header --trusted "$d/bad-height.json" --untrusted "$d/adjacent.json" --now "$now"
H "trust level out of range" 2 --untrusted "$d/adjacent.json" --trust-level 1/4
H "bad trust level" 2 --untrusted "$d/adjacent.json" --trust-level half
H "bad duration" 2 --untrusted "$d/adjacent.json" --trusting-period 2weeks
H "bad clock drift" 2 --untrusted "$d/adjacent.json" --clock-drift -1s
expect "bad --now" 2 verify header --trusted "$d/trusted.json" --untrusted "$d/adjacent.json" --now yesterday
expect "missing --untrusted" 2 verify header --trusted "$d/trusted.json"
expect "unknown option" 2 verify header --frobnicate
mkdir "$tmp/empty"
H "empty folder" 2 --untrusted "$tmp/empty"
# I/O: exit 3.
H "missing untrusted file" 3 --untrusted "$tmp/nope.json"
expect "missing trusted file" 3 verify header --trusted "$tmp/nope.json" --untrusted "$d/adjacent.json"
# Without --now the clock is read: the 2024 chain is long expired.
expect "default now" 1 verify header --trusted "$d/trusted.json" --untrusted "$d/adjacent.json"

# abci
app=$(cat "$d/app-hash.txt")
bad=$(printf '%s' "$app" | sed 's/^./f/; t; s/^/f/')
[ "$bad" = "$app" ] && bad="0${app:1}"
expect "abci member" 0 verify abci --app-hash "$app" --response "$d/abci-member.json"
has "abci prints value" "$tmp/out" 'sequences/3" = "commitment of packet 3"'
has "abci prints store" "$tmp/out" 'store "ibc"'
expect "abci absent" 0 verify abci --app-hash "$app" --response "$d/abci-absent.json"
has "abci prints absence" "$tmp/out" 'is absent'
expect "abci wrong app hash" 1 verify abci --app-hash "$bad" --response "$d/abci-member.json"
has "abci root reason" "$tmp/err" 'root_mismatch (301)'
expect "abci bad hex" 2 verify abci --app-hash "zz" --response "$d/abci-member.json"
expect "abci light block as response" 2 verify abci --app-hash "$app" --response "$d/adjacent.json"
expect "abci missing file" 3 verify abci --app-hash "$app" --response "$tmp/nope.json"
expect "abci missing option" 2 verify abci --response "$d/abci-member.json"

# --json: one object, with the fields of the contract.
json_check() { # NAME WANT-EXIT PY-ASSERTION ARGS...
	local name=$1 want=$2 cond=$3
	shift 3
	"$bin" --json "$@" >"$tmp/out" 2>"$tmp/err"
	check "$name" "$want" "$?"
	if python3 -c 'import json,sys
d = json.loads(open(sys.argv[1]).read())
assert isinstance(d, dict) and {"verified", "code", "message"} <= set(d), d
assert eval(sys.argv[2]), d' "$tmp/out" "$cond" 2>"$tmp/pyerr"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: JSON: $(cat "$tmp/out") $(tail -1 "$tmp/pyerr")"
	fi
}
json_check "json verified" 0 'd["verified"] and d["code"] == 0 and d["height"] == 2 and len(d["hash"]) == 64' \
	verify header --trusted "$d/trusted.json" --untrusted "$d/adjacent.json" --now "$now"
json_check "json bisection" 0 'd["verified"] and d["height"] == 40 and d["trace_length"] >= 2' \
	verify header --trusted "$d/trusted.json" --untrusted "$d/chain.json" --now "$now"
json_check "json not verified" 1 'not d["verified"] and d["code"] == 329 and d["height"] == 2' \
	verify header --trusted "$d/trusted.json" --untrusted "$d/tampered.json" --now "$now"
json_check "json expired" 1 'd["code"] == 321' \
	verify header --trusted "$d/trusted.json" --untrusted "$d/adjacent.json" --now 2025-01-01T00:00:00Z
json_check "json malformed" 2 'd["code"] // 100 == 2' \
	verify header --trusted "$d/trusted.json" --untrusted "$d/bad-height.json" --now "$now"
json_check "json usage" 2 'd["code"] == 500' verify header --trusted "$d/trusted.json"
json_check "json io" 3 'd["code"] == 101' \
	verify header --trusted "$d/trusted.json" --untrusted "$tmp/nope.json" --now "$now"
json_check "json abci member" 0 'd["verified"] and d["exists"] and d["store"] == "ibc" and bytes.fromhex(d["value"]) == b"commitment of packet 3" and d["height"] == 41' \
	verify abci --app-hash "$app" --response "$d/abci-member.json"
json_check "json abci absent" 0 'd["verified"] and not d["exists"] and d["value"] is None and bytes.fromhex(d["key"]).endswith(b"/45")' \
	verify abci --app-hash "$app" --response "$d/abci-absent.json"
json_check "json abci wrong hash" 1 'not d["verified"] and d["code"] == 301' \
	verify abci --app-hash "$bad" --response "$d/abci-member.json"

expect "verify --help lists header" 0 verify --help
has "help header" "$tmp/out" 'header  --trusted'
has "help abci" "$tmp/out" 'abci    --app-hash'

echo "cli verify header/abci: $((pass + fail)) checks, $pass passed, $fail failed"
[ "$fail" -eq 0 ]
