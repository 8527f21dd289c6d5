#!/usr/bin/env bash
# Integration test of pontifex-devnet's fault switches (docs/devnet.md,
# "Fault switches"), checked with the project's own verifiers: with
# corrupt_proof `pontifex verify abci` refuses the proof; with
# wrong_key_header `pontifex verify header` refuses /commit and NewBlock's
# last_commit carries other signatures; with equivocate two different
# headers at one height both verify from the same trusted block (the
# misbehaviour case); drop_ws closes websocket subscribers, who can
# reconnect; delay_ms holds responses back; devnet_fault is refused
# without --admin. Clearing each switch restores correct answers. Every
# wait is bounded; the trap stops what the test started.
# usage: test_faults.sh PONTIFEX_DEVNET PONTIFEX RPC_CLIENT_PY
set -u
devnet=$1
px=$2
client=$3
# checks, counters, $tmp and the trap
. "$(dirname "$0")/../relayer/lib_devnet.sh"
rpc() { timeout 60 python3 "$client" "$@"; }

"$devnet" init --home "$tmp/a" --chain-id faults-a --seed faults >/dev/null 2>&1
check "init" 0 $?
"$devnet" start --home "$tmp/a" --fault bogus >"$tmp/out" 2>&1
check "unknown --fault" 2 $?
"$devnet" start --home "$tmp/a" --fault delay_ms=999999 >"$tmp/out" 2>&1
check "--fault delay_ms out of bounds" 2 $?

pa=$(rpc freeport)
A="http://127.0.0.1:$pa"
# First without --admin: the admin method is refused.
"$devnet" --log-level warn start --home "$tmp/a" --rpc "127.0.0.1:$pa" --block-time 100 \
	>>"$tmp/a.log" 2>&1 &
pids+=($!)
rpc wait-height "$A" 2 60 || { bad "node reaches 2"; cat "$tmp/a.log"; exit 1; }
rpc fault "$A" corrupt_proof on >"$tmp/out"
has "devnet_fault refused without --admin" "$tmp/out" '"code":-32601'
has "refusal names --admin" "$tmp/out" 'start the node with --admin'
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null
pids=()

# Then with --admin and a fault from the command line.
"$devnet" --log-level warn start --home "$tmp/a" --rpc "127.0.0.1:$pa" --block-time 100 \
	--admin --fault delay_ms=400 >>"$tmp/a.log" 2>&1 &
pids+=($!)
rpc wait-height "$A" 10 60 || { bad "node reaches 10"; cat "$tmp/a.log"; exit 1; }

# --- delay_ms -------------------------------------------------------------
ms=$(rpc timed "$A/health")
if [ "$ms" -ge 400 ]; then ok; else bad "--fault delay_ms=400: health took $ms ms"; fi
rpc fault "$A" delay_ms 250 >"$tmp/out"
has "delay_ms set" "$tmp/out" '"delay_ms":250'
ms=$(rpc timed "$A/health")
if [ "$ms" -ge 250 ]; then ok; else bad "delay_ms=250: health took $ms ms"; fi
rpc fault "$A" delay_ms off >/dev/null
ms=$(rpc timed "$A/health")
if [ "$ms" -lt 250 ]; then ok; else bad "delay_ms off: health took $ms ms"; fi
rpc fault "$A" delay_ms 999999 >"$tmp/out"
has "delay_ms bounded" "$tmp/out" '"code":-32602'
rpc fault "$A" no_such_fault >"$tmp/out"
has "unknown fault" "$tmp/out" '"code":-32602'

# --- corrupt_proof ----------------------------------------------------------
H=3
key=$(printf 'P%d' "$H" | od -An -tx1 | tr -d ' \n')	# staking HistoricalInfo key
app=$(rpc header-field "$A" $((H + 1)) app_hash)
rpc fault "$A" corrupt_proof on >/dev/null
rpc abci "$A" "$H" staking "$key" "$tmp/abci_bad.json" || bad "abci_query corrupt"
"$px" verify abci --app-hash "$app" --response "$tmp/abci_bad.json" >"$tmp/out" 2>&1
check "corrupt_proof: verify abci fails" 1 $?
has "corrupt_proof: a verification failure" "$tmp/out" '^not verified: '
rpc fault "$A" corrupt_proof off >/dev/null
rpc abci "$A" "$H" staking "$key" "$tmp/abci.json" || bad "abci_query"
"$px" verify abci --app-hash "$app" --response "$tmp/abci.json" >"$tmp/out" 2>&1
check "corrupt_proof cleared: verify abci" 0 $?

