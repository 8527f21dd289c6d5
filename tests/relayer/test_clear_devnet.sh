#!/usr/bin/env bash
# Integration test of packet clearing and "create" ends (relayer/relay_clear.c,
# relayer/cli_clear.c) against two pontifex-devnet nodes on free loopback
# ports (block time 200 ms):
#   c. a config whose path ends say "create": `pontifex start` makes the
#      clients, connection and channel, records them in the journal and
#      relays a transfer; after SIGTERM a restart with the same config
#      reuses the ids (no 07-tendermint-1 on either chain) and relays
#      another; a config id that disagrees with the journal is refused
#      (exit 2, both ids named);
#   a. N transfers each way sent while no daemon runs, then `pontifex
#      start` with a fresh journal (another home, the ids in the config):
#      the start-up clearing finds them (tx_search) and every packet is
#      received and acknowledged exactly once;
#   b. N more each way with no daemon, then `pontifex clear packets`: exit
#      0, nothing pending either way, each packet relayed exactly once.
# N is CLEAR_TEST_N (default 10). Every wait is bounded; the trap stops what
# it started.
# usage: test_clear_devnet.sh PONTIFEX_DEVNET PONTIFEX RELAY_DEVNET
set -u
devnet=$1
bin=$2
tool=$3
N=${CLEAR_TEST_N:-10}
WAIT_S=$((60 + N))
SEED_PREFIX=clear
PX_TIMEOUT=180
LOGS_ON_FAIL='relay*.log'
CHAIN_A=clra-1
CHAIN_B=clrb-1
. "$(dirname "$0")/lib_devnet.sh"

config() { # KEY CLIENT_A CONN_A CHAN_A CLIENT_B CONN_B CHAN_B
	relay_config "$@" "clear_interval: 50"
}

# SIGTERM to the daemon, checks it exits 0.
stop_relayer() { # NAME
	stop_daemon 150
	check "$1: SIGTERM exit status" 0 "$?"
}

# The client state's query answer code on a chain: 0 exists, 22 not found.
client_code() { # PORT CLIENT_ID
	local hex
	hex=$(printf '%s' "$2" | od -An -tx1 -v | tr -d ' \n')
	hex=0a$(printf '%02x' "${#2}")$hex
	curl -s --max-time 5 "http://127.0.0.1:$1/abci_query?path=%22/ibc.core.client.v1.Query/ClientState%22&data=0x$hex" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["response"].get("code", 0))'
}

echo '[{"name":"alice","coins":"1000stake"}]' >"$tmp/accounts.json"
start_node a clra-1
start_node b clrb-1
home=$tmp/px	# PX_HOME's default: px and the daemon run with it but in a.
mkdir -m 700 "$home"
config relayer create create create create create create >"$home/config.yaml"
config user create create create create create create >"$home/tx.yaml"
import_accounts
[ -n "$user_a" ] && [ -n "$user_b" ] || die "no user accounts"

# --- c. "create" ends made by start, reused after a restart
check "before: no client on a" 22 "$(client_code "$port_a" 07-tendermint-0)"
start_daemon "$tmp/relay_c1.log"
wait_log "$tmp/relay_c1.log" "relaying path ab" 1 120 || die "start did not create the path"
check "c: created, logged loudly" 1 "$(grep -c 'CREATED client, connection and channel' "$tmp/relay_c1.log")"
check "c: config lines logged" 2 "$(grep -c '    [ab]: { chain: clr[ab]-1, client: 07-tendermint-0, connection: connection-0, channel: channel-0 }' "$tmp/relay_c1.log")"
ids=$(sqlite3 "file:$home/journal.sqlite?mode=ro" \
	"SELECT a_client, a_connection, a_channel, b_client, b_connection, b_channel FROM paths WHERE name = 'ab'")
check "c: ids in the journal" "07-tendermint-0|connection-0|channel-0|07-tendermint-0|connection-0|channel-0" "$ids"
cha=channel-0
chb=channel-0
h0a=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
h0b=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
wait_log "$tmp/relay_c1.log" "following from height" 2 30 || die "the relayer does not follow"
transfer clra-1 "$cha" "$user_b" 1
wait_acked 1 "$WAIT_S" || die "c: the transfer was not acked"
stop_relayer "c: first run"

start_daemon "$tmp/relay_c2.log"
wait_log "$tmp/relay_c2.log" "relaying path ab" 1 60 || die "restart did not start"
check "c: restart reuses the journal's ids" 1 "$(grep -c 'using the ids the journal' "$tmp/relay_c2.log")"
check "c: restart creates nothing" 0 "$(grep -c 'CREATED' "$tmp/relay_c2.log")"
wait_log "$tmp/relay_c2.log" "following from height\|resuming after height" 2 30 || true
transfer clrb-1 "$chb" "$user_a" 1
wait_acked 2 "$WAIT_S" || die "c: the transfer after the restart was not acked"
stop_relayer "c: second run"
check "c: one client on a" 0 "$(client_code "$port_a" 07-tendermint-0)"
check "c: one client on b" 0 "$(client_code "$port_b" 07-tendermint-0)"
check "c: no second client on a" 22 "$(client_code "$port_a" 07-tendermint-1)"
check "c: no second client on b" 22 "$(client_code "$port_b" 07-tendermint-1)"
msgs "$h0a" "$h0b"
once "c: recv a->b once" "$tmp/msgs_b" recv "$cha" 1 1
once "c: recv b->a once" "$tmp/msgs_a" recv "$chb" 1 1
once "c: ack a->b once" "$tmp/msgs_a" ack "$cha" 1 1
once "c: ack b->a once" "$tmp/msgs_b" ack "$chb" 1 1

