/* ICS-20 packet data, amounts, denomination traces and acknowledgements
 * (see ics20.h for the byte forms and the decisions behind them). */
#include "ibc/transfer/ics20.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/encoding.h"
#include "common/hash.h"
#include "common/json.h"
#include "ibc/core/paths.h"

__extension__ typedef unsigned __int128 u128;

/* ---- 256-bit amounts ------------------------------------------------- */

bool ibc_u256_parse(struct px_err *err, struct ibc_u256 *out, const char *s, size_t len)
{
	struct ibc_u256 v = { { 0, 0, 0, 0 } };

	memset(out, 0, sizeof(*out));
	if (!s || len == 0)
		return px_err_set(err, PX_E_NUMBER, "amount: empty");
	if (len > IBC_ICS20_MAX_AMOUNT)
		return px_err_set(err, PX_E_NUMBER, "amount: %zu digits, more than 2^256-1 has",
				  len);
	if (len > 1 && s[0] == '0')
		return px_err_set(err, PX_E_NUMBER, "amount: leading zero");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		u128 carry;

		if (c < '0' || c > '9')
			return px_err_set(err, PX_E_NUMBER, "amount: byte 0x%02x at %zu is not a digit",
					  c, i);
		carry = c - '0';
		for (int k = 0; k < 4; k++) {
			u128 t = (u128)v.w[k] * 10u + carry;

			v.w[k] = (uint64_t)t;
			carry = t >> 64;
		}
		if (carry)
			return px_err_set(err, PX_E_NUMBER, "amount: not below 2^256");
	}
	*out = v;
	return true;
}

bool ibc_u256_is_zero(const struct ibc_u256 *v)
{
	return (v->w[0] | v->w[1] | v->w[2] | v->w[3]) == 0;
}

void ibc_u256_format(char out[IBC_ICS20_MAX_AMOUNT + 1], const struct ibc_u256 *v)
{
	struct ibc_u256 t = *v;
	char rev[IBC_ICS20_MAX_AMOUNT + 1];
	size_t n = 0;

	do {
		u128 rem = 0;

		for (int k = 3; k >= 0; k--) {
			u128 cur = (rem << 64) | t.w[k];

			t.w[k] = (uint64_t)(cur / 10u);
			rem = cur % 10u;
		}
		rev[n++] = (char)('0' + (int)rem);
	} while (!ibc_u256_is_zero(&t) && n < IBC_ICS20_MAX_AMOUNT);
	for (size_t i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
}

/* ---- UTF-8 and Go's string escaping ----------------------------------- */

/* Decodes one UTF-8 sequence as Go's utf8.DecodeRune accepts it (no
 * overlong forms, no surrogates, at most U+10FFFF). Returns its length,
 * or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1fu;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0fu;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07u;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3fu);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

bool ibc_json_quote_go(struct px_err *err, struct px_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	px_buf_push(out, '"');
	while (i < len) {
		unsigned char c = p[i];
		uint32_t cp;
		size_t n;

		if (c < 0x80) {
			switch (c) {
			case '"': px_buf_append(out, "\\\"", 2); break;
			case '\\': px_buf_append(out, "\\\\", 2); break;
			case '\n': px_buf_append(out, "\\n", 2); break;
			case '\r': px_buf_append(out, "\\r", 2); break;
			case '\t': px_buf_append(out, "\\t", 2); break;
			case '\b': px_buf_append(out, "\\b", 2); break;
			case '\f': px_buf_append(out, "\\f", 2); break;
			default:
				if (c < 0x20 || c == '<' || c == '>' || c == '&') {
					char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

					px_buf_append(out, u, sizeof(u));
				} else {
					px_buf_push(out, c);
				}
			}
			i++;
			continue;
		}
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0)
			return px_err_set(err, PX_E_ENCODING, "invalid UTF-8 at byte %zu", i);
		if (cp == 0x2028 || cp == 0x2029)
			px_buf_append(out, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
		else
			px_buf_append(out, p + i, n);
		i += n;
	}
	px_buf_push(out, '"');
	if (!px_buf_ok(out))
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	return true;
}

/* Go's strings.TrimSpace(s) == "": every rune is white space as
 * unicode.IsSpace says. Invalid UTF-8 is not space. */
static bool go_blank(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (n == 0)
			return false;
		if (!(cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xa0 ||
		      cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
		      cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000))
			return false;
		i += n;
	}
	return true;
}

