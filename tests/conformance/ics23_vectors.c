/* Conformance runner for the ICS-23 proof vectors in
 * VECTORS/cosmos/ics23/vectors/SPEC/ and the batch vectors in
 * VECTORS/cosmos/ics23/batch/SPEC/ (every .json file). Every file found is used; the
 * spec comes from the folder name. Each proof is checked through the
 * library and through the pontifex CLI, and negative cases are derived from
 * it: a flipped byte of the root, the key, the value and (at the library
 * level) every byte of the proof, membership and non-membership swapped,
 * and the other specs. All must be rejected.
 *
 * usage: ics23_vectors VECTORS_DIR PONTIFEX_BINARY
 * Exit 0 when every case passed, 1 otherwise, 77 (skipped) when the
 * vectors folder is missing. */
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "common/json.h"
#include "common/protobuf.h"
#include "lightclient/ics23/ics23.h"

extern char **environ;

static const char *const spec_names[] = { "iavl", "tendermint", "smt" };

struct tally {
	unsigned cases, passed, failed;
	unsigned lib_pos, lib_neg, cli_pos, cli_neg;
	unsigned inert; /* flips in batch entries no item asks about */
};

static struct tally t;
static const char *pontifex;
static char tmpdir[64];

static void result(bool ok, unsigned *kind, const char *file, const char *what)
{
	t.cases++;
	(*kind)++;
	if (ok) {
		t.passed++;
	} else {
		t.failed++;
		printf("FAIL %s: %s\n", file, what);
	}
}

/* One proof statement: key (and value, for membership) under root. */
struct stmt {
	const char *file;
	const struct ics23_spec *spec;
	const char *spec_name;
	struct px_slice root, key, value; /* value.len == 0: non-membership */
	struct px_slice proof_bytes;
};

static bool verify_decoded(const struct stmt *s, const struct ics23_proof *p, struct px_err *err)
{
	if (s->value.len)
		return ics23_verify_membership(err, s->spec, s->root.ptr, s->root.len, p, s->key.ptr,
					       s->key.len, s->value.ptr, s->value.len);
	return ics23_verify_non_membership(err, s->spec, s->root.ptr, s->root.len, p, s->key.ptr,
					   s->key.len);
}

/* 1 verified, 0 rejected (malformed or not verified). */
static int lib_check(const struct stmt *s, const uint8_t *proof, size_t proof_len,
		     struct px_err *err)
{
	struct ics23_proof p;
	bool ok;

	if (!ics23_proof_decode(err, &p, proof, proof_len))
		return 0;
	ok = verify_decoded(s, &p, err);
	ics23_proof_free(&p);
	return ok ? 1 : 0;
}

static void hex_of(char *out, size_t cap, struct px_slice s)
{
	px_hex_encode(out, cap, s.ptr, s.len, false);
}

/* Runs the CLI on a statement; returns its exit status (or -1). The proof
 * is written in the given format to exercise detection. */
