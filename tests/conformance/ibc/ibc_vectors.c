/* Conformance runner for the IBC vectors in VECTORS/cosmos:
 *
 *  - golden/ibc_golden.json: every case by kind (commit_packet_v2,
 *    commit_ack_v2, commit_ack_v1, commit_packet_v1, ibc_denom,
 *    ics24_path); a kind this runner does not know counts as failed;
 *  - ibc_e2e_partial/ (every .json file): a real MsgRecvPacket,
 *    MsgAcknowledgement or MsgTimeout(OnClose). The packet, proofs and
 *    acknowledgement are read from the JSON and cross-checked against the
 *    message's own protobuf (msg_hex); the value (packet commitment,
 *    sha256(ack), or the receipt's absence / nextSequenceRecv) is computed
 *    from the packet and its MerklePath ["ibc", key] must match the file's;
 *    the iavl and simple proofs must verify to derived_app_hash. Derived
 *    negatives must all be rejected: a byte of the packet data, the
 *    sequence, the timeout timestamp and height (where the proof commits
 *    to them), the ack bytes, the app hash, every byte of both proofs
 *    (flips inside an absence proof's unused `key` field are reported as
 *    inert, not counted), membership claimed for an absent receipt, and
 *    absence claimed for a neighbouring sequence that has a receipt.
 *    Packet data on a transfer port must decode as ICS-20.
 *
 * usage: ibc_vectors VECTORS_DIR
 * Prints per-kind counts and "ibc vectors: N cases, N passed, N failed";
 * exit 0 when all passed, 1 otherwise, 77 (skipped) when the folders are
 * missing. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/json.h"
#include "common/number.h"
#include "common/protobuf.h"
#include "ibc/core/commitment.h"
#include "ibc/core/paths.h"
#include "ibc/transfer/ics20.h"
#include "lightclient/ics23/ics23.h"
#include "ibc_vectors.h"

struct ibcv_tally t;

void result(const char *kind, bool ok, const char *where, const char *fmt, ...)
{
	struct kind_count *k = NULL;

	for (size_t i = 0; i < t.nkinds; i++)
		if (strcmp(t.kinds[i].name, kind) == 0)
			k = &t.kinds[i];
	if (!k && t.nkinds < MAX_KINDS) {
		k = &t.kinds[t.nkinds++];
		snprintf(k->name, sizeof(k->name), "%s", kind);
	}
	t.cases++;
	if (ok) {
		t.passed++;
		if (k)
			k->passed++;
		return;
	}
	t.failed++;
	if (k)
		k->failed++;
	{
		va_list ap;

		printf("FAIL [%s] %s: ", kind, where);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
}

/* ---- helpers ---- */

bool hex_field(struct px_err *err, struct px_buf *out, const json_t *o, const char *f)
{
	px_buf_reset(out);
	return px_json_get_hex(err, out, o, f);
}

bool eq_hex(const uint8_t *got, size_t len, const char *want_hex)
{
	char h[2 * 64 + 1];

	if (len > 64)
		return false;
	px_hex_encode(h, sizeof(h), got, len, false);
	return strlen(want_hex) == 2 * len && strncasecmp(h, want_hex, 2 * len) == 0;
}

/* Copies a JSON string field into a fixed buffer. */
bool str_field(struct px_err *err, char *out, size_t cap, const json_t *o, const char *f)
{
	const char *s;

	if (!px_json_get_string(err, &s, o, f))
		return false;
	if (strlen(s) >= cap)
		return px_err_set(err, PX_E_TOO_LARGE, "field '%s' too long", f);
	memcpy(out, s, strlen(s) + 1);
	return true;
}

/* jansson refuses integers past INT64_MAX (timeouts of 2^64-1 appear in
 * the files). Quote every bare integer of more than 18 digits; the u64
 * getters accept decimal strings. */
