#!/usr/bin/env bash
# Live Ethereum follower test: starts anvil (installed by `make eth-deps`
# into tests/eth/node_modules) on a loopback port it picks itself, runs
# eth_follow_tool against it, and stops it. Exit 77 (skipped) when anvil
# is not installed. Bounded: anvil must listen within 15 s, the tool gets
# 60 s, and anvil is killed on every exit path.
#
# usage: test_eth_live.sh TOOL SOURCE_DIR
set -u
tool=$1
here=$2

anvil=${ANVIL:-}
if [ -z "$anvil" ]; then
	for a in "$here"/node_modules/@foundry-rs/anvil-linux-*/bin/anvil; do
		[ -x "$a" ] && anvil=$a && break
	done
fi
if [ -z "$anvil" ] || [ ! -x "$anvil" ]; then
	echo "skipped: anvil not installed (make eth-deps)"
	exit 77
fi

work=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Port 0: anvil binds a free port and says which; no race with other tests.
"$anvil" --host 127.0.0.1 --port 0 >"$work/anvil.log" 2>&1 &
pid=$!
port=
for _ in $(seq 150); do
	port=$(sed -n 's/^Listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$work/anvil.log")
	[ -n "$port" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$port" ]; then
	echo "FAIL: anvil did not start"
	cat "$work/anvil.log"
	exit 1
fi
echo "anvil $("$anvil" --version | head -1 | cut -d' ' -f3) on 127.0.0.1:$port (pid $pid)"

timeout -k 5 60 "$tool" "ws://127.0.0.1:$port"
rc=$?
if [ "$rc" -eq 124 ]; then
	echo "FAIL: eth_follow_tool timed out"
	exit 1
fi
exit "$rc"