static int cli_check(const struct stmt *s, const uint8_t *proof, size_t proof_len, int format)
{
	char path[128], root[200], key[2 * ICS23_MAX_KEY / 64 + 1024], value[4096];
	char *argv[16];
	struct px_buf text = PX_BUF_INIT;
	pid_t pid;
	int status, argc = 0, fd;
	posix_spawn_file_actions_t fa;

	if (s->root.len * 2 + 1 > sizeof(root) || s->key.len * 2 + 1 > sizeof(key) ||
	    s->value.len * 2 + 1 > sizeof(value))
		return -1;
	snprintf(path, sizeof(path), "%s/proof", tmpdir);
	if (format == 0) {
		px_buf_append(&text, proof, proof_len);
	} else if (format == 1) {
		char *h = malloc(proof_len * 2 + 1);
		if (!h)
			return -1;
		px_hex_encode(h, proof_len * 2 + 1, proof, proof_len, false);
		px_buf_append(&text, h, proof_len * 2);
		px_buf_push(&text, '\n');
		free(h);
	} else {
		px_base64_encode(&text, proof, proof_len, PX_B64_STD, true);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, text.data, text.len) != (ssize_t)text.len) {
		if (fd >= 0)
			close(fd);
		px_buf_free(&text);
		return -1;
	}
	close(fd);
	px_buf_free(&text);

	hex_of(root, sizeof(root), s->root);
	hex_of(key, sizeof(key), s->key);
	argv[argc++] = (char *)pontifex;
	argv[argc++] = "verify";
	argv[argc++] = "ics23";
	argv[argc++] = "--spec";
	argv[argc++] = (char *)s->spec_name;
	argv[argc++] = "--root";
	argv[argc++] = root;
	argv[argc++] = "--key";
	argv[argc++] = key;
	if (s->value.len) {
		hex_of(value, sizeof(value), s->value);
		argv[argc++] = "--value";
		argv[argc++] = value;
	}
	argv[argc++] = "--proof";
	argv[argc++] = path;
	argv[argc] = NULL;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, pontifex, &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* A copy of s with one byte of one field flipped. */
static void flip(struct px_buf *copy, struct px_slice *field, size_t at)
{
	px_buf_reset(copy);
	px_buf_append(copy, field->ptr, field->len);
	copy->data[at] ^= 0x01;
	field->ptr = copy->data;
}

static void run_stmt(const struct stmt *s, int format, bool flip_proof)
{
	struct px_err err = { 0 };
	struct px_buf copy = PX_BUF_INIT;
	char what[512];
	int rc;

	rc = lib_check(s, s->proof_bytes.ptr, s->proof_bytes.len, &err);
	snprintf(what, sizeof(what), "library: %s of key verifies (%s)",
		 s->value.len ? "membership" : "absence", err.msg);
	result(rc == 1, &t.lib_pos, s->file, what);
	if (pontifex) {
		rc = cli_check(s, s->proof_bytes.ptr, s->proof_bytes.len, format);
		snprintf(what, sizeof(what), "cli: exit %d, want 0", rc);
		result(rc == 0, &t.cli_pos, s->file, what);
	}

	/* Root, key and value with one byte flipped. */
	for (int field = 0; field < 3; field++) {
		static const char *const names[] = { "root", "key", "value" };
		struct stmt n = *s;
		struct px_slice *f = field == 0 ? &n.root : field == 1 ? &n.key : &n.value;

		if (f->len == 0)
			continue;
		flip(&copy, f, f->len - 1);
		px_err_clear(&err);
		rc = lib_check(&n, n.proof_bytes.ptr, n.proof_bytes.len, &err);
		snprintf(what, sizeof(what), "library: flipped %s byte accepted", names[field]);
		result(rc == 0, &t.lib_neg, s->file, what);
		if (pontifex) {
			rc = cli_check(&n, n.proof_bytes.ptr, n.proof_bytes.len, format);
			snprintf(what, sizeof(what), "cli: flipped %s byte: exit %d, want 1",
				 names[field], rc);
			result(rc == 1, &t.cli_neg, s->file, what);
		}
	}

	/* Every byte of the proof flipped in turn, in the library; one byte in
	 * the middle through the CLI. */
	for (size_t i = 0; flip_proof && i < s->proof_bytes.len; i++) {
		struct stmt n = *s;

		flip(&copy, &n.proof_bytes, i);
		px_err_clear(&err);
		rc = lib_check(&n, n.proof_bytes.ptr, n.proof_bytes.len, &err);
		snprintf(what, sizeof(what), "library: proof with byte %zu flipped accepted", i);
		result(rc == 0, &t.lib_neg, s->file, what);
		if (pontifex && i == s->proof_bytes.len / 2) {
			rc = cli_check(&n, n.proof_bytes.ptr, n.proof_bytes.len, format);
			snprintf(what, sizeof(what), "cli: flipped proof byte: exit %d, want 1 or 2", rc);
			result(rc == 1 || rc == 2, &t.cli_neg, s->file, what);
		}
	}

	/* Membership and non-membership swapped. */
	{
		struct stmt n = *s;
		static const uint8_t some_value[] = "value";

		if (s->value.len) {
			n.value.len = 0;
		} else {
			n.value.ptr = some_value;
			n.value.len = sizeof(some_value) - 1;
		}
		px_err_clear(&err);
		rc = lib_check(&n, n.proof_bytes.ptr, n.proof_bytes.len, &err);
		result(rc == 0, &t.lib_neg, s->file, "library: membership/non-membership swap accepted");
		if (pontifex) {
			rc = cli_check(&n, n.proof_bytes.ptr, n.proof_bytes.len, format);
			snprintf(what, sizeof(what), "cli: swapped kind: exit %d, want 1", rc);
			result(rc == 1, &t.cli_neg, s->file, what);
		}
	}

	/* The other specs. */
	for (size_t k = 0; k < sizeof(spec_names) / sizeof(spec_names[0]); k++) {
		struct stmt n = *s;

		n.spec = ics23_spec_by_name(spec_names[k]);
		n.spec_name = spec_names[k];
		if (n.spec == s->spec)
			continue;
		px_err_clear(&err);
		rc = lib_check(&n, n.proof_bytes.ptr, n.proof_bytes.len, &err);
		snprintf(what, sizeof(what), "library: accepted under spec %s", spec_names[k]);
		result(rc == 0, &t.lib_neg, s->file, what);
		if (pontifex) {
			rc = cli_check(&n, n.proof_bytes.ptr, n.proof_bytes.len, format);
			snprintf(what, sizeof(what), "cli: spec %s: exit %d, want 1", spec_names[k], rc);
			result(rc == 1, &t.cli_neg, s->file, what);
		}
	}
	px_buf_free(&copy);
}

