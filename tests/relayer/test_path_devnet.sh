#!/usr/bin/env bash
# Integration test of `pontifex create` and relayer/path.c: two
# pontifex-devnets on free loopback ports (A with --admin for the fault
# switch), a config.yaml with a path whose ids are all "create", the
# devnets' funded account keys imported with `pontifex keys add`, then
#   - usage and configuration errors exit 2, an unreachable chain exits 3;
#   - `pontifex create channel PATH` makes both clients, the connection and
#     the channel (and says the chains start on trust);
#   - with the ids written into the config, `create channel` has nothing
#     left to do;
#   - path_devnet checks the ends are OPEN and relays transfers both ways,
#     and a corrupted proof (see path_devnet.c).
# Every wait is bounded; the trap stops both nodes.
# usage: test_path_devnet.sh PONTIFEX_DEVNET PONTIFEX PATH_DEVNET
set -u
devnet=$1
px=$2
prog=$3
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
pass=0
fail=0
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { if [ "$2" = "$3" ]; then pass=$((pass + 1)); else bad "$1: got '$3', want '$2'"; fi; }
has() { if grep -q -- "$3" "$2"; then pass=$((pass + 1)); else bad "$1: no '$3' in: $(head -c 600 "$2")"; fi; }

healthy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 &&
		timeout 2 head -c 12 <&3 | grep -q ' 200') 2>/dev/null
}

# Starts the node of home $1 on a random free port (retrying when the port
# is taken); sets $port.
start_node() {
	local home=$1
	shift
	port=
	for try in 1 2 3 4 5; do
		local p=$((20000 + (RANDOM * 7 + $$ + try * 101) % 40000)) pid i
		"$devnet" --log-level warn start --home "$home" --rpc "127.0.0.1:$p" \
			--block-time 200 "$@" >>"$home.log" 2>&1 &
		pid=$!
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			healthy "$p" && break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null && healthy "$p"; then
			pids+=("$pid")
			port=$p
			return 0
		fi
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	return 1
}

echo '[{"name":"alice","coins":"1000000stake"}]' >"$tmp/accounts.json"
for c in a:patha-1 b:pathb-1; do
	"$devnet" init --home "$tmp/${c%%:*}" --chain-id "${c#*:}" --seed "${c#*:}" \
		--accounts "$tmp/accounts.json" >"$tmp/init.log" 2>&1 ||
		{ echo "FAIL init ${c#*:}"; cat "$tmp/init.log"; exit 1; }
done
start_node "$tmp/a" --admin || { echo "FAIL node A did not start"; cat "$tmp/a.log"; exit 1; }
port_a=$port
start_node "$tmp/b" || { echo "FAIL node B did not start"; cat "$tmp/b.log"; exit 1; }
port_b=$port

mkdir -m 700 "$tmp/px"
# $1: the file, $2 and $3: the ends' ids (client, connection, channel)
write_config() {
	cat >"$1" <<EOF
chains:
  - id: patha-1
    rpc: ws://127.0.0.1:$port_a/websocket
    account_prefix: cosmos
    gas_price: 0.01stake
    key: relayer
  - id: pathb-1
    rpc: ws://127.0.0.1:$port_b/websocket
    account_prefix: cosmos
    gas_price: 0.01stake
    key: relayer
paths:
  - name: a-b
    a: { chain: patha-1, $2 }
    b: { chain: pathb-1, $3 }
telemetry: "off"
status: "off"
EOF
}
create_ids="client: create, connection: create, channel: create"
write_config "$tmp/px/config.yaml" "$create_ids" "$create_ids"
PX() { timeout 120 "$px" --home "$tmp/px" "$@"; }

# --- usage and configuration errors -----------------------------------------
PX create >"$tmp/out" 2>&1
check "create without arguments" 2 $?
PX create bogus a-b >"$tmp/out" 2>&1
check "create bogus" 2 $?
has "create bogus says why" "$tmp/out" "unknown create subcommand"
PX --json create channel nosuch >"$tmp/out" 2>/dev/null
check "unknown path" 2 $?
has "unknown path (json)" "$tmp/out" '"code":501'
PX create channel a-b >"$tmp/out" 2>&1
check "no relayer key yet" 2 $?
has "no key names the key" "$tmp/out" "relayer"
PX create --help >"$tmp/out" 2>&1
check "create --help" 0 $?