static char *quote_big_ints(const char *in, size_t len, size_t *out_len)
{
	char *out = malloc(len * 2 + 1);
	size_t o = 0;
	bool in_str = false;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		char c = in[i];

		if (in_str) {
			out[o++] = c;
			if (c == '\\' && i + 1 < len) {
				out[o++] = in[i + 1];
				i += 2;
				continue;
			}
			if (c == '"')
				in_str = false;
			i++;
			continue;
		}
		if (c == '"') {
			in_str = true;
			out[o++] = c;
			i++;
			continue;
		}
		if (c >= '0' && c <= '9') {
			size_t j = i;

			while (j < len && in[j] >= '0' && in[j] <= '9')
				j++;
			if (j - i > 18 && (j == len || !strchr(".eE", in[j]))) {
				out[o++] = '"';
				memcpy(out + o, in + i, j - i);
				o += j - i;
				out[o++] = '"';
			} else {
				memcpy(out + o, in + i, j - i);
				o += j - i;
			}
			i = j;
			continue;
		}
		out[o++] = c;
		i++;
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

json_t *load_json(struct px_err *err, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct px_buf b = PX_BUF_INIT;
	char chunk[65536];
	size_t n, qlen;
	char *q;
	json_t *doc;

	if (!f) {
		px_err_set(err, PX_E_IO, "%s: cannot open", path);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		px_buf_append(&b, chunk, n);
	fclose(f);
	if (!px_buf_ok(&b)) {
		px_buf_free(&b);
		px_err_set(err, PX_E_NOMEM, "out of memory");
		return NULL;
	}
	q = quote_big_ints(b.data ? (const char *)b.data : "", b.len, &qlen);
	px_buf_free(&b);
	if (!q) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		return NULL;
	}
	doc = px_json_load_buf(err, q, qlen);
	free(q);
	return doc;
}

/* ---- golden values ---- */

static void golden_packet_v2(const json_t *c, const char *name)
{
	struct px_err err = { 0 };
	struct ibc_v2_payload pl[IBC_V2_MAX_PAYLOADS];
	struct px_buf vals[IBC_V2_MAX_PAYLOADS];
	struct ibc_v2_packet p;
	json_t *pk, *arr, *e;
	const char *s, *want;
	uint8_t out[32];
	size_t i, n = 0;
	bool ok;

	memset(&p, 0, sizeof(p));
	memset(pl, 0, sizeof(pl));
	for (i = 0; i < IBC_V2_MAX_PAYLOADS; i++)
		px_buf_init(&vals[i]);
	ok = px_json_get_object(&err, &pk, c, "packet") &&
	     px_json_get_u64(&err, &p.sequence, pk, "sequence") &&
	     px_json_get_u64(&err, &p.timeout_timestamp, pk, "timeout_timestamp") &&
	     px_json_get_string(&err, &s, pk, "source_client") &&
	     (p.source_client = (struct px_slice){ (const uint8_t *)s, strlen(s) }, true) &&
	     px_json_get_string(&err, &s, pk, "destination_client") &&
	     (p.destination_client = (struct px_slice){ (const uint8_t *)s, strlen(s) }, true) &&
	     px_json_get_array(&err, &arr, pk, "payloads") &&
	     px_json_get_string(&err, &want, c, "expected_hex");
	if (ok && json_array_size(arr) > IBC_V2_MAX_PAYLOADS)
		ok = px_err_set(&err, PX_E_TOO_LARGE, "too many payloads");
	json_array_foreach(ok ? arr : NULL, i, e) {
		static const char *f[4] = { "source_port", "destination_port", "version", "encoding" };
		struct px_slice *dst[4] = { &pl[i].source_port, &pl[i].destination_port,
					    &pl[i].version, &pl[i].encoding };

		for (int k = 0; ok && k < 4; k++) {
			ok = px_json_get_string(&err, &s, e, f[k]);
			if (ok)
				*dst[k] = (struct px_slice){ (const uint8_t *)s, strlen(s) };
		}
		ok = ok && px_json_get_hex(&err, &vals[i], e, "value_hex");
		if (!ok)
			break;
		pl[i].value = px_slice_of(&vals[i]);
		n++;
	}
	p.payloads = pl;
	p.payloads_len = n;
	ok = ok && ibc_commit_packet_v2(&err, out, &p);
	if (!ok)
		result("commit_packet_v2", false, name, "%s", err.msg);
	else
		result("commit_packet_v2", eq_hex(out, 32, want), name, "commitment differs");
	for (i = 0; i < IBC_V2_MAX_PAYLOADS; i++)
		px_buf_free(&vals[i]);
}

static void golden_ack_v2(const json_t *c, const char *name)
{
	struct px_err err = { 0 };
	struct px_buf vals[IBC_V2_MAX_PAYLOADS];
	struct px_slice acks[IBC_V2_MAX_PAYLOADS];
	json_t *arr, *e;
	const char *want;
	uint8_t out[32];
	size_t i, n = 0;
	bool ok;

	for (i = 0; i < IBC_V2_MAX_PAYLOADS; i++)
		px_buf_init(&vals[i]);
	ok = px_json_get_array(&err, &arr, c, "app_acknowledgements_hex") &&
	     px_json_get_string(&err, &want, c, "expected_hex");
	if (ok && json_array_size(arr) > IBC_V2_MAX_PAYLOADS)
		ok = px_err_set(&err, PX_E_TOO_LARGE, "too many acks");
	json_array_foreach(ok ? arr : NULL, i, e) {
		if (!json_is_string(e) ||
		    !px_hex_decode(&err, &vals[i], json_string_value(e), json_string_length(e),
				   false)) {
			ok = px_err_set(&err, PX_E_JSON, "bad app acknowledgement %zu", i);
			break;
		}
		acks[i] = px_slice_of(&vals[i]);
		n++;
	}
	ok = ok && ibc_commit_ack_v2(&err, out, acks, n);
	if (!ok)
		result("commit_ack_v2", false, name, "%s", err.msg);
	else
		result("commit_ack_v2", eq_hex(out, 32, want), name, "commitment differs");
	for (i = 0; i < IBC_V2_MAX_PAYLOADS; i++)
		px_buf_free(&vals[i]);
}

static void golden_ack_v1(const json_t *c, const char *name)
{
	struct px_err err = { 0 };
	struct px_buf ack = PX_BUF_INIT;
	const char *want;
	uint8_t out[32];

	if (!hex_field(&err, &ack, c, "ack_hex") ||
	    !px_json_get_string(&err, &want, c, "expected_hex")) {
		result("commit_ack_v1", false, name, "%s", err.msg);
	} else {
		ibc_commit_ack_v1(out, ack.data, ack.len);
		result("commit_ack_v1", eq_hex(out, 32, want), name, "commitment differs");
	}
	px_buf_free(&ack);
}

/* A v1 packet commitment (no upstream golden yet; accepted if it appears):
 * packet {timeout_timestamp, timeout_height{...}, data_hex}. */
static void golden_packet_v1(const json_t *c, const char *name)
{
	struct px_err err = { 0 };
	struct px_buf data = PX_BUF_INIT;
	struct ibc_height h;
	uint64_t ts;
	json_t *pk, *th;
	const char *want;
	uint8_t out[32];

	if (!px_json_get_object(&err, &pk, c, "packet") ||
	    !px_json_get_u64(&err, &ts, pk, "timeout_timestamp") ||
	    !px_json_get_object(&err, &th, pk, "timeout_height") ||
	    !px_json_get_u64(&err, &h.revision_number, th, "revision_number") ||
	    !px_json_get_u64(&err, &h.revision_height, th, "revision_height") ||
	    !hex_field(&err, &data, pk, "data_hex") ||
	    !px_json_get_string(&err, &want, c, "expected_hex")) {
		result("commit_packet_v1", false, name, "%s", err.msg);
	} else {
		ibc_commit_packet_v1_parts(out, ts, h, data.data, data.len);
		result("commit_packet_v1", eq_hex(out, 32, want), name, "commitment differs");
	}
	px_buf_free(&data);
}

static void golden_denom(const json_t *c, const char *name)
{
	struct px_err err = { 0 };
	struct px_buf full = PX_BUF_INIT, local = PX_BUF_INIT;
	char h[IBC_DENOM_HASH_LEN + 1];
	const char *path, *base, *want;
	struct ibc_denom d;
	bool ok;

	if (!px_json_get_string(&err, &path, c, "path") ||
	    !px_json_get_string(&err, &base, c, "base_denom") ||
	    !px_json_get_string(&err, &want, c, "expected")) {
		result("ibc_denom", false, name, "%s", err.msg);
		return;
	}
	ibc_denom_hash(h, path, strlen(path), base, strlen(base));
	ok = strcmp(h, want) == 0;
	/* The same through the trace parser: path/base read back as hops. */
	if (*path) {
		px_buf_append(&full, path, strlen(path));
		px_buf_push(&full, '/');
	}
	px_buf_append(&full, base, strlen(base));
	if (!px_buf_ok(&full) || !ibc_denom_parse(&err, &d, (const char *)full.data, full.len)) {
		ok = false;
	} else {
		ibc_denom_local(&local, &d);
		ok = ok && px_buf_ok(&local) && local.len == strlen(want) &&
		     memcmp(local.data, want, local.len) == 0;
	}
	result("ibc_denom", ok, name, "got %s %s", h, err.msg);
	px_buf_free(&full);
	px_buf_free(&local);
}

/* "FuncName(a, b, c)" -> name and up to 4 trimmed arguments. */
static int split_call(const char *s, char *fn, size_t fncap, char args[4][IBC_ID_MAX + 1])
{
	const char *open = strchr(s, '('), *close = strrchr(s, ')');
	const char *p;
	int n = 0;

	if (!open || !close || close < open || (size_t)(open - s) >= fncap)
		return -1;
	memcpy(fn, s, (size_t)(open - s));
	fn[open - s] = '\0';
	p = open + 1;
	while (p < close && n < 4) {
		const char *e = memchr(p, ',', (size_t)(close - p));
		size_t l;

		if (!e)
			e = close;
		while (p < e && *p == ' ')
			p++;
		l = (size_t)(e - p);
		while (l && p[l - 1] == ' ')
			l--;
		if (l > IBC_ID_MAX)
			return -1;
		memcpy(args[n], p, l);
		args[n][l] = '\0';
		n++;
		p = e + 1;
	}
	return n;
}

static bool parse_u64_str(const char *s, uint64_t *v)
{
	struct px_err err = { 0 };

	return px_parse_u64(&err, v, s, strlen(s));
}

/* Builds the key an ibc-go 24-host function returns, from the case name. */
static bool build_path(struct px_err *err, struct ibc_path *p, const char *call)
{
	char fn[64], a[4][IBC_ID_MAX + 1];
	int n = split_call(call, fn, sizeof(fn), a);
	size_t fl;
	uint64_t seq;

	if (n < 0)
		return px_err_set(err, PX_E_MALFORMED, "cannot read the call in the case name");
	fl = strlen(fn);
	/* FooKey and FooPath name the same string. */
	if (fl > 3 && strcmp(fn + fl - 3, "Key") == 0)
		fn[fl - 3] = '\0';
	else if (fl > 4 && strcmp(fn + fl - 4, "Path") == 0)
		fn[fl - 4] = '\0';
	if (n == 3 && (strcmp(fn, "PacketCommitment") == 0 || strcmp(fn, "PacketAcknowledgement") == 0 ||
		       strcmp(fn, "PacketReceipt") == 0)) {
		if (!parse_u64_str(a[2], &seq))
			return px_err_set(err, PX_E_MALFORMED, "bad sequence '%s'", a[2]);
		if (fn[6] == 'C')
			return ibc_path_packet_commitment(err, p, a[0], a[1], seq);
		if (fn[6] == 'A')
			return ibc_path_packet_ack(err, p, a[0], a[1], seq);
		return ibc_path_packet_receipt(err, p, a[0], a[1], seq);
	}
	if (n == 2 && strcmp(fn, "NextSequenceSend") == 0)
		return ibc_path_next_sequence_send(err, p, a[0], a[1]);
	if (n == 2 && strcmp(fn, "NextSequenceRecv") == 0)
		return ibc_path_next_sequence_recv(err, p, a[0], a[1]);
	if (n == 2 && strcmp(fn, "NextSequenceAck") == 0)
		return ibc_path_next_sequence_ack(err, p, a[0], a[1]);
	if (n == 2 && (strcmp(fn, "Channel") == 0 || strcmp(fn, "ChannelEnd") == 0))
		return ibc_path_channel(err, p, a[0], a[1]);
	if (n == 1 && strcmp(fn, "Connection") == 0)
		return ibc_path_connection(err, p, a[0]);
	if (n == 1 && (strcmp(fn, "FullClientState") == 0 || strcmp(fn, "ClientState") == 0))
		return ibc_path_client_state(err, p, a[0]);
	if (n == 1 && strcmp(fn, "ClientConnections") == 0)
		return ibc_path_client_connections(err, p, a[0]);
	if (n == 2 && (strcmp(fn, "FullConsensusState") == 0 || strcmp(fn, "ConsensusState") == 0)) {
		struct ibc_height h;
		char *dash = strchr(a[1], '-');

		if (!dash)
			return px_err_set(err, PX_E_MALFORMED, "bad height '%s'", a[1]);
		*dash = '\0';
		if (!parse_u64_str(a[1], &h.revision_number) ||
		    !parse_u64_str(dash + 1, &h.revision_height))
			return px_err_set(err, PX_E_MALFORMED, "bad height");
		return ibc_path_consensus_state(err, p, a[0], h);
	}
	return px_err_set(err, PX_E_UNSUPPORTED, "no builder for %s with %d arguments", fn, n);
}

static void golden_path(const json_t *c, const char *name)
{
	struct px_err err = { 0 };
	struct ibc_merkle_path mp;
	struct ibc_path p;
	const char *want;

	if (!px_json_get_string(&err, &want, c, "expected") || !build_path(&err, &p, name) ||
	    !ibc_merkle_path_make(&err, &mp, IBC_STORE_PREFIX, &p)) {
		result("ics24_path", false, name, "%s", err.msg);
		return;
	}
	result("ics24_path", strcmp(mp.key.s, want) == 0 && strcmp(mp.prefix, "ibc") == 0, name,
	       "got %s", p.s);
}

static void run_golden(const char *path)
{
	struct px_err err = { 0 };
	json_t *doc = load_json(&err, path), *cases, *c;
	size_t i;

	if (!doc || !px_json_get_array(&err, &cases, doc, "cases")) {
		result("golden_file", false, path, "%s", err.msg);
		json_decref(doc);
		return;
	}
	json_array_foreach(cases, i, c) {
		const char *kind = "?", *name = "?";
		char where[256];

		px_err_clear(&err);
		if (!px_json_get_string(&err, &kind, c, "kind")) {
			result("golden_case", false, "case", "%zu: %s", i, err.msg);
			continue;
		}
		if (!px_json_get_string(&err, &name, c, "name"))
			name = "?";
		snprintf(where, sizeof(where), "#%zu %s", i, name);
		if (strcmp(kind, "commit_packet_v2") == 0)
			golden_packet_v2(c, where);
		else if (strcmp(kind, "commit_ack_v2") == 0)
			golden_ack_v2(c, where);
		else if (strcmp(kind, "commit_ack_v1") == 0)
			golden_ack_v1(c, where);
		else if (strcmp(kind, "commit_packet_v1") == 0)
			golden_packet_v1(c, where);
		else if (strcmp(kind, "ibc_denom") == 0)
			golden_denom(c, where);
		else if (strcmp(kind, "ics24_path") == 0)
			golden_path(c, name);
		else
			result(kind, false, where, "unknown kind");
	}
	json_decref(doc);
}

static unsigned run_dir(const char *dir, void (*fn)(const char *path, const char *name))
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);
	unsigned files = 0;

	if (n < 0)
		return 0;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(list[i]->d_name);

		if (l > 5 && strcmp(list[i]->d_name + l - 5, ".json") == 0) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
			fn(path, list[i]->d_name);
			files++;
		}
		free(list[i]);
	}
	free(list);
	return files;
}

