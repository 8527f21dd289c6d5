#!/usr/bin/env bash
# Integration test of the daemon's metrics and status endpoints
# (relayer/relay_metrics.c, docs/metrics.md) against two pontifex-devnet
# nodes (--admin, block time 200 ms) on free loopback ports:
#   1. refusals: a non-loopback telemetry address (exit 2), a telemetry
#      address already bound (the node's RPC port: exit 3);
#   2. `pontifex start` with telemetry and status on two free loopback
#      ports, N transfers each way; once every packet is acked, /metrics
#      must agree with what happened: packets relayed per kind (recv 2N,
#      ack 2N, timeout 0), transactions submitted on both chains and none
#      failed, latencies observed, backlog 0 on both channels, journal
#      size 2N, headers verified and none failed, the relayer's wallet
#      balance as the chain reports it, no reconnects;
#   3. /status (chains, paths, backlog, uptime) and /packets (one record,
#      an unknown packet is 404, a bad sequence 400); /status is not on the
#      telemetry listener;
#   4. the devnet fault drop_ws on chain a: the reconnect is counted, and
#      one more packet each way is relayed and counted;
#   5. SIGTERM: exit 0, the listeners are gone;
#   6. telemetry and status on one address written two ways
#      (localhost:P and 127.0.0.1:P): one listener serves all endpoints;
#   7. the devnet fault corrupt_proof on chain a and one more transfer: the
#      path halts, the daemon stays up serving its endpoints, the failure
#      is counted for rlya-1 by reason, /status shows the halt, nothing is
#      submitted, and SIGTERM then exits 1.
# N is RELAY_METRICS_TEST_N (default 10). Every wait is bounded; the trap
# stops what the test started.
# usage: test_relay_metrics_devnet.sh PONTIFEX_DEVNET PONTIFEX RELAY_DEVNET
set -u
devnet=$1
bin=$2
tool=$3
N=${RELAY_METRICS_TEST_N:-10}
WAIT_S=$((60 + N))
SEED_PREFIX=metrics
LOGS_ON_FAIL=relay.log
CHAIN_A=rlya-1
CHAIN_B=rlyb-1
. "$(dirname "$0")/lib_devnet.sh"

# A Python expression over the JSON document in FILE (as `d`).
jq_py() { # FILE EXPR
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2" 2>&1
}

# config.yaml signs with the relayer's key; tx.yaml (transfers) with the
# user's, so that the relayer's balance and transactions are its own.
ids="create create create create create create"
write_config() { # TELEMETRY STATUS
	# shellcheck disable=SC2086
	TELEMETRY=$1 STATUS=$2 relay_config relayer $ids >"$tmp/px/config.yaml"
	# shellcheck disable=SC2086
	relay_config user $ids >"$tmp/px/tx.yaml"
}

# Starts the daemon with telemetry on TEL and status on ST (host:port) and
# waits until it follows both chains; false when it exited (a port taken
# meanwhile: the caller retries with others).
start_relayer() { # TEL ST
	write_config "$1" "$2"
	[ -f "$tmp/relay.log" ] && cat "$tmp/relay.log" >>"$tmp/relay_all.log"
	: >"$tmp/relay.log"
	start_daemon "$tmp/relay.log"
	wait_log "$tmp/relay.log" 'following from height\|resuming after height' 2 30 &&
		wait_log "$tmp/relay.log" 'serving' 1 30 && return 0
	wait "$rpid" 2>/dev/null
	rpid=
	return 1
}

# start_relayer with telemetry and status on two free loopback ports (a few
# tries); sets tport, sport, M (the /metrics URL) and S (the status base).
start_on_free_ports() {
	local try
	for try in 1 2 3; do
		tport=$(free_port)
		sport=$(free_port)
		[ "$tport" = "$sport" ] && continue
		if start_relayer "127.0.0.1:$tport" "127.0.0.1:$sport"; then
			M="http://127.0.0.1:$tport/metrics"
			S="http://127.0.0.1:$sport"
			return 0
		fi
	done
	tail -20 "$tmp/relay.log"
	return 1
}

# Polls /metrics (into $tmp/metrics) until SERIES has the value WANT, at
# most SECONDS.
wait_metric() { # URL SERIES WANT SECONDS
	local i
	for i in $(seq 1 $(($4 * 5))); do
		[ "$(fetch "$1" "$tmp/metrics")" = 200 ] && [ "$(mval "$2")" = "$3" ] && return 0
		sleep 0.2
	done
	return 1
}