/* Byte ranges of the entries of a batch proof, in order. */
static size_t entry_ranges(const uint8_t *buf, size_t len, size_t *from, size_t *to, size_t max)
{
	struct px_cursor c = px_cursor_init(buf, len), batch;
	size_t n = 0;

	while (px_cursor_more(&c)) {
		uint32_t field, wire;

		px_pb_read_tag(&c, &field, &wire);
		if (field != 3 && field != 4) {
			px_pb_skip(&c, wire);
			continue;
		}
		px_pb_read_message(&c, wire, &batch, len);
		while (px_cursor_more(&batch) && n < max) {
			uint32_t f, w;
			size_t at = batch.base + batch.off;

			px_pb_read_tag(&batch, &f, &w);
			px_pb_skip(&batch, w);
			if (f == 1) {
				from[n] = at;
				to[n] = batch.base + batch.off;
				n++;
			}
		}
	}
	return px_cursor_ok(&c) ? n : 0;
}

/* Whether some item names this entry's key (raw, or prehashed as the
 * non-existence entries of sparse trees carry it). */
static bool entry_asked(const struct ics23_batch_entry *e, const json_t *items)
{
	struct px_slice ek = e->kind == ICS23_ENTRY_EXIST ? e->exist->key : e->nonexist->key;
	struct px_buf key = PX_BUF_INIT;
	bool asked = false;

	for (size_t j = 0; j < json_array_size(items) && !asked; j++) {
		struct px_err err = { 0 };
		uint8_t h[32];
		struct px_slice hs = { h, sizeof(h) };

		px_buf_reset(&key);
		if (!px_json_get_hex(&err, &key, json_array_get(items, j), "key"))
			continue;
		px_sha256(h, key.data, key.len);
		asked = px_slice_eq(ek, px_slice_of(&key)) || px_slice_eq(ek, hs);
	}
	px_buf_free(&key);
	return asked;
}

