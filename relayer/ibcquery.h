/* IBC state as a chain's gRPC query services report it, over abci_query:
 * ibc-go's 02-client ClientState, 03-connection Connection and 04-channel
 * Channel, PacketCommitment(s), PacketReceipt, PacketAcknowledgement(s),
 * UnreceivedPackets and UnreceivedAcks, and the ClientStates, Connections
 * and Channels listings (ibcquery_list.c) (request and response fields as
 * in ibc-go v8; docs/devnet.md lists them).
 *
 * Where it sits: these answers are the node's word, without proofs. They
 * serve `pontifex query packet|pending|clients|connections|channels`,
 * `tx transfer` (finding the
 * counterparty of a channel) and the relaying engine's "what is left to
 * do" questions. Anything put into a message for another chain must still
 * be proven through ibcfetch.h.
 *
 * The pure half (rly_ibcq_req_* builds request bytes, rly_ibcq_*_decode
 * reads response bytes strictly, through a sticky cursor: a known field
 * with the wrong wire type, a truncated or non-canonical value, or a
 * length past its cap is PX_E_MALFORMED naming the response and field) is
 * shared with the unit tests. The network half blocks on a cmt_client
 * (cmt_client_call_sync): call it on the loop's thread, outside callbacks.
 *
 * Memory: decoded connection ends borrow their counterparty prefix from
 * the response bytes; sequence lists and the client, connection and
 * channel lists are owned (rly_ibcq_*_free) and borrow nothing. */
#ifndef PX_RELAYER_IBCQUERY_H
#define PX_RELAYER_IBCQUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chains/cometbft/client.h"
#include "common/buf.h"
#include "common/errors.h"
#include "ibc/types.h"

#define RLY_IBCQ_CLIENT_STATE "/ibc.core.client.v1.Query/ClientState"
#define RLY_IBCQ_CONNECTION "/ibc.core.connection.v1.Query/Connection"
#define RLY_IBCQ_CHANNEL "/ibc.core.channel.v1.Query/Channel"
#define RLY_IBCQ_COMMITMENT "/ibc.core.channel.v1.Query/PacketCommitment"
#define RLY_IBCQ_COMMITMENTS "/ibc.core.channel.v1.Query/PacketCommitments"
#define RLY_IBCQ_RECEIPT "/ibc.core.channel.v1.Query/PacketReceipt"
#define RLY_IBCQ_ACK "/ibc.core.channel.v1.Query/PacketAcknowledgement"
#define RLY_IBCQ_ACKS "/ibc.core.channel.v1.Query/PacketAcknowledgements"
#define RLY_IBCQ_UNRECEIVED_PACKETS "/ibc.core.channel.v1.Query/UnreceivedPackets"
#define RLY_IBCQ_UNRECEIVED_ACKS "/ibc.core.channel.v1.Query/UnreceivedAcks"
#define RLY_IBCQ_CLIENT_STATES "/ibc.core.client.v1.Query/ClientStates"
#define RLY_IBCQ_CONNECTIONS "/ibc.core.connection.v1.Query/Connections"
#define RLY_IBCQ_CHANNELS "/ibc.core.channel.v1.Query/Channels"

/* Caps (STYLE rule 13). */
#define RLY_IBCQ_MAX_RESPONSE (8u << 20)	/* bytes of one response */
#define RLY_IBCQ_MAX_SEQS 100000u		/* sequences one listing may return */
#define RLY_IBCQ_MAX_HASH 64u			/* commitment and ack hashes (32 in ibc-go) */
#define RLY_IBCQ_MAX_NEXT_KEY 1024u		/* pagination keys */
#define RLY_IBCQ_PAGE 1000u			/* entries asked per page */
#define RLY_IBCQ_BATCH 1000u			/* sequences per Unreceived* request */
#define RLY_IBCQ_MAX_LIST 10000u		/* clients, connections or channels listed */
#define RLY_IBCQ_LIST_PAGE 100u			/* of those asked per page */
#define RLY_IBCQ_MAX_TYPE_URL 256u		/* as ibc/codec/base.h caps it */

/* The SDK's NotFound, as ibc-go's handlers refuse a missing object
 * (codespace sdk). */
#define RLY_IBCQ_CODE_NOT_FOUND 22