# --- wrong_key_header -------------------------------------------------------
V() { # NAME WANT TRUSTED UNTRUSTED
	"$px" verify header --trusted "$3" --untrusted "$4" >"$tmp/out" 2>&1
	check "$1" "$2" $?
}
rpc lightblock "$A" 2 "$tmp/t2.json" || bad "light block 2"
rpc lightblock "$A" 4 "$tmp/g4.json" || bad "light block 4"
rpc fault "$A" wrong_key_header on >/dev/null
rpc lightblock "$A" 4 "$tmp/w4.json" || bad "light block 4, wrong key"
V "wrong_key_header: verify header fails" 1 "$tmp/t2.json" "$tmp/w4.json"
has "wrong_key_header: bad signature" "$tmp/out" "signature"
read -r h sig < <(rpc ws-last-commit "$pa")
real=$(rpc get "$A/block?height=$h" | python3 -c \
	'import json,sys; print(json.load(sys.stdin)["result"]["block"]["last_commit"]["signatures"][0]["signature"])')
if [ -n "$sig" ] && [ "$sig" != "$real" ]; then ok; else bad "NewBlock last_commit not re-signed"; fi
rpc fault "$A" wrong_key_header off >/dev/null
rpc lightblock "$A" 4 "$tmp/c4.json" || bad "light block 4, cleared"
V "wrong_key_header cleared: verify header" 0 "$tmp/t2.json" "$tmp/c4.json"
check "stored chain intact" "$(rpc block-hash "$tmp/g4.json")" "$(rpc block-hash "$tmp/c4.json")"

# --- equivocate -------------------------------------------------------------
E=6
rpc lightblock "$A" $E "$tmp/e_real.json" || bad "light block $E"
rpc fault "$A" equivocate $E >"$tmp/out"
has "equivocate set" "$tmp/out" "\"equivocate\":\"$E\""
rpc lightblock "$A" $E "$tmp/e_fork.json" || bad "light block $E, equivocating"
V "equivocate: the real header verifies" 0 "$tmp/t2.json" "$tmp/e_real.json"
V "equivocate: the conflicting header verifies" 0 "$tmp/t2.json" "$tmp/e_fork.json"
hr=$(rpc block-hash "$tmp/e_real.json"); hf=$(rpc block-hash "$tmp/e_fork.json")
if [ -n "$hr" ] && [ "$hr" != "$hf" ]; then ok; else bad "equivocate: same hash $hr"; fi
rpc lightblock "$A" $((E - 1)) "$tmp/e_other.json" || bad "light block $((E - 1))"
check "equivocate: only height $E" "$(rpc block-hash "$tmp/e_other.json")" \
	"$(rpc get "$A/block?height=$((E - 1))" | python3 -c \
	'import json,sys; print(json.load(sys.stdin)["result"]["block_id"]["hash"])')"
rpc fault "$A" equivocate off >/dev/null
rpc lightblock "$A" $E "$tmp/e_back.json" || bad "light block $E, cleared"
check "equivocate cleared" "$hr" "$(rpc block-hash "$tmp/e_back.json")"

# --- drop_ws ----------------------------------------------------------------
rpc ws-drop "$pa" 3 >"$tmp/ws.out" 2>&1
check "drop_ws client" 0 $?
has "dropped, reconnected, closed at the 3rd message" "$tmp/ws.out" '^dropped reconnected closed-at-3$'

# --- clear ------------------------------------------------------------------
rpc fault "$A" corrupt_proof on >/dev/null
rpc fault "$A" clear >"$tmp/out"
has "clear" "$tmp/out" '"corrupt_proof":false,"delay_ms":0,"drop_ws":0,"equivocate":"0","wrong_key_header":false'
rpc get "$A/health" >"$tmp/out"
has "still serving" "$tmp/out" '"result":{}'

kill -TERM "${pids[0]}"
wait "${pids[0]}"
check "SIGTERM exit" 0 $?
pids=()
echo "faults: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
