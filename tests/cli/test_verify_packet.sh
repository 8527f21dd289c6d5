#!/usr/bin/env bash
# CLI contract of `pontifex verify packet`.
#
# generated: messages written at test time by mkpackets (real IAVL and
#   multistore proofs, signed light blocks): every input form (bare hex,
#   raw Any, base64, stdin, TxRaw, `tx` RPC JSON), recv/ack/unordered and
#   ordered timeouts against --app-hash and against --trusted/--header, each
#   mutation refused with exit 1, a header that does not verify exit 1,
#   malformed input and usage exit 2, unreadable files exit 3, --json one
#   object.
# vectors: every real relay message of VECTORS/cosmos/ibc_e2e_partial
#   (msg_hex written to a temp file) verifies against derived_app_hash, and
#   proves the file's merkle_path; each mutation is refused. Exit 77 when
#   the folder is missing.
# Usage: test_verify_packet.sh PONTIFEX MKPACKETS VECTORS_DIR generated|vectors
set -u
bin=$1
mk=$2
vec="$3/cosmos/ibc_e2e_partial"
mode=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() { # NAME WANT GOT
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: exit $3, want $2 ($(head -c 300 "$tmp/err") $(head -c 300 "$tmp/out"))"
	fi
}

expect() { # NAME WANT-EXIT ARGS...
	local name=$1 want=$2
	shift 2
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	check "$name" "$want" "$?"
}

has() { # NAME FILE PATTERN
	if grep -q -- "$3" "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: no '$3' in $(head -c 600 "$2")"; fi
}

one_json() { # NAME: stdout is exactly one JSON object
	if [ "$(wc -l <"$tmp/out")" = 1 ] && jq -e 'type == "object"' "$tmp/out" >/dev/null 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: not one JSON object: $(head -c 300 "$tmp/out")"
	fi
}

flip_hex() { # HEX: the same with its first digit changed
	local h=$1 c=${1:0:1}
	if [ "$c" = 0 ]; then c=1; else c=0; fi
	echo "$c${h:1}"
}

# Every mutation mkpackets makes of MSGFILE must exit 1 under HASH.
mutations() { # NAME MSGFILE HASH
	local name=$1 msg=$2 hash=$3 out="$tmp/mut-$RANDOM" m
	if ! "$mk" mutate "$msg" "$out" >"$tmp/list" 2>"$tmp/err"; then
		fail=$((fail + 1))
		echo "FAIL $name: mkpackets mutate: $(cat "$tmp/err")"
		return
	fi
	while read -r m; do
		expect "$name mutated $m" 1 verify packet --msg "$out/$m" --app-hash "$hash"
	done <"$tmp/list"
	expect "$name changed app hash" 1 verify packet --msg "$msg" --app-hash "$(flip_hex "$hash")"
}

