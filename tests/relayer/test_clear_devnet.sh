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

px() { # HOME ARGS...
	local home=$1
	shift
	timeout 180 "$bin" --home "$home" --log-level warn "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

healthy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 &&
		timeout 2 head -c 12 <&3 | grep -q ' 200') 2>/dev/null
}

start_node() { # NAME CHAIN_ID: sets port_NAME
	local name=$1 id=$2 port pid
	"$devnet" init --home "$tmp/$name" --chain-id "$id" --seed "clear-$name" \
		--accounts "$tmp/accounts.json" >"$tmp/$name.init.log" 2>&1 ||
		{ cat "$tmp/$name.init.log"; die "init $name"; }
	for try in 1 2 3 4 5; do
		port=$((20000 + (RANDOM * 7 + $$ + try * 173) % 40000))
		"$devnet" --log-level warn start --home "$tmp/$name" --rpc "127.0.0.1:$port" \
			--block-time 200 >>"$tmp/$name.log" 2>&1 &
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

import_key() { # HOME NODE CHAIN ACCOUNT
	sed -n '/priv_key/,/}/s/.*"value": *"\([^"]*\)".*/\1/p' \
		"$tmp/$2/config/accounts/$4.json" | base64 -d | od -An -tx1 -v |
		tr -d ' \n' >"$tmp/$2.key"
	px "$1" keys add "$3" "$4" --key-file "$tmp/$2.key"
	check "keys add $3 $4" 0 "$rc"
	rm -f "$tmp/$2.key"
}

address_of() { # NODE ACCOUNT
	sed -n 's/.*"address": *"\([^"]*\)".*/\1/p' "$tmp/$1/config/accounts/$2.json" | head -1
}

config() { # KEY CLIENT_A CONN_A CHAN_A CLIENT_B CONN_B CHAN_B
	local key=$1
	shift
	cat <<EOF
chains:
  - id: clra-1
    rpc: ws://127.0.0.1:$port_a/websocket
    account_prefix: cosmos
    gas_price: 0stake
    gas_limit: 20000000
    key: $key
  - id: clrb-1
    rpc: ws://127.0.0.1:$port_b/websocket
    account_prefix: cosmos
    gas_price: 0stake
    gas_limit: 20000000
    key: $key
paths:
  - name: ab
    a: { chain: clra-1, client: $1, connection: $2, channel: $3 }
    b: { chain: clrb-1, client: $4, connection: $5, channel: $6 }
    port: transfer
max_msgs: 30
clear_interval: 50
telemetry: "off"
status: "off"
EOF
}

start_relayer() { # HOME LOG
	"$bin" --home "$1" --log-level info start >>"$2" 2>&1 &
	rpid=$!
}

stop_relayer() { # NAME: SIGTERM, checks exit 0
	local st i
	kill -TERM "$rpid"
	for i in $(seq 1 150); do kill -0 "$rpid" 2>/dev/null || break; sleep 0.1; done
	wait "$rpid"
	st=$?
	rpid=
	check "$1: SIGTERM exit status" 0 "$st"
}

wait_log() { # LOG PATTERN COUNT SECONDS
	local i
	for i in $(seq 1 $(($4 * 5))); do
		[ "$(grep -c "$2" "$1")" -ge "$3" ] && return 0
		[ -n "$rpid" ] && ! kill -0 "$rpid" 2>/dev/null && return 1
		sleep 0.2
	done
	return 1
}

acked() { # HOME
	sqlite3 "file:$1/journal.sqlite?mode=ro" \
		"SELECT count(*) FROM packets WHERE state = 'acked'" 2>/dev/null || echo 0
}

wait_acked() { # HOME TOTAL SECONDS
	local i
	for i in $(seq 1 $(($3 * 5))); do
		[ "$(acked "$1")" = "$2" ] && return 0
		sleep 0.2
	done
	return 1
}

transfer() { # HOME FROM_CHAIN CHANNEL RECEIVER COUNT
	px "$1" --config "$1/tx.yaml" --json tx transfer "$2" transfer "$3" "$4" 3stake --count "$5"
	[ "$rc" -eq 0 ] || { sed 's/^/  /' "$tmp/err" | tail -3; die "tx transfer $2 ($rc)"; }
}

# The client state's query answer code on a chain: 0 exists, 22 not found.
client_code() { # PORT CLIENT_ID
	local hex
	hex=$(printf '%s' "$2" | od -An -tx1 -v | tr -d ' \n')
	hex=0a$(printf '%02x' "${#2}")$hex
	curl -s --max-time 5 "http://127.0.0.1:$1/abci_query?path=%22/ibc.core.client.v1.Query/ClientState%22&data=0x$hex" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["response"].get("code", 0))'
}

pending() { # HOME CHAIN CHANNEL: "COMMITMENTS UNRECEIVED UNACKED"
	px "$1" --json query pending "$2" transfer "$3"
	python3 -c 'import json,sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
print(o["commitments"], o["unreceived_packets"], o["unreceived_acks"])' "$tmp/out" 2>&1
}

# Each sequence FROM..TO of a channel exactly once as KIND in a message file.
once() { # NAME FILE KIND CHANNEL FROM TO
	check "$1" "$(seq "$5" "$6" | sed 's/^/1 /')" \
		"$(grep "^$3 $4 " "$2" | awk '{print $3}' | sort -n | uniq -c | awk '{print $1, $2}')"
}