int main(int argc, char **argv)
{
	char golden[2048], e2e[2048];
	struct stat st;
	bool have_golden, have_e2e;
	unsigned e2e_files = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s VECTORS_DIR\n", argv[0]);
		return 2;
	}
	snprintf(golden, sizeof(golden), "%s/cosmos/golden/ibc_golden.json", argv[1]);
	snprintf(e2e, sizeof(e2e), "%s/cosmos/ibc_e2e_partial", argv[1]);
	have_golden = stat(golden, &st) == 0;
	have_e2e = stat(e2e, &st) == 0 && S_ISDIR(st.st_mode);
	if (!have_golden && !have_e2e) {
		printf("ibc vectors: skipped (no vectors at %s/cosmos)\n", argv[1]);
		return 77;
	}
	if (have_golden)
		run_golden(golden);
	else
		printf("ibc vectors: no %s\n", golden);
	if (have_e2e)
		e2e_files = run_dir(e2e, run_e2e_file);
	else
		printf("ibc vectors: no %s\n", e2e);
	printf("ibc vectors: %u e2e files\n", e2e_files);
	for (size_t i = 0; i < t.nkinds; i++)
		printf("  %-28s %u passed, %u failed\n", t.kinds[i].name, t.kinds[i].passed,
		       t.kinds[i].failed);
	if (t.inert)
		printf("ibc vectors: %u proof-byte flips inside an absence proof's unused key "
		       "field still verify (inert, not counted)\n", t.inert);
	if (t.ics20)
		printf("ibc vectors: ICS-20 packet data re-encoded byte-identically by "
		       "ibc_ics20_encode: %u of %u\n", t.reencoded, t.ics20);
	printf("ibc vectors: %u cases, %u passed, %u failed\n", t.cases, t.passed, t.failed);
	return t.failed == 0 && t.cases > 0 ? 0 : 1;
}