# A config id that disagrees with the journal: refused, both named.
config relayer 07-tendermint-5 create create create create create >"$home/config.yaml"
px start
check "c: disagreeing id (exit)" 2 "$rc"
check "c: both ids named" 1 "$(grep -c '07-tendermint-5.*07-tendermint-0' "$tmp/err")"

# --- a. transfers before the daemon ever ran; a fresh journal
home2=$tmp/px2
mkdir -m 700 "$home2"
config relayer 07-tendermint-0 connection-0 "$cha" 07-tendermint-0 connection-0 "$chb" >"$home2/config.yaml"
config user 07-tendermint-0 connection-0 "$cha" 07-tendermint-0 connection-0 "$chb" >"$home2/tx.yaml"
cp "$home2/config.yaml" "$home/config.yaml"
cp "$home2/tx.yaml" "$home/tx.yaml"
PX_HOME=$home2	# px and the daemon use the fresh home
import_accounts
h0a=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
h0b=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
transfer clra-1 "$cha" "$user_b" "$N"
transfer clrb-1 "$chb" "$user_a" "$N"
check "a: pending a->b before start" "$N [$(seq -s ', ' 2 $((N + 1)))] []" "$(pending clra-1 "$cha")"
[ ! -e "$home2/journal.sqlite" ] || die "a: the journal is not fresh"
sleep 1	# a few blocks: the daemon must not see the sends as new events
t0=$(date +%s%3N)
start_daemon "$tmp/relay_a.log"
wait_acked $((2 * N)) "$WAIT_S" || die "a: not every packet acked: $(journal_states)"
echo "a: $N packets each way sent before the first start, all acked $(( $(date +%s%3N) - t0 )) ms after it"
check "a: the start-up clearing found them" 2 \
	"$(grep -c "path ab: cleared .* $N unreceived packet(s), 0 unreceived ack(s); journalled $N packet(s)" "$tmp/relay_a.log")"
stop_relayer "a"
msgs "$h0a" "$h0b"
once "a: recv a->b once" "$tmp/msgs_b" recv "$cha" 2 $((N + 1))
once "a: ack a->b once" "$tmp/msgs_a" ack "$cha" 2 $((N + 1))
once "a: recv b->a once" "$tmp/msgs_a" recv "$chb" 2 $((N + 1))
once "a: ack b->a once" "$tmp/msgs_b" ack "$chb" 2 $((N + 1))
check "a: no timeouts" 0 "$(cat "$tmp/msgs_a" "$tmp/msgs_b" | grep -c '^timeout')"
check "a: nothing pending a->b" "0 [] []" "$(pending clra-1 "$cha")"
check "a: nothing pending b->a" "0 [] []" "$(pending clrb-1 "$chb")"

# --- b. `clear packets` with no daemon running
PX_HOME=$home
h0a=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
h0b=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
transfer clra-1 "$cha" "$user_b" "$N"
transfer clrb-1 "$chb" "$user_a" "$N"
from=$((N + 2))
to=$((2 * N + 1))
px --json clear packets clra-1 transfer "$cha" --timeout 120
check "b: clear packets (exit)" 0 "$rc"
[ "$rc" -eq 0 ] || tail -5 "$tmp/err"
check "b: report" "ab 2 $N $N 0 0" "$(python3 -c 'import json,sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
d = o["directions"]
print(o["path"], len(d), d[0]["unreceived_packets"], d[1]["unreceived_packets"],
      d[0]["unreceived_acks"], d[1]["unreceived_acks"])' "$tmp/out" 2>&1)"
check "b: all acked (a->b)" "{'acked': $N}" "$(python3 -c 'import json,sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
print(o["directions"][0]["states"])' "$tmp/out" 2>&1)"
check "b: nothing pending a->b" "0 [] []" "$(pending clra-1 "$cha")"
check "b: nothing pending b->a" "0 [] []" "$(pending clrb-1 "$chb")"
msgs "$h0a" "$h0b"
once "b: recv a->b once" "$tmp/msgs_b" recv "$cha" "$from" "$to"
once "b: ack a->b once" "$tmp/msgs_a" ack "$cha" "$from" "$to"
once "b: recv b->a once" "$tmp/msgs_a" recv "$chb" "$from" "$to"
once "b: ack b->a once" "$tmp/msgs_b" ack "$chb" "$from" "$to"
px clear packets clra-1 transfer "$cha"
check "b: clear packets again (exit)" 0 "$rc"
check "b: nothing was pending" 2 "$(grep -c 'nothing was pending' "$tmp/out")"
px clear packets clra-1 transfer channel-9
check "b: unknown channel (exit)" 2 "$rc"

check "no sanitizer reports" 0 \
	"$(cat "$tmp"/relay*.log "$tmp/err" | grep -c 'runtime error\|Sanitizer')"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
