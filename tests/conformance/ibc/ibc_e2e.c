/* Real relay messages (VECTORS/cosmos/ibc_e2e_partial): see the comment
 * at the top of ibc_vectors.c for what is checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

enum msg_kind { MSG_RECV, MSG_ACK, MSG_TIMEOUT, MSG_TIMEOUT_ON_CLOSE };

/* What a message (or its JSON) says. */
struct relay {
	enum msg_kind kind;
	struct ibc_packet packet;
	struct px_buf data;
	struct px_buf ack;
	struct px_buf iavl, simple;	/* the two CommitmentProofs */
	uint64_t next_seq;
	bool has_next_seq;
};

static void relay_init(struct relay *r)
{
	memset(r, 0, sizeof(*r));
}

static void relay_free(struct relay *r)
{
	px_buf_free(&r->data);
	px_buf_free(&r->ack);
	px_buf_free(&r->iavl);
	px_buf_free(&r->simple);
}

static void copy_slice(char *out, size_t cap, struct px_slice s, struct px_cursor *c)
{
	if (s.len >= cap) {
		px_cursor_fail(c, "identifier too long");
		return;
	}
	if (s.len)
		memcpy(out, s.ptr, s.len);
	out[s.len] = '\0';
}

static void height_read(struct px_cursor *c, struct ibc_height *h)
{
	while (px_cursor_more(c)) {
		uint32_t f, w;

		px_pb_read_tag(c, &f, &w);
		if (f == 1)
			h->revision_number = px_pb_read_uint64(c, w);
		else if (f == 2)
			h->revision_height = px_pb_read_uint64(c, w);
		else
			px_pb_skip(c, w);
	}
}

/* channel.v1.Packet */
static void packet_read(struct px_cursor *c, struct relay *r)
{
	struct ibc_packet *p = &r->packet;

	while (px_cursor_more(c)) {
		uint32_t f, w;
		struct px_slice s = { NULL, 0 };
		struct px_cursor sub;

		px_pb_read_tag(c, &f, &w);
		switch (f) {
		case 1: p->sequence = px_pb_read_uint64(c, w); break;
		case 2: px_pb_read_bytes(c, w, &s, IBC_ID_MAX); copy_slice(p->source_port, sizeof(p->source_port), s, c); break;
		case 3: px_pb_read_bytes(c, w, &s, IBC_ID_MAX); copy_slice(p->source_channel, sizeof(p->source_channel), s, c); break;
		case 4: px_pb_read_bytes(c, w, &s, IBC_ID_MAX); copy_slice(p->destination_port, sizeof(p->destination_port), s, c); break;
		case 5: px_pb_read_bytes(c, w, &s, IBC_ID_MAX); copy_slice(p->destination_channel, sizeof(p->destination_channel), s, c); break;
		case 6:
			px_pb_read_bytes(c, w, &s, IBC_MAX_PACKET_DATA);
			px_buf_append(&r->data, s.ptr, s.len);
			break;
		case 7:
			px_pb_read_message(c, w, &sub, 64);
			height_read(&sub, &p->timeout_height);
			break;
		case 8: p->timeout_timestamp = px_pb_read_uint64(c, w); break;
		default: px_pb_skip(c, w); break;
		}
	}
}

static void proof_read(struct px_cursor *c, uint32_t w, struct relay *r)
{
	struct px_slice s;
	struct px_err err = { 0 };
	struct ibc_merkle_proof mp;

	px_pb_read_bytes(c, w, &s, 2 * ICS23_MAX_PROOF_BYTES);
	if (!px_cursor_ok(c))
		return;
	if (!ibc_merkle_proof_decode(&err, &mp, s.ptr, s.len)) {
		px_cursor_fail(c, "bad MerkleProof");
		return;
	}
	px_buf_append(&r->iavl, mp.iavl.ptr, mp.iavl.len);
	px_buf_append(&r->simple, mp.simple.ptr, mp.simple.len);
}

