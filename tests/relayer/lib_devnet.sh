# Shared pieces of the devnet test scripts (sourced, by tests/relayer/*.sh
# and tests/devnet/*.sh): checks with pass/fail counters, the EXIT trap,
# pontifex run with the test's home, devnet nodes on free loopback ports,
# the devnets' funded keys imported into the home, config.yaml writers,
# and the relaying daemon (`pontifex start`) in the background.
#
# Sourcing makes the test's temporary folder $tmp and sets pids=() (nodes
# the trap kills), rpid= (the daemon the trap kills), pass=0, fail=0, and
# the EXIT trap. The sourcing script sets devnet (pontifex-devnet), bin
# (pontifex) and tool (relay_devnet, for msgs) for the functions that run
# them, and may set (read when a function runs, so a section of a test
# may change them):
#   SEED_PREFIX   start_node's validator seeds, SEED_PREFIX-NAME (t)
#   NODE_SETTLE   seconds a started node must stay healthy (0.2)
#   PX_HOME       the pontifex home ($tmp/px)
#   PX_TIMEOUT    the time limit of px, in seconds (120)
#   CHECK_STDERR  when set, a failed check also shows $tmp/err
#   LOGS_ON_FAIL  globs under $tmp: logs whose last 40 lines the trap shows
#                 when a check failed (none)
#   GAS_PRICE     the gas price of config entries made by chain (0.025stake)
#   CHAIN_A, CHAIN_B  the chain ids of relay_config (nodes a and b)

# --- counters and checks

# A success: counted.
ok() { pass=$((pass + 1)); }

# A failure: counted and said.
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# GOT is WANT.
check() { # NAME WANT GOT
	if [ "$2" = "$3" ]; then
		ok
	else
		bad "$1: got '$3', want '$2'"
		[ -n "${CHECK_STDERR:-}" ] && [ -s "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err" | head -5
	fi
}

# FILE has a line matching PATTERN.
has() { # NAME FILE PATTERN
	if grep -q -- "$3" "$2"; then ok; else bad "$1: no '$3' in: $(head -c 600 "$2")"; fi
}

# A failure the test cannot go on after: counted, the counts said, exit 1.
die() {
	bad "$*"
	echo "$pass passed, $fail failed"
	exit 1
}

# The EXIT trap: kills the daemon and the nodes, shows the logs named by
# LOGS_ON_FAIL when a check failed, removes $tmp.
cleanup() {
	local p f
	[ -n "$rpid" ] && kill -9 "$rpid" 2>/dev/null
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ "$fail" -ne 0 ] && [ -n "${LOGS_ON_FAIL:-}" ]; then
		# shellcheck disable=SC2086
		for f in "$tmp"/$LOGS_ON_FAIL; do
			[ -f "$f" ] || continue
			echo "--- $f (tail)"
			tail -n 40 "$f"
		done
	fi
	rm -rf "$tmp"
}

tmp=$(mktemp -d)
pids=()
rpid=
pass=0
fail=0
trap cleanup EXIT

# --- pontifex