echo '[{"name":"alice","coins":"1000stake"}]' >"$tmp/accounts.json"
start_node a rlya-1 --admin
start_node b rlyb-1 --admin
mkdir -m 700 "$tmp/px"
write_config off off
import_accounts
relayer_a=$(address_of a relayer)
relayer_b=$(address_of b relayer)
[ -n "$user_a" ] && [ -n "$user_b" ] && [ -n "$relayer_a" ] || die "no accounts"

create_channel ab
# shellcheck disable=SC2086
set -- $ids
cha=$3
chb=$6

# --- 1. refusals
write_config 0.0.0.0:9464 off
px start
check "non-loopback telemetry (exit)" 2 "$rc"
grep -q "not a loopback address" "$tmp/err" || { fail=$((fail + 1)); echo "FAIL no loopback hint"; cat "$tmp/err"; }
check "non-loopback telemetry: no sanitizer reports" 0 "$(grep -c 'runtime error\|Sanitizer' "$tmp/err")"
write_config "127.0.0.1:$port_a" off
px start
check "telemetry on a bound port (exit)" 3 "$rc"
check "bound port: no sanitizer reports" 0 "$(grep -c 'runtime error\|Sanitizer' "$tmp/err")"

# --- 2. a run with both listeners
start_on_free_ports || die "the relayer did not start"
check "log: telemetry listener" 1 "$(grep -c "telemetry: serving /metrics on 127.0.0.1:$tport" "$tmp/relay.log")"
check "log: status listener" 1 "$(grep -c "status: serving /status, /packets on 127.0.0.1:$sport" "$tmp/relay.log")"

transfer rlya-1 "$cha" "$user_b" "$N"
transfer rlyb-1 "$chb" "$user_a" "$N"
wait_acked $((2 * N)) "$WAIT_S" || die "not every packet acked within ${WAIT_S}s"
wait_metric "$M" "pontifex_packets_relayed_total{path=\"ab\",kind=\"ack\"}" $((2 * N)) 20 ||
	echo "(acks not counted yet)"
wait_metric "$M" "pontifex_backlog_packets{chain=\"rlyb-1\",port=\"transfer\",channel=\"$chb\"}" 0 20 ||
	echo "(backlog not 0 yet)"

check "metrics: recv relayed" $((2 * N)) "$(mval "pontifex_packets_relayed_total{path=\"ab\",kind=\"recv\"}")"
check "metrics: ack relayed" $((2 * N)) "$(mval "pontifex_packets_relayed_total{path=\"ab\",kind=\"ack\"}")"
check "metrics: timeout relayed" 0 "$(mval "pontifex_packets_relayed_total{path=\"ab\",kind=\"timeout\"}")"
for c in rlya-1 rlyb-1; do
	sub=$(mval "pontifex_txs_submitted_total{chain=\"$c\"}")
	lat=$(mval "pontifex_tx_latency_seconds_count{chain=\"$c\"}")
	check "metrics: txs submitted on $c > 0" 1 "$([ "${sub:-0}" -gt 0 ] && echo 1 || echo "0 ($sub)")"
	check "metrics: txs failed on $c" 0 "$(mval "pontifex_txs_failed_total{chain=\"$c\"}")"
	check "metrics: latencies on $c in 1..submitted" 1 \
		"$([ "${lat:-0}" -ge 1 ] && [ "${lat:-0}" -le "${sub:-0}" ] && echo 1 || echo "0 ($lat of $sub)")"
	hv=$(mval "pontifex_header_verifications_total{chain=\"$c\"}")
	check "metrics: headers verified on $c > 0" 1 "$([ "${hv:-0}" -gt 0 ] && echo 1 || echo "0 ($hv)")"
	check "metrics: reconnects on $c" 0 "$(mval "pontifex_websocket_reconnects_total{chain=\"$c\"}")"
done
check "metrics: no verification failures" 0 \
	"$(grep -c '^pontifex_header_verification_failures_total{' "$tmp/metrics")"
check "metrics: backlog a" 0 "$(mval "pontifex_backlog_packets{chain=\"rlya-1\",port=\"transfer\",channel=\"$cha\"}")"
check "metrics: backlog b" 0 "$(mval "pontifex_backlog_packets{chain=\"rlyb-1\",port=\"transfer\",channel=\"$chb\"}")"
check "metrics: oldest pending a" 0 \
	"$(mval "pontifex_backlog_oldest_sequence{chain=\"rlya-1\",port=\"transfer\",channel=\"$cha\"}")"
