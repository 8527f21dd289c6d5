/* `pontifex verify eth-header` and `pontifex verify eth-proof`: offline
 * checks of an Ethereum block header (its hash recomputed from its fields)
 * and of an eth_getProof result (account and storage proofs against a
 * state root). Input files hold a JSON-RPC result object or the whole
 * response ({"jsonrpc":..,"result":..}). Exit 0 verified, 1 well-formed
 * but not verified, 2 usage or malformed input, 3 when a file cannot be
 * read. With --json exactly one object is printed on stdout. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/encoding.h"
#include "common/json.h"
#include "lightclient/ethereum/ethjson.h"
#include "lightclient/ethereum/getproof.h"
#include "lightclient/ethereum/header.h"
#include "relayer/cli.h"

/* A block with full transactions can be large; proofs are small. */
#define ETH_CLI_MAX_FILE (64u << 20)

#define HEX32_LEN (2 * ETH_HASH_LEN + 3)

/* Loads a JSON file and returns the result object (borrowed from *doc):
 * the document itself, or its "result" when it is a JSON-RPC response. */
static const json_t *load_result(struct px_err *err, json_t **doc, const char *path)
{
	struct px_buf file = PX_BUF_INIT;
	const json_t *r = NULL;
	json_t *v;

	*doc = NULL;
	if (!rly_cli_read_input(err, &file, path, ETH_CLI_MAX_FILE))
		goto out;
	*doc = px_json_load_buf(err, file.data, file.len);
	if (!*doc) {
		px_err_prefix(err, "%s: ", path);
		goto out;
	}
	if (!json_is_object(*doc)) {
		px_err_set(err, PX_E_JSON, "%s: expected a JSON object, got %s", path,
			   px_json_type_name(*doc));
		goto out;
	}
	if (json_object_get(*doc, "jsonrpc") || json_object_get(*doc, "result") ||
	    json_object_get(*doc, "error")) {
		v = json_object_get(*doc, "error");
		if (v) {
			const char *m = json_string_value(json_object_get(v, "message"));

			px_err_set(err, PX_E_MALFORMED, "%s: the response is an error: %s", path,
				   m ? m : "(no message)");
			goto out;
		}
		v = json_object_get(*doc, "result");
		if (!v || json_is_null(v)) {
			px_err_set(err, PX_E_MALFORMED, "%s: the response has no result (null)", path);
			goto out;
		}
		r = v;
	} else {
		r = *doc;
	}
out:
	px_buf_free(&file);
	return r;
}

static bool hash_opt(struct px_err *err, uint8_t out[ETH_HASH_LEN], const char *name, const char *s)
{
	struct px_buf b = PX_BUF_INIT;
	bool ok = px_hex_decode(err, &b, s, strlen(s), true);

	if (ok && !px_buf_ok(&b))
		ok = px_err_set(err, PX_E_NOMEM, "out of memory");
	if (ok && b.len != ETH_HASH_LEN)
		ok = px_err_set(err, PX_E_USAGE, "%zu bytes, want %d", b.len, ETH_HASH_LEN);
	if (ok)
		memcpy(out, b.data, ETH_HASH_LEN);
	else
		px_err_prefix(err, "--%s: ", name);
	px_buf_free(&b);
	if (!ok && err->code != PX_E_NOMEM)
		err->code = PX_E_USAGE;
	return ok;
}

/* Prints one JSON object and frees it. */
static void print_obj(json_t *o)
{
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

	if (text)
		printf("%s\n", text);
	else
		printf("{\"verified\":false,\"code\":%d,\"message\":\"(unprintable)\"}\n", PX_E_NOMEM);
	free(text);
	json_decref(o);
}

static json_t *base_obj(const struct px_err *err, const char *what)
{
	bool ok = !px_err_is_set(err);

	return json_pack("{s:b, s:i, s:s}", "verified", ok, "code", ok ? 0 : err->code, "message",
			 ok ? what : err->msg);
}