/* ---- denomination traces ---------------------------------------------- */

static struct px_slice slice_of(const char *s, size_t len)
{
	struct px_slice r = { (const uint8_t *)s, len };

	return r;
}

bool ibc_denom_parse(struct px_err *err, struct ibc_denom *out, const char *path, size_t len)
{
	const char *p = path, *end = path + len;

	memset(out, 0, sizeof(*out));
	if (!path || len == 0)
		return px_err_set(err, PX_E_MALFORMED, "denom: empty");
	if (len > IBC_ICS20_MAX_DENOM)
		return px_err_set(err, PX_E_TOO_LARGE, "denom: %zu bytes (at most %d)", len,
				  IBC_ICS20_MAX_DENOM);
	if (memchr(path, '\0', len))
		return px_err_set(err, PX_E_MALFORMED, "denom: contains NUL");
	/* ExtractDenomFromPath: with fewer than three elements there is no
	 * trace; otherwise take "port/channel" pairs from the front while
	 * the second element is a channel or client identifier. */
	{
		size_t parts = 1;

		for (size_t i = 0; i < len; i++)
			parts += path[i] == '/';
		while (parts > 2) {
			const char *s1 = memchr(p, '/', (size_t)(end - p));
			const char *s2;

			if (!s1)
				break;
			s2 = memchr(s1 + 1, '/', (size_t)(end - s1 - 1));
			{
				const char *ch = s1 + 1;
				size_t chlen = (size_t)((s2 ? s2 : end) - ch);

				if (!ibc_is_channel_id_format(ch, chlen) &&
				    !ibc_is_client_id_format(ch, chlen))
					break;
				if (out->hops_len == IBC_DENOM_MAX_HOPS) {
					memset(out, 0, sizeof(*out));
					return px_err_set(err, PX_E_TOO_LARGE,
							  "denom: more than %d hops", IBC_DENOM_MAX_HOPS);
				}
				out->hops[out->hops_len].port = slice_of(p, (size_t)(s1 - p));
				out->hops[out->hops_len].channel = slice_of(ch, chlen);
				out->hops_len++;
			}
			if (!s2) {
				p = end;
				break;
			}
			p = s2 + 1;
		}
	}
	out->base = slice_of(p, (size_t)(end - p));
	if (go_blank(p, (size_t)(end - p))) {
		memset(out, 0, sizeof(*out));
		return px_err_set(err, PX_E_MALFORMED, "denom '%.*s': base denomination is blank",
				  (int)(len > 80 ? 80 : len), path);
	}
	for (size_t i = 0; i < out->hops_len; i++) {
		const struct ibc_denom_hop *h = &out->hops[i];

		if (!ibc_id_validate(err, IBC_ID_PORT, (const char *)h->port.ptr, h->port.len) ||
		    !ibc_id_validate(err, IBC_ID_CHANNEL, (const char *)h->channel.ptr,
				     h->channel.len)) {
			px_err_prefix(err, "denom trace hop %zu: ", i);
			memset(out, 0, sizeof(*out));
			return false;
		}
	}
	return true;
}

void ibc_denom_path(struct px_buf *out, const struct ibc_denom *d)
{
	for (size_t i = 0; i < d->hops_len; i++) {
		px_buf_append(out, d->hops[i].port.ptr, d->hops[i].port.len);
		px_buf_push(out, '/');
		px_buf_append(out, d->hops[i].channel.ptr, d->hops[i].channel.len);
		px_buf_push(out, '/');
	}
	px_buf_append(out, d->base.ptr, d->base.len);
}

static void hash_denom(char out[IBC_DENOM_HASH_LEN + 1], const struct px_iov *iov, size_t n)
{
	uint8_t h[PX_SHA256_LEN];

	px_sha256_iov(h, iov, n);
	memcpy(out, "ibc/", 4);
	px_hex_encode(out + 4, IBC_DENOM_HASH_LEN + 1 - 4, h, sizeof(h), true);
}

