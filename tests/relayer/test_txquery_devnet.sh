#!/usr/bin/env bash
# Integration test of `pontifex tx transfer` and `pontifex query
# packet|pending|clients|connections|channels` against two pontifex-devnet
# nodes on free loopback ports: failure paths first (unknown chain, bad
# amount, unknown channel, missing key: exit 2; unreachable node: exit 3),
# then a channel opened with `pontifex create channel`, the clients,
# connections and channels both chains list (text and --json), five
# transfers in one command, and the queries that must see all five as
# unreceived on the destination. No relayer runs, so nothing is received.
# Every wait is bounded; the trap stops both nodes.
# usage: test_txquery_devnet.sh PONTIFEX_DEVNET PONTIFEX
set -u
devnet=$1
bin=$2
SEED_PREFIX=txq
CHECK_STDERR=1
. "$(dirname "$0")/lib_devnet.sh"

start_node a txqa-1
start_node b txqb-1

mkdir -m 700 "$tmp/px"
{
	echo "chains:"
	chain txqa-1 "$port_a" relayer
	chain txqb-1 "$port_b" relayer
	# a chain whose key was never added, and one whose node is not there
	chain txqa-nokey "$port_a" nokey
	chain txq-down 1 relayer
	cat <<EOF
paths:
  - name: ab
    a: { chain: txqa-1, client: create, connection: create, channel: create }
    b: { chain: txqb-1, client: create, connection: create, channel: create }
    port: transfer
max_msgs: 30
telemetry: "off"
status: "off"
EOF
} >"$tmp/px/config.yaml"
import_key a txqa-1 txq-down
import_key b txqb-1

recv=cosmos1ucddkgg0gsn857d7s4dn2vzs22ph3aqn5de9fn

# --- failure paths, before any channel exists
expect "usage" 2 "needs CHAIN" -- tx transfer txqa-1 transfer channel-0
expect "unknown chain" 2 "chain nochain is not in" -- \
	tx transfer nochain transfer channel-0 "$recv" 100stake
expect "bad amount 12x" 2 "'x' is not a denomination" -- \
	tx transfer txqa-1 transfer channel-0 "$recv" 12x
expect "bad amount x12" 2 "want an amount" -- tx transfer txqa-1 transfer channel-0 "$recv" stake
expect "zero amount" 2 "positive integer" -- tx transfer txqa-1 transfer channel-0 "$recv" 0stake
expect "bad count" 2 "--count" -- \
	tx transfer txqa-1 transfer channel-0 "$recv" 1stake --count 0
expect "bad channel id" 2 -- tx transfer txqa-1 transfer 'chan/0' "$recv" 1stake
expect "no timeout" 2 "must time out" -- \
	tx transfer txqa-1 transfer channel-0 "$recv" 1stake --timeout-seconds 0
expect "missing key" 2 "nokey" -- tx transfer txqa-nokey transfer channel-0 "$recv" 100stake
expect "unreachable node" 3 "cannot reach" -- \
	tx transfer txq-down transfer channel-0 "$recv" 100stake
expect "unknown channel (tx)" 2 "channel transfer/channel-0 not found" -- \
	tx transfer txqa-1 transfer channel-0 "$recv" 100stake
expect "unknown channel (pending)" 2 "not found" -- query pending txqa-1 transfer channel-0
expect "unknown channel (packet)" 2 "not found" -- query packet txqa-1 transfer channel-0 1
expect "query unreachable" 3 "cannot reach" -- query pending txq-down transfer channel-0
expect "query bad sequence" 2 "SEQUENCE" -- query packet txqa-1 transfer channel-0 0x1
expect "query unknown" 2 -- query nothing
px --json tx transfer txqa-1 transfer channel-9 "$recv" 100stake
check "json failure (exit)" 2 "$rc"
check "json failure (code)" 500 "$(jget 'o["code"]')"
for what in clients connections channels; do
	expect "$what: no chain" 2 "needs CHAIN" -- query "$what"
	expect "$what: unknown chain" 2 "chain nochain is not in" -- query "$what" nochain
	expect "$what: unreachable node" 3 "cannot reach" -- query "$what" txq-down
	px --json query "$what" txqa-1
	check "$what before any (exit)" 0 "$rc"
	check "$what before any (json)" "[]" "$(jget "o['$what']")"
