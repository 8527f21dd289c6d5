/* ConnectionEnd, Counterparty, Version and MsgConnectionOpen* (ibc-go
 * proto/ibc/core/connection/v1/{connection,tx}.proto). Non-nullable there,
 * so always written: ConnectionEnd.counterparty, Counterparty.prefix, every
 * proof_height and consensus_height, the messages' counterparty. Nullable:
 * the Version of OpenInit/OpenAck and every Any. */
#include "ibc/codec/connection.h"

#include "ibc/codec/commitment.h"

#define MAX_PREFIX 256u

/* ---- Version {string identifier = 1; repeated string features = 2} */

static void version_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("identifier", "features");
	struct ibc_version *v = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1), &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, v->identifier, sizeof(v->identifier)); break;
		case 2:
			if (v->features_len == IBC_MAX_FEATURES)
				px_cursor_fail(c, "too many features");
			else
				ibc_pb_read_id(c, wire, v->features[v->features_len++], IBC_ID_MAX + 1);
			break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Version", names, IBC_COUNT(names), field);
	}
}

static void version_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_version *v = in;

	if (v->features_len > IBC_MAX_FEATURES) {
		ibc_pb_writer_fail(w, "too many features");
		return;
	}
	ibc_pb_put_id(w, 1, v->identifier, sizeof(v->identifier));
	for (size_t i = 0; i < v->features_len; i++) {
		size_t n = strnlen(v->features[i], IBC_ID_MAX + 1);

		if (n > IBC_ID_MAX) {
			ibc_pb_writer_fail(w, "feature not terminated");
			return;
		}
		px_pb_put_bytes(w->b, 2, (const uint8_t *)v->features[i], n);
	}
}

static void read_versions(struct px_cursor *c, struct ibc_where *w, uint32_t wire,
			  struct ibc_version *arr, size_t *len)
{
	if (*len == IBC_MAX_VERSIONS)
		px_cursor_fail(c, "too many versions");
	else
		ibc_pb_read_sub(c, w, wire, 8192, version_read, &arr[(*len)++]);
}

static bool put_versions(struct ibc_writer *w, uint32_t field, const struct ibc_version *arr,
			 size_t len)
{
	if (len > IBC_MAX_VERSIONS) {
		ibc_pb_writer_fail(w, "too many versions");
		return false;
	}
	for (size_t i = 0; i < len; i++)
		ibc_pb_put_sub(w, field, version_write, &arr[i]);
	return true;
}

/* ---- Counterparty {string client_id = 1; string connection_id = 2;
 * MerklePrefix prefix = 3} */

static void prefix_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	ibc_merkle_bytes_read(c, w, "MerklePrefix", out, MAX_PREFIX);
}

static void counterparty_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("client_id", "connection_id", "prefix");
	struct ibc_connection_counterparty *cp = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2) | IBC_F(3), &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, cp->client_id, sizeof(cp->client_id)); break;
		case 2: ibc_pb_read_id(c, wire, cp->connection_id, sizeof(cp->connection_id)); break;
		case 3: ibc_pb_read_sub(c, w, wire, MAX_PREFIX + 8, prefix_read, &cp->prefix); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "connection.Counterparty", names, IBC_COUNT(names), field);
	}
}

static void counterparty_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_connection_counterparty *cp = in;

	ibc_pb_put_id(w, 1, cp->client_id, sizeof(cp->client_id));
	ibc_pb_put_id(w, 2, cp->connection_id, sizeof(cp->connection_id));
	ibc_pb_put_sub(w, 3, ibc_merkle_bytes_write, &cp->prefix);
}

/* ---- ConnectionEnd {string client_id = 1; repeated Version versions = 2;
 * State state = 3; Counterparty counterparty = 4; uint64 delay_period = 5} */

static void connection_end_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("client_id", "versions", "state", "counterparty", "delay_period");
	struct ibc_connection_end *e = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(3) | IBC_F(4) | IBC_F(5), &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, e->client_id, sizeof(e->client_id)); break;
		case 2: read_versions(c, w, wire, e->versions, &e->versions_len); break;
		case 3:
			e->state = (enum ibc_connection_state)px_pb_read_enum(c, wire, IBC_CONN_OPEN);
			break;
		case 4: ibc_pb_read_sub(c, w, wire, 1024, counterparty_read, &e->counterparty); break;
		case 5: e->delay_period = px_pb_read_uint64(c, wire); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "ConnectionEnd", names, IBC_COUNT(names), field);
	}
}

static void connection_end_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_connection_end *e = in;

	ibc_pb_put_id(w, 1, e->client_id, sizeof(e->client_id));
	if (!put_versions(w, 2, e->versions, e->versions_len))
		return;
	ibc_pb_put_u64(w, 3, (uint64_t)e->state);
	ibc_pb_put_sub(w, 4, counterparty_write, &e->counterparty);
	ibc_pb_put_u64(w, 5, e->delay_period);
}

