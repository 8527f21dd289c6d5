#!/usr/bin/env bash
# Integration test of the transaction submitter (relayer/txsub.c): one
# pontifex-devnet on a free loopback port with a minimum gas price, and
# txsub_devnet driving it (sends, balances, sequences, refusals, and the
# node killed mid-way). Every wait is bounded; the trap stops the node.
# usage: test_txsub_devnet.sh PONTIFEX_DEVNET TXSUB_DEVNET
set -u
devnet=$1
prog=$2
. "$(dirname "$0")/lib_devnet.sh"

echo '[{"name":"poor","coins":"1000000stake"}]' >"$tmp/accounts.json"
init_node node txsub-1 txsub
run_node node --min-gas-price 0.025stake
pid=${pids[0]}

mkdir -m 700 "$tmp/px"
timeout 150 "$prog" "ws://127.0.0.1:$port_node/websocket" "$tmp/node" txsub-1 "$pid" "$tmp/px"
rc=$?
if [ $rc -ne 0 ]; then
	echo "txsub_devnet exited with $rc; node log:"
	tail -n 30 "$tmp/node.log"
	exit 1
fi
# The program killed the node (SIGKILL: status 137).
wait "$pid" 2>/dev/null
st=$?
pids=()
if [ $st -ne 137 ]; then
	echo "FAIL the node ended with status $st, not by the program's SIGKILL"
	exit 1
fi
exit 0