/* A list of sequences, increasing order not implied. Owned. */
struct rly_ibcq_seqs {
	uint64_t *v;
	size_t n, cap;
};

void rly_ibcq_seqs_free(struct rly_ibcq_seqs *s);

/* --- requests: each appends one request message to out (px_buf sticky
 * failure on memory) --------------------------------------------------- */

/* QueryClientStateRequest{client_id = 1}, QueryConnectionRequest{
 * connection_id = 1}: the same shape. */
void rly_ibcq_req_id(struct px_buf *out, const char *id);
/* QueryChannelRequest{port_id = 1, channel_id = 2}. */
void rly_ibcq_req_channel(struct px_buf *out, const char *port, const char *channel);
/* QueryPacket{Commitment,Receipt,Acknowledgement}Request{port_id = 1,
 * channel_id = 2, sequence = 3}. */
void rly_ibcq_req_packet(struct px_buf *out, const char *port, const char *channel,
			 uint64_t sequence);
/* QueryPacket{Commitments,Acknowledgements}Request{port_id = 1,
 * channel_id = 2, pagination = 3 {key = 1, limit = 3}}; key may be empty. */
void rly_ibcq_req_states(struct px_buf *out, const char *port, const char *channel,
			 const uint8_t *key, size_t key_len, uint64_t limit);
/* QueryUnreceived{Packets,Acks}Request{port_id = 1, channel_id = 2,
 * sequences = 3 (packed)}. */
void rly_ibcq_req_unreceived(struct px_buf *out, const char *port, const char *channel,
			     const uint64_t *seqs, size_t n);

/* --- responses ----------------------------------------------------------- */

/* What a client's state says of the chain it follows (07-tendermint). */
struct rly_ibcq_client {
	char chain_id[IBC_CHAIN_ID_MAX + 1];
	struct ibc_height latest_height;
	bool frozen;
};

/* QueryClientStateResponse{client_state = 1 (Any), proof = 2,
 * proof_height = 3}. A client state of another type is PX_E_UNSUPPORTED;
 * an absent one PX_E_MALFORMED. */
bool rly_ibcq_client_state_decode(struct px_err *err, struct rly_ibcq_client *out,
				  const uint8_t *buf, size_t len) PX_MUST_CHECK;
/* QueryConnectionResponse{connection = 1, proof = 2, proof_height = 3}. */
bool rly_ibcq_connection_decode(struct px_err *err, struct ibc_connection_end *out,
				const uint8_t *buf, size_t len) PX_MUST_CHECK;
/* QueryChannelResponse{channel = 1, proof = 2, proof_height = 3}. */
bool rly_ibcq_channel_decode(struct px_err *err, struct ibc_channel *out, const uint8_t *buf,
			     size_t len) PX_MUST_CHECK;
/* QueryPacket{Commitment,Acknowledgement}Response{commitment or
 * acknowledgement = 1, proof = 2, proof_height = 3}: the hash (1..64
 * bytes; empty is PX_E_MALFORMED) into hash, its length into *hash_len. */
bool rly_ibcq_hash_decode(struct px_err *err, uint8_t hash[RLY_IBCQ_MAX_HASH], size_t *hash_len,
			  const uint8_t *buf, size_t len) PX_MUST_CHECK;
/* QueryPacketReceiptResponse{received = 2, proof = 3, proof_height = 4}. */
bool rly_ibcq_receipt_decode(struct px_err *err, bool *received, const uint8_t *buf,
			     size_t len) PX_MUST_CHECK;
/* QueryPacket{Commitments,Acknowledgements}Response{commitments = 1
 * (PacketState{port_id, channel_id, sequence, data}), pagination = 2
 * {next_key = 1, total = 2}, height = 3}: appends the sequences to seqs
 * (at most RLY_IBCQ_MAX_SEQS in all), replaces next_key's contents. On
 * failure seqs and next_key are as they were. */
bool rly_ibcq_states_decode(struct px_err *err, struct rly_ibcq_seqs *seqs, struct px_buf *next_key,
			    const uint8_t *buf, size_t len) PX_MUST_CHECK;
/* QueryUnreceived{Packets,Acks}Response{sequences = 1 (packed or not),
 * height = 2}: appends to seqs as above. */