/* ---- MsgConnectionOpenInit {client_id = 1; Counterparty counterparty = 2;
 * Version version = 3; uint64 delay_period = 4; signer = 5} */

void ibc_msg_connection_open_init_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("client_id", "counterparty", "version", "delay_period", "signer");
	struct ibc_msg_connection_open_init *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x3e, &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, m->client_id, sizeof(m->client_id)); break;
		case 2: ibc_pb_read_sub(c, w, wire, 1024, counterparty_read, &m->counterparty); break;
		case 3:
			ibc_pb_read_sub(c, w, wire, 8192, version_read, &m->version);
			m->has_version = true;
			break;
		case 4: m->delay_period = px_pb_read_uint64(c, wire); break;
		case 5: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgConnectionOpenInit", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_connection_open_init_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_connection_open_init *m = in;

	ibc_pb_put_id(w, 1, m->client_id, sizeof(m->client_id));
	ibc_pb_put_sub(w, 2, counterparty_write, &m->counterparty);
	if (m->has_version)
		ibc_pb_put_sub(w, 3, version_write, &m->version);
	ibc_pb_put_u64(w, 4, m->delay_period);
	ibc_pb_put_bytes(w, 5, m->signer);
}

/* ---- MsgConnectionOpenTry: client_id = 1, previous_connection_id = 2,
 * client_state = 3, counterparty = 4, delay_period = 5,
 * counterparty_versions = 6, proof_height = 7, proof_init = 8,
 * proof_client = 9, proof_consensus = 10, consensus_height = 11,
 * signer = 12, host_consensus_state_proof = 13 */

void ibc_msg_connection_open_try_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("client_id", "previous_connection_id", "client_state", "counterparty",
		  "delay_period", "counterparty_versions", "proof_height", "proof_init",
		  "proof_client", "proof_consensus", "consensus_height", "signer",
		  "host_consensus_state_proof");
	struct ibc_msg_connection_open_try *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x3ffe & ~IBC_F(6), &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, m->client_id, sizeof(m->client_id)); break;
		case 2:
			ibc_pb_read_id(c, wire, m->previous_connection_id,
				       sizeof(m->previous_connection_id));
			break;
		case 3:
			ibc_pb_read_any(c, w, wire, &m->client_state);
			m->has_client_state = true;
			break;
		case 4: ibc_pb_read_sub(c, w, wire, 1024, counterparty_read, &m->counterparty); break;
		case 5: m->delay_period = px_pb_read_uint64(c, wire); break;
		case 6:
			read_versions(c, w, wire, m->counterparty_versions,
				      &m->counterparty_versions_len);
			break;
		case 7: ibc_pb_read_height(c, w, wire, &m->proof_height); break;
		case 8: px_pb_read_bytes(c, wire, &m->proof_init, IBC_MAX_PROOF); break;
		case 9: px_pb_read_bytes(c, wire, &m->proof_client, IBC_MAX_PROOF); break;
		case 10: px_pb_read_bytes(c, wire, &m->proof_consensus, IBC_MAX_PROOF); break;
		case 11: ibc_pb_read_height(c, w, wire, &m->consensus_height); break;
		case 12: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		case 13: px_pb_read_bytes(c, wire, &m->host_consensus_state_proof, IBC_MAX_PROOF); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgConnectionOpenTry", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_connection_open_try_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_connection_open_try *m = in;

	ibc_pb_put_id(w, 1, m->client_id, sizeof(m->client_id));
	ibc_pb_put_id(w, 2, m->previous_connection_id, sizeof(m->previous_connection_id));
	if (m->has_client_state)
		ibc_pb_put_any(w, 3, &m->client_state);
	ibc_pb_put_sub(w, 4, counterparty_write, &m->counterparty);
	ibc_pb_put_u64(w, 5, m->delay_period);
	if (!put_versions(w, 6, m->counterparty_versions, m->counterparty_versions_len))
		return;
	ibc_pb_put_height(w, 7, m->proof_height);
	ibc_pb_put_bytes(w, 8, m->proof_init);
	ibc_pb_put_bytes(w, 9, m->proof_client);
	ibc_pb_put_bytes(w, 10, m->proof_consensus);
	ibc_pb_put_height(w, 11, m->consensus_height);
	ibc_pb_put_bytes(w, 12, m->signer);
	ibc_pb_put_bytes(w, 13, m->host_consensus_state_proof);
}

/* ---- MsgConnectionOpenAck: connection_id = 1,
 * counterparty_connection_id = 2, version = 3, client_state = 4,
 * proof_height = 5, proof_try = 6, proof_client = 7, proof_consensus = 8,
 * consensus_height = 9, signer = 10, host_consensus_state_proof = 11 */

