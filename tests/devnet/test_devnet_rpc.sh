#!/usr/bin/env bash
# Integration test of pontifex-devnet: two homes, two nodes on free
# loopback ports; their /commit and /validators become light-block files
# that `pontifex verify header` accepts (adjacent, skipping) or refuses
# (skipping across a change to a disjoint validator set); an abci_query
# proof verifies with `pontifex verify abci` against header H+1; websocket
# NewBlock events arrive in order; malformed requests get JSON-RPC errors
# and the node keeps serving; kill -9 and restart keep every block and app
# hash; SIGTERM stops cleanly. Every wait is bounded; the trap stops what
# the test started.
# Transactions: CheckTx refusals come back with the SDK's codes and the
# node keeps serving; broadcast_tx_commit waits for the block; tx,
# tx_search and block_results find the result; txs in flight when the
# node is killed with SIGKILL are either committed and kept, or gone,
# never half there.
# usage: test_devnet_rpc.sh PONTIFEX_DEVNET PONTIFEX RPC_CLIENT_PY DEVNET_TX_TOOL
set -u
devnet=$1
px=$2
client=$3
txtool=$4
# checks, counters, $tmp and the trap
. "$(dirname "$0")/../relayer/lib_devnet.sh"
rpc() { python3 "$client" "$@"; }

start() { # NAME HOME PORT
	"$devnet" --log-level warn start --home "$2" --rpc "127.0.0.1:$3" --block-time 100 \
		>>"$tmp/$1.log" 2>&1 &
	pids+=($!)
	eval "pid_$1=$!"
}

# --- init ---------------------------------------------------------------
"$devnet" init --home "$tmp/a" --chain-id devnet-a --validators 3 --seed itest \
	--valset-change 12:3-5 >"$tmp/init.out" 2>&1
check "init a" 0 $?
has "init names 6 keys" "$tmp/init.out" '^key 5: [0-9A-F]\{40\}$'
"$devnet" init --home "$tmp/b" --chain-id devnet-b >/dev/null 2>&1
check "init b" 0 $?
"$devnet" init --home "$tmp/a" --chain-id devnet-a >"$tmp/out" 2>&1
check "init refuses an existing home" 2 $?
has "refusal names it" "$tmp/out" 'refusing to overwrite'
mode=$(stat -c %a "$tmp/a/config/keys/validator_0.json")
check "key file mode" 600 "$mode"
check "account key file mode" 600 "$(stat -c %a "$tmp/a/config/accounts/user.json")"
has "init names the accounts" "$tmp/init.out" '^account user: cosmos1[a-z0-9]* 100000000000stake,100000000000token$'
has "genesis balances" "$tmp/a/config/genesis.json" '"denom": "token"'
echo '[{"name":"alice","coins":"5stake,7token"},{"address":"osmo1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5helwsw","coins":"9stake"}]' >"$tmp/accounts.json"
"$devnet" init --home "$tmp/c" --chain-id devnet-c --account-prefix osmo --accounts "$tmp/accounts.json" >"$tmp/out" 2>&1
check "init --accounts" 0 $?
has "named account with a key" "$tmp/out" '^account alice: osmo1[a-z0-9]* 5stake,7token$'
has "given address" "$tmp/c/config/genesis.json" 'osmo1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5helwsw'
echo '[{"name":"bob","coins":"5token,7stake"}]' >"$tmp/accounts.json"
"$devnet" init --home "$tmp/d" --chain-id devnet-d --accounts "$tmp/accounts.json" >"$tmp/out" 2>&1
check "init --accounts refuses unsorted coins" 2 $?
"$devnet" start >"$tmp/out" 2>&1
check "start without --home" 2 $?

pa=$(rpc freeport); pb=$(rpc freeport)
while [ "$pb" = "$pa" ]; do pb=$(rpc freeport); done
A="http://127.0.0.1:$pa"
B="http://127.0.0.1:$pb"
start a "$tmp/a" "$pa"
start b "$tmp/b" "$pb"
rpc wait-height "$A" 16 60 || { bad "node a reaches 16"; cat "$tmp/a.log"; exit 1; }
rpc wait-height "$B" 3 60 || { bad "node b reaches 3"; cat "$tmp/b.log"; exit 1; }
check "pid file" "$pid_a" "$(cat "$tmp/a/devnet.pid")"

# --- light blocks and pontifex verify ----------------------------------
H=3
for h in $H $((H + 1)) $((H + 5)) 14; do
	rpc lightblock "$A" "$h" "$tmp/a$h.json" || bad "light block a $h"
done
rpc lightblock "$B" 1 "$tmp/b1.json" && rpc lightblock "$B" 2 "$tmp/b2.json" || bad "light blocks b"
V() { # NAME WANT TRUSTED UNTRUSTED
	"$px" verify header --trusted "$3" --untrusted "$4" >"$tmp/out" 2>&1
	check "$1" "$2" $?
}
V "adjacent H -> H+1" 0 "$tmp/a$H.json" "$tmp/a$((H + 1)).json"
has "verified height" "$tmp/out" "^verified: height $((H + 1)) "
V "skipping H -> H+5" 0 "$tmp/a$H.json" "$tmp/a$((H + 5)).json"
V "skipping across a disjoint set change" 1 "$tmp/a$H.json" "$tmp/a14.json"
has "not enough trust" "$tmp/out" 'not_enough_trust'
V "second chain, adjacent" 0 "$tmp/b1.json" "$tmp/b2.json"
V "other chain's block" 1 "$tmp/a$H.json" "$tmp/b2.json"

