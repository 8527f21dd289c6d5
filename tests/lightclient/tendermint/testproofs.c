/* IAVL and multistore proofs for tests (see testproofs.h). Trees are
 * rebuilt on every call; they are tiny. */
#include "testproofs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "common/hash.h"
#include "common/protobuf.h"

#define VERSION 7

static void die(const char *what)
{
	fprintf(stderr, "testproofs: %s\n", what);
	abort();
}

static void put_zigzag(struct px_buf *b, int64_t v)
{
	px_pb_put_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_msg(struct px_buf *b, uint32_t field, const struct px_buf *msg)
{
	px_pb_put_bytes(b, field, msg->data, msg->len);
}

/* LeafOp: SHA256, prehash_value SHA256, length VAR_PROTO, prefix. */
static void leaf_op(struct px_buf *b, const uint8_t *prefix, size_t plen)
{
	px_pb_put_uint64(b, 1, 1);
	px_pb_put_uint64(b, 3, 1);
	px_pb_put_uint64(b, 4, 1);
	px_pb_put_bytes(b, 5, prefix, plen);
}

static void leaf_hash(uint8_t out[32], const uint8_t *prefix, size_t plen, const void *key,
		      size_t klen, const void *value, size_t vlen)
{
	struct px_buf b = PX_BUF_INIT;
	uint8_t hv[32];

	px_sha256(hv, value, vlen);
	px_buf_append(&b, prefix, plen);
	px_pb_put_varint(&b, klen);
	px_buf_append(&b, key, klen);
	px_pb_put_varint(&b, 32);
	px_buf_append(&b, hv, 32);
	if (!px_buf_ok(&b))
		die("out of memory");
	px_sha256(out, b.data, b.len);
	px_buf_free(&b);
}

/* One step of a path: prefix and suffix around the child hash. */
struct step {
	uint8_t prefix[96];
	size_t plen;
	uint8_t suffix[40];
	size_t slen;
};

struct path {
	struct step steps[16];
	size_t n;
};

static void existence(struct px_buf *out, const void *key, size_t klen, const void *value,
		      size_t vlen, const uint8_t *leaf_prefix, size_t lplen, const struct path *p)
{
	struct px_buf leaf = PX_BUF_INIT, msg = PX_BUF_INIT;

	px_pb_put_bytes(&msg, 1, key, klen);
	px_pb_put_bytes(&msg, 2, value, vlen);
	leaf_op(&leaf, leaf_prefix, lplen);
	put_msg(&msg, 3, &leaf);
	for (size_t i = 0; i < p->n; i++) {
		struct px_buf op = PX_BUF_INIT;

		px_pb_put_uint64(&op, 1, 1);
		px_pb_put_bytes(&op, 2, p->steps[i].prefix, p->steps[i].plen);
		if (p->steps[i].slen)
			px_pb_put_bytes(&op, 3, p->steps[i].suffix, p->steps[i].slen);
		put_msg(&msg, 4, &op);
		px_buf_free(&op);
	}
	px_buf_append(out, msg.data, msg.len);
	if (!px_buf_ok(out) || !px_buf_ok(&msg) || !px_buf_ok(&leaf))
		die("out of memory");
	px_buf_free(&leaf);
	px_buf_free(&msg);
}

/* --- IAVL ------------------------------------------------------------------ */

static size_t iavl_leaf_prefix(uint8_t out[8])
{
	struct px_buf b = PX_BUF_INIT;
	size_t n;

	put_zigzag(&b, 0);
	put_zigzag(&b, 1);
	put_zigzag(&b, VERSION);
	n = b.len;
	memcpy(out, b.data, n);
	px_buf_free(&b);
	return n;
}

/* Hash, height and size of the balanced tree over items[lo, hi); the path
 * of item `want` (if inside) gets the steps above its leaf appended. */
static void iavl_build(uint8_t out[32], int64_t *height, int64_t *size, const struct tp_item *items,
		       size_t lo, size_t hi, size_t want, struct path *p)
{
	uint8_t lh[32], rh[32];
	int64_t lht, rht, lsz, rsz;
	struct px_buf head = PX_BUF_INIT;
	size_t mid;

	if (hi - lo == 1) {
		uint8_t pre[8];
		size_t plen = iavl_leaf_prefix(pre);

		leaf_hash(out, pre, plen, items[lo].key, strlen(items[lo].key), items[lo].value,
			  strlen(items[lo].value));
		*height = 0;
		*size = 1;
		return;
	}
	mid = lo + (hi - lo + 1) / 2;
	iavl_build(lh, &lht, &lsz, items, lo, mid, want, p);
	iavl_build(rh, &rht, &rsz, items, mid, hi, want, p);
	*height = (lht > rht ? lht : rht) + 1;
	*size = lsz + rsz;
	put_zigzag(&head, *height);
	put_zigzag(&head, *size);
	put_zigzag(&head, VERSION);
	if (want >= lo && want < hi) {
		struct step *s = &p->steps[p->n++];

		memcpy(s->prefix, head.data, head.len);
		s->plen = head.len;
		s->prefix[s->plen++] = 0x20;
		if (want < mid) {
			s->suffix[0] = 0x20;
			memcpy(s->suffix + 1, rh, 32);
			s->slen = 33;
		} else {
			memcpy(s->prefix + s->plen, lh, 32);
			s->plen += 32;
			s->prefix[s->plen++] = 0x20;
			s->slen = 0;
		}
	}
	px_buf_push(&head, 0x20);
	px_buf_append(&head, lh, 32);
	px_buf_push(&head, 0x20);
	px_buf_append(&head, rh, 32);
	if (!px_buf_ok(&head))
		die("out of memory");
	px_sha256(out, head.data, head.len);
	px_buf_free(&head);
}

static void iavl_exist_msg(struct px_buf *out, const struct tp_state *s, size_t i)
{
	struct path p = { .n = 0 };
	uint8_t root[32], pre[8];
	int64_t h, n;
	size_t plen = iavl_leaf_prefix(pre);

	iavl_build(root, &h, &n, s->items, 0, s->nitems, i, &p);
	existence(out, s->items[i].key, strlen(s->items[i].key), s->items[i].value,
		  strlen(s->items[i].value), pre, plen, &p);
}

void tp_iavl_exist(struct px_buf *out, const struct tp_state *s, size_t i)
{
	struct px_buf e = PX_BUF_INIT;

	iavl_exist_msg(&e, s, i);
	put_msg(out, 1, &e);
	px_buf_free(&e);
}

void tp_iavl_absent(struct px_buf *out, const struct tp_state *s, const char *key)
{
	struct px_buf ne = PX_BUF_INIT, e = PX_BUF_INIT;
	size_t i = 0;

	while (i < s->nitems && strcmp(s->items[i].key, key) < 0)
		i++;
	if (i < s->nitems && strcmp(s->items[i].key, key) == 0)
		die("absence proof asked for a stored key");
	px_pb_put_bytes(&ne, 1, (const uint8_t *)key, strlen(key));
	if (i > 0) {
		iavl_exist_msg(&e, s, i - 1);
		put_msg(&ne, 2, &e);
		px_buf_reset(&e);
	}
	if (i < s->nitems) {
		iavl_exist_msg(&e, s, i);
		put_msg(&ne, 3, &e);
	}
	put_msg(out, 2, &ne);
	px_buf_free(&ne);
	px_buf_free(&e);
}

/* --- multistore ------------------------------------------------------------ */

static const uint8_t zero_prefix[1] = { 0x00 };

static void simple_build(uint8_t out[32], const struct tp_state *s, size_t lo, size_t hi,
			 size_t want, struct path *p)
{
	uint8_t lh[32], rh[32], pre[65];
	size_t k = 1, mid;

	if (hi - lo == 1) {
		leaf_hash(out, zero_prefix, 1, s->stores[lo], strlen(s->stores[lo]),
			  s->store_roots[lo], 32);
		return;
	}
	while (k * 2 < hi - lo)
		k *= 2;
	mid = lo + k;
	simple_build(lh, s, lo, mid, want, p);
	simple_build(rh, s, mid, hi, want, p);
	if (want >= lo && want < hi) {
		struct step *st = &p->steps[p->n++];

		st->prefix[0] = 0x01;
		if (want < mid) {
			st->plen = 1;
			memcpy(st->suffix, rh, 32);
			st->slen = 32;
		} else {
			memcpy(st->prefix + 1, lh, 32);
			st->plen = 33;
			st->slen = 0;
		}
	}
	pre[0] = 0x01;
	memcpy(pre + 1, lh, 32);
	memcpy(pre + 33, rh, 32);
	px_sha256(out, pre, sizeof(pre));
}

void tp_store_exist(struct px_buf *out, const struct tp_state *s, size_t store_idx)
{
	struct px_buf e = PX_BUF_INIT;
	struct path p = { .n = 0 };
	uint8_t root[32];

	simple_build(root, s, 0, s->nstores, store_idx, &p);
	existence(&e, s->stores[store_idx], strlen(s->stores[store_idx]), s->store_roots[store_idx],
		  32, zero_prefix, 1, &p);
	put_msg(out, 1, &e);
	px_buf_free(&e);
}

void tp_state_build(struct tp_state *s)
{
	static const char *names[] = { "acc", "bank", "ibc", "params", "staking", "transfer",
				       "upgrade" };
	struct path p = { .n = 0 };
	int64_t h, n;

	memset(s, 0, sizeof(*s));
	for (int i = 1; i <= 9; i++) {
		struct tp_item *it = &s->items[s->nitems++];
		char v[32];

		snprintf(it->key, sizeof(it->key),
			 "commitments/ports/transfer/channels/channel-0/sequences/%d", i);
		snprintf(v, sizeof(v), "packet %d", i);
		snprintf(it->value, sizeof(it->value), "commitment of %s", v);
	}
	iavl_build(s->iavl_root, &h, &n, s->items, 0, s->nitems, SIZE_MAX, &p);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(s->stores[i], sizeof(s->stores[i]), "%s", names[i]);
		if (strcmp(names[i], "ibc") == 0) {
			s->ibc = i;
			memcpy(s->store_roots[i], s->iavl_root, 32);
		} else {
			px_sha256(s->store_roots[i], names[i], strlen(names[i]));
		}
		s->nstores++;
	}
	simple_build(s->app_hash, s, 0, s->nstores, SIZE_MAX, &p);
}