void ibc_msg_connection_open_ack_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("connection_id", "counterparty_connection_id", "version", "client_state",
		  "proof_height", "proof_try", "proof_client", "proof_consensus",
		  "consensus_height", "signer", "host_consensus_state_proof");
	struct ibc_msg_connection_open_ack *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0xffe, &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, m->connection_id, sizeof(m->connection_id)); break;
		case 2:
			ibc_pb_read_id(c, wire, m->counterparty_connection_id,
				       sizeof(m->counterparty_connection_id));
			break;
		case 3:
			ibc_pb_read_sub(c, w, wire, 8192, version_read, &m->version);
			m->has_version = true;
			break;
		case 4:
			ibc_pb_read_any(c, w, wire, &m->client_state);
			m->has_client_state = true;
			break;
		case 5: ibc_pb_read_height(c, w, wire, &m->proof_height); break;
		case 6: px_pb_read_bytes(c, wire, &m->proof_try, IBC_MAX_PROOF); break;
		case 7: px_pb_read_bytes(c, wire, &m->proof_client, IBC_MAX_PROOF); break;
		case 8: px_pb_read_bytes(c, wire, &m->proof_consensus, IBC_MAX_PROOF); break;
		case 9: ibc_pb_read_height(c, w, wire, &m->consensus_height); break;
		case 10: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		case 11: px_pb_read_bytes(c, wire, &m->host_consensus_state_proof, IBC_MAX_PROOF); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgConnectionOpenAck", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_connection_open_ack_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_connection_open_ack *m = in;

	ibc_pb_put_id(w, 1, m->connection_id, sizeof(m->connection_id));
	ibc_pb_put_id(w, 2, m->counterparty_connection_id, sizeof(m->counterparty_connection_id));
	if (m->has_version)
		ibc_pb_put_sub(w, 3, version_write, &m->version);
	if (m->has_client_state)
		ibc_pb_put_any(w, 4, &m->client_state);
	ibc_pb_put_height(w, 5, m->proof_height);
	ibc_pb_put_bytes(w, 6, m->proof_try);
	ibc_pb_put_bytes(w, 7, m->proof_client);
	ibc_pb_put_bytes(w, 8, m->proof_consensus);
	ibc_pb_put_height(w, 9, m->consensus_height);
	ibc_pb_put_bytes(w, 10, m->signer);
	ibc_pb_put_bytes(w, 11, m->host_consensus_state_proof);
}

/* ---- MsgConnectionOpenConfirm {connection_id = 1; proof_ack = 2;
 * proof_height = 3; signer = 4} */

void ibc_msg_connection_open_confirm_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("connection_id", "proof_ack", "proof_height", "signer");
	struct ibc_msg_connection_open_confirm *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x1e, &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, m->connection_id, sizeof(m->connection_id)); break;
		case 2: px_pb_read_bytes(c, wire, &m->proof_ack, IBC_MAX_PROOF); break;
		case 3: ibc_pb_read_height(c, w, wire, &m->proof_height); break;
		case 4: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgConnectionOpenConfirm", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_connection_open_confirm_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_connection_open_confirm *m = in;

	ibc_pb_put_id(w, 1, m->connection_id, sizeof(m->connection_id));
	ibc_pb_put_bytes(w, 2, m->proof_ack);
	ibc_pb_put_height(w, 3, m->proof_height);
	ibc_pb_put_bytes(w, 4, m->signer);
}

#define ibc_connection_end_read connection_end_read
#define ibc_connection_end_write connection_end_write
#define ibc_connection_counterparty_read counterparty_read
#define ibc_connection_counterparty_write counterparty_write
#define ibc_version_read version_read
#define ibc_version_write version_write

IBC_PB_DEFINE(ibc_connection_end, struct ibc_connection_end, "ConnectionEnd", NULL)
IBC_PB_DEFINE(ibc_connection_counterparty, struct ibc_connection_counterparty,
	      "connection.Counterparty", NULL)
IBC_PB_DEFINE(ibc_version, struct ibc_version, "Version", NULL)
IBC_PB_DEFINE(ibc_msg_connection_open_init, struct ibc_msg_connection_open_init,
	      "MsgConnectionOpenInit", NULL)
IBC_PB_DEFINE(ibc_msg_connection_open_try, struct ibc_msg_connection_open_try,
	      "MsgConnectionOpenTry", NULL)
IBC_PB_DEFINE(ibc_msg_connection_open_ack, struct ibc_msg_connection_open_ack,
	      "MsgConnectionOpenAck", NULL)
IBC_PB_DEFINE(ibc_msg_connection_open_confirm, struct ibc_msg_connection_open_confirm,
	      "MsgConnectionOpenConfirm", NULL)