# --- abci_query with prove ----------------------------------------------
key=$(printf 'P%d' "$H" | od -An -tx1 | tr -d ' \n')	# staking HistoricalInfo key
rpc abci "$A" "$H" staking "$key" "$tmp/abci.json" || bad "abci_query"
app=$(rpc header-field "$A" $((H + 1)) app_hash)
"$px" verify abci --app-hash "$app" --response "$tmp/abci.json" >"$tmp/out" 2>&1
check "abci proof against header H+1" 0 $?
app2=$(rpc header-field "$A" $((H + 2)) app_hash)
"$px" verify abci --app-hash "$app2" --response "$tmp/abci.json" >"$tmp/out" 2>&1
check "abci proof against another app hash" 1 $?
rpc abci "$A" "$H" staking 50ffff "$tmp/absent.json" || bad "abci_query absent"
"$px" verify abci --app-hash "$app" --response "$tmp/absent.json" >"$tmp/out" 2>&1
check "absence proof" 0 $?

# --- websocket ------------------------------------------------------------
timeout 30 python3 "$client" ws "$pa" 3 >"$tmp/ws.out" 2>&1
check "websocket NewBlock events" 0 $?
has "three heights" "$tmp/ws.out" '^[0-9]* [0-9]* [0-9]*$'

# --- shapes and errors ------------------------------------------------------
P() { rpc post "$A/" "$1" >"$tmp/out" 2>&1; }
P '{"jsonrpc":"2.0","id":5,"method":"block","params":{"height":"2"}}'
has "block over POST" "$tmp/out" '^200 {"id":5,"jsonrpc":"2.0","result":{"block":{"data":{"txs":\[\]}'
P '{"jsonrpc":"2.0","id":"x","method":"blockchain","params":{"minHeight":"1","maxHeight":"3"}}'
has "blockchain" "$tmp/out" '"last_height":"[0-9]*"'
P '{"jsonrpc":"2.0","id":6,"method":"validators","params":["1","1","2"]}'
has "validators with positional params, paged" "$tmp/out" '"count":"2","total":"3"'
P '{"jsonrpc":"2.0","id":1,"method":"abci_info"}'
has "abci_info" "$tmp/out" '"last_block_app_hash":"[A-Za-z0-9+/=]*"'
P '{"jsonrpc": "2.0", "id": 1, "method": "nope"}'
has "unknown method" "$tmp/out" '"code":-32601'
P '{"jsonrpc": "2.0", "id": 1, "method"'
has "bad JSON" "$tmp/out" '^500 .*"code":-32700'
P '[1,2]'
has "batch" "$tmp/out" '"code":-32600'
P '{"jsonrpc":"2.0","id":1,"method":"block","params":{"height":"99999999"}}'
has "height above the chain" "$tmp/out" 'must be less than or equal to the current blockchain height'
P '{"jsonrpc":"2.0","id":1,"method":"block","params":{"height":"x1"}}'
has "bad height" "$tmp/out" '"code":-32602'
P '@big:2000000'
has "huge body" "$tmp/out" '^413 .*"code":-32600'
rpc get "$A/no_such_method" >"$tmp/out" 2>&1
has "GET unknown method" "$tmp/out" '"code":-32601'
rpc get "$A/commit?height=2" >"$tmp/out" 2>&1
has "GET commit" "$tmp/out" '"canonical":true'
rpc get "$A/genesis" >"$tmp/out" 2>&1
has "genesis" "$tmp/out" '"chain_id":"devnet-a"'
rpc get "$A/health" >"$tmp/out" 2>&1
check "still serving after bad requests" '{"id":-1,"jsonrpc":"2.0","result":{}}' "$(cat "$tmp/out")"