int rly_cmd_verify_eth_header(const struct rly_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "expect-hash", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *expect_hex = NULL;
	uint8_t expected[ETH_HASH_LEN], computed[ETH_HASH_LEN];
	char hx[HEX32_LEN], what[256];
	struct px_err err = { 0 };
	struct eth_header h;
	struct eth_trusted_header t;
	const json_t *result;
	json_t *doc = NULL;
	int status;

	optind = 1;
	opterr = 0;
	while (optind < argc) {
		int opt = getopt_long(argc, argv, ":h", opts, NULL);

		if (opt == -1) {
			if (optind >= argc)
				break;
			if (path)
				return rly_cli_usage(cli, "verify eth-header", "unexpected argument '%s'", argv[optind]);
			path = argv[optind++];
			continue;
		}
		switch (opt) {
		case 'e': expect_hex = optarg; break;
		case 'h': return rly_cmd_verify(cli, 2, (char *[]){ "verify", "--help", NULL });
		case ':': return rly_cli_usage(cli, "verify eth-header", "option %s needs a value", argv[optind - 1]);
		default: return rly_cli_usage(cli, "verify eth-header", "unknown option %s", argv[optind - 1]);
		}
	}
	if (!path)
		return rly_cli_usage(cli, "verify eth-header", "a block file is required (eth_getBlockBy* result)");
	if (expect_hex && !hash_opt(&err, expected, "expect-hash", expect_hex))
		return rly_cli_fail(cli, &err);

	result = load_result(&err, &doc, path);
	if (!result)
		goto fail;
	if (!eth_header_from_json(&err, &h, result, ETH_NAMING_RPC)) {
		px_err_prefix(&err, "%s: ", path);
		goto fail;
	}
	if (!h.has_claimed_hash && !expect_hex) {
		px_err_set(&err, PX_E_JSON, "%s: field 'hash' missing; give --expect-hash", path);
		goto fail;
	}
	eth_header_hash(computed, &h);
	eth_hex_format(hx, sizeof(hx), computed, ETH_HASH_LEN);
	if (eth_header_verify_checkpoint(&err, &t, &h, expect_hex ? expected : h.claimed_hash))
		snprintf(what, sizeof(what), "block %llu hash %s (%s, %u fields)",
			 (unsigned long long)h.number, hx, eth_header_fork_name(h.nfields), h.nfields);
	if (cli->json) {
		json_t *o = base_obj(&err, what);

		json_object_set_new(o, "hash", json_string(hx));
		json_object_set_new(o, "number", json_integer((json_int_t)h.number));
		print_obj(o);
		status = px_code_exit_status(err.code);
	} else if (!px_err_is_set(&err)) {
		printf("verified: block %llu\nnumber  %llu\nhash    %s\nfork    %s (%u fields)\n",
		       (unsigned long long)h.number, (unsigned long long)h.number, hx,
		       eth_header_fork_name(h.nfields), h.nfields);
		status = 0;
	} else {
		printf("number  %llu\nhash    %s (recomputed)\n", (unsigned long long)h.number, hx);
		status = rly_cli_verify_result(cli, &err, what);
	}
	goto out;
fail:
	status = rly_cli_fail(cli, &err);
out:
	json_decref(doc);
	return status;
}