# --- keys: the devnets' funded accounts (base64 in the devnet's key file,
# 64 hex digits for pontifex) --------------------------------------------------
hexkey() {
	sed -n '/priv_key/,/}/p' "$1" | sed -n 's/.*"value": *"\([^"]*\)".*/\1/p' |
		base64 -d | od -An -tx1 | tr -d ' \n'
}
for c in a:patha-1 b:pathb-1; do
	for n in relayer alice; do
		(umask 077 && hexkey "$tmp/${c%%:*}/config/accounts/$n.json" >"$tmp/key.hex")
		PX keys add "${c#*:}" "$n" --key-file "$tmp/key.hex" >"$tmp/out" 2>&1
		check "keys add ${c#*:} $n" 0 $?
	done
done
rm -f "$tmp/key.hex"

# an unreachable chain: an I/O failure (3) at the first failed attempt
write_config "$tmp/dead.yaml" "$create_ids" "$create_ids"
sed -i "s#127.0.0.1:$port_b/#127.0.0.1:1/#" "$tmp/dead.yaml"
timeout 60 "$px" --home "$tmp/px" --config "$tmp/dead.yaml" create client a-b >"$tmp/out" 2>&1
check "unreachable chain" 3 $?
has "unreachable chain says which" "$tmp/out" "cannot connect: ws://127.0.0.1:1/websocket"

# --- create channel --------------------------------------------------------------
PX --json create channel a-b >"$tmp/create.json" 2>"$tmp/create.log"
rc=$?
check "create channel" 0 $rc
if [ $rc -ne 0 ]; then
	cat "$tmp/create.json" "$tmp/create.log"
	tail -n 20 "$tmp/a.log" "$tmp/b.log"
	exit 1
fi
has "warns about trust" "$tmp/create.log" "ON TRUST at height 1"
has "json: a" "$tmp/create.json" \
	'"a":{"chain":"patha-1","client":"07-tendermint-0","connection":"connection-0","channel":"channel-0"'
has "json: b" "$tmp/create.json" \
	'"b":{"chain":"pathb-1","client":"07-tendermint-0","connection":"connection-0","channel":"channel-0"'
has "json: created" "$tmp/create.json" '"created":\["client","connection","channel"\]'

ids="client: 07-tendermint-0, connection: connection-0, channel: channel-0"
write_config "$tmp/px/config.yaml" "$ids" "$ids"
PX create channel a-b >"$tmp/out" 2>"$tmp/err"
check "create channel again" 0 $?
has "nothing left to create" "$tmp/out" "nothing to create"
has "config lines" "$tmp/out" \
	"a: { chain: patha-1, client: 07-tendermint-0, connection: connection-0, channel: channel-0 }"

# --- relaying over it, and a corrupted proof -----------------------------------
timeout 180 "$prog" "$tmp/px" "$tmp/px/config.yaml" a-b >"$tmp/prog.out" 2>&1
rc=$?
check "path_devnet" 0 $rc
if [ $rc -ne 0 ]; then
	cat "$tmp/prog.out"
	tail -n 20 "$tmp/a.log" "$tmp/b.log"
else
	echo "path_devnet: $(tail -n 1 "$tmp/prog.out")"
fi

# --- the command with a corrupted proof: clients are made (no proofs), the
# connection stops at ConnOpenTry with a verification failure (1) ----------
rpc_post() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
			"${#2}" "$2" >&3 && timeout 5 cat <&3) 2>/dev/null
}
rpc_post "$port_a" '{"jsonrpc":"2.0","id":1,"method":"devnet_fault","params":{"name":"corrupt_proof","value":"on"}}' >"$tmp/out"
has "corrupt_proof on" "$tmp/out" '"corrupt_proof":true'
write_config "$tmp/corrupt.yaml" "$create_ids" "$create_ids"
timeout 120 "$px" --home "$tmp/px" --config "$tmp/corrupt.yaml" create connection a-b \
	>"$tmp/out" 2>"$tmp/err"
check "create connection with corrupted proofs" 1 $?
has "the proof is what failed" "$tmp/err" "connections/connection-1"
has "the ids made so far are listed" "$tmp/err" "stopped with a: client 07-tendermint-1 connection connection-1"
rpc_post "$port_a" '{"jsonrpc":"2.0","id":2,"method":"devnet_fault","params":{"name":"clear"}}' >/dev/null

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
