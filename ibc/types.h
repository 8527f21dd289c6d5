/* IBC core data as plain C: heights, packets, connection and channel ends,
 * and the 07-tendermint client and consensus states. These are the values
 * the protocol rules (ibc/core/) reason about and the codecs
 * (ibc/codec/) turn into ibc-go's protobuf, byte for byte.
 *
 * Strings are NUL-terminated and bounded (identifiers by ICS-24's limits);
 * byte fields that can be large (packet data, proofs) are borrowed slices
 * or owned buffers as each struct says. */
#ifndef PX_IBC_TYPES_H
#define PX_IBC_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/rfc3339.h"

/* ICS-24 identifier limits: client ids 9-64, connection ids 10-64,
 * channel ids 8-64, port ids 2-128 characters. */
#define IBC_ID_MAX 128
#define IBC_CHAIN_ID_MAX 50
#define IBC_MAX_PACKET_DATA (1u << 20)
#define IBC_MAX_VERSIONS 16
#define IBC_MAX_FEATURES 16
#define IBC_MAX_HOPS 1		/* ibc-go supports single-hop channels */

struct ibc_height {
	uint64_t revision_number;
	uint64_t revision_height;
};

/* -1, 0, 1 */
int ibc_height_cmp(struct ibc_height a, struct ibc_height b);
bool ibc_height_is_zero(struct ibc_height h);

struct ibc_packet {
	uint64_t sequence;
	char source_port[IBC_ID_MAX + 1];
	char source_channel[IBC_ID_MAX + 1];
	char destination_port[IBC_ID_MAX + 1];
	char destination_channel[IBC_ID_MAX + 1];
	struct px_slice data;		/* borrowed */
	struct ibc_height timeout_height;
	uint64_t timeout_timestamp;	/* ns since the Unix epoch, 0 = none */
};

enum ibc_connection_state {
	IBC_CONN_UNINITIALIZED = 0,
	IBC_CONN_INIT = 1,
	IBC_CONN_TRYOPEN = 2,
	IBC_CONN_OPEN = 3,
};

struct ibc_version {
	char identifier[IBC_ID_MAX + 1];
	char features[IBC_MAX_FEATURES][IBC_ID_MAX + 1];
	size_t features_len;
};

struct ibc_connection_counterparty {
	char client_id[IBC_ID_MAX + 1];
	char connection_id[IBC_ID_MAX + 1];	/* empty until known */
	struct px_slice prefix;			/* MerklePrefix key_prefix, e.g. "ibc"; borrowed */
};

struct ibc_connection_end {
	char client_id[IBC_ID_MAX + 1];
	struct ibc_version versions[IBC_MAX_VERSIONS];
	size_t versions_len;
	enum ibc_connection_state state;
	struct ibc_connection_counterparty counterparty;
	uint64_t delay_period;			/* ns */
};

enum ibc_channel_state {
	IBC_CHAN_UNINITIALIZED = 0,
	IBC_CHAN_INIT = 1,
	IBC_CHAN_TRYOPEN = 2,
	IBC_CHAN_OPEN = 3,
	IBC_CHAN_CLOSED = 4,
	IBC_CHAN_FLUSHING = 5,
	IBC_CHAN_FLUSHCOMPLETE = 6,
};

enum ibc_order {
	IBC_ORDER_NONE = 0,
	IBC_ORDER_UNORDERED = 1,
	IBC_ORDER_ORDERED = 2,
};

struct ibc_channel_counterparty {
	char port_id[IBC_ID_MAX + 1];
	char channel_id[IBC_ID_MAX + 1];	/* empty until known */
};

struct ibc_channel {
	enum ibc_channel_state state;
	enum ibc_order ordering;
	struct ibc_channel_counterparty counterparty;
	char connection_hops[IBC_MAX_HOPS][IBC_ID_MAX + 1];
	size_t connection_hops_len;
	char version[IBC_ID_MAX + 1];
	uint64_t upgrade_sequence;
};

struct ibc_fraction {
	uint64_t numerator;
	uint64_t denominator;
};

/* 07-tendermint ClientState. Durations in ns. Proof specs are the standard
 * ones ([iavl, tendermint]) for Cosmos chains; which ones a state carries is
 * kept as their names so a decoded state can be compared and re-encoded. */
#define IBC_MAX_PROOF_SPECS 4
#define IBC_MAX_UPGRADE_PATH 4

struct ibc_tm_client_state {
	char chain_id[IBC_CHAIN_ID_MAX + 1];
	struct ibc_fraction trust_level;
	uint64_t trusting_period;
	uint64_t unbonding_period;
	uint64_t max_clock_drift;
	struct ibc_height frozen_height;
	struct ibc_height latest_height;
	const char *proof_specs[IBC_MAX_PROOF_SPECS];	/* "iavl", "tendermint", "smt" */
	size_t proof_specs_len;
	char upgrade_path[IBC_MAX_UPGRADE_PATH][IBC_ID_MAX + 1];
	size_t upgrade_path_len;
	bool allow_update_after_expiry;		/* deprecated, kept for round trips */
	bool allow_update_after_misbehaviour;	/* deprecated, kept for round trips */
};

/* 07-tendermint ConsensusState. */
struct ibc_tm_consensus_state {
	struct px_time timestamp;
	uint8_t root[32];			/* the app hash */
	size_t root_len;
	uint8_t next_validators_hash[32];
};

#endif