# Runs pontifex with the test's home; stdout in $tmp/out, stderr in
# $tmp/err, the exit status in $rc.
px() {
	timeout "${PX_TIMEOUT:-120}" "$bin" --home "${PX_HOME:-$tmp/px}" --log-level warn "$@" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect NAME EXIT [GREP-IN-STDERR] -- ARGS...
expect() {
	local name=$1 want=$2 pat=
	shift 2
	if [ "$1" != "--" ]; then pat=$1; shift; fi
	shift
	px "$@"
	check "$name (exit)" "$want" "$rc"
	if [ -n "$pat" ]; then
		if grep -q -- "$pat" "$tmp/err"; then ok; else
			bad "$name: stderr lacks '$pat':"
			sed 's/^/  /' "$tmp/err" | head -5
		fi
	fi
}

# A JSON field of the single object on stdout (python expression on o).
jget() {
	python3 -c 'import json,sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
o = json.loads(lines[0])
print(eval(sys.argv[2]))' "$tmp/out" "$1" 2>/dev/null || echo "(no json)"
}

# --- devnet nodes

# The node on PORT answers /health with 200: a whole HTTP request, since a
# bare connect would also test how the server takes a connection closed
# before any request.
healthy() { # PORT
	(exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 &&
		timeout 2 head -c 12 <&3 | grep -q ' 200') 2>/dev/null
}

# A new devnet home $tmp/NAME, with the accounts of $tmp/accounts.json
# when there is one.
init_node() { # NAME CHAIN_ID SEED
	local accounts=()
	[ -f "$tmp/accounts.json" ] && accounts=(--accounts "$tmp/accounts.json")
	"$devnet" init --home "$tmp/$1" --chain-id "$2" --seed "$3" "${accounts[@]}" \
		>"$tmp/$1.init.log" 2>&1 ||
		{ cat "$tmp/$1.init.log"; die "init $1"; }
}

# Starts the node of home $tmp/NAME (block time 200 ms, log $tmp/NAME.log)
# on a random loopback port, another when the node cannot bind it; the node
# must answer /health, and still answer NODE_SETTLE seconds later. Adds its
# pid to pids and sets port_NAME.
run_node() { # NAME [START ARGS...]
	local name=$1 port pid try i
	shift
	for try in 1 2 3 4 5; do
		port=$((20000 + (RANDOM * 7 + $$ + try * 173) % 40000))
		"$devnet" --log-level warn start --home "$tmp/$name" --rpc "127.0.0.1:$port" \
			--block-time 200 "$@" >>"$tmp/$name.log" 2>&1 &
		pid=$!
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			healthy "$port" && break
			sleep 0.1
		done
		sleep "${NODE_SETTLE:-0.2}"
		if kill -0 "$pid" 2>/dev/null && healthy "$port"; then
			pids+=("$pid")
			eval "port_$name=$port"
			return
		fi
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	cat "$tmp/$name.log"
	die "the devnet $name did not start"
}

# init_node and run_node, the seed SEED_PREFIX-NAME.
start_node() { # NAME CHAIN_ID [START ARGS...]
	init_node "$1" "$2" "${SEED_PREFIX:-t}-$1"
	run_node "$1" "${@:3}"
}

# --- keys and accounts

# The private key of a devnet account as the hex `keys add --key-file` reads.
key_hex() { # NODE ACCOUNT FILE
	sed -n '/priv_key/,/}/s/.*"value": *"\([^"]*\)".*/\1/p' \
		"$tmp/$1/config/accounts/$2.json" | base64 -d | od -An -tx1 -v |
		tr -d ' \n' >"$3"
}

# The devnet's `relayer` account key, imported for each CHAIN.
import_key() { # NODE CHAIN...
	local node=$1 c
	shift
	key_hex "$node" relayer "$tmp/$node.key"
	for c in "$@"; do
		px keys add "$c" relayer --key-file "$tmp/$node.key"
		check "keys add $c" 0 "$rc"
	done
	rm -f "$tmp/$node.key"
}

# A devnet account's key, imported under the account's name.
import_account() { # NODE CHAIN ACCOUNT
	key_hex "$1" "$3" "$tmp/$1.key"
	px keys add "$2" "$3" --key-file "$tmp/$1.key"
	check "keys add $2 $3" 0 "$rc"
	rm -f "$tmp/$1.key"
}

# A devnet account's address.
address_of() { # NODE ACCOUNT
	sed -n 's/.*"address": *"\([^"]*\)".*/\1/p' "$tmp/$1/config/accounts/$2.json" | head -1
}

# The relayer and user accounts of nodes a and b, imported for CHAIN_A and
# CHAIN_B; sets user_a and user_b to the users' addresses.
import_accounts() {
	import_account a "$CHAIN_A" relayer
	import_account b "$CHAIN_B" relayer
	import_account a "$CHAIN_A" user
	import_account b "$CHAIN_B" user
	user_a=$(address_of a user)
	user_b=$(address_of b user)
}

# --- config.yaml

# One chain entry of config.yaml; each FIELD ("name: value") is added.
chain() { # ID PORT KEY [FIELD...]
	local f
	cat <<EOF
  - id: $1
    rpc: ws://127.0.0.1:$2/websocket
    account_prefix: cosmos
    gas_price: ${GAS_PRICE:-0.025stake}
    key: $3
EOF
	for f in "${@:4}"; do echo "    $f"; done
}

# A config.yaml (on stdout) for the relaying tests: chains CHAIN_A (node
# port_a) and CHAIN_B (port_b), both signing with KEY, gas price 0 and
# limit 20000000; path ab over the transfer port with the ends' ids;
# max_msgs 30, then each SETTING line; telemetry and status "off" unless
# TELEMETRY or STATUS says otherwise. When WITNESSES is set, even empty,
# CHAIN_A has that witness list.
relay_config() { # KEY CLIENT_A CONN_A CHAN_A CLIENT_B CONN_B CHAN_B [SETTING...]
	local key=$1 fields_a=("gas_limit: 20000000") s
	[ -n "${WITNESSES+set}" ] && fields_a+=("witnesses: [$WITNESSES]")
	echo "chains:"
	GAS_PRICE=0stake chain "$CHAIN_A" "$port_a" "$key" "${fields_a[@]}"
	GAS_PRICE=0stake chain "$CHAIN_B" "$port_b" "$key" "gas_limit: 20000000"
	cat <<EOF
paths:
  - name: ab
    a: { chain: $CHAIN_A, client: $2, connection: $3, channel: $4 }
    b: { chain: $CHAIN_B, client: $5, connection: $6, channel: $7 }
    port: transfer
max_msgs: 30
EOF
	for s in "${@:8}"; do echo "$s"; done
	echo "telemetry: \"${TELEMETRY:-off}\""
	echo "status: \"${STATUS:-off}\""
}

# --- relaying

# `pontifex --json create channel PATH`; sets ids to the six ids it made
# ("CLIENT_A CONN_A CHAN_A CLIENT_B CONN_B CHAN_B").
create_channel() { # PATH
	px --json create channel "$1"
	[ "$rc" -eq 0 ] || { cat "$tmp/err" "$tmp/out"; die "create channel $1 ($rc)"; }
	ids=$(python3 -c 'import json,sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
print(" ".join([o["a"]["client"], o["a"]["connection"], o["a"]["channel"],
                o["b"]["client"], o["b"]["connection"], o["b"]["channel"]]))' "$tmp/out")
	# shellcheck disable=SC2086
	set -- $ids
	[ $# -eq 6 ] || die "create channel printed '$ids'"
}

# COUNT transfers of 3stake over port transfer, signed as the home's
# tx.yaml says (the user's key, not the relayer's).
transfer() { # FROM_CHAIN CHANNEL RECEIVER COUNT
	px --config "${PX_HOME:-$tmp/px}/tx.yaml" --json tx transfer "$1" transfer "$2" "$3" 3stake --count "$4"
	[ "$rc" -eq 0 ] || { sed 's/^/  /' "$tmp/err" | tail -3; die "tx transfer $1 ($rc)"; }
}

# `pontifex query pending` of a channel: "COMMITMENTS UNRECEIVED UNACKED".
pending() { # CHAIN CHANNEL
	px --json query pending "$1" transfer "$2"
	python3 -c 'import json,sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
print(o["commitments"], o["unreceived_packets"], o["unreceived_acks"])' "$tmp/out" 2>&1
}

# Starts `pontifex start` in the background (log level info), its output
# appended to LOG; sets rpid.
start_daemon() { # LOG
	"$bin" --home "${PX_HOME:-$tmp/px}" --log-level info start >>"$1" 2>&1 &
	rpid=$!
}

# SIGTERM to the daemon, then waits for it (TENTHS tenths of a second
# before a plain wait, 100 unless given); returns its exit status.
stop_daemon() { # [TENTHS]
	local i st
	kill -TERM "$rpid"
	for i in $(seq 1 "${1:-100}"); do kill -0 "$rpid" 2>/dev/null || break; sleep 0.1; done
	wait "$rpid"
	st=$?
	rpid=
	return "$st"
}

# Waits until LOG has COUNT lines matching PATTERN; false when the time is
# up or the daemon has exited.
wait_log() { # LOG PATTERN COUNT SECONDS
	local i
	for i in $(seq 1 $(($4 * 5))); do
		[ "$(grep -c "$2" "$1")" -ge "$3" ] && return 0
		[ -n "$rpid" ] && ! kill -0 "$rpid" 2>/dev/null && return 1
		sleep 0.2
	done
	return 1
}

# The journal's packets in STATE (0 before there is a journal).
journal_state_count() { # STATE
	sqlite3 "file:${PX_HOME:-$tmp/px}/journal.sqlite?mode=ro" \
		"SELECT count(*) FROM packets WHERE state = '$1'" 2>/dev/null || echo 0
}

# The journal's "STATE COUNT" pairs, on one line.
journal_states() {
	sqlite3 "file:${PX_HOME:-$tmp/px}/journal.sqlite?mode=ro" \
		'SELECT state, count(*) FROM packets GROUP BY state' | tr '\n' ' '
}

# Waits until TOTAL packets are acked in the journal; false when the time
# is up or the daemon has exited.
wait_acked() { # TOTAL SECONDS
	local i
	for i in $(seq 1 $(($2 * 5))); do
		[ "$(journal_state_count acked)" = "$1" ] && return 0
		[ -n "$rpid" ] && ! kill -0 "$rpid" 2>/dev/null && return 1
		sleep 0.2
	done
	return 1
}

# Each sequence FROM..TO of a channel exactly once as KIND in a message
# file (lines "KIND CHANNEL SEQUENCE", as `relay_devnet msgs` writes them).
once() { # NAME FILE KIND CHANNEL FROM TO
	check "$1" "$(seq "$5" "$6" | sed 's/^/1 /')" \
		"$(grep "^$3 $4 " "$2" | awk '{print $3}' | sort -n | uniq -c | awk '{print $1, $2}')"
}

# The IBC messages of chains a and b from the given heights to the latest,
# into $tmp/msgs_a and $tmp/msgs_b (by $tool, relay_devnet).
msgs() { # FROM_A FROM_B
	local ha hb
	ha=$("$tool" height "ws://127.0.0.1:$port_a/websocket")
	hb=$("$tool" height "ws://127.0.0.1:$port_b/websocket")
	"$tool" msgs "ws://127.0.0.1:$port_a/websocket" "$1" "$ha" >"$tmp/msgs_a" || die "reading a"
	"$tool" msgs "ws://127.0.0.1:$port_b/websocket" "$2" "$hb" >"$tmp/msgs_b" || die "reading b"
}

# --- the daemon's HTTP endpoints

# A free loopback port (the kernel's choice at this moment).
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# GET URL: the body into FILE, the HTTP status on stdout (0: no answer).
fetch() { # URL FILE
	python3 -c 'import sys, urllib.request, urllib.error
try:
    r = urllib.request.urlopen(sys.argv[1], timeout=10)
    code, body = r.status, r.read()
except urllib.error.HTTPError as e:
    code, body = e.code, e.read()
except Exception as e:
    code, body = 0, str(e).encode()
open(sys.argv[2], "wb").write(body)
print(code)' "$1" "$2"
}

# The value of one series in $tmp/metrics ("" when absent).
mval() { # SERIES, e.g. pontifex_journal_packets or NAME{a="b"}
	awk -v s="$1 " 'index($0, s) == 1 { print $NF; exit }' "$tmp/metrics"
}
