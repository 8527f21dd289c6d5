#!/usr/bin/env bash
# CLI contract of `pontifex config init|validate` and `pontifex keys
# add|list|show|delete`: exit codes 0/2/3, exactly one JSON object with
# --json, files created private, the known Cosmos address of the
# "abandon ... about" phrase, secrets never printed.
# Usage: test_config_keys.sh PONTIFEX
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
home="$tmp/home"
pass=0
fail=0

check() { # NAME WANT GOT
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: got '$3', want '$2'"
	fi
}

expect() { # NAME WANT-EXIT ARGS...
	local name=$1 want=$2
	shift 2
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	check "$name" "$want" "$?"
}

# With --json: the exit code, exactly one JSON object on stdout, its code.
expect_json() { # NAME WANT-EXIT WANT-CODE ARGS...
	local name=$1 want=$2 code=$3
	shift 3
	"$bin" --json "$@" >"$tmp/out" 2>"$tmp/err"
	check "$name (exit)" "$want" "$?"
	got=$(python3 -c 'import json,sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
o = json.loads(lines[0]); assert isinstance(o, dict)
print(o["code"])' "$tmp/out" 2>&1)
	check "$name (json code)" "$code" "$got"
}

mode() { stat -c %a "$1"; }

about="abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
printf '%s\n' "$about" > "$tmp/mnemonic"
priv=c4a48e2fce1481cd3294b4490f6678090ea98d3d0e5cd984558ab0968741b104
printf '%s\n' "$priv" > "$tmp/key.hex"

# config init / validate
expect "validate without a config" 2 --home "$home" config validate
grep -q "config init" "$tmp/err" || { fail=$((fail + 1)); echo "FAIL: missing config does not point to config init"; }
expect_json "init" 0 0 --home "$home" config init
check "home is private" 700 "$(mode "$home")"
check "config is 0600" 600 "$(mode "$home/config.yaml")"
expect_json "init refuses to overwrite" 2 501 --home "$home" config init
expect "validate the example" 0 --home "$home" config validate
grep -q "is valid: 2 chains, 1 path" "$tmp/out" || { fail=$((fail + 1)); echo "FAIL: validate output"; }
expect_json "validate --json" 0 0 --home "$home" config validate
sed 's#trust_level: 1/3 #trust_level: 1/4 #' "$home/config.yaml" > "$tmp/bad.yaml"
expect "validate a bad trust level" 2 --home "$home" --config "$tmp/bad.yaml" config validate
grep -q 'bad.yaml:16:18: chains\[0\].trust_level: 1/4 is below 1/3' "$tmp/err" ||
	{ fail=$((fail + 1)); echo "FAIL: bad trust level message: $(cat "$tmp/err")"; }
expect_json "validate a bad file --json" 2 501 --config "$tmp/bad.yaml" config validate
printf 'chains:\n  - id: a\n    colour: blue\n' > "$tmp/unknown.yaml"
expect "unknown key" 2 --config "$tmp/unknown.yaml" config validate
grep -q 'unknown.yaml:3:5: chains\[0\].colour: unknown key' "$tmp/err" ||
	{ fail=$((fail + 1)); echo "FAIL: unknown key message: $(cat "$tmp/err")"; }
mkdir "$tmp/unreadable.yaml"
expect "unreadable config is I/O" 3 --config "$tmp/unreadable.yaml" config validate
expect "config without subcommand" 2 config
expect_json "config without subcommand --json" 2 500 config
expect "config unknown subcommand" 2 config frobnicate
expect "config help" 0 config --help

# keys add
expect_json "add from mnemonic" 0 0 --home "$home" keys add devnet-a relayer --mnemonic-file "$tmp/mnemonic"
grep -q '"address":"cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4"' "$tmp/out" ||
	{ fail=$((fail + 1)); echo "FAIL: address of abandon...about: $(cat "$tmp/out")"; }
check "keys folder 0700" 700 "$(mode "$home/keys")"
check "chain folder 0700" 700 "$(mode "$home/keys/devnet-a")"
check "key file 0600" 600 "$(mode "$home/keys/devnet-a/relayer.json")"
if grep -q "$priv" "$tmp/out" "$tmp/err" || grep -q abandon "$tmp/out" "$tmp/err"; then
	fail=$((fail + 1)); echo "FAIL: a secret was printed"
else
	pass=$((pass + 1))
fi
expect_json "add again refused" 2 500 --home "$home" keys add devnet-a relayer --mnemonic-file "$tmp/mnemonic"
expect "add from stdin" 0 --home "$home" keys add devnet-a stdin-key --coin-type 60 --mnemonic-file - < "$tmp/mnemonic"
expect "add from key file" 0 --home "$home" keys add devnet-b imported --key-file "$tmp/key.hex"
grep -q "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4" "$tmp/out" || { fail=$((fail + 1)); echo "FAIL: imported key address"; }
printf '%s\n' "${about/about/abandon}" > "$tmp/badsum"
expect_json "bad checksum" 2 200 --home "$home" keys add devnet-a k2 --mnemonic-file "$tmp/badsum"
printf '%s\n' "${about/about/aboutt}" > "$tmp/badword"
expect "unknown word" 2 --home "$home" keys add devnet-a k2 --mnemonic-file "$tmp/badword"
grep -q "word 12 is not in the BIP-39 English list" "$tmp/err" || { fail=$((fail + 1)); echo "FAIL: unknown word message"; }
grep -q "aboutt" "$tmp/err" && { fail=$((fail + 1)); echo "FAIL: the bad word was echoed"; }
printf 'abandon abandon abandon\n' > "$tmp/short"
expect "wrong word count" 2 --home "$home" keys add devnet-a k2 --mnemonic-file "$tmp/short"
expect "bad hex key" 2 --home "$home" keys add devnet-a k2 --key-file "$tmp/mnemonic"
expect "no such mnemonic file" 3 --home "$home" keys add devnet-a k2 --mnemonic-file "$tmp/none"
expect "both sources" 2 --home "$home" keys add devnet-a k2 --mnemonic-file "$tmp/mnemonic" --key-file "$tmp/key.hex"
expect "no source" 2 --home "$home" keys add devnet-a k2
expect "chain not in config" 2 --home "$home" keys add nochain k2 --mnemonic-file "$tmp/mnemonic"
expect "bad key name" 2 --home "$home" keys add devnet-a ../k2 --mnemonic-file "$tmp/mnemonic"
expect "bad coin type" 2 --home "$home" keys add devnet-a k2 --coin-type x --mnemonic-file "$tmp/mnemonic"
[ -e "$home/keys/devnet-a/k2.json" ] && { fail=$((fail + 1)); echo "FAIL: a refused key was written"; }

# keys list / show / delete
expect "list" 0 --home "$home" keys list devnet-a
check "list lines" 2 "$(wc -l < "$tmp/out")"
expect_json "list --json" 0 0 --home "$home" keys list devnet-a
expect "show default key" 0 --home "$home" keys show devnet-a
check "show prints the address" cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4 "$(cat "$tmp/out")"
expect_json "show --json" 0 0 --home "$home" keys show devnet-a relayer
grep -q private "$tmp/out" && { fail=$((fail + 1)); echo "FAIL: show mentions the private key"; }
expect_json "show missing key" 2 501 --home "$home" keys show devnet-a nobody
chmod 644 "$home/keys/devnet-a/relayer.json"
expect_json "show refuses a loose key file" 2 501 --home "$home" keys show devnet-a relayer
chmod 600 "$home/keys/devnet-a/relayer.json"
expect_json "delete" 0 0 --home "$home" keys delete devnet-a stdin-key
expect "delete again" 2 --home "$home" keys delete devnet-a stdin-key
expect "keys without subcommand" 2 keys
expect_json "keys unknown subcommand" 2 500 keys frobnicate
expect "keys help" 0 keys --help

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
