#!/usr/bin/env bash
# Integration test of the transaction submitter (relayer/txsub.c): one
# pontifex-devnet on a free loopback port with a minimum gas price, and
# txsub_devnet driving it (sends, balances, sequences, refusals, and the
# node killed mid-way). Every wait is bounded; the trap stops the node.
# usage: test_txsub_devnet.sh PONTIFEX_DEVNET TXSUB_DEVNET
set -u
devnet=$1
prog=$2
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# A whole HTTP request: probing with a bare connect would also test how
# the server takes a connection closed before any request.
healthy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 &&
		timeout 2 head -c 12 <&3 | grep -q ' 200') 2>/dev/null
}

echo '[{"name":"poor","coins":"1000000stake"}]' >"$tmp/accounts.json"
"$devnet" init --home "$tmp/node" --chain-id txsub-1 --seed txsub \
	--accounts "$tmp/accounts.json" >"$tmp/init.log" 2>&1 ||
	{ echo "FAIL init"; cat "$tmp/init.log"; exit 1; }

# A random port: when the node cannot bind it, it exits, and another is
# tried. Healthy means our node answers, not some other process.
for try in 1 2 3 4 5; do
	port=$((20000 + (RANDOM * 7 + $$) % 40000))
	"$devnet" --log-level warn start --home "$tmp/node" --rpc "127.0.0.1:$port" \
		--block-time 200 --min-gas-price 0.025stake >>"$tmp/node.log" 2>&1 &
	pid=$!
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		healthy "$port" && break
		sleep 0.1
	done
	sleep 0.2
	kill -0 "$pid" 2>/dev/null && healthy "$port" && break
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
done
[ -n "$pid" ] || { echo "FAIL the devnet did not start"; cat "$tmp/node.log"; exit 1; }

mkdir -m 700 "$tmp/px"
timeout 150 "$prog" "ws://127.0.0.1:$port/websocket" "$tmp/node" txsub-1 "$pid" "$tmp/px"
rc=$?
if [ $rc -ne 0 ]; then
	echo "txsub_devnet exited with $rc; node log:"
	tail -n 30 "$tmp/node.log"
	exit 1
fi
# The program killed the node (SIGKILL: status 137).
wait "$pid" 2>/dev/null
st=$?
pid=
if [ $st -ne 137 ]; then
	echo "FAIL the node ended with status $st, not by the program's SIGKILL"
	exit 1
fi
exit 0