void ibc_denom_local(struct px_buf *out, const struct ibc_denom *d)
{
	struct px_buf path = PX_BUF_INIT;
	char h[IBC_DENOM_HASH_LEN + 1];
	struct px_iov iov;

	if (d->hops_len == 0) {
		px_buf_append(out, d->base.ptr, d->base.len);
		return;
	}
	ibc_denom_path(&path, d);
	if (!px_buf_ok(&path)) {
		out->failed = true;
		px_buf_free(&path);
		return;
	}
	iov.ptr = path.data;
	iov.len = path.len;
	hash_denom(h, &iov, 1);
	px_buf_append(out, h, IBC_DENOM_HASH_LEN);
	px_buf_free(&path);
}

void ibc_denom_hash(char out[IBC_DENOM_HASH_LEN + 1], const char *trace, size_t trace_len,
		    const char *base, size_t base_len)
{
	struct px_iov iov[3] = {
		{ trace, trace_len },
		{ "/", trace_len ? 1u : 0u },
		{ base, base_len },
	};

	hash_denom(out, iov, 3);
}

static bool slice_is(struct px_slice s, const char *str)
{
	size_t n = strlen(str);

	return s.len == n && (n == 0 || memcmp(s.ptr, str, n) == 0);
}

bool ibc_denom_has_prefix(const struct ibc_denom *d, const char *port, const char *channel)
{
	return d->hops_len > 0 && slice_is(d->hops[0].port, port) &&
	       slice_is(d->hops[0].channel, channel);
}

bool ibc_ics20_sender_is_source(const struct ibc_denom *d, const char *source_port,
				const char *source_channel)
{
	return !ibc_denom_has_prefix(d, source_port, source_channel);
}

bool ibc_ics20_recv_denom(struct px_err *err, struct px_buf *out, bool *receiver_is_source,
			  const char *packet_denom, size_t len, const struct ibc_packet *packet)
{
	struct ibc_denom d;

	if (!ibc_id_check(err, IBC_ID_PORT, packet->source_port) ||
	    !ibc_id_check(err, IBC_ID_CHANNEL, packet->source_channel) ||
	    !ibc_id_check(err, IBC_ID_PORT, packet->destination_port) ||
	    !ibc_id_check(err, IBC_ID_CHANNEL, packet->destination_channel))
		return false;
	if (!ibc_denom_parse(err, &d, packet_denom, len))
		return false;
	if (ibc_denom_has_prefix(&d, packet->source_port, packet->source_channel)) {
		/* Coming home: drop "port/channel/" from the front. */
		size_t cut = d.hops[0].port.len + 1 + d.hops[0].channel.len + 1;

		*receiver_is_source = true;
		px_buf_append(out, packet_denom + cut, len - cut);
	} else {
		*receiver_is_source = false;
		px_buf_append(out, packet->destination_port, strlen(packet->destination_port));
		px_buf_push(out, '/');
		px_buf_append(out, packet->destination_channel,
			      strlen(packet->destination_channel));
		px_buf_push(out, '/');
		px_buf_append(out, packet_denom, len);
	}
	if (!px_buf_ok(out))
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	return true;
}

/* ---- packet data ------------------------------------------------------ */

enum field { F_DENOM, F_AMOUNT, F_SENDER, F_RECEIVER, F_MEMO, F_COUNT };

static const char *const field_names[F_COUNT] = { "denom", "amount", "sender", "receiver",
						  "memo" };
static const size_t field_caps[F_COUNT] = { IBC_ICS20_MAX_DENOM, IBC_ICS20_MAX_AMOUNT,
					    IBC_ICS20_MAX_ADDRESS, IBC_ICS20_MAX_ADDRESS,
					    IBC_ICS20_MAX_MEMO };

/* The checks shared by encode and decode; v[i] may be NULL when absent. */
static bool fields_check(struct px_err *err, const char *const v[F_COUNT],
			 const size_t l[F_COUNT])
{
	struct ibc_u256 amount;
	struct ibc_denom d;

	for (int i = 0; i < F_COUNT; i++) {
		if (!v[i]) {
			if (i == F_MEMO)
				continue;
			return px_err_set(err, PX_E_JSON, "field '%s': missing", field_names[i]);
		}
		if (l[i] > field_caps[i])
			return px_err_set(err, i == F_AMOUNT ? PX_E_NUMBER : PX_E_TOO_LARGE,
					  "field '%s': %zu bytes (at most %zu)", field_names[i],
					  l[i], field_caps[i]);
		if (memchr(v[i], '\0', l[i]))
			return px_err_set(err, PX_E_JSON, "field '%s': contains NUL",
					  field_names[i]);
	}
	if (go_blank(v[F_SENDER], l[F_SENDER]))
		return px_err_set(err, PX_E_JSON, "field 'sender': blank");
	if (go_blank(v[F_RECEIVER], l[F_RECEIVER]))
		return px_err_set(err, PX_E_JSON, "field 'receiver': blank");
	if (!ibc_u256_parse(err, &amount, v[F_AMOUNT], l[F_AMOUNT])) {
		px_err_prefix(err, "field 'amount': ");
		return false;
	}
	if (ibc_u256_is_zero(&amount))
		return px_err_set(err, PX_E_NUMBER, "field 'amount': must be positive");
	if (!ibc_denom_parse(err, &d, v[F_DENOM], l[F_DENOM])) {
		px_err_prefix(err, "field 'denom': ");
		return false;
	}
	return true;
}