msgs() { # FROM_A FROM_B: writes msgs_a, msgs_b
	local ha hb
	ha=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
	hb=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
	"$tool" msgs "ws://127.0.0.1:$port_a/websocket" "$1" "$ha" >"$tmp/msgs_a" || die "reading a"
	"$tool" msgs "ws://127.0.0.1:$port_b/websocket" "$2" "$hb" >"$tmp/msgs_b" || die "reading b"
}

echo '[{"name":"alice","coins":"1000stake"}]' >"$tmp/accounts.json"
start_node a clra-1
start_node b clrb-1
home=$tmp/px
mkdir -m 700 "$home"
config relayer create create create create create create >"$home/config.yaml"
config user create create create create create create >"$home/tx.yaml"
import_key "$home" a clra-1 relayer
import_key "$home" b clrb-1 relayer
import_key "$home" a clra-1 user
import_key "$home" b clrb-1 user
user_a=$(address_of a user)
user_b=$(address_of b user)
[ -n "$user_a" ] && [ -n "$user_b" ] || die "no user accounts"

# --- c. "create" ends made by start, reused after a restart
check "before: no client on a" 22 "$(client_code "$port_a" 07-tendermint-0)"
start_relayer "$home" "$tmp/relay_c1.log"
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
transfer "$home" clra-1 "$cha" "$user_b" 1
wait_acked "$home" 1 "$WAIT_S" || die "c: the transfer was not acked"
stop_relayer "c: first run"

start_relayer "$home" "$tmp/relay_c2.log"
wait_log "$tmp/relay_c2.log" "relaying path ab" 1 60 || die "restart did not start"
check "c: restart reuses the journal's ids" 1 "$(grep -c 'using the ids the journal' "$tmp/relay_c2.log")"
check "c: restart creates nothing" 0 "$(grep -c 'CREATED' "$tmp/relay_c2.log")"
wait_log "$tmp/relay_c2.log" "following from height\|resuming after height" 2 30 || true
transfer "$home" clrb-1 "$chb" "$user_a" 1
wait_acked "$home" 2 "$WAIT_S" || die "c: the transfer after the restart was not acked"
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
px "$home" start
check "c: disagreeing id (exit)" 2 "$rc"
check "c: both ids named" 1 "$(grep -c '07-tendermint-5.*07-tendermint-0' "$tmp/err")"

# --- a. transfers before the daemon ever ran; a fresh journal
home2=$tmp/px2
mkdir -m 700 "$home2"
config relayer 07-tendermint-0 connection-0 "$cha" 07-tendermint-0 connection-0 "$chb" >"$home2/config.yaml"
config user 07-tendermint-0 connection-0 "$cha" 07-tendermint-0 connection-0 "$chb" >"$home2/tx.yaml"
cp "$home2/config.yaml" "$home/config.yaml"
cp "$home2/tx.yaml" "$home/tx.yaml"
import_key "$home2" a clra-1 relayer
import_key "$home2" b clrb-1 relayer
import_key "$home2" a clra-1 user
import_key "$home2" b clrb-1 user
h0a=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
h0b=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
transfer "$home2" clra-1 "$cha" "$user_b" "$N"
transfer "$home2" clrb-1 "$chb" "$user_a" "$N"
check "a: pending a->b before start" "$N [$(seq -s ', ' 2 $((N + 1)))] []" "$(pending "$home2" clra-1 "$cha")"
[ ! -e "$home2/journal.sqlite" ] || die "a: the journal is not fresh"
sleep 1	# a few blocks: the daemon must not see the sends as new events
t0=$(date +%s%3N)
start_relayer "$home2" "$tmp/relay_a.log"
wait_acked "$home2" $((2 * N)) "$WAIT_S" || die "a: not every packet acked: $(sqlite3 "$home2/journal.sqlite" 'SELECT state, count(*) FROM packets GROUP BY state' | tr '\n' ' ')"
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
check "a: nothing pending a->b" "0 [] []" "$(pending "$home2" clra-1 "$cha")"
check "a: nothing pending b->a" "0 [] []" "$(pending "$home2" clrb-1 "$chb")"

# --- b. `clear packets` with no daemon running
h0a=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
h0b=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
transfer "$home" clra-1 "$cha" "$user_b" "$N"
transfer "$home" clrb-1 "$chb" "$user_a" "$N"
from=$((N + 2))
to=$((2 * N + 1))
px "$home" --json clear packets clra-1 transfer "$cha" --timeout 120
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
check "b: nothing pending a->b" "0 [] []" "$(pending "$home" clra-1 "$cha")"
check "b: nothing pending b->a" "0 [] []" "$(pending "$home" clrb-1 "$chb")"
msgs "$h0a" "$h0b"
once "b: recv a->b once" "$tmp/msgs_b" recv "$cha" "$from" "$to"
once "b: ack a->b once" "$tmp/msgs_a" ack "$cha" "$from" "$to"
once "b: recv b->a once" "$tmp/msgs_a" recv "$chb" "$from" "$to"
once "b: ack b->a once" "$tmp/msgs_b" ack "$chb" "$from" "$to"
px "$home" clear packets clra-1 transfer "$cha"
check "b: clear packets again (exit)" 0 "$rc"
check "b: nothing was pending" 2 "$(grep -c 'nothing was pending' "$tmp/out")"
px "$home" clear packets clra-1 transfer channel-9
check "b: unknown channel (exit)" 2 "$rc"

check "no sanitizer reports" 0 \
	"$(cat "$tmp"/relay*.log "$tmp/err" | grep -c 'runtime error\|Sanitizer')"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
