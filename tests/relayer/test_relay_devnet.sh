#!/usr/bin/env bash
# Integration test of `pontifex start` (relayer/relay.c) against two
# pontifex-devnet nodes on free loopback ports (block time 200 ms):
#   1. refusals: a key file readable by others (exit 2), an unknown path
#      (exit 2);
#   2. a channel from `pontifex create channel`, the daemon in the
#      background, N transfers each way; every packet must end `acked` in
#      the journal, the chains must have nothing pending, each packet must
#      have exactly one MsgRecvPacket on its destination and one
#      MsgAcknowledgement on its source (counted in the blocks), and the
#      escrow and voucher balances must be N x amount;
#   3. N more each way while the daemon is killed with SIGKILL at random
#      moments (KILLS times) and restarted: the same checks over 2N;
#   4. SIGTERM: a clean stop, exit 0;
#   5. a node that serves corrupt proofs (devnet fault corrupt_proof): the
#      only path halts, nothing is submitted, the daemon exits 1; with the
#      fault cleared a restart relays the packet, once.
# N is RELAY_TEST_N (default 50), KILLS is RELAY_TEST_KILLS (default 3).
# Timings are printed. Every wait is bounded; the trap stops what it started.
# usage: test_relay_devnet.sh PONTIFEX_DEVNET PONTIFEX RELAY_DEVNET
set -u
devnet=$1
bin=$2
tool=$3
N=${RELAY_TEST_N:-50}
KILLS=${RELAY_TEST_KILLS:-3}
WAIT_S=${RELAY_TEST_WAIT:-$((60 + N))}
tmp=$(mktemp -d)
pids=()
rpid=
pass=0
fail=0
cleanup() {
	[ -n "$rpid" ] && kill -9 "$rpid" 2>/dev/null
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ "$fail" -ne 0 ] && [ -f "$tmp/relay.log" ]; then
		echo "--- relayer log (tail)"
		tail -n 40 "$tmp/relay.log"
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
now_ms() { date +%s%3N; }

px() {
	timeout 120 "$bin" --home "$tmp/px" --log-level warn "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

healthy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 &&
		timeout 2 head -c 12 <&3 | grep -q ' 200') 2>/dev/null
}

