/* Conformance runner for the CometBFT vectors in VECTORS/cosmos (see its
 * README.md). Every file of every folder below is used, in name order:
 *
 *   golden/cometbft_golden.json     every case by kind (an unknown kind
 *                                   fails);
 *   golden/ibc_golden.json          counted as skipped (a later IBC issue);
 *   cometbft/NAME.json              header hashes against the known hash
 *                                   (from a golden case with the same
 *                                   header, the file itself, or the README);
 *   rpc/VERSION/incoming/NAME.json  see cometbft_rpc.c;
 *   light_client/SUITE/NAME.json    every single-step case through
 *                                   tm_verify with trust 1/3 and clock
 *                                   drift 0.
 *
 * usage: cometbft_vectors VECTORS_DIR
 * Ends with "cometbft vectors: N cases, N passed, N failed". Exit 0 when
 * nothing failed, 1 otherwise, 77 (skipped) when VECTORS_DIR/cosmos is
 * missing or holds none of these folders. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "common/json.h"
#include "common/number.h"
#include "lightclient/tendermint/crypto.h"
#include "lightclient/tendermint/hash.h"
#include "lightclient/tendermint/types.h"
#include "lightclient/tendermint/verify.h"
#include "tests/conformance/tendermint/cometbft_vectors.h"

#define MAX_FAIL_LINES 20

static struct cat cats[C_COUNT] = {
	[C_GOLDEN] = { "golden cases", 0, 0, 0 },
	[C_KNOWN] = { "known header hashes", 0, 0, 0 },
	[C_RPC_PARSE] = { "rpc fixtures parsed", 0, 0, 0 },
	[C_RPC_ERROR] = { "rpc error responses", 0, 0, 0 },
	[C_RPC_COMMIT] = { "rpc commit header hashes", 0, 0, 0 },
	[C_RPC_BLOCK] = { "rpc block header hashes", 0, 0, 0 },
	[C_RPC_META] = { "rpc block-meta header hashes", 0, 0, 0 },
	[C_RPC_NEWBLOCK] = { "rpc NewBlock header hashes (block_id, next event)", 0, 0, 0 },
	[C_RPC_SIGS] = { "rpc commit signatures", 0, 0, 0 },
	[C_LIGHT] = { "light client steps", 0, 0, 0 },
};

/* Things seen but not run, reported apart from the cases. */
unsigned newblock_parse_only, sigs_skipped;
static unsigned skipped_ibc, known_no_expected, light_files_other_shape;
static const char *vectors_root;

void result(int cat, bool ok, const char *file, const char *fmt, ...)
{
	struct cat *c = &cats[cat];
	va_list ap;

	c->cases++;
	if (ok) {
		c->passed++;
		return;
	}
	c->failed++;
	if (c->failed > MAX_FAIL_LINES)
		return;
	printf("FAIL [%s] %s: ", c->name, file);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* --- small helpers -------------------------------------------------------- */

/* snprintf for paths and labels: a truncated one is still a usable label,
 * and a truncated path simply fails to open. */
void sfmt(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, cap, fmt, ap);
	va_end(ap);
}

static int name_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Names of dir's entries (files when want_dirs is false, folders
 * otherwise), sorted; returns the count and frees nothing on error. */