/* A big-endian integer in decimal. */
static void u256_decimal(char *out, size_t cap, const uint8_t be[ETH_U256_LEN])
{
	uint8_t v[ETH_U256_LEN];
	char tmp[80];
	size_t n = 0;
	bool zero;

	memcpy(v, be, sizeof(v));
	do {
		unsigned rem = 0;

		zero = true;
		for (size_t i = 0; i < sizeof(v); i++) {
			unsigned cur = rem << 8 | v[i];

			v[i] = (uint8_t)(cur / 10);
			rem = cur % 10;
			zero = zero && v[i] == 0;
		}
		tmp[n++] = (char)('0' + rem);
	} while (!zero && n < sizeof(tmp) - 1);
	if (n + 1 > cap) {
		if (cap)
			out[0] = '\0';
		return;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

static void print_proof_text(const struct mpt_get_proof *p, const char *root_hex)
{
	char a[2 * ETH_ADDRESS_LEN + 3], q[HEX32_LEN + 1], d[80], sh[HEX32_LEN], ch[HEX32_LEN];

	eth_hex_format(a, sizeof(a), p->address, ETH_ADDRESS_LEN);
	printf("verified: eth_getProof for %s against state root %s\n", a, root_hex);
	printf("address       %s\n", a);
	if (!p->account_exists) {
		printf("account       absent (proof of exclusion)\n");
	} else {
		eth_quantity_format(q, sizeof(q), p->account.balance, ETH_U256_LEN);
		u256_decimal(d, sizeof(d), p->account.balance);
		eth_hex_format(sh, sizeof(sh), p->account.storage_root, ETH_HASH_LEN);
		eth_hex_format(ch, sizeof(ch), p->account.code_hash, ETH_HASH_LEN);
		printf("account       present\n");
		printf("nonce         %llu\n", (unsigned long long)p->account.nonce);
		printf("balance       %s (%s wei)\n", d, q);
		printf("storage hash  %s%s\n", sh,
		       memcmp(p->account.storage_root, mpt_empty_root, ETH_HASH_LEN) == 0 ? " (empty)" : "");
		printf("code hash     %s%s\n", ch,
		       memcmp(p->account.code_hash, mpt_empty_code_hash, ETH_HASH_LEN) == 0 ? " (no code)" : "");
	}
	for (size_t i = 0; i < p->nslots; i++) {
		char k[HEX32_LEN + 1], v[HEX32_LEN + 1];

		eth_quantity_format(k, sizeof(k), p->slots[i].key, ETH_U256_LEN);
		eth_quantity_format(v, sizeof(v), p->slots[i].value, ETH_U256_LEN);
		if (p->slots[i].exists)
			printf("slot %-8s  %s\n", k, v);
		else
			printf("slot %-8s  0x0 (absent: zero)\n", k);
	}
}

static json_t *proof_json(const struct mpt_get_proof *p)
{
	char a[2 * ETH_ADDRESS_LEN + 3], q[HEX32_LEN + 1], sh[HEX32_LEN], ch[HEX32_LEN];
	json_t *o = json_object(), *slots = json_array();

	eth_hex_format(a, sizeof(a), p->address, ETH_ADDRESS_LEN);
	eth_quantity_format(q, sizeof(q), p->account.balance, ETH_U256_LEN);
	eth_hex_format(sh, sizeof(sh), p->account_exists ? p->account.storage_root : mpt_empty_root,
		       ETH_HASH_LEN);
	eth_hex_format(ch, sizeof(ch), p->account_exists ? p->account.code_hash : mpt_empty_code_hash,
		       ETH_HASH_LEN);
	json_object_set_new(o, "address", json_string(a));
	json_object_set_new(o, "exists", json_boolean(p->account_exists));
	json_object_set_new(o, "nonce", json_integer((json_int_t)p->account.nonce));
	json_object_set_new(o, "balance", json_string(q));
	json_object_set_new(o, "storageHash", json_string(sh));
	json_object_set_new(o, "codeHash", json_string(ch));
	for (size_t i = 0; i < p->nslots; i++) {
		char k[HEX32_LEN + 1], v[HEX32_LEN + 1];

		eth_quantity_format(k, sizeof(k), p->slots[i].key, ETH_U256_LEN);
		eth_quantity_format(v, sizeof(v), p->slots[i].value, ETH_U256_LEN);
		json_array_append_new(slots, json_pack("{s:s, s:s, s:b}", "key", k, "value", v, "exists",
						       p->slots[i].exists));
	}
	json_object_set_new(o, "storage", slots);
	return o;
}

int rly_cmd_verify_eth_proof(const struct rly_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state-root", required_argument, NULL, 'r' },
		{ "proof", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root_hex = NULL, *path = NULL;
	uint8_t root[ETH_HASH_LEN];
	char rh[HEX32_LEN], what[256];
	struct px_err err = { 0 };
	struct mpt_get_proof p = { 0 };
	const json_t *result;
	json_t *doc = NULL;
	int opt, status;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r': root_hex = optarg; break;
		case 'p': path = optarg; break;
		case 'h': return rly_cmd_verify(cli, 2, (char *[]){ "verify", "--help", NULL });
		case ':': return rly_cli_usage(cli, "verify eth-proof", "option %s needs a value", argv[optind - 1]);
		default: return rly_cli_usage(cli, "verify eth-proof", "unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return rly_cli_usage(cli, "verify eth-proof", "unexpected argument '%s'", argv[optind]);
	if (!root_hex || !path)
		return rly_cli_usage(cli, "verify eth-proof", "--state-root and --proof are required");
	if (!hash_opt(&err, root, "state-root", root_hex))
		return rly_cli_fail(cli, &err);
	eth_hex_format(rh, sizeof(rh), root, ETH_HASH_LEN);

	result = load_result(&err, &doc, path);
	if (!result) {
		status = rly_cli_fail(cli, &err);
		goto out;
	}
	if (!mpt_get_proof_verify(&err, &p, root, result)) {
		if (px_code_exit_status(err.code) != 1)
			px_err_prefix(&err, "%s: ", path);
		status = rly_cli_verify_result(cli, &err, "");
		goto out;
	}
	{
		char a[2 * ETH_ADDRESS_LEN + 3];

		eth_hex_format(a, sizeof(a), p.address, ETH_ADDRESS_LEN);
		snprintf(what, sizeof(what), "eth_getProof for %s (%s, %zu slots) against state root %s",
			 a, p.account_exists ? "account present" : "account absent", p.nslots, rh);
	}
	if (cli->json) {
		json_t *o = base_obj(&err, what);

		json_object_set_new(o, "stateRoot", json_string(rh));
		json_object_set_new(o, "account", proof_json(&p));
		print_obj(o);
	} else {
		print_proof_text(&p, rh);
	}
	status = 0;
out:
	mpt_get_proof_free(&p);
	json_decref(doc);
	return status;
}