/* MsgRecvPacket / MsgAcknowledgement / MsgTimeout / MsgTimeoutOnClose. */
static bool msg_decode(struct px_err *err, struct relay *r, const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len);

	while (px_cursor_more(&c)) {
		uint32_t f, w;
		struct px_cursor sub;
		struct px_slice s;

		px_pb_read_tag(&c, &f, &w);
		if (f == 1) {
			px_pb_read_message(&c, w, &sub, IBC_MAX_PACKET_DATA + 4096);
			packet_read(&sub, r);
		} else if (f == 2 && r->kind == MSG_ACK) {
			px_pb_read_bytes(&c, w, &s, IBC_MAX_PACKET_DATA);
			px_buf_append(&r->ack, s.ptr, s.len);
		} else if ((f == 2 && r->kind == MSG_RECV) || (f == 3 && r->kind == MSG_ACK) ||
			   (f == 2 && (r->kind == MSG_TIMEOUT || r->kind == MSG_TIMEOUT_ON_CLOSE))) {
			proof_read(&c, w, r);
		} else if ((f == 4 && r->kind == MSG_TIMEOUT) ||
			   (f == 5 && r->kind == MSG_TIMEOUT_ON_CLOSE)) {
			r->next_seq = px_pb_read_uint64(&c, w);
			r->has_next_seq = true;
		} else {
			px_pb_skip(&c, w);
		}
	}
	if (!px_cursor_ok(&c))
		return px_err_set(err, PX_E_MALFORMED, "msg_hex: %s at byte %zu", px_cursor_error(&c),
				  px_cursor_offset(&c));
	return true;
}

static bool json_packet(struct px_err *err, struct relay *r, const json_t *pk)
{
	struct ibc_packet *p = &r->packet;
	json_t *th;
	const char *s;

	if (!px_json_get_u64(err, &p->sequence, pk, "sequence") ||
	    !str_field(err, p->source_port, sizeof(p->source_port), pk, "source_port") ||
	    !str_field(err, p->source_channel, sizeof(p->source_channel), pk, "source_channel") ||
	    !str_field(err, p->destination_port, sizeof(p->destination_port), pk, "destination_port") ||
	    !str_field(err, p->destination_channel, sizeof(p->destination_channel), pk,
		       "destination_channel") ||
	    !px_json_get_u64(err, &p->timeout_timestamp, pk, "timeout_timestamp") ||
	    !px_json_get_object(err, &th, pk, "timeout_height") ||
	    !px_json_get_u64(err, &p->timeout_height.revision_number, th, "revision_number") ||
	    !px_json_get_u64(err, &p->timeout_height.revision_height, th, "revision_height"))
		return false;
	if (json_object_get(pk, "data_hex"))
		return px_json_get_hex(err, &r->data, pk, "data_hex");
	if (!px_json_get_string(err, &s, pk, "data"))
		return false;
	px_buf_append(&r->data, s, strlen(s));
	return true;
}

static bool packets_equal(const struct relay *a, const struct relay *b)
{
	const struct ibc_packet *x = &a->packet, *y = &b->packet;

	return x->sequence == y->sequence && strcmp(x->source_port, y->source_port) == 0 &&
	       strcmp(x->source_channel, y->source_channel) == 0 &&
	       strcmp(x->destination_port, y->destination_port) == 0 &&
	       strcmp(x->destination_channel, y->destination_channel) == 0 &&
	       ibc_height_cmp(x->timeout_height, y->timeout_height) == 0 &&
	       x->timeout_timestamp == y->timeout_timestamp &&
	       px_slice_eq(px_slice_of(&a->data), px_slice_of(&b->data));
}

/* Verifies what r claims against app_hash; 0 verified, else the error code. */
static int verify(const struct relay *r, const uint8_t *app_hash, size_t app_hash_len,
		  bool ordered, struct px_err *err)
{
	struct ibc_merkle_proof mp = { px_slice_of(&r->iavl), px_slice_of(&r->simple) };
	struct ibc_packet p = r->packet;
	bool ok;

	p.data = px_slice_of(&r->data);
	px_err_clear(err);
	switch (r->kind) {
	case MSG_RECV:
		ok = ibc_verify_packet_commitment(err, app_hash, app_hash_len, IBC_STORE_PREFIX, &p,
						  &mp);
		break;
	case MSG_ACK:
		ok = ibc_verify_packet_ack(err, app_hash, app_hash_len, IBC_STORE_PREFIX, &p,
					   r->ack.data, r->ack.len, &mp);
		break;
	default:
		if (ordered)
			ok = ibc_verify_next_sequence_recv(err, app_hash, app_hash_len,
							   IBC_STORE_PREFIX, &p, r->next_seq, &mp);
		else
			ok = ibc_verify_packet_receipt_absence(err, app_hash, app_hash_len,
							       IBC_STORE_PREFIX, &p, &mp);
		break;
	}
	return ok ? 0 : (err->code ? err->code : -1);
}

