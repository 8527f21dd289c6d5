#!/usr/bin/env bash
# CLI contract of `pontifex verify ics23` on the project's own example
# proofs: exit codes 0/1/2/3, one JSON object with --json, help texts, and
# the three proof file formats. Usage: test_verify_ics23.sh PONTIFEX SRCDIR
set -u
bin=$1
src=$2
ex="$src/examples/ics23"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() { # NAME WANT-EXIT GOT-EXIT
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: exit $3, want $2"
	fi
}

expect() { # NAME WANT-EXIT ARGS...
	local name=$1 want=$2
	shift 2
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	check "$name" "$want" "$?"
}

# Values of the example cases (kept in one place: cases.json).
get() {
	python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["cases"]:
    if c["name"] == sys.argv[2]:
        v = c[sys.argv[3]]; print("" if v is None else v)' "$ex/cases.json" "$1" "$2"
}

M=tendermint-ibc-member
root=$(get $M root); key=$(get $M key); value=$(get $M value); proof="$ex/$(get $M proof)"
N=tendermint-gov-absent
nroot=$(get $N root); nkey=$(get $N key); nproof="$ex/$(get $N proof)"

expect "membership verifies" 0 verify ics23 --spec tendermint --root "$root" --key "$key" --value "$value" --proof "$proof"
grep -q '^verified: ' "$tmp/out" || { fail=$((fail + 1)); echo "FAIL membership: no 'verified:' line"; }
expect "0x prefixes accepted" 0 verify ics23 --spec tendermint --root "0x$root" --key "0x$key" --value "0x$value" --proof "$proof"
expect "proof on stdin" 0 verify ics23 --spec tendermint --root "$root" --key "$key" --value "$value" --proof - < "$proof"
xxd -r -p "$proof" > "$tmp/raw" 2>/dev/null || python3 -c 'import sys; open(sys.argv[2],"wb").write(bytes.fromhex(open(sys.argv[1]).read().strip()))' "$proof" "$tmp/raw"
expect "raw proof file" 0 verify ics23 --spec tendermint --root "$root" --key "$key" --value "$value" --proof "$tmp/raw"
base64 -w0 "$tmp/raw" > "$tmp/b64"
expect "base64 proof file" 0 verify ics23 --spec tendermint --root "$root" --key "$key" --value "$value" --proof "$tmp/b64"
expect "absence verifies" 0 verify ics23 --spec tendermint --root "$nroot" --key "$nkey" --proof "$nproof"

# Well formed, not verified: exit 1 with a reason on stderr.
expect "wrong value" 1 verify ics23 --spec tendermint --root "$root" --key "$key" --value "00$value" --proof "$proof"
grep -q '^not verified: ' "$tmp/err" || { fail=$((fail + 1)); echo "FAIL wrong value: no reason on stderr"; }
expect "wrong root" 1 verify ics23 --spec tendermint --root "ff${root:2}" --key "$key" --value "$value" --proof "$proof"
expect "wrong key" 1 verify ics23 --spec tendermint --root "$root" --key "${key}00" --value "$value" --proof "$proof"
expect "wrong spec" 1 verify ics23 --spec smt --root "$root" --key "$key" --value "$value" --proof "$proof"
expect "membership proof as absence" 1 verify ics23 --spec tendermint --root "$root" --key "$key" --proof "$proof"
expect "absence proof as membership" 1 verify ics23 --spec tendermint --root "$nroot" --key "$nkey" --value 01 --proof "$nproof"

# Malformed input and usage errors: exit 2.
head -c 40 "$proof" > "$tmp/trunc"
expect "truncated proof" 2 verify ics23 --spec tendermint --root "$root" --key "$key" --value "$value" --proof "$tmp/trunc"
printf 'not a proof at all!' > "$tmp/junk"
expect "junk proof" 2 verify ics23 --spec tendermint --root "$root" --key "$key" --value "$value" --proof "$tmp/junk"
: > "$tmp/empty"
expect "empty proof" 2 verify ics23 --spec tendermint --root "$root" --key "$key" --value "$value" --proof "$tmp/empty"
expect "odd hex root" 2 verify ics23 --spec tendermint --root "${root}0" --key "$key" --value "$value" --proof "$proof"
expect "bad hex key" 2 verify ics23 --spec tendermint --root "$root" --key "zz" --value "$value" --proof "$proof"
expect "empty value" 2 verify ics23 --spec tendermint --root "$root" --key "$key" --value "" --proof "$proof"
expect "unknown spec" 2 verify ics23 --spec merkle --root "$root" --key "$key" --value "$value" --proof "$proof"
expect "missing --root" 2 verify ics23 --spec tendermint --key "$key" --value "$value" --proof "$proof"
expect "unknown option" 2 verify ics23 --spec tendermint --frobnicate --root "$root" --key "$key" --proof "$proof"
expect "option without value" 2 verify ics23 --spec
expect "unknown subcommand" 2 verify nothing
expect "unknown command" 2 frobnicate
expect "no command" 2

# I/O failure: exit 3.
expect "missing proof file" 3 verify ics23 --spec tendermint --root "$root" --key "$key" --value "$value" --proof "$tmp/does-not-exist"

# Help.
expect "pontifex --help" 0 --help
grep -q 'verify ics23' "$tmp/out" || { fail=$((fail + 1)); echo "FAIL --help does not list verify ics23"; }
expect "verify --help" 0 verify --help
grep -q -- '--spec' "$tmp/out" || { fail=$((fail + 1)); echo "FAIL verify --help does not list --spec"; }

# --json: exactly one object on stdout, for every outcome.
json_check() { # NAME WANT-EXIT WANT-VERIFIED WANT-CODE ARGS...
	local name=$1 want=$2 wv=$3 wc=$4
	shift 4
	"$bin" --json "$@" >"$tmp/out" 2>"$tmp/err"
	check "$name" "$want" "$?"
	if python3 -c 'import json,sys
d = json.loads(open(sys.argv[1]).read())
assert isinstance(d, dict) and set(d) >= {"verified", "code", "message"}, d
assert d["verified"] == (sys.argv[2] == "true"), d
assert sys.argv[3] == "any" or d["code"] == int(sys.argv[3]), d
assert isinstance(d["message"], str) and d["message"], d' "$tmp/out" "$wv" "$wc" 2>"$tmp/pyerr"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: JSON output: $(cat "$tmp/out") $(tail -1 "$tmp/pyerr")"
	fi
}
json_check "json verified" 0 true 0 verify ics23 --spec tendermint --root "$root" --key "$key" --value "$value" --proof "$proof"
json_check "json not verified" 1 false 303 verify ics23 --spec tendermint --root "$root" --key "$key" --value "00$value" --proof "$proof"
json_check "json malformed" 2 false 200 verify ics23 --spec tendermint --root "$root" --key "$key" --value "$value" --proof "$tmp/trunc"
json_check "json usage" 2 false 500 verify ics23 --spec nope --root "$root" --key "$key" --proof "$proof"
json_check "json io" 3 false 101 verify ics23 --spec tendermint --root "$root" --key "$key" --proof "$tmp/does-not-exist"

echo "cli verify ics23: $((pass + fail)) checks, $pass passed, $fail failed"
[ "$fail" -eq 0 ]
