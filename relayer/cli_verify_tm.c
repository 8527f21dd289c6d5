/* `pontifex verify header` and `pontifex verify abci`: the Tendermint light
 * client and the abci_query proof chain, offline, on files. This is the
 * layer that reads files and the clock; lightclient/ gets bytes and times.
 * Exit 0 verified, 1 well formed but not verified, 2 usage or malformed
 * input, 3 a file could not be read (or the query in the file failed). */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "common/encoding.h"
#include "common/json.h"
#include "common/number.h"
#include "lightclient/tendermint/abci.h"
#include "lightclient/tendermint/bisection.h"
#include "lightclient/tendermint/hash.h"
#include "lightclient/tendermint/verify.h"
#include "relayer/cli.h"

#define FILE_CAP (64u << 20)	/* one light block or response file */

/* Adds every *.json file of a folder to the store. */
static bool load_dir(struct px_err *err, struct tm_block_store *s, const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	bool ok = true;

	if (!d)
		return px_err_set(err, PX_E_IO, "%s: cannot open folder", dir);
	while (ok && (de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		char path[4096];
		json_t *doc;

		if (de->d_name[0] == '.' || n < 5 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path)) {
			ok = px_err_set(err, PX_E_IO, "%s: path too long", dir);
			break;
		}
		doc = rly_cli_load_json(err, path, FILE_CAP);
		ok = doc && tm_block_store_add_json(err, s, doc);
		if (doc && !ok)
			px_err_prefix(err, "%s: ", path);
		json_decref(doc);
	}
	closedir(d);
	if (ok && s->len == 0)
		ok = px_err_set(err, PX_E_MALFORMED, "%s: no *.json light blocks", dir);
	return ok;
}

static bool options_from(struct px_err *err, struct tm_options *o, const char *period,
			 const char *level, const char *drift)
{
	tm_options_default(o);
	if (period && !px_parse_duration(err, &o->trusting_period_ns, period, strlen(period))) {
		px_err_prefix(err, "--trusting-period: ");
		err->code = PX_E_USAGE;
		return false;
	}
	if (level && !px_parse_fraction(err, &o->trust_num, &o->trust_den, level, strlen(level))) {
		px_err_prefix(err, "--trust-level: ");
		err->code = PX_E_USAGE;
		return false;
	}
	if (drift && !px_parse_duration(err, &o->clock_drift_ns, drift, strlen(drift))) {
		px_err_prefix(err, "--clock-drift: ");
		err->code = PX_E_USAGE;
		return false;
	}
	return tm_options_check(err, o);
}

/* The one JSON object of a header check, or its text lines. */
static int header_result(const struct rly_cli *cli, const struct px_err *err, int64_t height,
			 const uint8_t *hash, size_t trace_len, bool bisected)
{
	char hex[2 * TM_HASH_LEN + 1] = "";
	bool ok = !px_err_is_set(err);
	int status = ok ? 0 : px_code_exit_status(err->code);

	if (hash)
		px_hex_encode(hex, sizeof(hex), hash, TM_HASH_LEN, true);
	if (cli->json) {
		json_t *o = json_pack("{s:b, s:i, s:s}", "verified", ok, "code", ok ? 0 : err->code,
				      "message", ok ? "header verified" : err->msg);
		char *text;

		if (o && height > 0)
			json_object_set_new(o, "height", json_integer(height));
		if (o && hash)
			json_object_set_new(o, "hash", json_string(hex));
		if (o && bisected)
			json_object_set_new(o, "trace_length", json_integer((json_int_t)trace_len));
		text = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		printf("%s\n", text ? text : "{\"verified\":false,\"code\":100,\"message\":\"out of memory\"}");
		free(text);
		json_decref(o);
	} else if (ok) {
		printf("verified: height %lld hash %s", (long long)height, hex);
		if (bisected)
			printf(" (bisection, trace of %zu blocks)", trace_len);
		printf("\n");
	} else if (status == 1) {
		fprintf(stderr, "not verified: %s (%d): %s\n", px_code_name(err->code), err->code,
			err->msg);
	} else {
		fprintf(stderr, "pontifex: %s\n", err->msg);
	}
	return status ? status : (ok ? 0 : 2);
}

