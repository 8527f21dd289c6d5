#!/usr/bin/env bash
# Integration test of the client refresh policy (config `refresh`) and the
# start-up backfill progress of `pontifex start`, against two
# pontifex-devnet nodes (block time 200 ms). The clients are created with a
# trusting period of 40 s; the daemon runs with its own (default) one, the
# policy reads the clients' period from the clients:
#   1. refresh: off, no packets, 12 s: no MsgUpdateClient on either chain;
#   2. refresh: 1/4, no packets, 36 s: each client is updated about every
#      10 s (2..6 updates per chain), never expires, and a transfer each
#      way is still relayed;
#   3. the daemon stopped, transfers sent, 100 blocks let pass; restarted
#      with stderr not a terminal: "backfill" progress lines and one
#      summary per chain, and every packet acked.
# usage: test_relay_refresh_devnet.sh PONTIFEX_DEVNET PONTIFEX RELAY_DEVNET
set -u
devnet=$1
bin=$2
tool=$3
SEED_PREFIX=refresh
LOGS_ON_FAIL=relay.log
CHAIN_A=rfa-1
CHAIN_B=rfb-1
. "$(dirname "$0")/lib_devnet.sh"

# GOT is in LO..HI.
check_in() { # NAME LO HI GOT
	if [ "$4" -ge "$2" ] && [ "$4" -le "$3" ]; then ok; else bad "$1: got $4, want $2..$3"; fi
}

# relay_config with EXTRA (lines such as "    refresh: 1/4") added to both
# chain entries (trusting_period, refresh).
config_as() { # KEY EXTRA CLIENT_A CONN_A CHAN_A CLIENT_B CONN_B CHAN_B
	local key=$1 extra=$2
	shift 2
	relay_config "$key" "$@" | EXTRA=$extra awk '{ print } /^    key: / && ENVIRON["EXTRA"] != "" { print ENVIRON["EXTRA"] }'
}

# stop_daemon, checked.
stop_relayer() {
	stop_daemon
	check "clean stop" 0 "$?"
}
# Waits until the daemon follows (or backfills) both chains.
wait_started() { # LOG
	wait_log "$1" 'following from height\|backfilling' 2 30 || die "the relayer did not start: $(tail -5 "$1")"
}
# A chain's latest height; its MsgUpdateClient count in FROM..TO.
height() { "$tool" height "ws://127.0.0.1:$1/websocket"; }
updates() { # PORT FROM TO
	"$tool" msgs "ws://127.0.0.1:$1/websocket" "$2" "$3" | grep -c '^update '
}

echo '[{"name":"alice","coins":"1000stake"}]' >"$tmp/accounts.json"
start_node a rfa-1
start_node b rfb-1
mkdir -m 700 "$tmp/px"
short="    trusting_period: 40s"
config_as relayer "$short" create create create create create create >"$tmp/px/config.yaml"
import_accounts
create_channel ab
# shellcheck disable=SC2086
set -- $ids
cha=$3
chb=$6
config_as user "" "$@" >"$tmp/px/tx.yaml"

# --- 1. refresh: off
config_as relayer "    refresh: \"off\"" "$@" >"$tmp/px/config.yaml"
start_daemon "$tmp/relay1.log"
wait_started "$tmp/relay1.log"
h0a=$(height "$port_a")
h0b=$(height "$port_b")
sleep 12
h1a=$(height "$port_a")
h1b=$(height "$port_b")
stop_relayer
check "off: no update on a" 0 "$(updates "$port_a" "$h0a" "$h1a")"
check "off: no update on b" 0 "$(updates "$port_b" "$h0b" "$h1b")"

# --- 2. refresh: 1/4 of 40 s
config_as relayer "    refresh: 1/4" "$@" >"$tmp/px/config.yaml"
start_daemon "$tmp/relay.log"
wait_started "$tmp/relay.log"
h0a=$(height "$port_a")
h0b=$(height "$port_b")
sleep 36
h1a=$(height "$port_a")
h1b=$(height "$port_b")
ua=$(updates "$port_a" "$h0a" "$h1a")
ub=$(updates "$port_b" "$h0b" "$h1b")
echo "refresh 1/4 of 40 s: $ua update(s) on a, $ub on b in 36 s"
check_in "1/4: updates on a" 2 6 "$ua"
check_in "1/4: updates on b" 2 6 "$ub"
check "1/4: refreshes logged" 1 "$([ "$(grep -c 'refreshed client' "$tmp/relay.log")" -ge 4 ] && echo 1 || echo 0)"
check "1/4: nothing expired" 0 "$(grep -c 'EXPIRED\|trusting period left' "$tmp/relay.log")"
transfer rfa-1 "$cha" "$user_b" 1
transfer rfb-1 "$chb" "$user_a" 1
wait_acked 2 60 || die "1/4: the transfers were not acked"
stop_relayer

# --- 3. a backlog of 100 blocks, progress on a stderr that is no terminal
transfer rfa-1 "$cha" "$user_b" 5
transfer rfb-1 "$chb" "$user_a" 5
hs=$(height "$port_a")
for i in $(seq 1 300); do
	[ "$(height "$port_a")" -ge $((hs + 100)) ] && break
	sleep 0.2
done
start_daemon "$tmp/relay3.log"
wait_acked 12 90 || die "backlog: not every packet acked: $(tail -5 "$tmp/relay3.log")"
for i in $(seq 1 50); do
	[ "$(grep -c 'backfill done' "$tmp/relay3.log")" -ge 2 ] && break
	sleep 0.2
done
stop_relayer
grep 'backfill' "$tmp/relay3.log" | head -4 | sed 's/^/  /'
check "backlog: start lines" 2 "$(grep -c 'backfilling [0-9]* heights' "$tmp/relay3.log")"
# Runs of empty heights reach the journal as one, so a fast backfill may
# show few lines between the start and the summary.
echo "backlog: $(grep -c 'backfill [0-9]*/[0-9]* heights' "$tmp/relay3.log") progress line(s) in between"
check "backlog: one summary per chain" 2 "$(grep -c 'backfill done' "$tmp/relay3.log")"
check "backlog: no terminal control" 0 "$(grep -c $'\r' "$tmp/relay3.log")"
check "no sanitizer reports" 0 \
	"$(cat "$tmp/relay1.log" "$tmp/relay.log" "$tmp/relay3.log" | grep -c 'runtime error\|Sanitizer')"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