check "metrics: journal size" $((2 * N)) "$(mval pontifex_journal_packets)"
check "metrics: wallet balance a" \
	"$("$tool" balance "ws://127.0.0.1:$port_a/websocket" "$relayer_a" stake)" \
	"$(mval "pontifex_wallet_balance{chain=\"rlya-1\",denom=\"stake\"}")"
check "metrics: wallet balance b" \
	"$("$tool" balance "ws://127.0.0.1:$port_b/websocket" "$relayer_b" stake)" \
	"$(mval "pontifex_wallet_balance{chain=\"rlyb-1\",denom=\"stake\"}")"
check "metrics: nothing dropped" 0 "$(grep -c '^pontifex_metrics_dropped_updates_total{' "$tmp/metrics")"

# --- 3. /status and /packets
check "/status: 200" 200 "$(fetch "$S/status" "$tmp/status")"
check "/status: chains" "rlya-1 True True active|rlyb-1 True True active" \
	"$(jq_py "$tmp/status" '"|".join("%s %s %s %s" % (c["id"], c["connected"],
		c["latest_verified_height"] > 0, c["light_client"]) for c in d["chains"])')"
check "/status: path" "ab rlya-1 $cha rlyb-1 $chb False None" \
	"$(jq_py "$tmp/status" '" ".join(str(x) for x in (d["paths"][0]["name"],
		d["paths"][0]["a"]["chain"], d["paths"][0]["a"]["channel"], d["paths"][0]["b"]["chain"],
		d["paths"][0]["b"]["channel"], d["paths"][0]["halted"], d["paths"][0]["halt_reason"]))')"
check "/status: one path" 1 "$(jq_py "$tmp/status" 'len(d["paths"])')"
check "/status: no backlog" "[]" "$(jq_py "$tmp/status" 'd["backlog"]')"
check "/status: running, uptime" "running True $((2 * N))" \
	"$(jq_py "$tmp/status" '"%s %s %s" % (d["state"], isinstance(d["uptime_seconds"], int) and
		d["uptime_seconds"] >= 0, d["journal_packets"])')"
check "/packets: 200" 200 "$(fetch "$S/packets/rlya-1/transfer/$cha/1" "$tmp/packet")"
check "/packets: record" "rlya-1 transfer $cha 1 acked rlyb-1 $chb True True" \
	"$(jq_py "$tmp/packet" '" ".join(str(x) for x in (d["chain"], d["port"], d["channel"],
		d["sequence"], d["state"], d["destination"]["chain"], d["destination"]["channel"],
		len(d["recv_tx"] or "") == 64, d["ack_height"] > 0))')"
sqlite3 "file:$tmp/px/journal.sqlite?mode=ro" \
	"SELECT recv_tx FROM packets WHERE src_chain = 'rlyb-1' AND sequence = $N" >"$tmp/want_tx"
check "/packets: b's last packet as the journal has it" "$(cat "$tmp/want_tx")" \
	"$(fetch "$S/packets/rlyb-1/transfer/$chb/$N" "$tmp/packet" >/dev/null; jq_py "$tmp/packet" 'd["recv_tx"]')"
check "/packets: unknown packet 404" 404 "$(fetch "$S/packets/rlya-1/transfer/$cha/$((100 * N))" "$tmp/packet")"
check "/packets: unknown packet error" not_found "$(jq_py "$tmp/packet" 'd["error"]')"
check "/packets: unknown chain 404" 404 "$(fetch "$S/packets/nosuch-1/transfer/$cha/1" "$tmp/packet")"
check "/packets: sequence 0 is 400" 400 "$(fetch "$S/packets/rlya-1/transfer/$cha/0" "$tmp/packet")"
check "/status not on telemetry" 404 "$(fetch "http://127.0.0.1:$tport/status" "$tmp/packet")"
check "/metrics not on status" 404 "$(fetch "$S/metrics" "$tmp/packet")"

# --- 4. a dropped websocket is counted; relaying goes on
"$tool" fault "ws://127.0.0.1:$port_a/websocket" drop_ws "" >/dev/null 2>&1
wait_metric "$M" "pontifex_websocket_reconnects_total{chain=\"rlya-1\"}" 1 30 ||
	{ fail=$((fail + 1)); echo "FAIL drop_ws: reconnect of rlya-1 not counted ($(mval "pontifex_websocket_reconnects_total{chain=\"rlya-1\"}"))"; }
