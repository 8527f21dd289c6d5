#!/usr/bin/env bash
# Integration test of witnesses (relayer/witness.c) with `pontifex start`:
# chain A runs as three pontifex-devnet processes made from ONE home
# (copied before the first block: same genesis, same validator keys), so
# each produces its own blocks from height 2 on, all validly signed by
# the same validators: a fork. Node a1 is A's primary; a2 serves the fork
# as it is; a3 serves it with the `wrong_key_header` fault (commits signed
# by a key outside the validator set: junk). Chain B is a plain devnet.
#   1. a channel between A (primary a1) and B, without witnesses;
#   2. witness a3 (junk): the daemon reports a FAULTY witness and drops it,
#      reports no attack, submits no misbehaviour, keeps relaying (a
#      transfer A -> B is acked) and B's client of A is not frozen;
#   3. witness a2 (fork): the daemon reports the LIGHT CLIENT ATTACK with
#      heights and both hashes, submits MsgSubmitMisbehaviour to B (accepted),
#      B's client of A is frozen, the path halts and the daemon exits 1.
# Every wait is bounded; the trap stops what it started.
# usage: test_witness_devnet.sh PONTIFEX_DEVNET PONTIFEX WITNESS_DEVNET
set -u
devnet=$1
bin=$2
tool=$3
tmp=$(mktemp -d)
pids=()
rpid=
pass=0
fail=0
cleanup() {
	[ -n "$rpid" ] && kill -9 "$rpid" 2>/dev/null
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ "$fail" -ne 0 ]; then
		for f in "$tmp"/relay*.log; do
			[ -f "$f" ] || continue
			echo "--- $f (tail)"
			tail -n 30 "$f"
		done
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

check() { # NAME WANT GOT
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: got '$3', want '$2'"
	fi
}
die() {
	fail=$((fail + 1))
	echo "FAIL $*"
	echo "$pass passed, $fail failed"
	exit 1
}

px() {
	timeout 120 "$bin" --home "$tmp/px" --log-level warn "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

healthy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 &&
		timeout 2 head -c 12 <&3 | grep -q ' 200') 2>/dev/null
}