generated() {
	local d="$tmp/in" A B now=2024-01-01T00:10:00Z
	"$mk" gen "$d" || { echo "mkpackets failed"; exit 1; }
	A=$(cat "$d/app-a.txt")
	B=$(cat "$d/app-b.txt")
	HA=(--trusted "$d/a-trusted.json" --header "$d/a-header.json" --now "$now")
	HB=(--trusted "$d/b-trusted.json" --header "$d/b-header.json" --now "$now")

	# Every input form, against the given app hash.
	expect "recv hex" 0 verify packet --msg "$d/recv.hex" --app-hash "$A"
	has "recv proves the commitment" "$tmp/out" '^  proves: *packet commitment'
	has "recv path" "$tmp/out" '^  path: *ibc/commitments/ports/transfer/channels/channel-0/sequences/1$'
	has "recv app hash shown" "$tmp/out" "^app hash ${A^^} (given)"
	has "recv verdict" "$tmp/out" '^  verdict: *verified'
	expect "recv raw Any" 0 verify packet --msg "$d/recv.any.bin" --app-hash "$A"
	expect "recv base64" 0 verify packet --msg "$d/recv.b64" --app-hash "$A"
	"$bin" verify packet --msg - --app-hash "$A" <"$d/recv.hex" >"$tmp/out" 2>"$tmp/err"
	check "recv on stdin" 0 $?
	expect "recv with --type" 0 verify packet --msg "$d/recv.hex" --app-hash "$A" --type recv
	expect "recv --type timeout" 2 verify packet --msg "$d/recv.hex" --app-hash "$A" --type timeout
	expect "recv other chain" 1 verify packet --msg "$d/recv.hex" --app-hash "$B"
	has "recv other chain reason" "$tmp/err" 'not verified: .*(30[0-9])'
	expect "recv other prefix" 1 verify packet --msg "$d/recv.hex" --app-hash "$A" --prefix transfer
	expect "ack hex" 0 verify packet --msg "$d/ack.hex" --app-hash "$B"
	has "ack path" "$tmp/out" '^  path: *ibc/acks/ports/transfer/channels/channel-1/sequences/1$'
	expect "ack Any hex" 0 verify packet --msg "$d/ack.any.hex" --app-hash "$B"
	expect "timeout unordered" 0 verify packet --msg "$d/timeout.hex" --app-hash "$B"
	has "timeout proves absence" "$tmp/out" '^  value: *(absent)'
	expect "timeout ordered" 0 verify packet --msg "$d/timeout-ordered.hex" --app-hash "$B"
	has "ordered proves nextSequenceRecv" "$tmp/out" '^  path: *ibc/nextSequenceRecv/ports/transfer/channels/channel-7$'
	has "ordered value" "$tmp/out" '^  value: *0000000000000005$'
	expect "ordered pinned unordered" 1 verify packet --msg "$d/timeout-ordered.hex" --app-hash "$B" --ordering unordered
	expect "ordered pinned ordered" 0 verify packet --msg "$d/timeout-ordered.hex" --app-hash "$B" --ordering ordered
	expect "ordered already received" 1 verify packet --msg "$d/timeout-received.hex" --app-hash "$B"
	has "already received reason" "$tmp/err" 'ibc_already_received (366)'
	expect "timeout not yet due, no header" 0 verify packet --msg "$d/timeout-pending.hex" --app-hash "$B"
	has "elapsed unknown" "$tmp/out" '^  timed out: *unknown'

	# Transactions: every packet message is checked.
	expect "tx to A (acks, timeouts)" 0 verify packet --msg "$d/tx-a.bin" --app-hash "$B"
	has "tx lists four" "$tmp/out" '^verified: 4 packet messages'
	expect "tx to B raw" 0 verify packet --msg "$d/tx-b.bin" --app-hash "$A"
	has "tx skips the bank message" "$tmp/out" '^message 0: /cosmos.bank.v1beta1.MsgSend (not a packet message'
	expect "tx to B base64" 0 verify packet --msg "$d/tx-b.b64" --app-hash "$A"
	expect "tx to B RPC JSON" 0 verify packet --msg "$d/tx-b.json" --app-hash "$A"
	expect "tx against the wrong chain" 1 verify packet --msg "$d/tx-b.json" --app-hash "$B"
	expect "tx without packet messages" 2 verify packet --msg "$d/tx-none.bin" --app-hash "$A"
	expect "json tx" 0 --json verify packet --msg "$d/tx-b.json" --app-hash "$A"
	one_json "json tx"
	has "json verified" "$tmp/out" '"verified":true'
	has "json source" "$tmp/out" '"source":"tx-json"'
	has "json path" "$tmp/out" '"path":"commitments/ports/transfer/channels/channel-0/sequences/2"'
	has "json unchecked message" "$tmp/out" '"checked":false'
	expect "json not verified" 1 --json verify packet --msg "$d/tx-a.bin" --app-hash "$A"
	one_json "json not verified"
	has "json verified false" "$tmp/out" '"verified":false'

	# The app hash from a header the light client verifies.
	expect "recv with header" 0 verify packet --msg "$d/recv.hex" "${HA[@]}"
	has "header shown" "$tmp/out" '(header 11 of chain-a-1, verified from trusted height 10)'
	expect "tx with header" 0 verify packet --msg "$d/tx-a.bin" "${HB[@]}"
	expect "timeout due by the header's time" 0 verify packet --msg "$d/timeout.hex" "${HB[@]}"
	has "elapsed yes" "$tmp/out" '^  timed out: *yes'
	expect "timeout not due at the header's time" 1 verify packet --msg "$d/timeout-pending.hex" "${HB[@]}"
	has "not timed out reason" "$tmp/err" 'ibc_not_timed_out (369)'
	expect "recv with chain B's header" 1 verify packet --msg "$d/recv.hex" "${HB[@]}"
	expect "tampered header" 1 verify packet --msg "$d/recv.hex" --trusted "$d/a-trusted.json" --header "$d/a-header-tampered.json" --now "$now"
	has "tampered reason" "$tmp/err" 'not verified: header 11'
	expect "header with another app hash" 1 verify packet --msg "$d/recv.hex" --trusted "$d/a-trusted.json" --header "$d/a-header-other-app.json" --now "$now"
	expect "header above the proof height" 1 verify packet --msg "$d/recv.hex" --trusted "$d/a-trusted.json" --header "$d/a-header-12.json" --now "$now"
	has "height reason" "$tmp/err" 'height'
	expect "trust expired" 1 verify packet --msg "$d/recv.hex" --trusted "$d/a-trusted.json" --header "$d/a-header.json" --now 2024-03-01T00:00:00Z
	expect "short trusting period" 1 verify packet --msg "$d/recv.hex" "${HA[@]}" --trusting-period 60s
	expect "json header failure" 1 --json verify packet --msg "$d/recv.hex" --trusted "$d/a-trusted.json" --header "$d/a-header-tampered.json" --now "$now"
	one_json "json header failure"

	# Mutations the proof must catch.
	mutations "recv" "$d/recv.hex" "$A"
	mutations "ack" "$d/ack.hex" "$B"
	mutations "timeout" "$d/timeout.hex" "$B"
	mutations "ordered timeout" "$d/timeout-ordered.hex" "$B"

	# Malformed input and usage: exit 2; unreadable files: exit 3.
	printf 'not a message' >"$tmp/junk"
	expect "junk message" 2 verify packet --msg "$tmp/junk" --app-hash "$A"
	head -c 200 "$d/recv.hex" >"$tmp/trunc.hex"
	expect "truncated message" 2 verify packet --msg "$tmp/trunc.hex" --app-hash "$A"
	printf '{"result": {"tx": ' >"$tmp/trunc.json"
	expect "truncated json" 2 verify packet --msg "$tmp/trunc.json" --app-hash "$A"
	expect "json junk message" 2 --json verify packet --msg "$tmp/junk" --app-hash "$A"
	one_json "json junk message"
	expect "bad app hash" 2 verify packet --msg "$d/recv.hex" --app-hash xyz
	expect "missing --msg" 2 verify packet --app-hash "$A"
	expect "no app hash" 2 verify packet --msg "$d/recv.hex"
	expect "header without trusted" 2 verify packet --msg "$d/recv.hex" --header "$d/a-header.json"
	expect "both sources" 2 verify packet --msg "$d/recv.hex" --app-hash "$A" --trusted "$d/a-trusted.json" --header "$d/a-header.json"
	expect "--now with --app-hash" 2 verify packet --msg "$d/recv.hex" --app-hash "$A" --now "$now"
	expect "bad --type" 2 verify packet --msg "$d/recv.hex" --app-hash "$A" --type bogus
	expect "bad --ordering" 2 verify packet --msg "$d/recv.hex" --app-hash "$A" --ordering sideways
	expect "bad --now" 2 verify packet --msg "$d/recv.hex" --trusted "$d/a-trusted.json" --header "$d/a-header.json" --now yesterday
	expect "unknown option" 2 verify packet --frobnicate
	expect "trusted file malformed" 2 verify packet --msg "$d/recv.hex" --trusted "$tmp/junk" --header "$d/a-header.json" --now "$now"
	expect "missing message file" 3 verify packet --msg "$tmp/nope" --app-hash "$A"
	expect "missing header file" 3 verify packet --msg "$d/recv.hex" --trusted "$d/a-trusted.json" --header "$tmp/nope.json" --now "$now"
	expect "help" 0 verify packet --help
}