bool rly_ibcq_unreceived_decode(struct px_err *err, struct rly_ibcq_seqs *seqs,
				const uint8_t *buf, size_t len) PX_MUST_CHECK;

/* --- over the network ---------------------------------------------------- */

/* One query at the latest height: the response bytes into value, *found
 * false (value untouched) when the node answers NotFound (code 22).
 * Another refusal is PX_E_RPC naming path, code and log; transport
 * failures PX_E_RPC. found may be NULL: NotFound is then an error too. */
bool rly_ibcq_call(struct px_err *err, struct px_buf *value, bool *found, struct cmt_client *c,
		   const char *path, const struct px_buf *req, uint32_t timeout_ms) PX_MUST_CHECK;

/* Channel, its connection (first hop) and that connection's client: the
 * other end of a channel as this chain knows it. */
struct rly_ibcq_route {
	struct ibc_channel channel;
	char connection_id[IBC_ID_MAX + 1];
	char client_id[IBC_ID_MAX + 1];
	struct rly_ibcq_client client;	/* client.chain_id: the counterparty chain */
};

/* A missing channel, connection or client is PX_E_IBC_NOT_FOUND naming
 * it; a channel without a connection hop PX_E_MALFORMED. */
bool rly_ibcq_route(struct px_err *err, struct rly_ibcq_route *out, struct cmt_client *c,
		    const char *port, const char *channel, uint32_t timeout_ms) PX_MUST_CHECK;

/* PacketCommitment / PacketAcknowledgement: *exists, and the hash when it
 * does (hash may be NULL). */
enum rly_ibcq_packet_kind { RLY_IBCQ_KIND_COMMITMENT, RLY_IBCQ_KIND_ACK };
bool rly_ibcq_packet_hash(struct px_err *err, bool *exists, uint8_t hash[RLY_IBCQ_MAX_HASH],
			  size_t *hash_len, struct cmt_client *c, enum rly_ibcq_packet_kind kind,
			  const char *port, const char *channel, uint64_t sequence,
			  uint32_t timeout_ms) PX_MUST_CHECK;
bool rly_ibcq_packet_receipt(struct px_err *err, bool *received, struct cmt_client *c,
			     const char *port, const char *channel, uint64_t sequence,
			     uint32_t timeout_ms) PX_MUST_CHECK;

/* Every sequence with a commitment (or ack) stored on port/channel,
 * following next_key page by page; more than RLY_IBCQ_MAX_SEQS is
 * PX_E_TOO_LARGE. A missing channel is PX_E_IBC_NOT_FOUND. */
bool rly_ibcq_list(struct px_err *err, struct rly_ibcq_seqs *out, struct cmt_client *c,
		   enum rly_ibcq_packet_kind kind, const char *port, const char *channel,
		   uint32_t timeout_ms) PX_MUST_CHECK;

/* UnreceivedPackets (acks false) or UnreceivedAcks (acks true) for seqs,
 * asked RLY_IBCQ_BATCH at a time; the answer appended to out. */
bool rly_ibcq_unreceived(struct px_err *err, struct rly_ibcq_seqs *out, struct cmt_client *c,
			 bool acks, const char *port, const char *channel, const uint64_t *seqs,
			 size_t n, uint32_t timeout_ms) PX_MUST_CHECK;

/* --- bank balance and client health ------------------------------------- */

/* The balance of address in denom as decimal text ("0" when it has none). */
bool rly_ibcq_balance(struct px_err *err, char *out, size_t cap, struct cmt_client *c,
		      const char *address, const char *denom, uint32_t timeout_ms) PX_MUST_CHECK;

/* What an operator checks of a 07-tendermint client: whom it follows, how
 * far, whether it is frozen, and when its latest consensus state was made
 * (it expires at consensus_time + trusting period). Read over plain
 * queries (not proven: for health reports, not for relaying). */
struct rly_ibcq_client_health {
	char chain_id[IBC_CHAIN_ID_MAX + 1];
	struct ibc_height latest_height;
	bool frozen;
	uint64_t trusting_period_ns;
	struct px_time consensus_time;
};
bool rly_ibcq_client_health(struct px_err *err, struct rly_ibcq_client_health *out,
			    struct cmt_client *c, const char *client_id,
			    uint32_t timeout_ms) PX_MUST_CHECK;