done
px query channels txqa-1
check "no channels (text)" "txqa-1 has no channels" "$(cat "$tmp/out")"
px --json query clients nochain
check "clients unknown chain (json exit)" 2 "$rc"
check "clients unknown chain (json code)" 501 "$(jget 'o["code"]')"

# --- a channel between the two
px create channel ab
check "create channel (exit)" 0 "$rc"
if [ "$rc" -ne 0 ]; then
	sed 's/^/  /' "$tmp/err" | tail -5
	echo "$pass passed, $fail failed"
	exit 1
fi
cha=$(grep -o 'channel-[0-9]*' "$tmp/out" | head -1)
[ -n "$cha" ] || cha=channel-0

px --json tx transfer txqa-1 transfer "$cha" "$recv" 100stake --count 5 --memo hello
check "transfer --count 5 (exit)" 0 "$rc"
[ "$rc" -ne 0 ] && sed 's/^/  /' "$tmp/out" "$tmp/err" | head -5
check "transfer sequences" "[1, 2, 3, 4, 5]" "$(jget 'sorted(o["sequences"])')"
check "transfer txs" "1" "$(jget 'len(o["txs"])')"
check "transfer destination" "txqb-1" "$(jget 'o["destination_chain"]')"

# A timeout height: the packet is sent, sequence 6.
px --json tx transfer txqa-1 transfer "$cha" "$recv" 7stake --timeout-height-offset 1000 \
	--timeout-seconds 0
check "transfer with timeout height (exit)" 0 "$rc"
check "transfer with timeout height (sequence)" "[6]" "$(jget 'o["sequences"]')"

# More transfers than fit a transaction's gas (400000 at 20000 per
# message): batches are split.
px --json tx transfer txqa-1 transfer "$cha" "$recv" 1stake --count 25
check "transfer --count 25 (exit)" 0 "$rc"
check "transfer --count 25 (sequences)" "$(seq -s ' ' 7 31)" \
	"$(jget '" ".join(str(s) for s in sorted(o["sequences"]))')"
check "transfer --count 25 (several txs)" "True" "$(jget 'len(o["txs"]) > 1')"

px --json query pending txqa-1 transfer "$cha"
check "pending (exit)" 0 "$rc"
check "pending unreceived" "$(seq -s ' ' 1 31)" \
	"$(jget '" ".join(str(s) for s in o["unreceived_packets"])')"
check "pending acks" "[]" "$(jget 'o["unreceived_acks"]')"
check "pending commitments" "31" "$(jget 'o["commitments"]')"
check "pending destination" "txqb-1" "$(jget 'o["destination"]["chain"]')"

px query pending txqa-1 transfer "$cha"
check "pending text (exit)" 0 "$rc"
check "pending text" "1" "$(grep -c '^unreceived packets (not yet on txqb-1): 31: 1 2 3 4 5 ' "$tmp/out")"

# The other direction: nothing sent from b.
chb=$(jget 'o["destination"]["channel"]')
px --json query pending txqa-1 transfer "$cha"
chb=$(jget 'o["destination"]["channel"]')
px --json query pending txqb-1 transfer "$chb"
check "pending b (exit)" 0 "$rc"
check "pending b" "[]" "$(jget 'o["unreceived_packets"]')"

# --- what each chain holds: one client of the other, one connection, one
# channel, all open and pointing at each other
px --json query clients txqa-1
check "clients a (exit)" 0 "$rc"
check "clients a (count)" 1 "$(jget 'len(o["clients"])')"
check "clients a (chain)" "txqb-1" "$(jget 'o["clients"][0]["chain_id"]')"
check "clients a (type)" "07-tendermint" "$(jget 'o["clients"][0]["client_type"]')"
check "clients a (frozen)" "False" "$(jget 'o["clients"][0]["frozen"]')"
check "clients a (revision)" "1" "$(jget 'o["clients"][0]["latest_height"]["revision_number"]')"
check "clients a (height)" "True" "$(jget 'o["clients"][0]["latest_height"]["revision_height"] > 0')"
clia=$(jget 'o["clients"][0]["client_id"]')
px query clients txqa-1
check "clients a text (exit)" 0 "$rc"
check "clients a text (header)" 1 "$(grep -c '^CLIENT  *TYPE  *CHAIN  *LATEST HEIGHT  *FROZEN$' "$tmp/out")"
check "clients a text (row)" 1 \
	"$(grep -c "^$clia  *07-tendermint  *txqb-1  *1-[1-9][0-9]*  *no$" "$tmp/out")"
