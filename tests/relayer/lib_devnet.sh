# Shared pieces of the relayer's devnet test scripts (sourced): checks
# with pass/fail counters, pontifex run with the test's home, devnet nodes
# on free loopback ports, the devnets' funded keys imported into the home.
# The sourcing script sets: devnet (pontifex-devnet), bin (pontifex), tmp
# (its temporary folder), pids=() (nodes to kill), pass=0, fail=0; and
# SEED_PREFIX for the nodes' validator seeds.

check() { # NAME WANT GOT
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: got '$3', want '$2'"
		[ -s "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err" | head -5
	fi
}

# Runs pontifex with the test's home; exit status into $rc.
px() {
	timeout 120 "$bin" --home "$tmp/px" --log-level warn "$@" >"$tmp/out" 2>"$tmp/err"
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
		if grep -q -- "$pat" "$tmp/err"; then pass=$((pass + 1)); else
			fail=$((fail + 1))
			echo "FAIL $name: stderr lacks '$pat':"
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

healthy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 &&
		timeout 2 head -c 12 <&3 | grep -q ' 200') 2>/dev/null
}

# start_node NAME CHAIN_ID: sets port_NAME.
start_node() {
	local name=$1 id=$2 port pid
	"$devnet" init --home "$tmp/$name" --chain-id "$id" --seed "${SEED_PREFIX:-t}-$name" \
		>"$tmp/$name.init.log" 2>&1 ||
		{ echo "FAIL init $name"; cat "$tmp/$name.init.log"; exit 1; }
	for try in 1 2 3 4 5; do
		port=$((20000 + (RANDOM * 7 + $$ + try * 131) % 40000))
		"$devnet" --log-level warn start --home "$tmp/$name" --rpc "127.0.0.1:$port" \
			--block-time 200 >>"$tmp/$name.log" 2>&1 &
		pid=$!
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			healthy "$port" && break
			sleep 0.1
		done
		sleep 0.2
		if kill -0 "$pid" 2>/dev/null && healthy "$port"; then
			pids+=("$pid")
			eval "port_$name=$port"
			return
		fi
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	echo "FAIL the devnet $name did not start"
	cat "$tmp/$name.log"
	exit 1
}

# The devnet's `relayer` account key, imported as hex.
import_key() { # NODE CHAIN...
	local node=$1 c
	shift
	sed -n '/priv_key/,/}/s/.*"value": *"\([^"]*\)".*/\1/p' \
		"$tmp/$node/config/accounts/relayer.json" | base64 -d | od -An -tx1 -v |
		tr -d ' \n' >"$tmp/$node.key"
	for c in "$@"; do
		px keys add "$c" relayer --key-file "$tmp/$node.key"
		check "keys add $c" 0 "$rc"
	done
	rm -f "$tmp/$node.key"
}

# chain ID PORT KEY: one chain entry of config.yaml.
chain() {
	cat <<EOF
  - id: $1
    rpc: ws://127.0.0.1:$2/websocket
    account_prefix: cosmos
    gas_price: 0.025stake
    key: $3
EOF
}
