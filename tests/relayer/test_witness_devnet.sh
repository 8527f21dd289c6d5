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
#      B's client of A is frozen, the path halts and the daemon exits 1;
#      restarted with /metrics on, it reports the attack again (counted in
#      pontifex_light_client_attacks_total), submits nothing to the frozen
#      client, stays up to show the halt, and exits 1 when stopped.
# Every wait is bounded; the trap stops what it started.
# usage: test_witness_devnet.sh PONTIFEX_DEVNET PONTIFEX WITNESS_DEVNET
set -u
devnet=$1
bin=$2
tool=$3
# The forks must stay level with the primary: nodes start without a pause.
NODE_SETTLE=0
LOGS_ON_FAIL='relay*.log'
CHAIN_A=wita-1
CHAIN_B=witb-1
. "$(dirname "$0")/lib_devnet.sh"

# chain A's node is its primary, a1
write_config() { # KEY WITNESS_URL_OR_EMPTY CLIENT_A CONN_A CHAN_A CLIENT_B CONN_B CHAN_B
	port_a=$port_a1 WITNESSES=$2 relay_config "$1" "${@:3}"
}

# --- nodes: one home for A, copied twice before any block
echo '[{"name":"alice","coins":"1000stake"}]' >"$tmp/accounts.json"
init_node a1 wita-1 wit-a
cp -a "$tmp/a1" "$tmp/a2"
cp -a "$tmp/a1" "$tmp/a3"
init_node b witb-1 wit-b
# The forks must stay level with the primary: started together.
run_node a1
run_node a2
run_node a3 --fault wrong_key_header
run_node b
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
import_account a1 wita-1 relayer
import_account b witb-1 relayer
import_account a1 wita-1 user
user_b=$(address_of b user)
[ -n "$user_b" ] || die "no user account"

# --- 1. a channel over the primary, no witnesses
create_channel ab
# shellcheck disable=SC2086
set -- $ids
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
start_daemon "$tmp/relay_junk.log"
wait_log "$tmp/relay_junk.log" "is FAULTY and dropped" 1 60
check "junk witness: reported faulty" 1 "$(grep -c "witness $url_a3 is FAULTY and dropped" "$tmp/relay_junk.log")"
px --config "$tmp/px/tx.yaml" --json tx transfer wita-1 transfer "$cha" "$user_b" 3stake --count 1
check "junk witness: transfer sent" 0 "$rc"
wait_acked 1 60
check "junk witness: relaying goes on (packet acked)" 1 "$(journal_state_count acked)"
kill -0 "$rpid" 2>/dev/null
check "junk witness: daemon still running" 0 $?
stop_daemon
check "junk witness: clean stop" 0 $?
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

# a restart, now serving /metrics, finds the client frozen: it reports
# the attack again (counted in the metrics), submits nothing more, stays
# up to show the halt, and exits 1 when stopped
tport=$(free_port)
TELEMETRY="127.0.0.1:$tport" write_config relayer "$url_a2" "$@" >"$tmp/px/config.yaml"
start_daemon "$tmp/relay_again.log"
wait_log "$tmp/relay_again.log" 'every path halted.*serving /metrics' 1 60 ||
	bad "restart: no halt with the endpoints up"
check "restart: /metrics" 200 "$(fetch "http://127.0.0.1:$tport/metrics" "$tmp/metrics")"
check "restart: attack counted" 1 "$(mval 'pontifex_light_client_attacks_total{chain="wita-1"}')"
check "restart: no faulty witness counted" "" \
	"$(mval 'pontifex_faulty_witnesses_total{chain="wita-1"}')"
stop_daemon
check "restart: exit status 1" 1 "$?"
check "restart: nothing submitted to a frozen client" 0 \
	"$(grep -c 'MsgSubmitMisbehaviour accepted' "$tmp/relay_again.log")"

check "no sanitizer reports" 0 \
	"$(cat "$tmp"/relay*.log | grep -c 'runtime error\|Sanitizer')"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
