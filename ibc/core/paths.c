/* ICS-24 identifiers and store keys (ibc-go modules/core/24-host). */
#include "ibc/core/paths.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct id_rule {
	const char *name;
	size_t min, max;
};

static const struct id_rule id_rules[] = {
	[IBC_ID_CLIENT] = { "client", 9, 64 },
	[IBC_ID_CONNECTION] = { "connection", 10, 64 },
	[IBC_ID_CHANNEL] = { "channel", 8, 64 },
	[IBC_ID_PORT] = { "port", 2, 128 },
};

/* ibc-go's IsValidID: ^[a-zA-Z0-9\.\_\+\-\#\[\]\<\>]+$ */
static bool id_char_ok(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("._+-#[]<>", c) != NULL;
}

/* Go regexp \w: [0-9A-Za-z_]. */
static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

bool ibc_id_validate(struct px_err *err, enum ibc_id_kind kind, const char *id, size_t len)
{
	const struct id_rule *r;
	bool blank = true;

	if ((unsigned)kind >= sizeof(id_rules) / sizeof(id_rules[0]))
		return px_err_set(err, PX_E_INTERNAL, "identifier: unknown kind %d", (int)kind);
	r = &id_rules[kind];
	if (!id)
		return px_err_set(err, PX_E_MALFORMED, "%s identifier: missing", r->name);
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\n\v\f\r", id[i]) || id[i] == '\0')
			blank = false;
	if (blank)
		return px_err_set(err, PX_E_MALFORMED, "%s identifier: blank", r->name);
	if (len < r->min || len > r->max)
		return px_err_set(err, PX_E_MALFORMED,
				  "%s identifier '%.*s': length %zu, must be %zu-%zu", r->name,
				  (int)(len > 80 ? 80 : len), id, len, r->min, r->max);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];

		if (c == '/')
			return px_err_set(err, PX_E_MALFORMED,
					  "%s identifier '%.*s': contains the separator '/'", r->name,
					  (int)len, id);
		if (!id_char_ok(c))
			return px_err_set(err, PX_E_MALFORMED,
					  "%s identifier: byte 0x%02x at %zu is not one of "
					  "a-z A-Z 0-9 . _ + - # [ ] < >", r->name, c, i);
	}
	return true;
}

bool ibc_id_check(struct px_err *err, enum ibc_id_kind kind, const char *id)
{
	return ibc_id_validate(err, kind, id, id ? strnlen(id, IBC_ID_MAX + 1) : 0);
}

/* 1-20 digits that fit in a uint64 (strconv.ParseUint base 10 after the
 * format regexps' {1,20} bound). */
static bool digits_u64(uint64_t *out, const char *s, size_t len)
{
	uint64_t v = 0;

	if (len == 0 || len > 20)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (!is_digit((unsigned char)s[i]))
			return false;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool prefixed_seq(uint64_t *out, const char *prefix, const char *s, size_t len)
{
	size_t plen = strlen(prefix);

	return len > plen && memcmp(s, prefix, plen) == 0 &&
	       digits_u64(out, s + plen, len - plen);
}

bool ibc_is_channel_id_format(const char *s, size_t len)
{
	uint64_t seq;

	return s && prefixed_seq(&seq, "channel-", s, len);
}

/* ^\w+([\w-]+\w)?-[0-9]{1,20}$ with the number fitting in a uint64;
 * *type_len is the length of the part before the last '-'. */
static bool client_format(const char *s, size_t len, size_t *type_len, uint64_t *seq)
{
	size_t dash;

	if (!s || len < 3)
		return false;
	dash = len;
	while (dash > 0 && s[dash - 1] != '-')
		dash--;
	if (dash < 2)		/* no '-', or nothing before it */
		return false;
	dash--;			/* index of the last '-' */
	if (!digits_u64(seq, s + dash + 1, len - dash - 1))
		return false;
	/* The type: word characters and '-', starting and ending with a
	 * word character. */
	if (!word_char((unsigned char)s[0]) || !word_char((unsigned char)s[dash - 1]))
		return false;
	for (size_t i = 0; i < dash; i++)
		if (!word_char((unsigned char)s[i]) && s[i] != '-')
			return false;
	*type_len = dash;
	return true;
}

bool ibc_is_client_id_format(const char *s, size_t len)
{
	size_t tl;
	uint64_t seq;

	return client_format(s, len, &tl, &seq);
}

bool ibc_connection_id_parse(struct px_err *err, uint64_t *seq, const char *id, size_t len)
{
	uint64_t v;

	if (!ibc_id_validate(err, IBC_ID_CONNECTION, id, len))
		return false;
	if (!prefixed_seq(&v, "connection-", id, len))
		return px_err_set(err, PX_E_MALFORMED,
				  "connection identifier '%.*s' is not connection-{N}", (int)len, id);
	*seq = v;
	return true;
}

bool ibc_channel_id_parse(struct px_err *err, uint64_t *seq, const char *id, size_t len)
{
	uint64_t v;

	if (!ibc_id_validate(err, IBC_ID_CHANNEL, id, len))
		return false;
	if (!prefixed_seq(&v, "channel-", id, len))
		return px_err_set(err, PX_E_MALFORMED,
				  "channel identifier '%.*s' is not channel-{N}", (int)len, id);
	*seq = v;
	return true;
}

bool ibc_client_id_parse(struct px_err *err, char *type_out, uint64_t *seq, const char *id,
			 size_t len)
{
	size_t tl;
	uint64_t v;

	if (!ibc_id_validate(err, IBC_ID_CLIENT, id, len))
		return false;
	if (!client_format(id, len, &tl, &v))
		return px_err_set(err, PX_E_MALFORMED,
				  "client identifier '%.*s' is not {client-type}-{N}", (int)len, id);
	if (type_out) {
		memcpy(type_out, id, tl);
		type_out[tl] = '\0';
	}
	*seq = v;
	return true;
}

/* snprintf into out; the identifiers were validated, so only a bug can
 * make the key too long. */
static bool path_fmt(struct px_err *err, struct ibc_path *out, const char *fmt, ...)
	PX_PRINTF(3, 4);

static bool path_fmt(struct px_err *err, struct ibc_path *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out->s, sizeof(out->s), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(out->s)) {
		memset(out, 0, sizeof(*out));
		return px_err_set(err, PX_E_INTERNAL, "store key longer than %d bytes",
				  IBC_PATH_MAX - 1);
	}
	out->len = (size_t)n;
	return true;
}