start_node() { # NAME [FAULT]: sets port_NAME
	local name=$1 port pid try i
	local extra=()
	[ $# -ge 2 ] && extra=(--fault "$2")
	for try in 1 2 3 4 5; do
		port=$((20000 + (RANDOM * 7 + $$ + try * 173) % 40000))
		"$devnet" --log-level warn start --home "$tmp/$name" --rpc "127.0.0.1:$port" \
			--block-time 200 "${extra[@]}" >>"$tmp/$name.log" 2>&1 &
		pid=$!
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			healthy "$port" && break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null && healthy "$port"; then
			pids+=("$pid")
			eval "port_$name=$port"
			return
		fi
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	cat "$tmp/$name.log"
	die "the devnet $name did not start"
}

import_key() { # NODE CHAIN ACCOUNT
	sed -n '/priv_key/,/}/s/.*"value": *"\([^"]*\)".*/\1/p' \
		"$tmp/$1/config/accounts/$3.json" | base64 -d | od -An -tx1 -v |
		tr -d ' \n' >"$tmp/$1.key"
	px keys add "$2" "$3" --key-file "$tmp/$1.key"
	check "keys add $2 $3" 0 "$rc"
	rm -f "$tmp/$1.key"
}

address_of() { # NODE ACCOUNT
	sed -n 's/.*"address": *"\([^"]*\)".*/\1/p' "$tmp/$1/config/accounts/$2.json" | head -1
}

write_config() { # KEY WITNESS_URL_OR_EMPTY CLIENT_A CONN_A CHAN_A CLIENT_B CONN_B CHAN_B
	local key=$1 wit=$2
	shift 2
	cat <<EOF
chains:
  - id: wita-1
    rpc: ws://127.0.0.1:$port_a1/websocket
    witnesses: [$wit]
    account_prefix: cosmos
    gas_price: 0stake
    gas_limit: 20000000
    key: $key
  - id: witb-1
    rpc: ws://127.0.0.1:$port_b/websocket
    account_prefix: cosmos
    gas_price: 0stake
    gas_limit: 20000000
    key: $key
paths:
  - name: ab
    a: { chain: wita-1, client: $1, connection: $2, channel: $3 }
    b: { chain: witb-1, client: $4, connection: $5, channel: $6 }
    port: transfer
max_msgs: 30
telemetry: "off"
status: "off"
EOF
}

# --- nodes: one home for A, copied twice before any block
echo '[{"name":"alice","coins":"1000stake"}]' >"$tmp/accounts.json"
"$devnet" init --home "$tmp/a1" --chain-id wita-1 --seed wit-a \
	--accounts "$tmp/accounts.json" >"$tmp/a1.init.log" 2>&1 || die "init a1"
cp -a "$tmp/a1" "$tmp/a2"
cp -a "$tmp/a1" "$tmp/a3"
"$devnet" init --home "$tmp/b" --chain-id witb-1 --seed wit-b \
	--accounts "$tmp/accounts.json" >"$tmp/b.init.log" 2>&1 || die "init b"
# The forks must stay level with the primary: started together.
start_node a1
start_node a2
start_node a3 wrong_key_header
start_node b
url_a1="ws://127.0.0.1:$port_a1/websocket"
url_a2="ws://127.0.0.1:$port_a2/websocket"
url_a3="ws://127.0.0.1:$port_a3/websocket"
url_b="ws://127.0.0.1:$port_b/websocket"

for i in $(seq 1 100); do
	[ "$("$tool" height "$url_b")" -ge 4 ] && [ "$("$tool" height "$url_a2")" -ge 4 ] && break
	sleep 0.1
done

mkdir -m 700 "$tmp/px"
write_config relayer "" create create create create create create >"$tmp/px/config.yaml"
import_key a1 wita-1 relayer
import_key b witb-1 relayer
import_key a1 wita-1 user
user_b=$(address_of b user)
[ -n "$user_b" ] || die "no user account"

# --- 1. a channel over the primary, no witnesses
px --json create channel ab
[ "$rc" -eq 0 ] || { cat "$tmp/err" "$tmp/out"; die "create channel ab ($rc)"; }
ids=$(python3 -c 'import json,sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
print(" ".join([o["a"]["client"], o["a"]["connection"], o["a"]["channel"],
                o["b"]["client"], o["b"]["connection"], o["b"]["channel"]]))' "$tmp/out")
# shellcheck disable=SC2086
set -- $ids
[ $# -eq 6 ] || die "create channel printed '$ids'"
cha=$3
client_b=$4
h0b=$("$tool" height "$url_b")
# block 1 is genesis-timed on every copy; from 2 on they differ
check "block 1 common to a1 and a2" "$("$tool" hash "$url_a1" 1)" "$("$tool" hash "$url_a2" 1)"
ha1=$("$tool" hash "$url_a1" 3)
ha2=$("$tool" hash "$url_a2" 3)
check "a1 and a2 fork at 3" "yes" \
	"$([ -n "$ha1" ] && [ "$ha1" != "$ha2" ] && echo yes || echo "no ($ha1 $ha2)")"
check "B's client of A active" "frozen 0-0" "$("$tool" client "$url_b" "$client_b" | cut -d' ' -f1,2)"

# --- 2. a junk witness: faulty, dropped, relaying goes on
write_config relayer "$url_a3" "$@" >"$tmp/px/config.yaml"
write_config user "" "$@" >"$tmp/px/tx.yaml"
"$bin" --home "$tmp/px" --log-level info start >"$tmp/relay_junk.log" 2>&1 &
rpid=$!
for i in $(seq 1 300); do
	grep -q "is FAULTY and dropped" "$tmp/relay_junk.log" && break
	kill -0 "$rpid" 2>/dev/null || break
	sleep 0.2
done
check "junk witness: reported faulty" 1 "$(grep -c "witness $url_a3 is FAULTY and dropped" "$tmp/relay_junk.log")"
px --config "$tmp/px/tx.yaml" --json tx transfer wita-1 transfer "$cha" "$user_b" 3stake --count 1
check "junk witness: transfer sent" 0 "$rc"
acked=0
for i in $(seq 1 300); do
	acked=$(sqlite3 "file:$tmp/px/journal.sqlite?mode=ro" \
		"SELECT count(*) FROM packets WHERE state = 'acked'" 2>/dev/null || echo 0)
	[ "$acked" = 1 ] && break
	kill -0 "$rpid" 2>/dev/null || break
	sleep 0.2
done
check "junk witness: relaying goes on (packet acked)" 1 "$acked"
kill -0 "$rpid" 2>/dev/null
check "junk witness: daemon still running" 0 $?
kill -TERM "$rpid"
for i in $(seq 1 100); do kill -0 "$rpid" 2>/dev/null || break; sleep 0.1; done
wait "$rpid"
check "junk witness: clean stop" 0 $?
rpid=
check "junk witness: no attack reported" 0 "$(grep -c 'LIGHT CLIENT ATTACK' "$tmp/relay_junk.log")"
hb=$("$tool" height "$url_b")
check "junk witness: no misbehaviour submitted" "" "$("$tool" misbehaviours "$url_b" "$h0b" "$hb")"
check "junk witness: B's client of A not frozen" "frozen 0-0" \
	"$("$tool" client "$url_b" "$client_b" | cut -d' ' -f1,2)"

# --- 3. a witness on the fork: a light client attack
h1b=$("$tool" height "$url_b")
write_config relayer "$url_a2" "$@" >"$tmp/px/config.yaml"
timeout 120 "$bin" --home "$tmp/px" --log-level info start >"$tmp/relay_fork.log" 2>&1
st=$?
check "fork: daemon exit status 1" 1 "$st"
check "fork: attack logged at level error" 1 \
	"$(grep 'LIGHT CLIENT ATTACK on chain wita-1' "$tmp/relay_fork.log" | grep -ci 'error')"
line=$(grep 'LIGHT CLIENT ATTACK' "$tmp/relay_fork.log" | head -1)
check "fork: the log names both hashes and the witness" "yes" "$(python3 - "$line" "$url_a2" <<'EOF'
import re, sys
line, wit = sys.argv[1], sys.argv[2]
hashes = re.findall(r"header ([0-9A-F]{64})", line)
ok = len(hashes) == 2 and hashes[0] != hashes[1] and wit in line and \
     re.search(r"at height [0-9]+", line) and re.search(r"trusted height [0-9]+", line)
print("yes" if ok else "no")
EOF
)"
check "fork: misbehaviour accepted" 1 "$(grep -c 'MsgSubmitMisbehaviour accepted by witb-1' "$tmp/relay_fork.log")"
check "fork: path halted" 1 "$(grep -c 'path ab HALTED: light client attack on chain wita-1' "$tmp/relay_fork.log")"
hb=$("$tool" height "$url_b")
check "fork: one MsgSubmitMisbehaviour on B, code 0" "$client_b 0" \
	"$("$tool" misbehaviours "$url_b" "$h1b" "$hb")"
frozen=$("$tool" client "$url_b" "$client_b" | cut -d' ' -f2)
check "fork: B's client of A frozen" "yes" "$([ "$frozen" != "0-0" ] && echo yes || echo "no ($frozen)")"

# a restart finds the client frozen: it reports the attack again and
# submits nothing more
timeout 120 "$bin" --home "$tmp/px" --log-level info start >"$tmp/relay_again.log" 2>&1
check "restart: exit status 1" 1 "$?"
check "restart: nothing submitted to a frozen client" 0 \
	"$(grep -c 'MsgSubmitMisbehaviour accepted' "$tmp/relay_again.log")"

check "no sanitizer reports" 0 \
	"$(cat "$tmp"/relay*.log | grep -c 'runtime error\|Sanitizer')"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