/* Whether byte `at` of a batch proof lies in an entry that no item's
 * lookup consults: lookups take the first existence entry with the item's
 * key, or a non-existence entry naming it. */
static bool in_unconsulted_entry(const uint8_t *proof, size_t len, size_t at, const json_t *items)
{
	static size_t from[ICS23_MAX_BATCH], to[ICS23_MAX_BATCH];
	struct ics23_proof p;
	struct px_err err = { 0 };
	bool inert = false;
	size_t n;

	if (!ics23_proof_decode(&err, &p, proof, len))
		return false;
	n = entry_ranges(proof, len, from, to, ICS23_MAX_BATCH);
	for (size_t e = 0; e < n && e < p.entries_len; e++) {
		const struct ics23_batch_entry *en = &p.entries[e];
		bool consulted = entry_asked(en, items);

		if (at < from[e] || at >= to[e])
			continue;
		for (size_t k = 0; k < e && consulted && en->kind == ICS23_ENTRY_EXIST; k++) {
			const struct ics23_batch_entry *prev = &p.entries[k];

			if (prev->kind == ICS23_ENTRY_EXIST &&
			    px_slice_eq(prev->exist->key, en->exist->key))
				consulted = false;
		}
		inert = !consulted;
		break;
	}
	ics23_proof_free(&p);
	return inert;
}

/* A batch proves all its items at once, so a flipped byte must make at
 * least one item fail, unless it lies in an entry that no lookup consults
 * (the specification verifies only the entries it needs); such flips are
 * counted apart as inert. */
static void batch_flips(const struct stmt *s, const json_t *items)
{
	struct px_buf copy = PX_BUF_INIT, key = PX_BUF_INIT, value = PX_BUF_INIT;
	struct px_err err = { 0 };
	char what[256];

	for (size_t i = 0; i < s->proof_bytes.len; i++) {
		struct stmt n = *s;
		struct ics23_proof p;
		bool all;

		flip(&copy, &n.proof_bytes, i);
		all = ics23_proof_decode(&err, &p, n.proof_bytes.ptr, n.proof_bytes.len);
		for (size_t j = 0; j < json_array_size(items) && all; j++) {
			const json_t *it = json_array_get(items, j);

			px_buf_reset(&key);
			px_buf_reset(&value);
			if (!px_json_get_hex(&err, &key, it, "key") ||
			    !px_json_get_hex(&err, &value, it, "value"))
				break;
			n.key = px_slice_of(&key);
			n.value = px_slice_of(&value);
			px_err_clear(&err);
			all = verify_decoded(&n, &p, &err);
		}
		ics23_proof_free(&p);
		if (all && in_unconsulted_entry(n.proof_bytes.ptr, n.proof_bytes.len, i, items)) {
			t.inert++;
			continue;
		}
		snprintf(what, sizeof(what), "library: batch with byte %zu flipped accepted", i);
		result(!all, &t.lib_neg, s->file, what);
	}
	px_buf_free(&copy);
	px_buf_free(&key);
	px_buf_free(&value);
}

/* Counts a file that could not be used at all as one failed case. */
static void file_error(const char *file, const struct px_err *err)
{
	t.cases++;
	t.failed++;
	printf("FAIL %s: %s\n", file, err->msg);
}