# --- transactions ------------------------------------------------------------
ukey="$tmp/a/config/accounts/user.json"
rcpt=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["address"])' "$tmp/a/config/accounts/relayer.json")
# account numbers: fee_collector 0, relayer 1, user 2
T() { "$txtool" "$ukey" "$@"; }
tx0=$(T devnet-a 2 0 1 "$rcpt" 5 token 1000 200000)
rpc broadcast "$A" broadcast_tx_commit "$tx0" >"$tmp/out"
has "broadcast_tx_commit waits for the block" "$tmp/out" '"height":"[1-9][0-9]*"'
has "committed tx result" "$tmp/out" '"tx_result":{"code":0,'
TXH=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"]["height"])' "$tmp/out")
rpc broadcast "$A" broadcast_tx_sync "$tx0" >"$tmp/out"
has "replay: incorrect account sequence" "$tmp/out" '"code":32,"codespace":"sdk"'
rpc broadcast "$A" broadcast_tx_sync "$(T devnet-a 2 7 1 "$rcpt" 5 token 1000 200000)" >"$tmp/out"
has "wrong sequence" "$tmp/out" '"code":32,'
rpc broadcast "$A" broadcast_tx_sync "$(T devnet-b 2 1 1 "$rcpt" 5 token 1000 200000)" >"$tmp/out"
has "other chain id: unauthorized" "$tmp/out" '"code":4,'
rpc broadcast "$A" broadcast_tx_sync "$(T devnet-a 2 1 1 "$rcpt" 999999999999999 token 1000 200000)" >"$tmp/out"
has "insufficient funds" "$tmp/out" '"code":5,'
rpc broadcast "$A" broadcast_tx_sync "$(T devnet-a 2 1 1 "$rcpt" 5 token 1000 100)" >"$tmp/out"
has "out of gas" "$tmp/out" '"code":11,'
rpc broadcast "$A" broadcast_tx_sync "AQID" >"$tmp/out"
has "not a tx: tx parse error" "$tmp/out" '"code":2,'
rpc broadcast "$A" broadcast_tx_sync "not base64!" >"$tmp/out"
has "bad base64: invalid params" "$tmp/out" '"code":-32602'
rpc broadcast "$A" broadcast_tx_commit "AQID" >"$tmp/out"
has "commit of a bad tx answers at once" "$tmp/out" '"check_tx":{"code":2,'
h0=$(rpc tx-hash "$tx0")
rpc get "$A/tx?hash=0x$h0" >"$tmp/out"
has "tx by hash" "$tmp/out" "\"height\":\"$TXH\""
rpc get "$A/tx_search?query=\"tx.height=$TXH\"" >"$tmp/out"
has "tx_search by height" "$tmp/out" '"total_count":"1"'
rpc get "$A/block_results?height=$TXH" >"$tmp/out"
has "block_results" "$tmp/out" '"txs_results":\[{"code":0,'
has "events stored" "$tmp/out" '"type":"transfer"'
rpc get "$A/health" >"$tmp/out" 2>&1
check "still serving after bad txs" '{"id":-1,"jsonrpc":"2.0","result":{}}' "$(cat "$tmp/out")"

# --- kill -9 with transactions in flight -------------------------------------
T devnet-a 2 1 40 "$rcpt" 1 token 1000 200000 >"$tmp/flight.txt"
rpc send-all "$A" "$tmp/flight.txt"
sleep 0.15
rpc found "$A" "$tmp/flight.txt" >"$tmp/found.before"
kill -9 "$pid_a"
wait "$pid_a" 2>/dev/null
start a "$tmp/a" "$pa"
rpc wait-height "$A" $(( $(rpc get "$A/status" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["sync_info"]["latest_block_height"])' 2>/dev/null || echo 0) + 2 )) 60 \
	|| { bad "restarted after kill -9 with txs in flight"; cat "$tmp/a.log"; }
rpc found "$A" "$tmp/flight.txt" >"$tmp/found.after"
python3 - "$tmp/found.before" "$tmp/found.after" <<'PY' || bad "committed txs lost or out of order: $(cat "$tmp/found.before") -> $(cat "$tmp/found.after")"
import re, sys
before, after = (open(p).read().strip() for p in sys.argv[1:3])
assert re.fullmatch("1*0*", after), after          # a prefix of the sequences
assert all(a == "1" for b, a in zip(before, after) if b == "1"), (before, after)
PY
ok

# --- kill -9 and restart -------------------------------------------------------
L=$(rpc get "$A/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["sync_info"]["latest_block_height"])')
for h in 1 $((L / 2)) "$L"; do
	rpc get "$A/block?height=$h" | python3 -c 'import json,sys; r=json.load(sys.stdin)["result"]; print(r["block_id"]["hash"], r["block"]["header"]["app_hash"])' >"$tmp/before$h"
done
kill -9 "$pid_a"
wait "$pid_a" 2>/dev/null
start a "$tmp/a" "$pa"
rpc wait-height "$A" $((L + 3)) 60 || { bad "restarted node continues"; cat "$tmp/a.log"; }
for h in 1 $((L / 2)) "$L"; do
	after=$(rpc get "$A/block?height=$h" | python3 -c 'import json,sys; r=json.load(sys.stdin)["result"]; print(r["block_id"]["hash"], r["block"]["header"]["app_hash"])')
	check "block $h after restart" "$(cat "$tmp/before$h")" "$after"
done
rpc lightblock "$A" "$L" "$tmp/aL.json" && rpc lightblock "$A" $((L + 1)) "$tmp/aL1.json"
V "across the restart" 0 "$tmp/aL.json" "$tmp/aL1.json"

# --- SIGTERM ----------------------------------------------------------------
kill -TERM "$pid_b"
for _ in $(seq 50); do kill -0 "$pid_b" 2>/dev/null || break; sleep 0.1; done
wait "$pid_b"
check "SIGTERM exit status" 0 $?
check "pid file removed" no "$( [ -e "$tmp/b/devnet.pid" ] && echo yes || echo no)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