vectors() {
	local f name kind rc
	if [ ! -d "$vec" ]; then
		echo "cli verify packet vectors: skipped (no vectors at $vec)"
		exit 77
	fi
	local n=0
	for f in "$vec"/*.json; do
		[ -e "$f" ] || continue
		name=$(basename "$f")
		if ! python3 - "$f" "$tmp/v" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
open(sys.argv[2] + ".hex", "w").write(d["msg_hex"] + "\n")
open(sys.argv[2] + ".hash", "w").write(d["derived_app_hash"])
open(sys.argv[2] + ".type", "w").write(d["msg_type"].rsplit(".", 1)[-1])
open(sys.argv[2] + ".path", "w").write(d["merkle_path"][1] if "merkle_path" in d else "")
PY
		then
			fail=$((fail + 1))
			echo "FAIL $name: cannot read msg_hex and derived_app_hash"
			continue
		fi
		kind=$(cat "$tmp/v.type")
		case $kind in
		MsgRecvPacket | MsgAcknowledgement | MsgTimeout) ;;
		*)
			echo "note: $name: $kind is not audited by verify packet (skipped)"
			continue
			;;
		esac
		n=$((n + 1))
		expect "$name" 0 verify packet --msg "$tmp/v.hex" --app-hash "$(cat "$tmp/v.hash")"
		has "$name is a $kind" "$tmp/out" "^$kind\$"
		expect "$name json" 0 --json verify packet --msg "$tmp/v.hex" --app-hash "$(cat "$tmp/v.hash")"
		one_json "$name json"
		if [ -s "$tmp/v.path" ]; then
			rc=$(jq -r '.messages[0].path' "$tmp/out")
			check "$name proves merkle_path ($rc)" "$(cat "$tmp/v.path")" "$rc"
		fi
		mutations "$name" "$tmp/v.hex" "$(cat "$tmp/v.hash")"
	done
	echo "cli verify packet vectors: $n messages"
	if [ "$n" = 0 ]; then
		echo "cli verify packet vectors: skipped (no packet messages in $vec)"
		exit 77
	fi
}

case $mode in
generated) generated ;;
vectors) vectors ;;
*) echo "usage: $0 PONTIFEX MKPACKETS VECTORS_DIR generated|vectors"; exit 2 ;;
esac
echo "cli verify packet ($mode): $pass passed, $fail failed"
[ "$fail" = 0 ]