/* The byte range of NonExistenceProof.key inside a CommitmentProof (ICS-23
 * verification does not read it); [0, 0) when there is none. */
static void nonexist_key_range(const struct px_buf *proof, size_t *lo, size_t *hi)
{
	struct px_cursor c = px_cursor_init(proof->data, proof->len);

	*lo = *hi = 0;
	while (px_cursor_more(&c)) {
		uint32_t f, w;
		struct px_cursor sub;

		px_pb_read_tag(&c, &f, &w);
		if (f != 2) {
			px_pb_skip(&c, w);
			continue;
		}
		px_pb_read_message(&c, w, &sub, proof->len);
		while (px_cursor_more(&sub)) {
			uint32_t g, x;
			struct px_slice s;

			px_pb_read_tag(&sub, &g, &x);
			if (g != 1) {
				px_pb_skip(&sub, x);
				continue;
			}
			px_pb_read_bytes(&sub, x, &s, proof->len);
			if (px_cursor_ok(&sub) && s.len) {
				*lo = (size_t)(s.ptr - proof->data);
				*hi = *lo + s.len;
			}
		}
		return;
	}
}

/* Sequences of receipt keys that neighbour the absent one in the proof. */
static size_t neighbour_seqs(const struct relay *r, uint64_t out[2])
{
	struct ics23_proof p;
	struct px_err err = { 0 };
	struct ibc_path prefix;
	size_t n = 0;

	if (!ibc_path_packet_receipt(&err, &prefix, r->packet.destination_port,
				     r->packet.destination_channel, 1))
		return 0;
	prefix.len -= 1;	/* ".../sequences/" */
	if (!ics23_proof_decode(&err, &p, r->iavl.data, r->iavl.len))
		return 0;
	if (p.kind == ICS23_PROOF_NONEXIST && p.nonexist) {
		const struct ics23_existence_proof *side[2] = { p.nonexist->left, p.nonexist->right };

		for (int i = 0; i < 2; i++) {
			uint64_t seq;

			if (!side[i] || side[i]->key.len <= prefix.len ||
			    memcmp(side[i]->key.ptr, prefix.s, prefix.len) != 0)
				continue;
			if (px_parse_u64(&err, &seq, (const char *)side[i]->key.ptr + prefix.len,
					 side[i]->key.len - prefix.len) && seq != 0)
				out[n++] = seq;
			px_err_clear(&err);
		}
	}
	ics23_proof_free(&p);
	return n;
}

static void negative(const char *file, const char *what, const struct relay *r,
		     const uint8_t *app_hash, size_t app_hash_len, bool ordered)
{
	struct px_err err = { 0 };
	int code = verify(r, app_hash, app_hash_len, ordered, &err);

	result("e2e_negative", code != 0, file, "%s was accepted", what);
}

