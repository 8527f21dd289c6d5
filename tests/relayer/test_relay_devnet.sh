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
SEED_PREFIX=relay
LOGS_ON_FAIL=relay.log
CHAIN_A=rlya-1
CHAIN_B=rlyb-1
. "$(dirname "$0")/lib_devnet.sh"

now_ms() { date +%s%3N; }

# config.yaml signs with the relayer's key; tx.yaml (for the transfers)
# with the user's, so the test's senders are not the relayer's account.
write_config() { # CLIENT_A CONN_A CHAN_A CLIENT_B CONN_B CHAN_B
	relay_config relayer "$@" >"$tmp/px/config.yaml"
	relay_config user "$@" >"$tmp/px/tx.yaml"
}

echo '[{"name":"alice","coins":"1000stake"}]' >"$tmp/accounts.json"
start_node a rlya-1 --admin
start_node b rlyb-1 --admin
mkdir -m 700 "$tmp/px"
write_config create create create create create create
import_accounts
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
create_channel ab
# shellcheck disable=SC2086
set -- $ids
cha=$3
chb=$6
write_config "$@"
echo "channel $cha <-> $chb in $(( $(now_ms) - t0 )) ms"

h0a=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
h0b=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
start_daemon "$tmp/relay.log"
wait_log "$tmp/relay.log" 'following from height' 2 30 || die "the relayer did not start"

t0=$(now_ms)
transfer rlya-1 "$cha" "$user_b" "$N"
transfer rlyb-1 "$chb" "$user_a" "$N"
t1=$(now_ms)
wait_acked $((2 * N)) "$WAIT_S" || die "not every packet acked within ${WAIT_S}s: $(journal_states)"
t2=$(now_ms)
echo "run 1: $N transfers each way sent in $((t1 - t0)) ms, all acked $((t2 - t1)) ms later ($((t2 - t0)) ms in all)"

# Every packet exactly once on the chains, and the balances.
verify() { # TOTAL_PER_WAY NAME
	local per=$1 name=$2
	msgs "$h0a" "$h0b"
	# a -> b: recv on b, ack on a; b -> a: recv on a, ack on b
	once "$name: MsgRecvPacket a->b once each" "$tmp/msgs_b" recv "$cha" 1 "$per"
	once "$name: MsgAcknowledgement a->b once each" "$tmp/msgs_a" ack "$cha" 1 "$per"
	once "$name: MsgRecvPacket b->a once each" "$tmp/msgs_a" recv "$chb" 1 "$per"
	once "$name: MsgAcknowledgement b->a once each" "$tmp/msgs_b" ack "$chb" 1 "$per"
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
	check "$name: nothing pending a->b" "0 [] []" "$(pending rlya-1 "$cha")"
	check "$name: nothing pending b->a" "0 [] []" "$(pending rlyb-1 "$chb")"
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
	echo "kill $k: journal $(journal_states)"
	start_daemon "$tmp/relay.log"
done
wait_acked $((4 * N)) "$WAIT_S" || die "after kills, not every packet acked within ${WAIT_S}s: $(journal_states)"
t2=$(now_ms)
echo "run 2: $N transfers each way, $KILLS kills, all acked $((t2 - t1)) ms after sending ($((t2 - t0)) ms in all)"
verify $((2 * N)) "run 2"

# --- 4. a clean stop
stop_daemon
check "SIGTERM: exit status" 0 "$?"
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
start_daemon "$tmp/relay.log"
wait_acked $((4 * N + 1)) "$WAIT_S" || die "after the fault, the packet was not acked"
stop_daemon
ha=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
hb=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
"$tool" msgs "ws://127.0.0.1:$port_b/websocket" "$h0b" "$hb" >"$tmp/msgs_b"
check "after the fault: packet $((2 * N + 1)) received once" 1 \
	"$(grep -c "^recv $cha $((2 * N + 1))\$" "$tmp/msgs_b")"

check "no sanitizer reports" 0 \
	"$(cat "$tmp/relay.log" "$tmp/relay5.log" | grep -c 'runtime error\|Sanitizer')"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
