/* Conformance runner for the Ethereum vectors in VECTORS/ethereum: RLP
 * (valid round trips, invalid rejected), trie roots (plain and secure,
 * order-independent, deletions), block headers (fixtures, JSON-RPC blocks,
 * the recorded chain linked block by block, body roots), eth_getProof
 * results against the state roots of their blocks, the proof edge cases,
 * receipts roots, and derived negatives (a byte changed in a proof node, a
 * wrong root, a wrong slot, a changed header field). Every file and case
 * found is used. Some cases also go through the pontifex CLI.
 *
 * usage: eth_vectors VECTORS_DIR [PONTIFEX]
 * Exit 0 when every case passed, 1 otherwise, 77 when VECTORS_DIR/ethereum
 * is missing. */
#include "eth_vectors.h"

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/encoding.h"
#include "common/protobuf.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/mpt.h"
#include "lightclient/ethereum/rlp.h"
#include "lightclient/ethereum/trie.h"

extern char **environ;

const char *pontifex;
char tmpdir[64];

static const char *const cat_names[C_COUNT] = {
	[C_RLP_VALID] = "rlp valid (encode + decode)",
	[C_RLP_INVALID] = "rlp invalid (rejected)",
	[C_RLP_RANDOM] = "rlp random (round trip)",
	[C_TRIE] = "trie roots",
	[C_TRIE_ORDER] = "trie roots, other insertion orders",
	[C_TRIE_NEG] = "trie roots, changed value (differs)",
	[C_TRIE_PROOF] = "trie proofs of every key (built, verified)",
	[C_HEADER] = "header hashes (headers.json)",
	[C_HEADER_NEG] = "header negatives (changed field, wrong checkpoint)",
	[C_CHAIN] = "chain.rlp headers linked from genesis",
	[C_BODY] = "chain.rlp body roots (tx, uncles, withdrawals)",
	[C_RPC_BLOCK] = "rpc eth_getBlockBy* hashes",
	[C_PROOF] = "rpc eth_getProof results",
	[C_PROOF_EDGE] = "proofs/edge-cases.json",
	[C_PROOF_NEG] = "proof negatives (node byte, root, slot, value)",
	[C_RECEIPTS] = "rpc eth_getBlockReceipts roots",
	[C_CLI] = "cli (verify eth-header, eth-proof)",
};

static struct {
	unsigned cases, passed, failed;
} tally[C_COUNT];

void check(enum cat c, bool ok, const char *fmt, ...)
{
	va_list ap;

	tally[c].cases++;
	if (ok) {
		tally[c].passed++;
		return;
	}
	tally[c].failed++;
	printf("FAIL [%s] ", cat_names[c]);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void note(const char *fmt, ...)
{
	va_list ap;

	printf("note: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

json_t *load_json(const char *path)
{
	json_error_t e;
	json_t *v = json_load_file(path, JSON_ALLOW_NUL, &e);

	if (!v)
		printf("FAIL %s: %s (line %d)\n", path, e.text, e.line);
	return v;
}

bool hex_any(struct px_buf *out, const char *s)
{
	px_buf_reset(out);
	return px_hex_decode(NULL, out, s, strlen(s), true) && px_buf_ok(out);
}

bool read_file(struct px_buf *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t chunk[65536];
	size_t n;

	if (!f)
		return false;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		px_buf_append(out, chunk, n);
	fclose(f);
	return px_buf_ok(out);
}

bool write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, data, len) == (ssize_t)len;
	return close(fd) == 0 && ok;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t list_dir(const char *dir, const char *suffix, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, sl = strlen(suffix);

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char path[4096];
		struct stat st;

		if (de->d_name[0] == '.' || l < sl || strcmp(de->d_name + l - sl, suffix) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof(*names));

			if (!p)
				break;
			names = p;
		}
		names[n++] = strdup(path);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), str_cmp);
	*out = names;
	return n;
}

bool io_load(const char *path, json_t **request, json_t **response)
{
	struct px_buf b = PX_BUF_INIT;
	size_t i = 0;

	*request = *response = NULL;
	if (!read_file(&b, path)) {
		px_buf_free(&b);
		return false;
	}
	while (i < b.len && !*response) {
		size_t e = i;

		while (e < b.len && b.data[e] != '\n')
			e++;
		if (e - i >= 2 && (memcmp(b.data + i, ">>", 2) == 0 || memcmp(b.data + i, "<<", 2) == 0)) {
			json_t *v = json_loadb((const char *)b.data + i + 2, e - i - 2, 0, NULL);

			if (b.data[i] == '>' && !*request)
				*request = v;
			else if (b.data[i] == '<' && *request)
				*response = v;
			else
				json_decref(v);
		}
		i = e + 1;
	}
	px_buf_free(&b);
	return *request && *response;
}