int rly_cmd_verify_header(const struct rly_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "trusted", required_argument, NULL, 't' },
		{ "untrusted", required_argument, NULL, 'u' },
		{ "now", required_argument, NULL, 'n' },
		{ "trusting-period", required_argument, NULL, 'p' },
		{ "trust-level", required_argument, NULL, 'l' },
		{ "clock-drift", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *trusted_path = NULL, *untrusted_path = NULL, *now_s = NULL;
	const char *period = NULL, *level = NULL, *drift = NULL;
	struct tm_light_block tlb = { 0 }, ulb = { 0 };
	struct tm_block_store store;
	struct tm_trusted trusted = { 0 }, next = { 0 };
	struct tm_trace trace = { 0 };
	struct tm_options o;
	struct px_time now;
	struct px_err err = { 0 };
	struct stat sb;
	json_t *doc = NULL;
	uint8_t hash[TM_HASH_LEN];
	const uint8_t *shown = NULL;
	int64_t height = 0;
	int opt, status;

	tm_block_store_init(&store);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 't': trusted_path = optarg; break;
		case 'u': untrusted_path = optarg; break;
		case 'n': now_s = optarg; break;
		case 'p': period = optarg; break;
		case 'l': level = optarg; break;
		case 'd': drift = optarg; break;
		case 'h': return rly_cmd_verify(cli, 2, (char *[]){ "verify", "--help", NULL });
		case ':': return rly_cli_usage(cli, "verify", "option %s needs a value", argv[optind - 1]);
		default: return rly_cli_usage(cli, "verify", "unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return rly_cli_usage(cli, "verify", "unexpected argument '%s'", argv[optind]);
	if (!trusted_path || !untrusted_path)
		return rly_cli_usage(cli, "verify", "--trusted and --untrusted are required");
	if (!options_from(&err, &o, period, level, drift) || !rly_cli_now(&err, &now, "now", now_s))
		goto fail;

	/* The trusted block is the operator's anchor: a fault in it is bad
	 * input (exit 2), never "not verified". */
	doc = rly_cli_load_json(&err, trusted_path, FILE_CAP);
	if (!doc)
		goto fail;
	if (!tm_light_block_from_json(&err, &tlb, doc) || !tm_trust_anchor(&err, &trusted, &tlb)) {
		if (err.code / 100 == 3)
			err.code = PX_E_MALFORMED;
		px_err_prefix(&err, "--trusted %s: ", trusted_path);
		goto fail;
	}
	json_decref(doc);
	doc = NULL;

	if (stat(untrusted_path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		if (!load_dir(&err, &store, untrusted_path))
			goto fail;
	} else {
		doc = rly_cli_load_json(&err, untrusted_path, FILE_CAP);
		if (!doc)
			goto fail;
		if (json_is_array(doc)) {
			if (!tm_block_store_add_json(&err, &store, doc)) {
				px_err_prefix(&err, "--untrusted %s: ", untrusted_path);
				goto fail;
			}
			if (store.len == 0) {
				px_err_set(&err, PX_E_MALFORMED, "--untrusted %s: empty array",
					   untrusted_path);
				goto fail;
			}
		} else if (!tm_light_block_from_json(&err, &ulb, doc)) {
			px_err_prefix(&err, "--untrusted %s: ", untrusted_path);
			goto fail;
		}
	}

	if (store.len > 0) {
		struct tm_provider p = tm_block_store_provider(&store);

		height = tm_block_store_get(&store, 0)->signed_header.header.height;
		if (tm_bisect(&err, &trace, &trusted, &p, 0, &o, now, 0)) {
			memcpy(hash, trace.trusted.hash, TM_HASH_LEN);
			shown = hash;
		}
		status = header_result(cli, &err, height, shown, trace.len, true);
		goto out;
	}
	height = ulb.signed_header.header.height;
	if (tm_verify(&err, &next, &trusted, &ulb, &o, now)) {
		memcpy(hash, next.hash, TM_HASH_LEN);
		shown = hash;
	}
	status = header_result(cli, &err, height, shown, 0, false);
	goto out;
fail:
	status = rly_cli_fail(cli, &err);
out:
	json_decref(doc);
	tm_light_block_free(&tlb);
	tm_light_block_free(&ulb);
	tm_trusted_free(&trusted);
	tm_trusted_free(&next);
	tm_trace_free(&trace);
	tm_block_store_free(&store);
	return status;
}

/* Bytes as text when printable, else 0x-prefixed hex. */
static void print_bytes(FILE *f, const struct px_buf *b)
{
	bool printable = b->len > 0;

	for (size_t i = 0; i < b->len && printable; i++)
		printable = b->data[i] >= 0x20 && b->data[i] < 0x7f && b->data[i] != '"';
	if (printable) {
		fprintf(f, "\"%.*s\"", (int)b->len, (const char *)b->data);
		return;
	}
	fputs("0x", f);
	for (size_t i = 0; i < b->len; i++)
		fprintf(f, "%02x", b->data[i]);
}

static json_t *hex_json(const struct px_buf *b)
{
	char *s = malloc(2 * b->len + 1);
	json_t *v;

	if (!s)
		return NULL;
	px_hex_encode(s, 2 * b->len + 1, b->data, b->len, false);
	v = json_string(s);
	free(s);
	return v;
}

int rly_cmd_verify_abci(const struct rly_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "app-hash", required_argument, NULL, 'a' },
		{ "response", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *app_hex = NULL, *resp_path = NULL;
	struct px_buf app = PX_BUF_INIT;
	struct tm_abci_response r = { 0 };
	struct tm_abci_result res;
	struct px_err err = { 0 };
	json_t *doc = NULL;
	int opt, status;
	bool ok;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'a': app_hex = optarg; break;
		case 'r': resp_path = optarg; break;
		case 'h': return rly_cmd_verify(cli, 2, (char *[]){ "verify", "--help", NULL });
		case ':': return rly_cli_usage(cli, "verify", "option %s needs a value", argv[optind - 1]);
		default: return rly_cli_usage(cli, "verify", "unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return rly_cli_usage(cli, "verify", "unexpected argument '%s'", argv[optind]);
	if (!app_hex || !resp_path)
		return rly_cli_usage(cli, "verify", "--app-hash and --response are required");
	if (!px_hex_decode(&err, &app, app_hex, strlen(app_hex), true)) {
		px_err_prefix(&err, "--app-hash: ");
		goto fail;
	}
	if (app.len == 0 || app.len > 64) {
		px_err_set(&err, PX_E_USAGE, "--app-hash: %zu bytes, want 1..64", app.len);
		goto fail;
	}
	doc = rly_cli_load_json(&err, resp_path, FILE_CAP);
	if (!doc)
		goto fail;
	if (!tm_abci_response_from_json(&err, &r, doc)) {
		px_err_prefix(&err, "%s: ", resp_path);
		goto fail;
	}
	ok = tm_abci_response_verify(&err, &res, &r, app.data, app.len);
	status = ok ? 0 : px_code_exit_status(err.code);
	if (cli->json) {
		json_t *o = json_pack("{s:b, s:i, s:s}", "verified", ok, "code", ok ? 0 : err.code,
				      "message", ok ? (res.exists ? "membership verified"
							  : "absence verified") : err.msg);
		char *text;

		if (o) {
			json_object_set_new(o, "key", hex_json(&r.key));
			json_object_set_new(o, "value", r.value.len ? hex_json(&r.value) : json_null());
			json_object_set_new(o, "exists", json_boolean(r.value.len > 0));
			json_object_set_new(o, "store", json_stringn((const char *)r.store.data,
								     r.store.len));
			json_object_set_new(o, "height", json_integer(r.height));
		}
		text = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		printf("%s\n", text ? text : "{\"verified\":false,\"code\":100,\"message\":\"out of memory\"}");
		free(text);
		json_decref(o);
	} else if (ok) {
		printf("verified: store ");
		print_bytes(stdout, &r.store);
		printf(" key ");
		print_bytes(stdout, &r.key);
		if (res.exists) {
			printf(" = ");
			print_bytes(stdout, &r.value);
		} else {
			printf(" is absent");
		}
		printf(" (state at height %lld, app hash of header %lld)\n", (long long)r.height,
		       (long long)r.height + 1);
	} else if (status == 1) {
		fprintf(stderr, "not verified: %s (%d): %s\n", px_code_name(err.code), err.code,
			err.msg);
	} else {
		fprintf(stderr, "pontifex: %s\n", err.msg);
	}
	goto out;
fail:
	status = rly_cli_fail(cli, &err);
out:
	json_decref(doc);
	tm_abci_response_free(&r);
	px_buf_free(&app);
	return status;
}