px --json query clients txqb-1
check "clients b (chain)" "txqa-1" "$(jget 'o["clients"][0]["chain_id"]')"
clib=$(jget 'o["clients"][0]["client_id"]')

px --json query connections txqb-1
conb=$(jget 'o["connections"][0]["connection_id"]')
px --json query connections txqa-1
check "connections a (exit)" 0 "$rc"
check "connections a (count)" 1 "$(jget 'len(o["connections"])')"
check "connections a (client)" "$clia" "$(jget 'o["connections"][0]["client_id"]')"
check "connections a (state)" "OPEN" "$(jget 'o["connections"][0]["state"]')"
check "connections a (counterparty client)" "$clib" \
	"$(jget 'o["connections"][0]["counterparty"]["client_id"]')"
check "connections a (counterparty connection)" "$conb" \
	"$(jget 'o["connections"][0]["counterparty"]["connection_id"]')"
cona=$(jget 'o["connections"][0]["connection_id"]')
px query connections txqa-1
check "connections a text (exit)" 0 "$rc"
check "connections a text (row)" 1 \
	"$(grep -c "^$cona  *$clia  *OPEN  *$clib  *$conb$" "$tmp/out")"

px --json query channels txqa-1
check "channels a (exit)" 0 "$rc"
check "channels a (count)" 1 "$(jget 'len(o["channels"])')"
check "channels a (id)" "transfer/$cha" \
	"$(jget 'o["channels"][0]["port_id"] + "/" + o["channels"][0]["channel_id"]')"
check "channels a (state)" "OPEN" "$(jget 'o["channels"][0]["state"]')"
check "channels a (ordering)" "UNORDERED" "$(jget 'o["channels"][0]["ordering"]')"
check "channels a (version)" "ics20-1" "$(jget 'o["channels"][0]["version"]')"
check "channels a (connection)" "$cona" "$(jget 'o["channels"][0]["connection_id"]')"
check "channels a (counterparty)" "transfer/$chb" \
	"$(jget 'o["channels"][0]["counterparty"]["port_id"] + "/" + o["channels"][0]["counterparty"]["channel_id"]')"
px query channels txqa-1
check "channels a text (exit)" 0 "$rc"
check "channels a text (header)" 1 \
	"$(grep -c '^PORT/CHANNEL  *STATE  *ORDERING  *VERSION  *CONNECTION  *COUNTERPARTY$' "$tmp/out")"
check "channels a text (row)" 1 \
	"$(grep -c "^transfer/$cha  *OPEN  *UNORDERED  *ics20-1  *$cona  *transfer/$chb$" "$tmp/out")"
px --json query channels txqb-1
check "channels b (counterparty)" "$cha" "$(jget 'o["channels"][0]["counterparty"]["channel_id"]')"
check "channels b (connection)" "$conb" "$(jget 'o["channels"][0]["connection_id"]')"

px --json query packet txqa-1 transfer "$cha" 3
check "packet (exit)" 0 "$rc"
check "packet status" "pending_recv" "$(jget 'o["status"]')"
check "packet commitment" "True" "$(jget 'o["commitment"]')"
check "packet hash" "64" "$(jget 'len(o["commitment_hash"])')"
check "packet receipt" "False" "$(jget 'o["receipt"]')"
check "packet journal" "absent" "$(jget 'o["journal"]["state"]')"
px query packet txqa-1 transfer "$cha" 3
check "packet text (exit)" 0 "$rc"
check "packet text" "1" "$(grep -c 'status: *pending_recv' "$tmp/out")"

# A sequence never sent: no commitment, no receipt.
px --json query packet txqa-1 transfer "$cha" 99
check "packet 99 (exit)" 0 "$rc"
check "packet 99 status" "none" "$(jget 'o["status"]')"

# A refused transfer: more than the account holds (exit 3, the chain's word).
expect "insufficient funds" 3 "refused" -- \
	tx transfer txqa-1 transfer "$cha" "$recv" 99999999999999999999999stake

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