static void e2e_negatives(const char *file, struct relay *r, const uint8_t *app_hash,
			  size_t app_hash_len, bool ordered)
{
	uint8_t bad_hash[64];
	struct relay m = *r;	/* shares r's buffers; restored after each change */
	size_t lo, hi;

	memcpy(bad_hash, app_hash, app_hash_len);
	bad_hash[app_hash_len / 2] ^= 0x01;
	negative(file, "a changed app hash", r, bad_hash, app_hash_len, ordered);

	if (r->kind == MSG_RECV) {
		if (r->data.len) {
			r->data.data[r->data.len / 2] ^= 0x01;
			negative(file, "a changed data byte", r, app_hash, app_hash_len, ordered);
			r->data.data[r->data.len / 2] ^= 0x01;
		}
		m.packet.timeout_timestamp ^= 1;
		negative(file, "a changed timeout timestamp", &m, app_hash, app_hash_len, ordered);
		m = *r;
		m.packet.timeout_height.revision_height ^= 1;
		negative(file, "a changed timeout height", &m, app_hash, app_hash_len, ordered);
		m = *r;
		m.packet.timeout_height.revision_number ^= 1;
		negative(file, "a changed timeout revision", &m, app_hash, app_hash_len, ordered);
		m = *r;
	}
	if (r->kind != MSG_TIMEOUT && r->kind != MSG_TIMEOUT_ON_CLOSE) {
		m.packet.sequence = r->packet.sequence + 1;
		negative(file, "the next sequence", &m, app_hash, app_hash_len, ordered);
		m.packet.sequence = r->packet.sequence - 1;
		if (m.packet.sequence)
			negative(file, "the previous sequence", &m, app_hash, app_hash_len, ordered);
		m = *r;
	} else if (!ordered) {
		uint64_t seqs[2];
		size_t n = neighbour_seqs(r, seqs);

		for (size_t i = 0; i < n; i++) {
			m.packet.sequence = seqs[i];
			negative(file, "absence of a neighbour's receipt", &m, app_hash, app_hash_len,
				 ordered);
		}
		m = *r;
		/* The absence proof must not prove the receipt's presence. */
		{
			struct px_err err = { 0 };
			struct ibc_merkle_proof mp = { px_slice_of(&r->iavl), px_slice_of(&r->simple) };
			struct ibc_merkle_path path;
			struct ibc_path key;
			const uint8_t one = IBC_RECEIPT_VALUE;
			bool ok = ibc_path_packet_receipt(&err, &key, r->packet.destination_port,
							  r->packet.destination_channel,
							  r->packet.sequence) &&
				  ibc_merkle_path_make(&err, &path, IBC_STORE_PREFIX, &key) &&
				  ibc_verify_membership(&err, app_hash, app_hash_len, &path, &one, 1,
							&mp);

			result("e2e_negative", !ok, file, "receipt membership was accepted");
		}
	} else {
		m.next_seq = r->next_seq + 1;
		negative(file, "another nextSequenceRecv", &m, app_hash, app_hash_len, ordered);
		m = *r;
	}
	if (r->kind == MSG_ACK && r->ack.len) {
		r->ack.data[0] ^= 0x01;
		negative(file, "a changed ack byte", r, app_hash, app_hash_len, ordered);
		r->ack.data[0] ^= 0x01;
		r->ack.data[r->ack.len - 1] ^= 0x01;
		negative(file, "a changed last ack byte", r, app_hash, app_hash_len, ordered);
		r->ack.data[r->ack.len - 1] ^= 0x01;
	}

	/* Every byte of both proofs. */
	nonexist_key_range(&r->iavl, &lo, &hi);
	for (size_t i = 0; i < r->iavl.len + r->simple.len; i++) {
		bool in_iavl = i < r->iavl.len;
		uint8_t *b = in_iavl ? &r->iavl.data[i] : &r->simple.data[i - r->iavl.len];
		struct px_err err = { 0 };
		int code;

		*b ^= 0x01;
		code = verify(r, app_hash, app_hash_len, ordered, &err);
		*b ^= 0x01;
		if (code == 0 && in_iavl && i >= lo && i < hi) {
			t.inert++;
			continue;
		}
		if (code != 0)
			result("e2e_negative", true, file, "-");
		else
			result("e2e_negative", false, file, "%s proof byte %zu flipped was accepted",
			       in_iavl ? "iavl" : "simple", in_iavl ? i : i - r->iavl.len);
	}
}