static void run_file(const char *path, const char *spec_name, bool batch, int format)
{
	struct px_buf root = PX_BUF_INIT, key = PX_BUF_INIT, value = PX_BUF_INIT, proof = PX_BUF_INIT;
	struct px_err err = { 0 };
	json_t *doc = px_json_load_file(&err, path), *items;
	struct stmt s;

	memset(&s, 0, sizeof(s));
	s.file = path;
	s.spec = ics23_spec_by_name(spec_name);
	s.spec_name = spec_name;
	if (!doc)
		goto bad;
	if (!s.spec) {
		px_err_set(&err, PX_E_USAGE, "unknown spec folder '%s'", spec_name);
		goto bad;
	}
	if (!px_json_get_hex(&err, &root, doc, "root") || !px_json_get_hex(&err, &proof, doc, "proof"))
		goto bad;
	s.root = px_slice_of(&root);
	s.proof_bytes = px_slice_of(&proof);
	if (!batch) {
		if (!px_json_get_hex(&err, &key, doc, "key") ||
		    !px_json_get_hex(&err, &value, doc, "value"))
			goto bad;
		s.key = px_slice_of(&key);
		s.value = px_slice_of(&value);
		run_stmt(&s, format, true);
		goto out;
	}
	if (!px_json_get_array(&err, &items, doc, "items"))
		goto bad;
	if (json_array_size(items) == 0) {
		px_err_set(&err, PX_E_JSON, "no items");
		goto bad;
	}
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);

		px_buf_reset(&key);
		px_buf_reset(&value);
		if (!px_json_get_hex(&err, &key, it, "key") ||
		    !px_json_get_hex(&err, &value, it, "value"))
			goto bad;
		s.key = px_slice_of(&key);
		s.value = px_slice_of(&value);
		run_stmt(&s, (format + (int)i) % 3, false);
	}
	batch_flips(&s, items);
	goto out;
bad:
	file_error(path, &err);
out:
	json_decref(doc);
	px_buf_free(&root);
	px_buf_free(&key);
	px_buf_free(&value);
	px_buf_free(&proof);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every *.json under base/<spec>/; returns the number of files. */
static unsigned run_tree(const char *base, bool batch)
{
	struct dirent *de;
	DIR *top = opendir(base);
	char *names[256];
	size_t n = 0;
	unsigned files = 0;

	if (!top)
		return 0;
	while ((de = readdir(top)) && n < 256) {
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	}
	closedir(top);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char dir[1024];
		char *fnames[1024];
		size_t fn = 0;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/%s", base, names[i]);
		d = opendir(dir);
		if (!d) {
			free(names[i]);
			continue;
		}
		while ((de = readdir(d)) && fn < 1024) {
			size_t l = strlen(de->d_name);
			if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0)
				fnames[fn++] = strdup(de->d_name);
		}
		closedir(d);
		qsort(fnames, fn, sizeof(fnames[0]), cmp_str);
		for (size_t j = 0; j < fn; j++) {
			char path[2048];

			snprintf(path, sizeof(path), "%s/%s", dir, fnames[j]);
			run_file(path, names[i], batch, (int)(files % 3));
			files++;
			free(fnames[j]);
		}
		free(names[i]);
	}
	return files;
}

int main(int argc, char **argv)
{
	char base[1024];
	unsigned files;
	struct stat st;

	if (argc < 2) {
		fprintf(stderr, "usage: %s VECTORS_DIR [PONTIFEX]\n", argv[0]);
		return 2;
	}
	pontifex = argc > 2 ? argv[2] : NULL;
	snprintf(base, sizeof(base), "%s/cosmos/ics23/vectors", argv[1]);
	if (stat(base, &st) != 0) {
		printf("ics23 vectors: skipped (no vectors at %s)\n", base);
		return 77;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/px-ics23-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	files = run_tree(base, false);
	snprintf(base, sizeof(base), "%s/cosmos/ics23/batch", argv[1]);
	files += run_tree(base, true);
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/proof", tmpdir);
		unlink(path);
		rmdir(tmpdir);
	}
	printf("ics23 vectors: %u files; library: %u valid verified, %u negatives rejected; "
	       "cli: %u valid verified, %u negatives rejected\n",
	       files, t.lib_pos, t.lib_neg, t.cli_pos, t.cli_neg);
	if (t.inert)
		printf("ics23 vectors: %u flips in batch entries that no item asks about (not counted)\n",
		       t.inert);
	printf("ics23 vectors: %u cases, %u passed, %u failed\n", t.cases, t.passed, t.failed);
	return t.failed == 0 && t.cases > 0 ? 0 : 1;
}
