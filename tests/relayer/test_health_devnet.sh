#!/usr/bin/env bash
# Integration test of `pontifex health-check` against two pontifex-devnet
# nodes: all ok (exit 0) once a channel exists; a client whose trusting
# period ran out is FAIL (exit 1); a key file others can read is a
# configuration failure (exit 2); a node that is down is FAIL (exit 3);
# a node that answers for another chain id is FAIL; --json gives one
# object. Every wait is bounded; the trap stops both nodes.
# usage: test_health_devnet.sh PONTIFEX_DEVNET PONTIFEX
set -u
devnet=$1
bin=$2
SEED_PREFIX=hc
CHECK_STDERR=1
. "$(dirname "$0")/lib_devnet.sh"

# stdout has a line with VERDICT, SCOPE and CHECK (and PATTERN)
has_row() { # NAME VERDICT SCOPE CHECK [PATTERN]
	if grep -E "^$2 +$3 +$4 " "$tmp/out" | grep -q -- "${5:-}"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: no '$2 $3 $4 ${5:-}' row in:"
		sed 's/^/  /' "$tmp/out"
	fi
}

start_node a hca-1
start_node b hcb-1
mkdir -m 700 "$tmp/px"
write_config() { # TRUSTING_PERIOD_OF_B [EXTRA PATH ENTRIES]
	{
		echo "chains:"
		chain hca-1 "$port_a" relayer
		chain hcb-1 "$port_b" relayer
		echo "    trusting_period: $1"
		echo "    clock_drift: 1s"
		cat <<CFG
paths:
  - name: ab
    a: { chain: hca-1, client: ${client_a:-create}, connection: create, channel: create }
    b: { chain: hcb-1, client: ${client_b:-create}, connection: create, channel: create }
    port: transfer
${2:-}
telemetry: "off"
status: "off"
CFG
	} >"$tmp/px/config.yaml"
}
write_config 336h
import_key a hca-1
import_key b hcb-1
start_s=$SECONDS

# first, clients of b with a 25 s trusting period (the relayer's own light
# client must still trust height 1), left without updates: they expire
# while the rest of the test runs
short_path() { # CLIENT_ID (or create)
	printf '  - name: short\n    a: { chain: hca-1, client: %s, connection: create, channel: create }\n    b: { chain: hcb-1, client: %s, connection: create, channel: create }' "$1" "$1"
}
write_config 25s "$(short_path create)"
px create client short
check "create short clients" 0 "$rc"
write_config 25s "$(short_path 07-tendermint-0)"

# before the path's clients: warnings only
px health-check
check "no clients yet (exit)" 0 "$rc"
has_row "endpoint a" ok "chain hca-1" endpoint "answers"
has_row "chain id b" ok "chain hcb-1" "chain id" "hcb-1"
has_row "key a" ok "chain hca-1" key "relayer (cosmos1"
has_row "balance b" ok "chain hcb-1" balance "stake"
has_row "client not created" warn "path ab" "client on hca-1" "not created"
has_row "short client fresh" ok "path short" "client on hca-1" "07-tendermint-0 of hcb-1"

# a channel (clients with the default trusting period), then every check ok
write_config 336h "$(short_path 07-tendermint-0)"
px create channel ab
check "create channel" 0 "$rc"
client_a=07-tendermint-1 client_b=07-tendermint-1
write_config 336h "$(short_path 07-tendermint-0)"
px health-check
check "healthy (exit)" 0 "$rc"
has_row "client on a" ok "path ab" "client on hca-1" "07-tendermint-1 of hcb-1"
has_row "client on b" ok "path ab" "client on hcb-1" "expires in 13d"
px --json health-check
check "json (exit)" 0 "$rc"
check "json one object" 0 "$(python3 -c 'import json,sys
o = json.load(open(sys.argv[1]))
assert o["failed"] == 0 and o["code"] == 0 and len(o["checks"]) >= 12, o
' "$tmp/out" >/dev/null 2>&1; echo $?)"

# a key file readable by others
chmod 644 "$tmp/px/keys/hca-1/relayer.json"
px health-check
check "loose key (exit)" 2 "$rc"
has_row "loose key row" FAIL home "key files" "644"
chmod 600 "$tmp/px/keys/hca-1/relayer.json"

# a node answering for another chain id: the config says hcx-1
sed -i 's/^  - id: hcb-1$/  - id: hcx-1/' "$tmp/px/config.yaml"
sed -i 's/chain: hcb-1/chain: hcx-1/' "$tmp/px/config.yaml"
import_key b hcx-1
px health-check
check "wrong chain id (exit)" 1 "$rc"
has_row "wrong chain id row" FAIL "chain hcx-1" "chain id" "the node says hcb-1"
has_row "client of the wrong chain" FAIL "path ab" "client on hca-1" "follows hcb-1, not hcx-1"
write_config 336h "$(short_path 07-tendermint-0)"

# the short clients, untouched for over 25 s: expired
while [ $((SECONDS - start_s)) -lt 28 ]; do sleep 1; done
px health-check
check "expired client (exit)" 1 "$rc"
has_row "expired row" FAIL "path short" "client on hca-1" "07-tendermint-0 EXPIRED"
has_row "others still ok" ok "path ab" "client on hca-1" "07-tendermint-1 of hcb-1"
write_config 336h

# node b down
kill -9 "${pids[1]}"
wait "${pids[1]}" 2>/dev/null
px health-check
check "node down (exit)" 3 "$rc"
has_row "node down row" FAIL "chain hcb-1" endpoint "cannot reach"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