static json_t *b64(const void *data, size_t len)
{
	struct px_buf b = PX_BUF_INIT;
	json_t *v;

	px_base64_encode(&b, data, len, PX_B64_STD, true);
	if (!px_buf_ok(&b))
		die("out of memory");
	v = json_stringn((const char *)b.data ? (const char *)b.data : "", b.len);
	px_buf_free(&b);
	return v;
}

json_t *tp_abci_response(const struct tp_state *s, const char *key, int64_t height)
{
	struct px_buf iavl = PX_BUF_INIT, store = PX_BUF_INIT;
	const char *value = NULL;
	char hs[24];
	json_t *resp;

	for (size_t i = 0; i < s->nitems; i++) {
		if (strcmp(s->items[i].key, key) == 0) {
			value = s->items[i].value;
			tp_iavl_exist(&iavl, s, i);
		}
	}
	if (!value)
		tp_iavl_absent(&iavl, s, key);
	tp_store_exist(&store, s, s->ibc);
	snprintf(hs, sizeof(hs), "%lld", (long long)height);
	resp = json_pack("{s:i, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:{s:[{s:s, s:o, s:o}, "
			 "{s:s, s:o, s:o}]}}",
			 "code", 0, "log", "", "info", "", "index", "0",
			 "key", b64(key, strlen(key)),
			 "value", value ? b64(value, strlen(value)) : json_null(),
			 "height", hs, "codespace", "",
			 "proofOps", "ops",
			 "type", "ics23:iavl", "key", b64(key, strlen(key)),
			 "data", b64(iavl.data, iavl.len),
			 "type", "ics23:simple", "key", b64("ibc", 3),
			 "data", b64(store.data, store.len));
	if (!resp)
		die("json_pack");
	px_buf_free(&iavl);
	px_buf_free(&store);
	return json_pack("{s:s, s:i, s:{s:o}}", "jsonrpc", "2.0", "id", -1, "result", "response",
			 resp);
}