check "drop_ws: no reconnect of rlyb-1" 0 "$(mval "pontifex_websocket_reconnects_total{chain=\"rlyb-1\"}")"
transfer rlya-1 "$cha" "$user_b" 1
transfer rlyb-1 "$chb" "$user_a" 1
wait_acked $((2 * N + 2)) "$WAIT_S" || die "after drop_ws, the packets were not acked"
wait_metric "$M" "pontifex_packets_relayed_total{path=\"ab\",kind=\"ack\"}" $((2 * N + 2)) 20 || true
check "after drop_ws: recv relayed" $((2 * N + 2)) "$(mval "pontifex_packets_relayed_total{path=\"ab\",kind=\"recv\"}")"
check "after drop_ws: ack relayed" $((2 * N + 2)) "$(mval "pontifex_packets_relayed_total{path=\"ab\",kind=\"ack\"}")"
wait_metric "$M" pontifex_journal_packets $((2 * N + 2)) 10 || true
check "after drop_ws: journal size" $((2 * N + 2)) "$(mval pontifex_journal_packets)"
check "/status: connected again" "True True" \
	"$(fetch "$S/status" "$tmp/status" >/dev/null; jq_py "$tmp/status" '" ".join(str(c["connected"]) for c in d["chains"])')"

# --- 5. a clean stop closes the listeners
stop_daemon
check "SIGTERM: exit status" 0 "$?"
check "after stop: telemetry gone" 0 "$(fetch "$M" "$tmp/packet")"
check "after stop: status gone" 0 "$(fetch "$S/status" "$tmp/packet")"

# --- 6. one address written two ways: one listener serves both
started=
for try in 1 2 3; do
	port=$(free_port)
	start_relayer "localhost:$port" "127.0.0.1:$port" && { started=1; break; }
done
[ -n "$started" ] || { tail -20 "$tmp/relay.log"; die "the relayer did not start on one address"; }
check "one address: one listener" 1 "$(grep -c 'serving /metrics, /status, /packets' "$tmp/relay.log")"
check "one address: /metrics" 200 "$(fetch "http://127.0.0.1:$port/metrics" "$tmp/metrics")"
check "one address: journal size" $((2 * N + 2)) \
	"$(wait_metric "http://127.0.0.1:$port/metrics" pontifex_journal_packets $((2 * N + 2)) 10; mval pontifex_journal_packets)"
check "one address: /status" 200 "$(fetch "http://127.0.0.1:$port/status" "$tmp/status")"
check "one address: /packets" 200 "$(fetch "http://127.0.0.1:$port/packets/rlyb-1/transfer/$chb/1" "$tmp/packet")"
stop_daemon
check "one address: SIGTERM exit status" 0 "$?"

# --- 7. a proof that does not verify: the path halts, the daemon stays up
# with its endpoints, the failure is counted by reason, SIGTERM exits 1
start_on_free_ports || die "the relayer did not start again"
"$tool" fault "ws://127.0.0.1:$port_a/websocket" corrupt_proof "" >/dev/null 2>&1
transfer rlya-1 "$cha" "$user_b" 1
wait_log "$tmp/relay.log" 'path ab HALTED' 1 60 ||
	{ fail=$((fail + 1)); echo "FAIL corrupt proof: the path did not halt"; }
wait_log "$tmp/relay.log" 'every path halted.*serving /metrics and /status' 1 20 ||
	{ fail=$((fail + 1)); echo "FAIL halted: no 'still serving' line"; }
check "halted: the daemon is still up" 0 "$(kill -0 "$rpid" 2>/dev/null; echo $?)"
check "halted: /metrics" 200 "$(fetch "$M" "$tmp/metrics")"
check "halted: failures counted for rlya-1" 1 \
	"$(grep -c '^pontifex_header_verification_failures_total{chain="rlya-1",reason="[a-z_]*"} [1-9]' "$tmp/metrics")"
check "halted: no failures for rlyb-1" 0 \
	"$(grep -c '^pontifex_header_verification_failures_total{chain="rlyb-1"' "$tmp/metrics")"
check "halted: /status" 200 "$(fetch "$S/status" "$tmp/status")"
check "halted: path halted with a reason" "True True" \
	"$(jq_py "$tmp/status" '"%s %s" % (d["paths"][0]["halted"], bool(d["paths"][0]["halt_reason"]))')"
check "halted: the new packet is still only sent" "1 $((2 * N + 2))" \
	"$(journal_state_count sent) $(journal_state_count acked)"
stop_daemon
check "halted: SIGTERM exit status" 1 "$?"
"$tool" fault "ws://127.0.0.1:$port_a/websocket" corrupt_proof 0 >/dev/null 2>&1

cat "$tmp/relay.log" >>"$tmp/relay_all.log"
check "no sanitizer reports" 0 "$(grep -c 'runtime error\|Sanitizer' "$tmp/relay_all.log")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