int list_dir(const char *dir, bool want_dirs, const char *suffix, char ***out)
{
	struct dirent **ents;
	char **names;
	int n, k = 0;

	*out = NULL;
	n = scandir(dir, &ents, NULL, name_order);
	if (n < 0)
		return 0;
	names = calloc((size_t)n + 1, sizeof(*names));
	for (int i = 0; i < n; i++) {
		char path[4096];

		sfmt(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (names && ents[i]->d_name[0] != '.' && is_dir(path) == want_dirs &&
		    (!suffix || ends_with(ents[i]->d_name, suffix)))
			names[k++] = strdup(ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	*out = names;
	return names ? k : 0;
}

void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static bool hash_eq_hex(const uint8_t h[TM_HASH_LEN], const char *hex)
{
	uint8_t want[TM_HASH_LEN];

	return hex && px_hex_decode_fixed(NULL, want, sizeof(want), hex, strlen(hex)) &&
	       memcmp(want, h, TM_HASH_LEN) == 0;
}

bool hash_eq_bytes(const uint8_t h[TM_HASH_LEN], const struct tm_bytes *b)
{
	return b->len == TM_HASH_LEN && memcmp(b->b, h, TM_HASH_LEN) == 0;
}

void hex32(char out[2 * TM_HASH_LEN + 1], const uint8_t h[TM_HASH_LEN])
{
	px_hex_encode(out, 2 * TM_HASH_LEN + 1, h, TM_HASH_LEN, true);
}

/* A hex string field (or null) decoded into buf. */
static bool json_hex(struct px_err *err, struct px_buf *buf, const json_t *obj, const char *field)
{
	const json_t *v = json_object_get(obj, field);

	if (json_is_null(v))
		return true;
	return px_json_get_hex(err, buf, obj, field);
}

/* --- golden/cometbft_golden.json ----------------------------------------- */

static bool golden_header_hash(struct px_err *err, const json_t *c)
{
	struct tm_header h;
	json_t *hj;
	const json_t *want = json_object_get(c, "expected_hash");
	uint8_t out[TM_HASH_LEN];
	bool have;

	if (!px_json_get_object(err, &hj, c, "header") || !tm_header_from_json(err, &h, hj))
		return false;
	have = tm_header_hash(err, out, &h);
	if (px_err_is_set(err))
		return false;
	if (json_is_null(want) || !want)
		return have ? px_err_set(err, PX_E_VERIFY, "hash computed, expected none") : true;
	if (!have)
		return px_err_set(err, PX_E_VERIFY, "no hash computed, expected %s",
				  json_string_value(want));
	if (!hash_eq_hex(out, json_string_value(want))) {
		char got[65];

		hex32(got, out);
		return px_err_set(err, PX_E_VERIFY, "hash %s, expected %s", got,
				  json_string_value(want));
	}
	return true;
}

static bool golden_vote(struct px_err *err, const json_t *c)
{
	struct px_buf got = PX_BUF_INIT, want = PX_BUF_INIT;
	struct tm_block_id bid;
	struct px_time ts = { 0, 0 };
	const char *chain_id;
	json_t *vote, *tsj;
	int64_t type, height, round, secs = 0, nanos = 0;
	bool ok = false;

	if (!px_json_get_string(err, &chain_id, c, "chain_id") ||
	    !px_json_get_object(err, &vote, c, "vote") ||
	    !px_json_get_i64(err, &type, vote, "type") ||
	    !px_json_get_i64(err, &height, vote, "height") ||
	    !px_json_get_i64(err, &round, vote, "round") ||
	    !px_json_get_object(err, &tsj, vote, "timestamp") ||
	    !px_json_get_i64(err, &secs, tsj, "seconds") ||
	    (json_object_get(tsj, "nanos") && !px_json_get_i64(err, &nanos, tsj, "nanos")) ||
	    !tm_block_id_from_json(err, &bid, json_object_get(vote, "block_id")) ||
	    !px_json_get_hex(err, &want, c, "expected_hex"))
		goto out;
	if (type < 0 || type > 32 || nanos < 0 || nanos > 999999999) {
		px_err_set(err, PX_E_MALFORMED, "vote type or nanos out of range");
		goto out;
	}
	ts.seconds = secs;
	ts.nanos = (int32_t)nanos;
	tm_vote_sign_bytes(&got, chain_id, (enum tm_vote_type)type, height, round, &bid, ts);
	if (!px_buf_ok(&got)) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	if (got.len != want.len || memcmp(got.data, want.data, got.len) != 0) {
		char hex[512];

		px_hex_encode(hex, sizeof(hex), got.data, got.len < 255 ? got.len : 255, false);
		px_err_set(err, PX_E_VERIFY, "sign bytes %s", hex);
		goto out;
	}
	ok = true;
out:
	px_buf_free(&got);
	px_buf_free(&want);
	return ok;
}

static bool golden_merkle(struct px_err *err, const json_t *c, const char *kind)
{
	struct px_buf a = PX_BUF_INIT, b = PX_BUF_INIT;
	struct px_buf *items = NULL;
	struct px_iov *iov = NULL;
	const char *want;
	uint8_t out[TM_HASH_LEN];
	size_t n = 0;
	bool ok = false;

	if (!px_json_get_string(err, &want, c, "expected_hash"))
		return false;
	if (strcmp(kind, "merkle_leaf_hash") == 0) {
		if (!json_hex(err, &a, c, "leaf_hex"))
			goto out;
		tm_merkle_leaf_hash(out, a.data, a.len);
	} else if (strcmp(kind, "merkle_inner_hash") == 0) {
		/* RFC 6962 inputs need not be 32 bytes; the inner hash is the
		 * same formula over whatever the children are. */
		struct px_buf in = PX_BUF_INIT;

		if (!json_hex(err, &a, c, "left_hex") || !json_hex(err, &b, c, "right_hex"))
			goto out;
		px_buf_push(&in, 0x01);
		px_buf_append(&in, a.data, a.len);
		px_buf_append(&in, b.data, b.len);
		if (a.len == TM_HASH_LEN && b.len == TM_HASH_LEN)
			tm_merkle_inner_hash(out, a.data, b.data);
		else
			px_sha256(out, in.data, in.len);
		px_buf_free(&in);
	} else {
		const json_t *arr = json_object_get(c, "items_hex");

		if (arr && !json_is_null(arr) && !json_is_array(arr)) {
			px_err_set(err, PX_E_JSON, "field 'items_hex': expected array");
			goto out;
		}
		n = json_array_size(arr);
		items = calloc(n ? n : 1, sizeof(*items));
		iov = calloc(n ? n : 1, sizeof(*iov));
		if (!items || !iov) {
			px_err_set(err, PX_E_NOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			const json_t *s = json_array_get(arr, i);

			if (!json_is_string(s) ||
			    !px_hex_decode(err, &items[i], json_string_value(s), json_string_length(s),
					   false)) {
				px_err_set(err, PX_E_JSON, "items_hex[%zu]: bad hex", i);
				goto out;
			}
			iov[i].ptr = items[i].data;
			iov[i].len = items[i].len;
		}
		tm_merkle_root(out, iov, n);
	}
	if (!hash_eq_hex(out, want)) {
		char got[65];

		hex32(got, out);
		px_err_set(err, PX_E_VERIFY, "hash %s, expected %s", got, want);
		goto out;
	}
	ok = true;
out:
	for (size_t i = 0; items && i < n; i++)
		px_buf_free(&items[i]);
	free(items);
	free(iov);
	px_buf_free(&a);
	px_buf_free(&b);
	return ok;
}

static bool golden_secp_address(struct px_err *err, const json_t *c)
{
	struct px_buf pub = PX_BUF_INIT;
	struct tm_pubkey pk;
	const char *want;
	uint8_t addr[TM_ADDRESS_LEN], exp[TM_ADDRESS_LEN];
	bool ok = false;

	memset(&pk, 0, sizeof(pk));
	if (!px_json_get_hex(err, &pub, c, "pub_compressed_hex") ||
	    !px_json_get_string(err, &want, c, "expected_address_hex") ||
	    !px_hex_decode_fixed(err, exp, sizeof(exp), want, strlen(want)))
		goto out;
	if (pub.len != 33) {
		px_err_set(err, PX_E_MALFORMED, "pubkey of %zu bytes", pub.len);
		goto out;
	}
	pk.type = TM_KEY_SECP256K1;
	pk.len = 33;
	memcpy(pk.bytes, pub.data, 33);
	tm_pubkey_address(addr, &pk);
	if (memcmp(addr, exp, sizeof(exp)) != 0) {
		px_err_set(err, PX_E_VERIFY, "address differs");
		goto out;
	}
	ok = true;
out:
	px_buf_free(&pub);
	return ok;
}

static void run_golden_file(const char *path, const char *name)
{
	struct px_err err = { 0 };
	json_t *doc = px_json_load_file(&err, path), *cases;

	if (!doc || !px_json_get_array(&err, &cases, doc, "cases")) {
		result(C_GOLDEN, false, name, "%s", err.msg);
		json_decref(doc);
		return;
	}
	for (size_t i = 0; i < json_array_size(cases); i++) {
		const json_t *c = json_array_get(cases, i);
		const char *kind = json_string_value(json_object_get(c, "kind"));
		const char *cname = json_string_value(json_object_get(c, "name"));
		char where[512];
		bool ok;

		sfmt(where, sizeof(where), "%s #%zu (%s)", name, i, cname ? cname : "?");
		px_err_clear(&err);
		if (!kind)
			ok = px_err_set(&err, PX_E_JSON, "case without kind");
		else if (strcmp(kind, "header_hash") == 0)
			ok = golden_header_hash(&err, c);
		else if (strcmp(kind, "vote_sign_bytes") == 0)
			ok = golden_vote(&err, c);
		else if (strcmp(kind, "merkle_hash_from_byte_slices") == 0 ||
			 strcmp(kind, "merkle_leaf_hash") == 0 || strcmp(kind, "merkle_inner_hash") == 0)
			ok = golden_merkle(&err, c, kind);
		else if (strcmp(kind, "secp256k1_address") == 0)
			ok = golden_secp_address(&err, c);
		else
			ok = px_err_set(&err, PX_E_UNSUPPORTED, "unknown kind '%s'", kind);
		result(C_GOLDEN, ok, where, "%s: %s", kind ? kind : "?", err.msg);
	}
	json_decref(doc);
}

/* Cases of a file that belongs to another issue: counted, not run. */
static void skip_file(const char *path)
{
	json_t *doc = json_load_file(path, 0, NULL);
	size_t n = json_array_size(json_object_get(doc, "cases"));

	skipped_ibc += n ? (unsigned)n : 1;
	json_decref(doc);
}

static json_t *golden_doc;	/* for known header hashes */

static void run_golden(const char *dir)
{
	char **names;
	int n = list_dir(dir, false, ".json", &names);

	for (int i = 0; i < n; i++) {
		char path[4096];

		sfmt(path, sizeof(path), "%s/%s", dir, names[i]);
		if (strncmp(names[i], "ibc", 3) == 0) {
			skip_file(path);
			continue;
		}
		run_golden_file(path, names[i]);
		if (strcmp(names[i], "cometbft_golden.json") == 0 && !golden_doc)
			golden_doc = json_load_file(path, 0, NULL);
	}
	free_names(names, n);
}

/* --- cometbft/NAME.json: headers with a known hash ---------------------------- */

/* The expected hash of a header file: a golden header_hash case with the
 * same header, a hash the file carries itself, or the 64 hex digits that
 * follow the file's name in the vectors README. */
static bool known_hash_for(char out[65], const char *name, const json_t *doc, const json_t *header)
{
	const json_t *cases = json_object_get(golden_doc, "cases");
	const char *s;
	char path[4096];
	FILE *f;

	for (size_t i = 0; i < json_array_size(cases); i++) {
		const json_t *c = json_array_get(cases, i);

		if (json_equal(json_object_get(c, "header"), (json_t *)header) &&
		    (s = json_string_value(json_object_get(c, "expected_hash"))) && strlen(s) == 64) {
			memcpy(out, s, 65);
			return true;
		}
	}
	if ((s = json_string_value(json_object_get(doc, "expected_hash"))) && strlen(s) == 64) {
		memcpy(out, s, 65);
		return true;
	}
	sfmt(path, sizeof(path), "%s/README.md", vectors_root);
	f = fopen(path, "r");
	if (!f)
		return false;
	{
		char *text = NULL, *at;
		size_t cap = 0, len;

		len = (size_t)getdelim(&text, &cap, '\0', f);
		fclose(f);
		at = text && len != (size_t)-1 ? strstr(text, name) : NULL;
		while (at && *at) {
			size_t k = 0;

			while (k < 64 && ((at[k] >= '0' && at[k] <= '9') || (at[k] >= 'A' && at[k] <= 'F') ||
					  (at[k] >= 'a' && at[k] <= 'f')))
				k++;
			if (k == 64) {
				memcpy(out, at, 64);
				out[64] = 0;
				free(text);
				return true;
			}
			at++;
		}
		free(text);
	}
	return false;
}

static void run_known(const char *dir)
{
	char **names;
	int n = list_dir(dir, false, ".json", &names);

	for (int i = 0; i < n; i++) {
		struct px_err err = { 0 };
		struct tm_header h;
		char path[4096], want[65], got[65];
		json_t *doc, *hj;
		uint8_t out[TM_HASH_LEN];

		sfmt(path, sizeof(path), "%s/%s", dir, names[i]);
		doc = px_json_load_file(&err, path);
		hj = doc;
		/* a header, or something that holds one */
		if (json_is_object(json_object_get(doc, "header")))
			hj = json_object_get(doc, "header");
		if (!doc || !tm_header_from_json(&err, &h, hj)) {
			result(C_KNOWN, false, names[i], "%s", err.msg);
			json_decref(doc);
			continue;
		}
		if (!tm_header_hash(&err, out, &h)) {
			result(C_KNOWN, false, names[i], "no hash: %s", err.msg);
		} else if (!known_hash_for(want, names[i], doc, hj)) {
			known_no_expected++;
			hex32(got, out);
			printf("note: %s hashes to %s, no expected hash known\n", names[i], got);
		} else {
			hex32(got, out);
			result(C_KNOWN, hash_eq_hex(out, want), names[i], "hash %s, expected %s", got,
			       want);
		}
		json_decref(doc);
	}
	free_names(names, n);
}

/* --- light_client/SUITE/NAME.json ----------------------------------------- */

static void light_step_result(bool ok, const char *where, const char *want, const char *got,
			      const char *msg)
{
	result(C_LIGHT, ok, where, "verdict %s, want %s (%s)", got, want, msg);
}

static void run_light_file(const char *path, const char *name)
{
	struct px_err err = { 0 };
	struct tm_light_block init;
	struct tm_trusted trusted;
	struct tm_options opts;
	json_t *doc = px_json_load_file(&err, path), *initial, *input;
	const char *period;
	bool have_trusted = false;

	memset(&trusted, 0, sizeof(trusted));
	if (!doc) {
		result(C_LIGHT, false, name, "%s", err.msg);
		return;
	}
	initial = json_object_get(doc, "initial");
	input = json_object_get(doc, "input");
	if (!json_is_object(initial) || !json_is_array(input)) {
		/* not a single-step case (another suite's shape) */
		light_files_other_shape++;
		json_decref(doc);
		return;
	}
	tm_options_default(&opts);
	opts.trust_num = 1;
	opts.trust_den = 3;
	opts.clock_drift_ns = 0;
	if (!px_json_get_string(&err, &period, initial, "trusting_period") ||
	    !px_parse_u64(&err, &opts.trusting_period_ns, period, strlen(period)) ||
	    !tm_light_block_from_json(&err, &init, initial)) {
		result(C_LIGHT, false, name, "initial: %s", err.msg);
		goto out;
	}
	if (!tm_trust_anchor(&err, &trusted, &init)) {
		tm_light_block_free(&init);
		result(C_LIGHT, false, name, "initial: trust anchor: %s", err.msg);
		goto out;
	}
	tm_light_block_free(&init);
	have_trusted = true;
	for (size_t i = 0; i < json_array_size(input); i++) {
		const json_t *step = json_array_get(input, i);
		const char *want = json_string_value(json_object_get(step, "verdict"));
		const char *now_s;
		struct tm_light_block lb;
		struct tm_trusted next;
		struct px_time now;
		char where[512];
		const char *got;

		sfmt(where, sizeof(where), "%s step %zu", name, i);
		px_err_clear(&err);
		if (!want || !px_json_get_string(&err, &now_s, step, "now") ||
		    !px_time_parse(&err, &now, now_s, strlen(now_s))) {
			result(C_LIGHT, false, where, "step: %s", want ? err.msg : "no verdict");
			continue;
		}
		if (!tm_light_block_from_json(&err, &lb, json_object_get(step, "block"))) {
			/* a block we cannot even decode is not valid */
			light_step_result(strcmp(want, "INVALID") == 0, where, want, "INVALID",
					  err.msg);
			if (strcmp(want, "INVALID") == 0)
				printf("note: %s: INVALID by decode failure: %s\n", where, err.msg);
			continue;
		}
		if (tm_verify(&err, &next, &trusted, &lb, &opts, now)) {
			got = "SUCCESS";
			tm_trusted_free(&trusted);
			trusted = next;
		} else {
			got = err.code == PX_E_NOT_ENOUGH_TRUST ? "NOT_ENOUGH_TRUST" : "INVALID";
		}
		light_step_result(strcmp(want, got) == 0, where, want, got, err.msg[0] ? err.msg : "ok");
		tm_light_block_free(&lb);
	}
out:
	if (have_trusted)
		tm_trusted_free(&trusted);
	json_decref(doc);
}

static void run_light(const char *dir)
{
	char **suites;
	int ns = list_dir(dir, true, NULL, &suites);

	for (int s = 0; s < ns; s++) {
		char sdir[4096];
		char **names;
		int n;

		sfmt(sdir, sizeof(sdir), "%s/%s", dir, suites[s]);
		n = list_dir(sdir, false, ".json", &names);
		for (int i = 0; i < n; i++) {
			char path[8192], name[600];

			sfmt(path, sizeof(path), "%s/%s", sdir, names[i]);
			sfmt(name, sizeof(name), "%s/%s", suites[s], names[i]);
			run_light_file(path, name);
		}
		free_names(names, n);
	}
	free_names(suites, ns);
}

/* --- main ----------------------------------------------------------------- */

int main(int argc, char **argv)
{
	char root[4096], path[8192];
	unsigned cases = 0, passed = 0, failed = 0;
	bool any = false;
	static const char *const parts[] = { "golden", "cometbft", "rpc", "light_client" };

	if (argc != 2) {
		fprintf(stderr, "usage: %s VECTORS_DIR\n", argv[0]);
		return 2;
	}
	sfmt(root, sizeof(root), "%s/cosmos", argv[1]);
	vectors_root = root;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		sfmt(path, sizeof(path), "%s/%s", root, parts[i]);
		any = any || is_dir(path);
	}
	if (!any) {
		printf("skipped: no CometBFT vectors under %s\n", root);
		return 77;
	}

	sfmt(path, sizeof(path), "%s/golden", root);
	run_golden(path);
	sfmt(path, sizeof(path), "%s/cometbft", root);
	run_known(path);
	sfmt(path, sizeof(path), "%s/rpc", root);
	run_rpc(path);
	sfmt(path, sizeof(path), "%s/light_client", root);
	run_light(path);
	json_decref(golden_doc);

	for (int c = 0; c < C_COUNT; c++) {
		const struct cat *k = &cats[c];

		if (c == C_LIGHT)
			printf("light client: %u steps, %u passed, %u failed\n", k->cases, k->passed,
			       k->failed);
		else
			printf("%s: %u cases, %u passed, %u failed\n", k->name, k->cases, k->passed,
			       k->failed);
		cases += k->cases;
		passed += k->passed;
		failed += k->failed;
	}
	printf("not run: %u ibc golden cases (skipped: later IBC issue), %u NewBlock events "
	       "without a next event (parsed only), %u commits without a known validator set "
	       "(hash only), %u known-hash files without an expected hash, %u light-client files "
	       "of another shape\n",
	       skipped_ibc, newblock_parse_only, sigs_skipped, known_no_expected,
	       light_files_other_shape);
	printf("cometbft vectors: %u cases, %u passed, %u failed\n", cases, passed, failed);
	px_hash_thread_cleanup();
	if (cases == 0) {
		printf("skipped: no cases found\n");
		return 77;
	}
	return failed ? 1 : 0;
}