int run_cli(const char *const *args)
{
	const char *argv[24];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, n = 0;

	if (!pontifex)
		return -1;
	argv[n++] = pontifex;
	while (args[n - 1] && n < 23) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, pontifex, &fa, NULL, (char *const *)argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* ---- RLP ---- */

/* A "#<decimal>" big integer as minimal big-endian bytes. */
static bool bigint_bytes(struct px_buf *out, const char *dec)
{
	uint8_t v[128] = { 0 };
	size_t i, start;

	for (; *dec; dec++) {
		unsigned carry;

		if (*dec < '0' || *dec > '9')
			return false;
		carry = (unsigned)(*dec - '0');
		for (i = sizeof(v); i-- > 0;) {
			unsigned x = v[i] * 10u + carry;

			v[i] = (uint8_t)x;
			carry = x >> 8;
		}
		if (carry)
			return false;
	}
	for (start = 0; start < sizeof(v) && v[start] == 0; start++)
		;
	px_buf_reset(out);
	px_buf_append(out, v + start, sizeof(v) - start);
	return px_buf_ok(out);
}

/* The bytes a JSON leaf stands for: string (UTF-8), integer, "#big". */
static bool leaf_bytes(struct px_buf *out, const json_t *x, bool *is_int)
{
	px_buf_reset(out);
	*is_int = false;
	if (json_is_string(x)) {
		const char *s = json_string_value(x);

		if (s[0] == '#') {
			*is_int = true;
			return bigint_bytes(out, s + 1);
		}
		px_buf_append(out, s, json_string_length(x));
		return px_buf_ok(out);
	}
	if (json_is_integer(x)) {
		json_int_t v = json_integer_value(x);
		uint8_t be[8];

		if (v < 0)
			return false;
		*is_int = true;
		for (int i = 0; i < 8; i++)
			be[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
		for (int i = 0; i < 8; i++)
			if (be[i] || i == 7) {
				if (be[i] || v)
					px_buf_append(out, be + i, (size_t)(8 - i));
				break;
			}
		return px_buf_ok(out);
	}
	return false;
}

static bool rlp_encode_json(struct px_buf *b, const json_t *x)
{
	if (json_is_array(x)) {
		size_t start = rlp_list_begin(b), i;
		json_t *e;

		json_array_foreach(x, i, e)
			if (!rlp_encode_json(b, e))
				return false;
		rlp_list_end(b, start);
		return true;
	}
	{
		struct px_buf leaf = PX_BUF_INIT;
		bool is_int, ok = leaf_bytes(&leaf, x, &is_int);

		if (ok)
			rlp_put_bytes(b, leaf.data, leaf.len);
		px_buf_free(&leaf);
		return ok;
	}
}

/* Reads one item of c and compares it with x. */
static bool rlp_matches(struct px_cursor *c, const json_t *x)
{
	if (json_is_array(x)) {
		struct px_cursor sub;
		size_t i;
		json_t *e;

		rlp_read_list(c, &sub, RLP_MAX_ITEM);
		json_array_foreach(x, i, e)
			if (!rlp_matches(&sub, e))
				return false;
		rlp_read_end(&sub);
		return px_cursor_ok(c);
	}
	{
		struct px_buf leaf = PX_BUF_INIT;
		struct px_slice s;
		bool is_int, ok = leaf_bytes(&leaf, x, &is_int);

		rlp_read_bytes(c, &s, RLP_MAX_ITEM);
		ok = ok && px_cursor_ok(c) && s.len == leaf.len &&
		     (s.len == 0 || memcmp(s.ptr, leaf.data, s.len) == 0);
		/* Integers are canonical: no leading zero byte. */
		if (ok && is_int && s.len > 0 && s.ptr[0] == 0)
			ok = false;
		px_buf_free(&leaf);
		return ok;
	}
}

/* Re-encodes what c holds (every item, recursively). */
static void rlp_reencode(struct px_cursor *c, struct px_buf *b)
{
	while (px_cursor_more(c)) {
		struct rlp_item it;

		rlp_read_item(c, &it, RLP_MAX_ITEM);
		if (!px_cursor_ok(c))
			return;
		if (it.is_list) {
			struct px_cursor sub = px_cursor_init(it.payload.ptr, it.payload.len);
			size_t start = rlp_list_begin(b);

			rlp_reencode(&sub, b);
			if (!px_cursor_ok(&sub))
				px_cursor_fail(c, px_cursor_error(&sub));
			rlp_list_end(b, start);
		} else {
			rlp_put_bytes(b, it.payload.ptr, it.payload.len);
		}
	}
}

static void rlp_file(const char *path, enum cat cat)
{
	json_t *doc = load_json(path), *v;
	const char *name;
	struct px_buf want = PX_BUF_INIT, got = PX_BUF_INIT;

	if (!doc) {
		check(cat, false, "%s: does not load", path);
		return;
	}
	json_object_foreach(doc, name, v) {
		json_t *in = json_object_get(v, "in");
		const char *out = json_string_value(json_object_get(v, "out"));
		struct px_err err = { 0 };
		bool invalid = json_is_string(in) && strcmp(json_string_value(in), "INVALID") == 0;
		bool valid_only = json_is_string(in) && strcmp(json_string_value(in), "VALID") == 0;

		if (!out || !hex_any(&want, out)) {
			/* Hex that does not decode is itself an invalid input. */
			check(cat, invalid, "%s %s: 'out' is not hex", path, name);
			continue;
		}
		if (invalid) {
			check(C_RLP_INVALID, !rlp_check(&err, want.data, want.len, 0),
			      "%s %s: accepted", path, name);
			continue;
		}
		if (!rlp_check(&err, want.data, want.len, 0)) {
			check(cat, false, "%s %s: rejected: %s", path, name, err.msg);
			continue;
		}
		/* Decode and re-encode must give the same bytes. */
		{
			struct px_cursor c = px_cursor_init(want.data, want.len);

			px_buf_reset(&got);
			rlp_reencode(&c, &got);
			if (!px_cursor_ok(&c) || !px_buf_ok(&got) || got.len != want.len ||
			    memcmp(got.data, want.data, want.len) != 0) {
				check(cat, false, "%s %s: re-encoding differs", path, name);
				continue;
			}
		}
		if (valid_only) {
			check(cat, true, "%s", name);
			continue;
		}
		px_buf_reset(&got);
		if (!rlp_encode_json(&got, in) || !px_buf_ok(&got) || got.len != want.len ||
		    memcmp(got.data, want.data, want.len) != 0) {
			check(cat, false, "%s %s: encoding differs", path, name);
			continue;
		}
		{
			struct px_cursor c = px_cursor_init(want.data, want.len);
			bool ok = rlp_matches(&c, in);

			rlp_read_end(&c);
			check(cat, ok && px_cursor_ok(&c), "%s %s: decoding differs", path, name);
		}
	}
	px_buf_free(&want);
	px_buf_free(&got);
	json_decref(doc);
}

void run_rlp(const char *vectors)
{
	char dir[4096];
	char **files;
	size_t n;

	snprintf(dir, sizeof(dir), "%s/rlp", vectors);
	n = list_dir(dir, ".json", &files);
	for (size_t i = 0; i < n; i++) {
		rlp_file(files[i], strstr(files[i], "invalid") ? C_RLP_INVALID : C_RLP_VALID);
		free(files[i]);
	}
	free(files);
	/* Random RLP (and any other subfolder of valid inputs). */
	snprintf(dir, sizeof(dir), "%s/rlp/Randomrlp", vectors);
	n = list_dir(dir, ".json", &files);
	for (size_t i = 0; i < n; i++) {
		rlp_file(files[i], C_RLP_RANDOM);
		free(files[i]);
	}
	free(files);
}

/* ---- tries ---- */

struct kvset {
	struct mpt_kv *kv;
	struct px_buf *bufs;	/* 2 per entry: key, value */
	size_t n;
};

static void kvset_free(struct kvset *s)
{
	for (size_t i = 0; i < 2 * s->n; i++)
		px_buf_free(&s->bufs[i]);
	free(s->bufs);
	free(s->kv);
	memset(s, 0, sizeof(*s));
}

static bool trie_bytes(struct px_buf *out, const json_t *x, bool all_hex)
{
	const char *s;

	px_buf_reset(out);
	if (json_is_null(x))
		return true;
	if (!json_is_string(x))
		return false;
	s = json_string_value(x);
	if (all_hex || (s[0] == '0' && s[1] == 'x'))
		return hex_any(out, s);
	px_buf_append(out, s, json_string_length(x));
	return px_buf_ok(out);
}

static bool kvset_add(struct kvset *s, size_t i, const json_t *k, const json_t *v, bool all_hex)
{
	if (!trie_bytes(&s->bufs[2 * i], k, all_hex) || !trie_bytes(&s->bufs[2 * i + 1], v, all_hex))
		return false;
	s->kv[i].key = s->bufs[2 * i].data;
	s->kv[i].key_len = s->bufs[2 * i].len;
	s->kv[i].value = s->bufs[2 * i + 1].data;
	s->kv[i].value_len = s->bufs[2 * i + 1].len;
	return true;
}

static bool kvset_load(struct kvset *s, const json_t *in, bool all_hex)
{
	size_t n = json_is_array(in) ? json_array_size(in) : json_object_size(in), i = 0;

	memset(s, 0, sizeof(*s));
	s->kv = calloc(n ? n : 1, sizeof(*s->kv));
	s->bufs = calloc(n ? 2 * n : 1, sizeof(*s->bufs));
	if (!s->kv || !s->bufs)
		return false;
	s->n = n;
	if (json_is_array(in)) {
		json_t *pair;

		json_array_foreach(in, i, pair)
			if (json_array_size(pair) != 2 ||
			    !kvset_add(s, i, json_array_get(pair, 0), json_array_get(pair, 1), all_hex))
				return false;
		return true;
	}
	if (json_is_object(in)) {
		const char *key;
		json_t *v;

		json_object_foreach((json_t *)in, key, v) {
			json_t *k = json_string(key);
			bool ok = k && kvset_add(s, i++, k, v, all_hex);

			json_decref(k);
			if (!ok)
				return false;
		}
		return true;
	}
	return false;
}

static void trie_file(const char *path)
{
	json_t *doc = load_json(path), *v;
	const char *name, *base = strrchr(path, '/');
	bool secure, all_hex;
	struct px_buf want = PX_BUF_INIT;

	base = base ? base + 1 : path;
	secure = strstr(base, "secureTrie") || strstr(base, "securetrie");
	all_hex = strncmp(base, "hex_encoded", 11) == 0;
	if (!doc) {
		check(C_TRIE, false, "%s: does not load", path);
		return;
	}
	json_object_foreach(doc, name, v) {
		json_t *in = json_object_get(v, "in"), *root = json_object_get(v, "root");
		struct kvset s;
		uint8_t got[32];
		struct px_err err = { 0 };

		if (!root) {
			note("%s %s: no root (iterator test), not a root case", base, name);
			continue;
		}
		if (!json_is_string(root) || !hex_any(&want, json_string_value(root)) || want.len != 32 ||
		    !kvset_load(&s, in, all_hex)) {
			check(C_TRIE, false, "%s %s: unreadable case", base, name);
			kvset_free(&s);
			continue;
		}
		if (!mpt_trie_root(&err, got, s.kv, s.n, secure)) {
			check(C_TRIE, false, "%s %s: %s", base, name, err.msg);
			kvset_free(&s);
			continue;
		}
		check(C_TRIE, memcmp(got, want.data, 32) == 0, "%s %s: root differs", base, name);
		if (json_is_object(in) && s.n > 1) {
			/* Any order: reversed and rotated insertion give the root too. */
			for (int variant = 0; variant < 2; variant++) {
				struct mpt_kv *o = calloc(s.n, sizeof(*o));

				if (!o)
					break;
				for (size_t i = 0; i < s.n; i++)
					o[i] = variant == 0 ? s.kv[s.n - 1 - i] : s.kv[(i + 1) % s.n];
				check(C_TRIE_ORDER,
				      mpt_trie_root(&err, got, o, s.n, secure) && memcmp(got, want.data, 32) == 0,
				      "%s %s: order variant %d gives another root", base, name, variant);
				free(o);
			}
		}
		/* Proofs of every key (and of one key not in the trie) built
		 * from the same trie and verified against its root. */
		for (size_t i = 0; i <= s.n; i++) {
			static const uint8_t absent_key[] = "not-a-key-in-any-vector";
			const uint8_t *k = i < s.n ? s.kv[i].key : absent_key;
			size_t kl = i < s.n ? s.kv[i].key_len : sizeof(absent_key) - 1;
			const struct mpt_kv *final = NULL;
			struct px_buf nodes = PX_BUF_INIT;
			size_t lens[MPT_MAX_PROOF_NODES + 1], count, off = 0;
			struct px_slice sl[MPT_MAX_PROOF_NODES + 1], pval;
			uint8_t pk[32], r2[32];
			bool found;

			for (size_t j = 0; j < s.n; j++)
				if (s.kv[j].key_len == kl && memcmp(s.kv[j].key, k, kl) == 0)
					final = &s.kv[j];
			if (!mpt_trie_prove(&err, r2, &nodes, lens, &count, s.kv, s.n, secure, k, kl)) {
				check(C_TRIE_PROOF, false, "%s %s: prove: %s", base, name, err.msg);
				px_buf_free(&nodes);
				continue;
			}
			for (size_t j = 0; j < count; j++) {
				sl[j].ptr = nodes.data + off;
				sl[j].len = lens[j];
				off += lens[j];
			}
			if (secure)
				eth_keccak256(pk, k, kl);
			px_err_clear(&err);
			check(C_TRIE_PROOF,
			      memcmp(r2, want.data, 32) == 0 &&
			      mpt_verify(&err, &found, &pval, want.data, secure ? pk : k, secure ? 32 : kl, sl, count) &&
			      found == (final && final->value_len > 0) &&
			      (!found || (pval.len == final->value_len && memcmp(pval.ptr, final->value, pval.len) == 0)),
			      "%s %s: proof of key %zu: %s", base, name, i, err.msg);
			px_buf_free(&nodes);
		}
		if (s.n > 0) {
			/* A changed value (last live entry) must change the root. */
			size_t last = s.n;
			uint8_t *copy;

			while (last > 0 && s.kv[last - 1].value_len == 0)
				last--;
			/* Only when no later update of the same key deletes it. */
			for (size_t k = last; last > 0 && k < s.n; k++)
				if (s.kv[k].key_len == s.kv[last - 1].key_len &&
				    memcmp(s.kv[k].key, s.kv[last - 1].key, s.kv[k].key_len) == 0)
					last = 0;
			if (last > 0 && (copy = malloc(s.kv[last - 1].value_len))) {
				const uint8_t *orig = s.kv[last - 1].value;

				memcpy(copy, orig, s.kv[last - 1].value_len);
				copy[0] ^= 0x01;
				s.kv[last - 1].value = copy;
				check(C_TRIE_NEG,
				      mpt_trie_root(&err, got, s.kv, s.n, secure) && memcmp(got, want.data, 32) != 0,
				      "%s %s: changed value gives the same root", base, name);
				s.kv[last - 1].value = orig;
				free(copy);
			}
		}
		kvset_free(&s);
	}
	px_buf_free(&want);
	json_decref(doc);
}

void run_trie(const char *vectors)
{
	char dir[4096];
	char **files;
	size_t n;

	snprintf(dir, sizeof(dir), "%s/trie", vectors);
	n = list_dir(dir, ".json", &files);
	for (size_t i = 0; i < n; i++) {
		trie_file(files[i]);
		free(files[i]);
	}
	free(files);
}

int main(int argc, char **argv)
{
	char base[4096];
	struct stat st;
	unsigned cases = 0, passed = 0, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s VECTORS_DIR [PONTIFEX]\n", argv[0]);
		return 2;
	}
	pontifex = argc > 2 ? argv[2] : NULL;
	snprintf(base, sizeof(base), "%s/ethereum", argv[1]);
	if (stat(base, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("ethereum vectors: skipped (no vectors at %s)\n", base);
		return 77;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/px-eth-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	run_rlp(base);
	run_trie(base);
	run_chain(base);
	{
		char **files;
		size_t n = list_dir(tmpdir, "", &files);

		for (size_t i = 0; i < n; i++) {
			unlink(files[i]);
			free(files[i]);
		}
		free(files);
		rmdir(tmpdir);
	}
	for (int c = 0; c < C_COUNT; c++) {
		printf("%-52s %4u cases, %4u passed, %u failed\n", cat_names[c], tally[c].cases,
		       tally[c].passed, tally[c].failed);
		cases += tally[c].cases;
		passed += tally[c].passed;
		failed += tally[c].failed;
	}
	printf("ethereum vectors: %u cases, %u passed, %u failed\n", cases, passed, failed);
	return failed == 0 && cases > 0 ? 0 : 1;
}