static bool fail_zero(struct ibc_path *out)
{
	memset(out, 0, sizeof(*out));
	return false;
}

bool ibc_path_client_state(struct px_err *err, struct ibc_path *out, const char *client_id)
{
	if (!ibc_id_check(err, IBC_ID_CLIENT, client_id))
		return fail_zero(out);
	return path_fmt(err, out, "clients/%s/clientState", client_id);
}

bool ibc_path_consensus_state(struct px_err *err, struct ibc_path *out, const char *client_id,
			      struct ibc_height height)
{
	if (!ibc_id_check(err, IBC_ID_CLIENT, client_id))
		return fail_zero(out);
	return path_fmt(err, out, "clients/%s/consensusStates/%llu-%llu", client_id,
			(unsigned long long)height.revision_number,
			(unsigned long long)height.revision_height);
}

bool ibc_path_client_connections(struct px_err *err, struct ibc_path *out, const char *client_id)
{
	if (!ibc_id_check(err, IBC_ID_CLIENT, client_id))
		return fail_zero(out);
	return path_fmt(err, out, "clients/%s/connections", client_id);
}

bool ibc_path_connection(struct px_err *err, struct ibc_path *out, const char *connection_id)
{
	if (!ibc_id_check(err, IBC_ID_CONNECTION, connection_id))
		return fail_zero(out);
	return path_fmt(err, out, "connections/%s", connection_id);
}

static bool port_channel(struct px_err *err, const char *port_id, const char *channel_id)
{
	return ibc_id_check(err, IBC_ID_PORT, port_id) &&
	       ibc_id_check(err, IBC_ID_CHANNEL, channel_id);
}

static bool port_channel_key(struct px_err *err, struct ibc_path *out, const char *head,
			     const char *port_id, const char *channel_id)
{
	if (!port_channel(err, port_id, channel_id))
		return fail_zero(out);
	return path_fmt(err, out, "%s/ports/%s/channels/%s", head, port_id, channel_id);
}

bool ibc_path_channel(struct px_err *err, struct ibc_path *out, const char *port_id,
		      const char *channel_id)
{
	return port_channel_key(err, out, "channelEnds", port_id, channel_id);
}

bool ibc_path_next_sequence_send(struct px_err *err, struct ibc_path *out, const char *port_id,
				 const char *channel_id)
{
	return port_channel_key(err, out, "nextSequenceSend", port_id, channel_id);
}

bool ibc_path_next_sequence_recv(struct px_err *err, struct ibc_path *out, const char *port_id,
				 const char *channel_id)
{
	return port_channel_key(err, out, "nextSequenceRecv", port_id, channel_id);
}

bool ibc_path_next_sequence_ack(struct px_err *err, struct ibc_path *out, const char *port_id,
				const char *channel_id)
{
	return port_channel_key(err, out, "nextSequenceAck", port_id, channel_id);
}

static bool packet_key(struct px_err *err, struct ibc_path *out, const char *head,
		       const char *port_id, const char *channel_id, uint64_t sequence)
{
	if (!port_channel(err, port_id, channel_id))
		return fail_zero(out);
	if (sequence == 0) {
		px_err_set(err, PX_E_MALFORMED, "packet sequence 0 (sequences start at 1)");
		return fail_zero(out);
	}
	return path_fmt(err, out, "%s/ports/%s/channels/%s/sequences/%llu", head, port_id,
			channel_id, (unsigned long long)sequence);
}

bool ibc_path_packet_commitment(struct px_err *err, struct ibc_path *out, const char *port_id,
				const char *channel_id, uint64_t sequence)
{
	return packet_key(err, out, "commitments", port_id, channel_id, sequence);
}

bool ibc_path_packet_receipt(struct px_err *err, struct ibc_path *out, const char *port_id,
			     const char *channel_id, uint64_t sequence)
{
	return packet_key(err, out, "receipts", port_id, channel_id, sequence);
}

bool ibc_path_packet_ack(struct px_err *err, struct ibc_path *out, const char *port_id,
			 const char *channel_id, uint64_t sequence)
{
	return packet_key(err, out, "acks", port_id, channel_id, sequence);
}

bool ibc_merkle_path_make(struct px_err *err, struct ibc_merkle_path *out, const char *prefix,
			  const struct ibc_path *key)
{
	size_t plen = prefix ? strnlen(prefix, IBC_ID_MAX + 1) : 0;

	memset(out, 0, sizeof(*out));
	if (plen == 0 || plen > IBC_ID_MAX)
		return px_err_set(err, PX_E_MALFORMED, "merkle prefix of %zu bytes (1-%d)", plen,
				  IBC_ID_MAX);
	if (!key || key->len == 0 || key->len >= IBC_PATH_MAX || key->s[key->len] != '\0')
		return px_err_set(err, PX_E_MALFORMED, "merkle path: bad key");
	memcpy(out->prefix, prefix, plen);
	out->key = *key;
	return true;
}