/* --- listings (ibcquery_list.c) ----------------------------------------- */

/* QueryClientStatesRequest, QueryConnectionsRequest, QueryChannelsRequest:
 * {pagination = 1 {key = 1, limit = 3}}; key may be empty. */
void rly_ibcq_req_list(struct px_buf *out, const uint8_t *key, size_t key_len, uint64_t limit);

/* IdentifiedClientState{client_id = 1, client_state = 2 (Any)}. A client
 * state of another type than 07-tendermint is listed with its type URL
 * only (tendermint false, client zeroed). */
struct rly_ibcq_client_entry {
	char client_id[IBC_ID_MAX + 1];
	char type_url[RLY_IBCQ_MAX_TYPE_URL + 1];
	bool tendermint;
	struct rly_ibcq_client client;
};

/* IdentifiedConnection{id = 1, then ConnectionEnd's fields as 2..6}: what
 * an operator reads of it (the versions are checked, not kept). */
struct rly_ibcq_connection_entry {
	char connection_id[IBC_ID_MAX + 1];
	char client_id[IBC_ID_MAX + 1];
	enum ibc_connection_state state;
	char counterparty_client_id[IBC_ID_MAX + 1];
	char counterparty_connection_id[IBC_ID_MAX + 1];	/* empty until known */
	uint64_t delay_period;					/* ns */
};

/* IdentifiedChannel{Channel's fields 1..5, port_id = 6, channel_id = 7,
 * upgrade_sequence = 8}. */
struct rly_ibcq_channel_entry {
	char port_id[IBC_ID_MAX + 1];
	char channel_id[IBC_ID_MAX + 1];
	struct ibc_channel channel;
};

/* Owned lists (at most RLY_IBCQ_MAX_LIST entries). */
struct rly_ibcq_clients {
	struct rly_ibcq_client_entry *v;
	size_t n, cap;
};
struct rly_ibcq_connections {
	struct rly_ibcq_connection_entry *v;
	size_t n, cap;
};
struct rly_ibcq_channels {
	struct rly_ibcq_channel_entry *v;
	size_t n, cap;
};

void rly_ibcq_clients_free(struct rly_ibcq_clients *l);
void rly_ibcq_connections_free(struct rly_ibcq_connections *l);
void rly_ibcq_channels_free(struct rly_ibcq_channels *l);

/* One page of QueryClientStatesResponse{client_states = 1, pagination =
 * 2}, QueryConnectionsResponse{connections = 1, pagination = 2, height =
 * 3} or QueryChannelsResponse{channels = 1, pagination = 2, height = 3}:
 * appends the entries to out, replaces next_key's contents with the
 * page's next_key. An entry without its identifiers, with an invalid
 * identifier or a value its codec refuses, a repeated singular field or
 * a truncated field is PX_E_MALFORMED naming the response, the entry's
 * index and the field; past RLY_IBCQ_MAX_LIST entries PX_E_TOO_LARGE. On
 * failure out and next_key are as they were. */
bool rly_ibcq_client_states_decode(struct px_err *err, struct rly_ibcq_clients *out,
				   struct px_buf *next_key, const uint8_t *buf,
				   size_t len) PX_MUST_CHECK;
bool rly_ibcq_connections_decode(struct px_err *err, struct rly_ibcq_connections *out,
				 struct px_buf *next_key, const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool rly_ibcq_channels_decode(struct px_err *err, struct rly_ibcq_channels *out,
			      struct px_buf *next_key, const uint8_t *buf, size_t len) PX_MUST_CHECK;

/* Every client, connection or channel of the chain at the latest height,
 * following next_key page by page (a next_key that does not move is
 * PX_E_MALFORMED). Appended to out; on failure out is as it was. */
bool rly_ibcq_list_clients(struct px_err *err, struct rly_ibcq_clients *out, struct cmt_client *c,
			   uint32_t timeout_ms) PX_MUST_CHECK;
bool rly_ibcq_list_connections(struct px_err *err, struct rly_ibcq_connections *out,
			       struct cmt_client *c, uint32_t timeout_ms) PX_MUST_CHECK;
bool rly_ibcq_list_channels(struct px_err *err, struct rly_ibcq_channels *out, struct cmt_client *c,
			    uint32_t timeout_ms) PX_MUST_CHECK;

#endif