static bool put_field(struct px_err *err, struct px_buf *out, bool *first, const char *name,
		      const char *v, size_t len)
{
	if (len == 0)	/* omitempty */
		return true;
	if (!*first)
		px_buf_push(out, ',');
	*first = false;
	px_buf_push(out, '"');
	px_buf_append(out, name, strlen(name));
	px_buf_append(out, "\":", 2);
	return ibc_json_quote_go(err, out, v, len);
}

bool ibc_ics20_encode(struct px_err *err, struct px_buf *out, const struct ibc_ics20_data *d,
		      enum ibc_ics20_json form)
{
	static const enum field sorted[F_COUNT] = { F_AMOUNT, F_DENOM, F_MEMO, F_RECEIVER,
						    F_SENDER };
	static const enum field fields[F_COUNT] = { F_DENOM, F_AMOUNT, F_SENDER, F_RECEIVER,
						    F_MEMO };
	const char *v[F_COUNT] = { d->denom, d->amount, d->sender, d->receiver, d->memo };
	size_t l[F_COUNT];
	const enum field *order;
	size_t start = out->len;
	bool first = true;

	if (form != IBC_ICS20_JSON_SORTED && form != IBC_ICS20_JSON_FIELDS)
		return px_err_set(err, PX_E_INTERNAL, "ics20: unknown JSON form %d", (int)form);
	for (int i = 0; i < F_COUNT; i++)
		l[i] = v[i] ? strnlen(v[i], field_caps[i] + 1) : 0;
	if (!fields_check(err, v, l))
		return false;
	order = form == IBC_ICS20_JSON_SORTED ? sorted : fields;
	px_buf_push(out, '{');
	for (int i = 0; i < F_COUNT; i++) {
		enum field f = order[i];

		if (!put_field(err, out, &first, field_names[f], v[f] ? v[f] : "", l[f])) {
			out->len = start;
			return false;
		}
	}
	px_buf_push(out, '}');
	if (!px_buf_ok(out))
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	return true;
}

void ibc_ics20_data_free(struct ibc_ics20_data *d)
{
	free(d->owned);
	memset(d, 0, sizeof(*d));
}

bool ibc_ics20_decode(struct px_err *err, struct ibc_ics20_data *out, const uint8_t *buf,
		      size_t len)
{
	const char *v[F_COUNT] = { NULL, NULL, NULL, NULL, NULL };
	size_t l[F_COUNT] = { 0, 0, 0, 0, 0 };
	const char *key;
	json_t *doc, *val;
	size_t total = 0;
	bool ok = false;
	char *mem, *p;

	memset(out, 0, sizeof(*out));
	if (len > IBC_MAX_PACKET_DATA)
		return px_err_set(err, PX_E_TOO_LARGE, "ics20 packet data: %zu bytes (at most %u)",
				  len, IBC_MAX_PACKET_DATA);
	doc = px_json_load_buf(err, len ? buf : (const uint8_t *)"", len);
	if (!doc) {
		px_err_prefix(err, "ics20 packet data: ");
		return false;
	}
	if (!json_is_object(doc)) {
		px_err_set(err, PX_E_JSON, "ics20 packet data: %s, not an object",
			   px_json_type_name(doc));
		goto out;
	}
	json_object_foreach(doc, key, val) {
		int f;

		for (f = 0; f < F_COUNT; f++)
			if (strcmp(key, field_names[f]) == 0)
				break;
		if (f == F_COUNT) {
			px_err_set(err, PX_E_JSON, "ics20 packet data: unknown field '%.40s'", key);
			goto out;
		}
		if (!json_is_string(val)) {
			px_err_set(err, PX_E_JSON, "field '%s': expected string, got %s",
				   field_names[f], px_json_type_name(val));
			goto out;
		}
		v[f] = json_string_value(val);
		l[f] = json_string_length(val);
	}
	if (!fields_check(err, v, l)) {
		px_err_prefix(err, "ics20 packet data: ");
		goto out;
	}
	for (int i = 0; i < F_COUNT; i++)
		total += l[i] + 1;
	mem = malloc(total);
	if (!mem) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	p = mem;
	{
		const char **dst[F_COUNT] = { &out->denom, &out->amount, &out->sender,
					      &out->receiver, &out->memo };

		for (int i = 0; i < F_COUNT; i++) {
			if (l[i])
				memcpy(p, v[i], l[i]);
			p[l[i]] = '\0';
			*dst[i] = p;
			p += l[i] + 1;
		}
	}
	out->owned = mem;
	ok = true;
out:
	json_decref(doc);
	return ok;
}