start_node() { # NAME CHAIN_ID: sets port_NAME
	local name=$1 id=$2 port pid
	"$devnet" init --home "$tmp/$name" --chain-id "$id" --seed "relay-$name" \
		--accounts "$tmp/accounts.json" >"$tmp/$name.init.log" 2>&1 ||
		{ cat "$tmp/$name.init.log"; die "init $name"; }
	for try in 1 2 3 4 5; do
		port=$((20000 + (RANDOM * 7 + $$ + try * 173) % 40000))
		"$devnet" --log-level warn start --home "$tmp/$name" --rpc "127.0.0.1:$port" \
			--block-time 200 --admin >>"$tmp/$name.log" 2>&1 &
		pid=$!
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			healthy "$port" && break
			sleep 0.1
		done
		sleep 0.2
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

# config.yaml signs with the relayer's key; tx.yaml (for the transfers)
# with the user's, so the test's senders are not the relayer's account.
write_config() { # CLIENT_A CONN_A CHAN_A CLIENT_B CONN_B CHAN_B
	write_config_as relayer "$@" >"$tmp/px/config.yaml"
	write_config_as user "$@" >"$tmp/px/tx.yaml"
}
write_config_as() { # KEY CLIENT_A CONN_A CHAN_A CLIENT_B CONN_B CHAN_B
	local key=$1
	shift
	cat <<EOF
chains:
  - id: rlya-1
    rpc: ws://127.0.0.1:$port_a/websocket
    account_prefix: cosmos
    gas_price: 0stake
    gas_limit: 20000000
    key: $key
  - id: rlyb-1
    rpc: ws://127.0.0.1:$port_b/websocket
    account_prefix: cosmos
    gas_price: 0stake
    gas_limit: 20000000
    key: $key
paths:
  - name: ab
    a: { chain: rlya-1, client: $1, connection: $2, channel: $3 }
    b: { chain: rlyb-1, client: $4, connection: $5, channel: $6 }
    port: transfer
max_msgs: 30
telemetry: "off"
status: "off"
EOF
}

start_relayer() {
	"$bin" --home "$tmp/px" --log-level info start >>"$tmp/relay.log" 2>&1 &
	rpid=$!
}

# Journal counts: "STATE COUNT" lines.
journal_state_count() { # STATE
	sqlite3 "file:$tmp/px/journal.sqlite?mode=ro" \
		"SELECT count(*) FROM packets WHERE state = '$1'" 2>/dev/null || echo 0
}

# Waits until TOTAL packets are acked in the journal (or the time is up).
wait_acked() { # TOTAL SECONDS
	local i
	for i in $(seq 1 $(($2 * 5))); do
		[ "$(journal_state_count acked)" = "$1" ] && return 0
		sleep 0.2
	done
	return 1
}

echo '[{"name":"alice","coins":"1000stake"}]' >"$tmp/accounts.json"
start_node a rlya-1
start_node b rlyb-1
mkdir -m 700 "$tmp/px"
write_config create create create create create create
import_key a rlya-1 relayer
import_key b rlyb-1 relayer
import_key a rlya-1 user
import_key b rlyb-1 user
user_a=$(address_of a user)
user_b=$(address_of b user)
[ -n "$user_a" ] && [ -n "$user_b" ] || die "no user accounts"

# --- 1. refusals ("create" ends are made by start itself: test_clear_devnet.sh)
chmod 644 "$tmp/px/keys/rlya-1/relayer.json"
px start
check "start with a loose key file (exit)" 2 "$rc"
grep -q "chmod" "$tmp/err" || { fail=$((fail + 1)); echo "FAIL no chmod hint"; cat "$tmp/err"; }
chmod 600 "$tmp/px/keys/rlya-1/relayer.json"
px start --path nosuch
check "start with an unknown path (exit)" 2 "$rc"

# --- 2. a channel and a clean run
t0=$(now_ms)
px --json create channel ab
[ "$rc" -eq 0 ] || { cat "$tmp/err"; die "create channel ab ($rc)"; }
ids=$(python3 -c 'import json,sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
print(" ".join([o["a"]["client"], o["a"]["connection"], o["a"]["channel"],
                o["b"]["client"], o["b"]["connection"], o["b"]["channel"]]))' "$tmp/out")
# shellcheck disable=SC2086
set -- $ids
[ $# -eq 6 ] || die "create channel printed '$ids'"
cha=$3
chb=$6
write_config "$@"
echo "channel $cha <-> $chb in $(( $(now_ms) - t0 )) ms"

h0a=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
h0b=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
start_relayer
for i in $(seq 1 150); do
	[ "$(grep -c 'following from height' "$tmp/relay.log")" -ge 2 ] && break
	kill -0 "$rpid" 2>/dev/null || break
	sleep 0.2
done
[ "$(grep -c 'following from height' "$tmp/relay.log")" -ge 2 ] || die "the relayer did not start"

transfer() { # FROM_CHAIN CHANNEL RECEIVER COUNT
	px --config "$tmp/px/tx.yaml" --json tx transfer "$1" transfer "$2" "$3" 3stake --count "$4"
	[ "$rc" -eq 0 ] || { sed 's/^/  /' "$tmp/err" | tail -3; die "tx transfer $1 ($rc)"; }
}

t0=$(now_ms)
transfer rlya-1 "$cha" "$user_b" "$N"
transfer rlyb-1 "$chb" "$user_a" "$N"
t1=$(now_ms)
wait_acked $((2 * N)) "$WAIT_S" || die "not every packet acked within ${WAIT_S}s: $(sqlite3 "$tmp/px/journal.sqlite" 'SELECT state, count(*) FROM packets GROUP BY state' | tr '\n' ' ')"
t2=$(now_ms)
echo "run 1: $N transfers each way sent in $((t1 - t0)) ms, all acked $((t2 - t1)) ms later ($((t2 - t0)) ms in all)"

# Every packet exactly once on the chains, and the balances.
verify() { # TOTAL_PER_WAY NAME
	local per=$1 name=$2 ha hb
	ha=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
	hb=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
	"$tool" msgs "ws://127.0.0.1:$port_a/websocket" "$h0a" "$ha" >"$tmp/msgs_a" ||
		die "$name: reading chain a"
	"$tool" msgs "ws://127.0.0.1:$port_b/websocket" "$h0b" "$hb" >"$tmp/msgs_b" ||
		die "$name: reading chain b"
	# a -> b: recv on b, ack on a; b -> a: recv on a, ack on b
	check "$name: MsgRecvPacket a->b once each" "$(seq 1 "$per" | sed 's/^/1 /')" \
		"$(grep "^recv $cha " "$tmp/msgs_b" | awk '{print $3}' | sort -n | uniq -c | awk '{print $1, $2}')"
	check "$name: MsgAcknowledgement a->b once each" "$(seq 1 "$per" | sed 's/^/1 /')" \
		"$(grep "^ack $cha " "$tmp/msgs_a" | awk '{print $3}' | sort -n | uniq -c | awk '{print $1, $2}')"
	check "$name: MsgRecvPacket b->a once each" "$(seq 1 "$per" | sed 's/^/1 /')" \
		"$(grep "^recv $chb " "$tmp/msgs_a" | awk '{print $3}' | sort -n | uniq -c | awk '{print $1, $2}')"
	check "$name: MsgAcknowledgement b->a once each" "$(seq 1 "$per" | sed 's/^/1 /')" \
		"$(grep "^ack $chb " "$tmp/msgs_b" | awk '{print $3}' | sort -n | uniq -c | awk '{print $1, $2}')"
	check "$name: no timeouts" "0" "$(cat "$tmp/msgs_a" "$tmp/msgs_b" | grep -c '^timeout')"
	check "$name: journal acked" "$((2 * per))" "$(journal_state_count acked)"
	check "$name: journal packets" "$((2 * per))" \
		"$(sqlite3 "file:$tmp/px/journal.sqlite?mode=ro" 'SELECT count(*) FROM packets')"
	check "$name: escrow a" "$((3 * per))" \
		"$("$tool" balance "ws://127.0.0.1:$port_a/websocket" "$("$tool" escrow "$cha")" stake)"
	check "$name: escrow b" "$((3 * per))" \
		"$("$tool" balance "ws://127.0.0.1:$port_b/websocket" "$("$tool" escrow "$chb")" stake)"
	check "$name: vouchers on b" "$((3 * per))" \
		"$("$tool" balance "ws://127.0.0.1:$port_b/websocket" "$user_b" "$("$tool" voucher "$chb" stake)")"
	check "$name: vouchers on a" "$((3 * per))" \
		"$("$tool" balance "ws://127.0.0.1:$port_a/websocket" "$user_a" "$("$tool" voucher "$cha" stake)")"
	px --json query pending rlya-1 transfer "$cha"
	check "$name: nothing pending a->b" "0 [] []" "$(python3 -c 'import json,sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
print(o["commitments"], o["unreceived_packets"], o["unreceived_acks"])' "$tmp/out" 2>&1)"
	px --json query pending rlyb-1 transfer "$chb"
	check "$name: nothing pending b->a" "0 [] []" "$(python3 -c 'import json,sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
print(o["commitments"], o["unreceived_packets"], o["unreceived_acks"])' "$tmp/out" 2>&1)"
}
verify "$N" "run 1"
check "run 1: one line per batch" "True" \
	"$(python3 -c 'import sys
n = sum(1 for l in open(sys.argv[1]) if " recv " in l and "packet(s)" in l)
print(n >= 2)' "$tmp/relay.log")"

# --- 3. SIGKILL at random moments, restart, same checks over 2N
t0=$(now_ms)
transfer rlya-1 "$cha" "$user_b" "$N"
transfer rlyb-1 "$chb" "$user_a" "$N"
t1=$(now_ms)
for k in $(seq 1 "$KILLS"); do
	sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
	kill -9 "$rpid" 2>/dev/null
	wait "$rpid" 2>/dev/null
	echo "kill $k: journal $(sqlite3 "file:$tmp/px/journal.sqlite?mode=ro" 'SELECT state, count(*) FROM packets GROUP BY state' | tr '\n' ' ')"
	start_relayer
done
wait_acked $((4 * N)) "$WAIT_S" || die "after kills, not every packet acked within ${WAIT_S}s: $(sqlite3 "$tmp/px/journal.sqlite" 'SELECT state, count(*) FROM packets GROUP BY state' | tr '\n' ' ')"
t2=$(now_ms)
echo "run 2: $N transfers each way, $KILLS kills, all acked $((t2 - t1)) ms after sending ($((t2 - t0)) ms in all)"
verify $((2 * N)) "run 2"

# --- 4. a clean stop
kill -TERM "$rpid"
for i in $(seq 1 100); do kill -0 "$rpid" 2>/dev/null || break; sleep 0.1; done
wait "$rpid"
st=$?
rpid=
check "SIGTERM: exit status" 0 "$st"
check "SIGTERM: claims released" 0 \
	"$(sqlite3 "file:$tmp/px/journal.sqlite?mode=ro" 'SELECT count(*) FROM packets WHERE claimed_by IS NOT NULL')"

# --- 5. a proof that does not verify halts the path
t0=$(now_ms)
transfer rlya-1 "$cha" "$user_b" 1
"$tool" fault "ws://127.0.0.1:$port_a/websocket" corrupt_proof on || die "set fault"
timeout 60 "$bin" --home "$tmp/px" --log-level info start >"$tmp/relay5.log" 2>&1
st=$?
check "corrupt proof: exit status 1" 1 "$st"
check "corrupt proof: the path halted" 1 "$(grep -c 'path ab HALTED: verification failed' "$tmp/relay5.log")"
check "corrupt proof: nothing submitted" 0 "$(grep -c ' recv .*packet(s)' "$tmp/relay5.log")"
check "corrupt proof: packet still sent" 1 "$(journal_state_count sent)"
echo "halt on a corrupt proof after $(( $(now_ms) - t0 )) ms"
"$tool" fault "ws://127.0.0.1:$port_a/websocket" corrupt_proof off || die "clear fault"
start_relayer
wait_acked $((4 * N + 1)) "$WAIT_S" || die "after the fault, the packet was not acked"
kill -TERM "$rpid"
wait "$rpid"
rpid=
ha=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
hb=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
"$tool" msgs "ws://127.0.0.1:$port_b/websocket" "$h0b" "$hb" >"$tmp/msgs_b"
check "after the fault: packet $((2 * N + 1)) received once" 1 \
	"$(grep -c "^recv $cha $((2 * N + 1))\$" "$tmp/msgs_b")"

check "no sanitizer reports" 0 \
	"$(cat "$tmp/relay.log" "$tmp/relay5.log" | grep -c 'runtime error\|Sanitizer')"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