static void ics20_check(const char *file, const struct relay *r)
{
	struct ibc_ics20_data d;
	struct px_err err = { 0 };

	if (strcmp(r->packet.source_port, IBC_ICS20_PORT) != 0 ||
	    strcmp(r->packet.destination_port, IBC_ICS20_PORT) != 0)
		return;
	if (!ibc_ics20_decode(&err, &d, r->data.data, r->data.len)) {
		result("e2e_ics20_decode", false, file, "%s", err.msg);
		return;
	}
	result("e2e_ics20_decode", true, file, "-");
	t.ics20++;
	for (int form = IBC_ICS20_JSON_SORTED; form <= IBC_ICS20_JSON_FIELDS; form++) {
		struct px_buf b = PX_BUF_INIT;

		if (ibc_ics20_encode(&err, &b, &d, (enum ibc_ics20_json)form) &&
		    px_slice_eq(px_slice_of(&b), px_slice_of(&r->data))) {
			t.reencoded++;
			px_buf_free(&b);
			break;
		}
		px_buf_free(&b);
	}
	ibc_ics20_data_free(&d);
}

void run_e2e_file(const char *path, const char *file)
{
	struct px_err err = { 0 };
	struct relay r, fromsg;
	json_t *doc = load_json(&err, path), *pk, *mpath;
	const char *type, *kind_name = "e2e";
	struct px_buf app_hash = PX_BUF_INIT, msg = PX_BUF_INIT, tmp = PX_BUF_INIT;
	bool ordered = false, ok = false;

	relay_init(&r);
	relay_init(&fromsg);
	if (!doc || !px_json_get_string(&err, &type, doc, "msg_type"))
		goto done;
	if (strstr(type, "MsgRecvPacket")) {
		r.kind = MSG_RECV;
		kind_name = "e2e_recv_packet";
	} else if (strstr(type, "MsgAcknowledgement")) {
		r.kind = MSG_ACK;
		kind_name = "e2e_acknowledgement";
	} else if (strstr(type, "MsgTimeoutOnClose")) {
		r.kind = MSG_TIMEOUT_ON_CLOSE;
		kind_name = "e2e_timeout_on_close";
	} else if (strstr(type, "MsgTimeout")) {
		r.kind = MSG_TIMEOUT;
		kind_name = "e2e_timeout";
	} else {
		px_err_set(&err, PX_E_UNSUPPORTED, "unknown msg_type %s", type);
		goto done;
	}
	fromsg.kind = r.kind;
	if (!px_json_get_object(&err, &pk, doc, "packet") || !json_packet(&err, &r, pk) ||
	    !px_json_get_hex(&err, &r.iavl, doc, "proof_iavl_hex") ||
	    !px_json_get_hex(&err, &r.simple, doc, "proof_simple_hex") ||
	    !px_json_get_hex(&err, &app_hash, doc, "derived_app_hash"))
		goto done;
	if (json_object_get(doc, "next_sequence_recv")) {
		if (!px_json_get_u64(&err, &r.next_seq, doc, "next_sequence_recv"))
			goto done;
		r.has_next_seq = true;
	}
	/* The message itself is the authority; the JSON must agree with it. */
	if (json_object_get(doc, "msg_hex")) {
		if (!px_json_get_hex(&err, &msg, doc, "msg_hex") ||
		    !msg_decode(&err, &fromsg, msg.data, msg.len))
			goto done;
		if (!packets_equal(&r, &fromsg)) {
			px_err_set(&err, PX_E_VERIFY, "JSON packet differs from msg_hex's");
			goto done;
		}
		if (!px_slice_eq(px_slice_of(&r.iavl), px_slice_of(&fromsg.iavl)) ||
		    !px_slice_eq(px_slice_of(&r.simple), px_slice_of(&fromsg.simple))) {
			px_err_set(&err, PX_E_VERIFY, "JSON proofs differ from msg_hex's");
			goto done;
		}
		if (fromsg.has_next_seq && r.has_next_seq && fromsg.next_seq != r.next_seq) {
			px_err_set(&err, PX_E_VERIFY, "next_sequence_recv differs from msg_hex's");
			goto done;
		}
		if (fromsg.has_next_seq && !r.has_next_seq) {
			r.next_seq = fromsg.next_seq;
			r.has_next_seq = true;
		}
		px_buf_append(&r.ack, fromsg.ack.data, fromsg.ack.len);
	}
	if (r.kind == MSG_ACK) {
		static const char *ack_fields[] = { "acknowledgement_hex", "ack_hex" };

		for (size_t i = 0; i < 2; i++) {
			if (!json_object_get(doc, ack_fields[i]))
				continue;
			px_buf_reset(&tmp);
			if (!px_json_get_hex(&err, &tmp, doc, ack_fields[i]))
				goto done;
			if (r.ack.len && !px_slice_eq(px_slice_of(&tmp), px_slice_of(&r.ack))) {
				px_err_set(&err, PX_E_VERIFY, "%s differs from msg_hex's", ack_fields[i]);
				goto done;
			}
			if (!r.ack.len)
				px_buf_append(&r.ack, tmp.data, tmp.len);
		}
		if (!r.ack.len) {
			px_err_set(&err, PX_E_JSON, "no acknowledgement bytes");
			goto done;
		}
	}
	/* MerklePath ["ibc", key] and the expected value, when the file has them. */
	{
		struct ibc_path key;
		uint8_t value[32];
		size_t vlen = 0;
		bool built;

		if (r.kind == MSG_RECV) {
			struct ibc_packet p = r.packet;

			p.data = px_slice_of(&r.data);
			built = ibc_path_packet_commitment(&err, &key, p.source_port, p.source_channel,
							   p.sequence);
			ibc_commit_packet_v1(value, &p);
			vlen = 32;
		} else if (r.kind == MSG_ACK) {
			built = ibc_path_packet_ack(&err, &key, r.packet.destination_port,
						    r.packet.destination_channel, r.packet.sequence);
			ibc_commit_ack_v1(value, r.ack.data, r.ack.len);
			vlen = 32;
		} else {
			built = ibc_path_packet_receipt(&err, &key, r.packet.destination_port,
							r.packet.destination_channel,
							r.packet.sequence);
		}
		if (!built)
			goto done;
		mpath = json_object_get(doc, "merkle_path");
		if (mpath) {
			const char *k;

			if (!json_is_array(mpath) || json_array_size(mpath) != 2 ||
			    !json_is_string(json_array_get(mpath, 0)) ||
			    !json_is_string(json_array_get(mpath, 1))) {
				px_err_set(&err, PX_E_JSON, "merkle_path is not [prefix, key]");
				goto done;
			}
			if (strcmp(json_string_value(json_array_get(mpath, 0)), IBC_STORE_PREFIX) != 0) {
				px_err_set(&err, PX_E_VERIFY, "merkle prefix is not \"ibc\"");
				goto done;
			}
			k = json_string_value(json_array_get(mpath, 1));
			if (r.kind >= MSG_TIMEOUT && r.has_next_seq &&
			    strncmp(k, "nextSequenceRecv/", 17) == 0) {
				/* An ordered channel: the timeout proves nextSequenceRecv. */
				ordered = true;
				built = ibc_path_next_sequence_recv(&err, &key, r.packet.destination_port,
								    r.packet.destination_channel);
				if (!built)
					goto done;
			}
			if (strcmp(k, key.s) != 0) {
				px_err_set(&err, PX_E_VERIFY, "merkle_path key %s, computed %s", k, key.s);
				goto done;
			}
		}
		if (json_is_string(json_object_get(doc, "expected_value_hex"))) {
			const char *want = json_string_value(json_object_get(doc, "expected_value_hex"));

			if (ordered) {
				for (int i = 7; i >= 0; i--)
					value[7 - i] = (uint8_t)(r.next_seq >> (8 * i));
				vlen = 8;
			}
			if (vlen == 0 || !eq_hex(value, vlen, want)) {
				px_err_set(&err, PX_E_VALUE_MISMATCH, "computed value differs from "
					   "expected_value_hex");
				goto done;
			}
		}
	}
	if (app_hash.len == 0 || app_hash.len > 64) {
		px_err_set(&err, PX_E_JSON, "derived_app_hash of %zu bytes", app_hash.len);
		goto done;
	}
	if (verify(&r, app_hash.data, app_hash.len, ordered, &err) != 0)
		goto done;
	ok = true;
done:
	result(kind_name, ok, file, "%s", err.msg);
	if (ok) {
		ics20_check(file, &r);
		e2e_negatives(file, &r, app_hash.data, app_hash.len, ordered);
	}
	relay_free(&r);
	relay_free(&fromsg);
	px_buf_free(&app_hash);
	px_buf_free(&msg);
	px_buf_free(&tmp);
	json_decref(doc);
}

