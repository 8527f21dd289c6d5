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
bin=$2
prog=$3
GAS_PRICE=0.01stake
. "$(dirname "$0")/lib_devnet.sh"

echo '[{"name":"alice","coins":"1000000stake"}]' >"$tmp/accounts.json"
init_node a patha-1 patha-1
init_node b pathb-1 pathb-1
run_node a --admin
run_node b

mkdir -m 700 "$tmp/px"
# $1: the file, $2 and $3: the ends' ids (client, connection, channel)
write_config() {
	{
		echo "chains:"
		chain patha-1 "$port_a" relayer
		chain pathb-1 "$port_b" relayer
		cat <<EOF
paths:
  - name: a-b
    a: { chain: patha-1, $2 }
    b: { chain: pathb-1, $3 }
telemetry: "off"
status: "off"
EOF
	} >"$1"
}
create_ids="client: create, connection: create, channel: create"
write_config "$tmp/px/config.yaml" "$create_ids" "$create_ids"
PX() { timeout 120 "$bin" --home "$tmp/px" "$@"; }

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
import_account a patha-1 relayer
import_account a patha-1 alice
import_account b pathb-1 relayer
import_account b pathb-1 alice

# an unreachable chain: an I/O failure (3) at the first failed attempt
write_config "$tmp/dead.yaml" "$create_ids" "$create_ids"
sed -i "s#127.0.0.1:$port_b/#127.0.0.1:1/#" "$tmp/dead.yaml"
timeout 60 "$bin" --home "$tmp/px" --config "$tmp/dead.yaml" create client a-b >"$tmp/out" 2>&1
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
timeout 120 "$bin" --home "$tmp/px" --config "$tmp/corrupt.yaml" create connection a-b \
	>"$tmp/out" 2>"$tmp/err"
check "create connection with corrupted proofs" 1 $?
has "the proof is what failed" "$tmp/err" "connections/connection-1"
has "the ids made so far are listed" "$tmp/err" "stopped with a: client 07-tendermint-1 connection connection-1"
rpc_post "$port_a" '{"jsonrpc":"2.0","id":2,"method":"devnet_fault","params":{"name":"clear"}}' >/dev/null

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
