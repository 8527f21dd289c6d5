/* The check of one relayed packet message against an app hash (see
 * audit.h): rebuild the key and value the proof must show, verify the
 * two-level MerkleProof, then apply the rules of ibc-go's 04-channel that
 * an offline auditor can apply (proof height, ordered-channel sequence,
 * timeout elapsed). */
#include "ibc/core/audit.h"

#include <string.h>

#include "ibc/core/commitment.h"
#include "lightclient/ics23/ics23.h"

bool ibc_audit_msg_from(struct px_err *err, struct ibc_audit_msg *out, const struct ibc_msg *m)
{
	memset(out, 0, sizeof(*out));
	out->kind = m->kind;
	switch (m->kind) {
	case IBC_MSG_RECV_PACKET: out->u.recv = m->u.recv_packet; return true;
	case IBC_MSG_ACKNOWLEDGEMENT: out->u.ack = m->u.acknowledgement; return true;
	case IBC_MSG_TIMEOUT: out->u.timeout = m->u.timeout; return true;
	default:
		memset(out, 0, sizeof(*out));
		return px_err_set(err, PX_E_UNSUPPORTED, "%s is not a packet message",
				  ibc_msg_kind_name(m->kind));
	}
}

uint64_t ibc_chain_id_revision(const char *chain_id)
{
	const char *dash = strrchr(chain_id, '-');
	uint64_t n = 0;

	/* ibc-go: ^.*[^\n-]-{1}[1-9][0-9]*$ */
	if (!dash || dash == chain_id || dash[-1] == '-' || dash[-1] == '\n' || dash[1] < '1' ||
	    dash[1] > '9')
		return 0;
	for (const char *p = dash + 1; *p; p++) {
		if (*p < '0' || *p > '9' || n > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return 0;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	return n;
}

const char *ibc_audit_claim_name(enum ibc_audit_claim c)
{
	switch (c) {
	case IBC_AUDIT_CLAIM_COMMITMENT: return "packet commitment";
	case IBC_AUDIT_CLAIM_ACK: return "acknowledgement commitment";
	case IBC_AUDIT_CLAIM_NO_RECEIPT: return "receipt absence";
	case IBC_AUDIT_CLAIM_NEXT_SEQ_RECV: return "next sequence receive";
	default: return "none";
	}
}

const char *ibc_audit_elapsed_name(enum ibc_audit_elapsed e)
{
	switch (e) {
	case IBC_AUDIT_ELAPSED_YES: return "yes";
	case IBC_AUDIT_ELAPSED_NO: return "no";
	case IBC_AUDIT_ELAPSED_UNKNOWN: return "unknown";
	default: return "n/a";
	}
}

static void be64(uint8_t out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		out[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* ibc-go Packet.ValidateBasic, minus the identifier rules the path
 * functions apply. */
static bool packet_check(struct px_err *err, const char *msg, const struct ibc_packet *p)
{
	if (p->sequence == 0)
		return px_err_set(err, PX_E_MALFORMED, "%s: Packet.sequence is 0", msg);
	if (p->data.len == 0)
		return px_err_set(err, PX_E_MALFORMED, "%s: Packet.data is empty", msg);
	if (ibc_height_is_zero(p->timeout_height) && p->timeout_timestamp == 0)
		return px_err_set(err, PX_E_MALFORMED,
				  "%s: Packet.timeout_height and timeout_timestamp are both 0", msg);
	return true;
}

/* The proof field of m, its name, and the proof height. */
static void proof_of(const struct ibc_audit_msg *m, struct px_slice *proof, const char **field,
		     struct ibc_height *height, const struct ibc_packet **packet)
{
	switch (m->kind) {
	case IBC_MSG_RECV_PACKET:
		*proof = m->u.recv.proof_commitment;
		*field = "proof_commitment";
		*height = m->u.recv.proof_height;
		*packet = &m->u.recv.packet;
		break;
	case IBC_MSG_ACKNOWLEDGEMENT:
		*proof = m->u.ack.proof_acked;
		*field = "proof_acked";
		*height = m->u.ack.proof_height;
		*packet = &m->u.ack.packet;
		break;
	default:
		*proof = m->u.timeout.proof_unreceived;
		*field = "proof_unreceived";
		*height = m->u.timeout.proof_height;
		*packet = &m->u.timeout.packet;
		break;
	}
}

/* An ICS-23 CommitmentProof's kind without decoding it all: field 1 is
 * an ExistenceProof, field 2 a NonExistenceProof. */
static bool proof_is_absence(struct px_err *err, bool *absent, struct px_slice iavl)
{
	struct ics23_proof p;
	enum ics23_proof_kind kind;

	if (!ics23_proof_decode(err, &p, iavl.ptr, iavl.len))
		return false;
	kind = p.kind;
	ics23_proof_free(&p);
	*absent = kind == ICS23_PROOF_NONEXIST;
	if (!*absent && kind != ICS23_PROOF_EXIST)
		return px_err_set(err, PX_E_PROOF_SHAPE,
				  "iavl proof is neither an existence nor a non-existence proof");
	return true;
}

/* ibc-go's timeout.Elapsed at (proof height, consensus time). */
static enum ibc_audit_elapsed timeout_elapsed(const struct ibc_packet *p, struct ibc_height at,
					      const struct ibc_audit_opts *o)
{
	if (!ibc_height_is_zero(p->timeout_height) && ibc_height_cmp(at, p->timeout_height) >= 0)
		return IBC_AUDIT_ELAPSED_YES;
	if (p->timeout_timestamp == 0)
		return IBC_AUDIT_ELAPSED_NO;
	if (!o->has_header)
		return IBC_AUDIT_ELAPSED_UNKNOWN;
	if (o->header_time.seconds < 0)
		return IBC_AUDIT_ELAPSED_NO;
	/* ns since the epoch: a header before 2554 fits; later ones elapse
	 * every timestamp. */
	if ((uint64_t)o->header_time.seconds > (UINT64_MAX - 999999999u) / 1000000000u)
		return IBC_AUDIT_ELAPSED_YES;
	return (uint64_t)o->header_time.seconds * 1000000000u + (uint64_t)o->header_time.nanos >=
			       p->timeout_timestamp
		       ? IBC_AUDIT_ELAPSED_YES
		       : IBC_AUDIT_ELAPSED_NO;
}

/* Key and value of the claim; sets r->claim, r->path, r->value. */
static bool build_claim(struct px_err *err, struct ibc_audit_report *r,
			const struct ibc_audit_msg *m, const char *prefix, bool ordered)
{
	const struct ibc_packet *p = r->packet;
	struct ibc_path key;
	bool ok;

	switch (m->kind) {
	case IBC_MSG_RECV_PACKET:
		r->claim = IBC_AUDIT_CLAIM_COMMITMENT;
		ok = ibc_path_packet_commitment(err, &key, p->source_port, p->source_channel,
						p->sequence);
		ibc_commit_packet_v1(r->value, p);
		r->value_len = IBC_COMMITMENT_LEN;
		break;
	case IBC_MSG_ACKNOWLEDGEMENT:
		r->claim = IBC_AUDIT_CLAIM_ACK;
		ok = ibc_path_packet_ack(err, &key, p->destination_port, p->destination_channel,
					 p->sequence);
		ibc_commit_ack_v1(r->value, m->u.ack.acknowledgement.ptr,
				  m->u.ack.acknowledgement.len);
		r->value_len = IBC_COMMITMENT_LEN;
		break;
	default:
		if (ordered) {
			r->claim = IBC_AUDIT_CLAIM_NEXT_SEQ_RECV;
			ok = ibc_path_next_sequence_recv(err, &key, p->destination_port,
							 p->destination_channel);
			be64(r->value, m->u.timeout.next_sequence_recv);
			r->value_len = 8;
		} else {
			r->claim = IBC_AUDIT_CLAIM_NO_RECEIPT;
			ok = ibc_path_packet_receipt(err, &key, p->destination_port,
						     p->destination_channel, p->sequence);
			r->value_len = 0;
		}
		break;
	}
	if (!ok || !ibc_merkle_path_make(err, &r->path, prefix, &key)) {
		r->claim = IBC_AUDIT_CLAIM_NONE;
		r->value_len = 0;
		px_err_prefix(err, "%s: Packet: ", ibc_msg_kind_name(m->kind));
		return false;
	}
	return true;
}

bool ibc_audit_check(struct px_err *err, struct ibc_audit_report *out,
		     const struct ibc_audit_msg *m, const uint8_t *app_hash, size_t app_hash_len,
		     const struct ibc_audit_opts *opts)
{
	static const struct ibc_audit_opts defaults = { 0 };
	const struct ibc_audit_opts *o = opts ? opts : &defaults;
	const char *prefix = o->prefix ? o->prefix : IBC_STORE_PREFIX;
	const char *name, *field;
	struct ibc_merkle_proof mp;
	struct px_slice proof;
	bool ordered = o->ordering == IBC_AUDIT_ORDER_ORDERED, absent;

	memset(out, 0, sizeof(*out));
	if (!m || (m->kind != IBC_MSG_RECV_PACKET && m->kind != IBC_MSG_ACKNOWLEDGEMENT &&
		   m->kind != IBC_MSG_TIMEOUT))
		return px_err_set(err, PX_E_UNSUPPORTED, "not a packet message");
	if (!app_hash || app_hash_len == 0 || app_hash_len > IBC_AUDIT_MAX_APP_HASH)
		return px_err_set(err, PX_E_USAGE, "app hash of %zu bytes (1-%d)", app_hash_len,
				  IBC_AUDIT_MAX_APP_HASH);
	name = ibc_msg_kind_name(m->kind);
	out->kind = m->kind;
	memcpy(out->app_hash, app_hash, app_hash_len);
	out->app_hash_len = app_hash_len;
	proof_of(m, &proof, &field, &out->proof_height, &out->packet);
	ibc_commit_packet_v1(out->packet_commitment, out->packet);
	if (m->kind == IBC_MSG_TIMEOUT) {
		out->next_sequence_recv = m->u.timeout.next_sequence_recv;
		out->elapsed = timeout_elapsed(out->packet, out->proof_height, o);
	}

	/* ValidateBasic: what ibc-go refuses before looking at proofs. */
	if (!packet_check(err, name, out->packet))
		return false;
	if (proof.len == 0)
		return px_err_set(err, PX_E_MALFORMED, "%s: %s is empty", name, field);
	if (ibc_height_is_zero(out->proof_height))
		return px_err_set(err, PX_E_MALFORMED, "%s: proof_height is zero", name);
	if (m->kind == IBC_MSG_ACKNOWLEDGEMENT && m->u.ack.acknowledgement.len == 0)
		return px_err_set(err, PX_E_MALFORMED, "%s: acknowledgement is empty", name);
	if (m->kind == IBC_MSG_TIMEOUT && m->u.timeout.next_sequence_recv == 0)
		return px_err_set(err, PX_E_MALFORMED, "%s: next_sequence_recv is 0", name);
	if (!ibc_merkle_proof_decode(err, &mp, proof.ptr, proof.len)) {
		px_err_prefix(err, "%s: %s: ", name, field);
		return false;
	}
	if (m->kind == IBC_MSG_TIMEOUT && o->ordering == IBC_AUDIT_ORDER_AUTO) {
		if (!proof_is_absence(err, &absent, mp.iavl)) {
			px_err_prefix(err, "%s: %s: ", name, field);
			return false;
		}
		ordered = !absent;
	}
	if (!build_claim(err, out, m, prefix, ordered))
		return false;

	if (out->value_len)
		out->proof_ok = ibc_verify_membership(err, app_hash, app_hash_len, &out->path,
						      out->value, out->value_len, &mp);
	else
		out->proof_ok = ibc_verify_non_membership(err, app_hash, app_hash_len, &out->path,
							  &mp);
	if (!out->proof_ok) {
		px_err_prefix(err, "%s: %s: ", name, field);
		return false;
	}

	/* The rules, once the proof says what the message claims. */
	if (o->has_header) {
		if (out->proof_height.revision_height != o->header_height)
			return px_err_set(err, PX_E_IBC_PROOF,
					  "%s: proof_height %llu-%llu, but the app hash is header "
					  "%llu's (the header at the proof height proves it)",
					  name, (unsigned long long)out->proof_height.revision_number,
					  (unsigned long long)out->proof_height.revision_height,
					  (unsigned long long)o->header_height);
		if (out->proof_height.revision_number != o->header_revision)
			return px_err_set(err, PX_E_IBC_PROOF,
					  "%s: proof_height revision %llu, the header's chain is "
					  "revision %llu",
					  name, (unsigned long long)out->proof_height.revision_number,
					  (unsigned long long)o->header_revision);
	}
	if (m->kind == IBC_MSG_TIMEOUT) {
		if (out->claim == IBC_AUDIT_CLAIM_NEXT_SEQ_RECV &&
		    m->u.timeout.next_sequence_recv > out->packet->sequence)
			return px_err_set(err, PX_E_IBC_ALREADY_RECEIVED,
					  "%s: packet already received: next_sequence_recv %llu > "
					  "sequence %llu",
					  name, (unsigned long long)m->u.timeout.next_sequence_recv,
					  (unsigned long long)out->packet->sequence);
		if (out->elapsed == IBC_AUDIT_ELAPSED_NO)
			return px_err_set(err, PX_E_IBC_NOT_TIMED_OUT,
					  "%s: the packet had not timed out at proof height %llu-%llu%s",
					  name, (unsigned long long)out->proof_height.revision_number,
					  (unsigned long long)out->proof_height.revision_height,
					  o->has_header ? " (height and header time)" : "");
	}
	out->verified = true;
	return true;
}