/* ---- acknowledgements ------------------------------------------------- */

bool ibc_ack_error_encode(struct px_err *err, struct px_buf *out, const char *msg, size_t len)
{
	size_t start = out->len;

	if (!msg || go_blank(msg, len))
		return px_err_set(err, PX_E_MALFORMED, "error acknowledgement: blank message");
	px_buf_append(out, "{\"error\":", 9);
	if (!ibc_json_quote_go(err, out, msg, len)) {
		out->len = start;
		return false;
	}
	px_buf_push(out, '}');
	if (!px_buf_ok(out))
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	return true;
}

void ibc_ack_free(struct ibc_ack *a)
{
	px_buf_free(&a->result);
	px_buf_free(&a->error);
	memset(a, 0, sizeof(*a));
}

bool ibc_ack_decode(struct px_err *err, struct ibc_ack *out, const uint8_t *buf, size_t len)
{
	const char *key;
	json_t *doc, *val;
	const char *s;
	size_t slen;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (len > IBC_MAX_PACKET_DATA)
		return px_err_set(err, PX_E_TOO_LARGE, "acknowledgement: %zu bytes (at most %u)",
				  len, IBC_MAX_PACKET_DATA);
	doc = px_json_load_buf(err, len ? buf : (const uint8_t *)"", len);
	if (!doc) {
		px_err_prefix(err, "acknowledgement: ");
		return false;
	}
	if (!json_is_object(doc) || json_object_size(doc) != 1) {
		px_err_set(err, PX_E_JSON, "acknowledgement: want an object with one key, "
			   "\"result\" or \"error\"");
		goto out;
	}
	json_object_foreach(doc, key, val) {
		if (strcmp(key, "result") != 0 && strcmp(key, "error") != 0) {
			px_err_set(err, PX_E_JSON, "acknowledgement: unknown field '%.40s'", key);
			goto out;
		}
		if (!json_is_string(val)) {
			px_err_set(err, PX_E_JSON, "field '%s': expected string, got %s", key,
				   px_json_type_name(val));
			goto out;
		}
		s = json_string_value(val);
		slen = json_string_length(val);
		if (strcmp(key, "result") == 0) {
			out->success = true;
			if (!px_base64_decode(err, &out->result, s, slen, PX_B64_STD)) {
				px_err_prefix(err, "field 'result': ");
				goto out;
			}
			if (out->result.len == 0) {
				px_err_set(err, PX_E_JSON, "field 'result': empty");
				goto out;
			}
		} else {
			if (go_blank(s, slen)) {
				px_err_set(err, PX_E_JSON, "field 'error': blank");
				goto out;
			}
			px_buf_append(&out->error, s, slen);
			px_buf_push(&out->error, '\0');
			if (!px_buf_ok(&out->error)) {
				px_err_set(err, PX_E_NOMEM, "out of memory");
				goto out;
			}
			out->error.len--;	/* the NUL is not part of the text */
		}
	}
	ok = true;
out:
	json_decref(doc);
	if (!ok)
		ibc_ack_free(out);
	return ok;
}

bool ibc_ack_is_ics20_success(const uint8_t *buf, size_t len)
{
	return len == sizeof(IBC_ICS20_ACK_SUCCESS) - 1 &&
	       memcmp(buf, IBC_ICS20_ACK_SUCCESS, len) == 0;
}
