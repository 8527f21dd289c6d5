/* ICS-20 balance rules over the host's bank (see transfer_host.h):
 * checked 256-bit arithmetic, escrow/unescrow and mint/burn, each checked
 * in full before any balance is written. Denoms and amounts are read with
 * ibc/transfer/ics20.h. */
#include "ibc/transfer/transfer_host.h"

#include <string.h>

#define ESCROW_ADDR_MAX 256

/* False (out untouched) on overflow. */
static bool u256_add(struct ibc_u256 *out, const struct ibc_u256 *a, const struct ibc_u256 *b)
{
	struct ibc_u256 r;
	uint64_t carry = 0;
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t s = a->w[i] + b->w[i];
		uint64_t c1 = s < a->w[i];

		r.w[i] = s + carry;
		carry = c1 | (r.w[i] < s);
	}
	if (carry)
		return false;
	*out = r;
	return true;
}

/* False (out untouched) on underflow. */
static bool u256_sub(struct ibc_u256 *out, const struct ibc_u256 *a, const struct ibc_u256 *b)
{
	struct ibc_u256 r;
	uint64_t borrow = 0;
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t d = a->w[i] - b->w[i];
		uint64_t b1 = a->w[i] < b->w[i];

		r.w[i] = d - borrow;
		borrow = b1 | (d < borrow);
	}
	if (borrow)
		return false;
	*out = r;
	return true;
}

/* The amount (positive) and the bank denom of the trace `denom`. */
static bool coin_read(const struct ibc_host *h, struct px_err *err, struct ibc_u256 *amount,
		      struct px_buf *bank, const struct ibc_ics20_data *data, const char *denom,
		      size_t denom_len)
{
	struct ibc_denom d;

	if (!h->ops->get_balance || !h->ops->set_balance || !h->ops->escrow_address)
		return px_err_set(err, PX_E_INTERNAL, "host has no bank for ICS-20");
	if (!data->amount || !data->sender || !data->receiver)
		return px_err_set(err, PX_E_MALFORMED, "transfer data lacks a field");
	if (!ibc_u256_parse(err, amount, data->amount, strlen(data->amount))) {
		px_err_prefix(err, "transfer amount: ");
		return false;
	}
	if (ibc_u256_is_zero(amount))
		return px_err_set(err, PX_E_NUMBER, "transfer amount is zero");
	if (!ibc_denom_parse(err, &d, denom, denom_len))
		return false;
	px_buf_reset(bank);
	ibc_denom_local(bank, &d);
	px_buf_push(bank, '\0');
	if (!px_buf_ok(bank))
		return px_err_set(err, PX_E_NOMEM, "bank denom");
	return true;
}

static bool balance_get(const struct ibc_host *h, struct px_err *err, struct ibc_u256 *out,
			const char *addr, const char *denom)
{
	if (!h->ops->get_balance(h->ctx, err, out, addr, denom)) {
		if (!px_err_is_set(err))
			px_err_set(err, PX_E_INTERNAL, "host get_balance failed");
		return false;
	}
	return true;
}

static bool balance_set(const struct ibc_host *h, struct px_err *err, const char *addr,
			const char *denom, const struct ibc_u256 *v)
{
	if (!h->ops->set_balance(h->ctx, err, addr, denom, v)) {
		if (!px_err_is_set(err))
			px_err_set(err, PX_E_INTERNAL, "host set_balance failed");
		return false;
	}
	return true;
}

static bool escrow_of(const struct ibc_host *h, struct px_err *err, char out[ESCROW_ADDR_MAX],
		      const char *port, const char *channel)
{
	if (!h->ops->escrow_address(h->ctx, err, out, ESCROW_ADDR_MAX, port, channel)) {
		if (!px_err_is_set(err))
			px_err_set(err, PX_E_INTERNAL, "host escrow_address failed");
		return false;
	}
	if (strnlen(out, ESCROW_ADDR_MAX) == ESCROW_ADDR_MAX)
		return px_err_set(err, PX_E_INTERNAL, "escrow address not terminated");
	return true;
}

static bool funds_error(struct px_err *err, const char *addr, const char *denom,
			const struct ibc_u256 *have, const struct ibc_u256 *want)
{
	char h[IBC_ICS20_MAX_AMOUNT + 1], w[IBC_ICS20_MAX_AMOUNT + 1];

	ibc_u256_format(h, have);
	ibc_u256_format(w, want);
	return px_err_set(err, PX_E_IBC_FUNDS, "%.64s holds %s %.80s, needs %s", addr, h, denom,
			  w);
}

/* from -= amount, to += amount, both checked before either is written. */
static bool move(const struct ibc_host *h, struct px_err *err, const char *from, const char *to,
		 const char *denom, const struct ibc_u256 *amount)
{
	struct ibc_u256 fb, tb, nf, nt;

	if (strcmp(from, to) == 0)
		return true;
	if (!balance_get(h, err, &fb, from, denom) || !balance_get(h, err, &tb, to, denom))
		return false;
	if (!u256_sub(&nf, &fb, amount))
		return funds_error(err, from, denom, &fb, amount);
	if (!u256_add(&nt, &tb, amount))
		return px_err_set(err, PX_E_IBC_OVERFLOW,
				  "balance of %.64s in %.80s would overflow", to, denom);
	return balance_set(h, err, from, denom, &nf) && balance_set(h, err, to, denom, &nt);
}

static bool mint(const struct ibc_host *h, struct px_err *err, const char *to, const char *denom,
		 const struct ibc_u256 *amount)
{
	struct ibc_u256 b, n;

	if (!balance_get(h, err, &b, to, denom))
		return false;
	if (!u256_add(&n, &b, amount))
		return px_err_set(err, PX_E_IBC_OVERFLOW,
				  "balance of %.64s in %.80s would overflow", to, denom);
	return balance_set(h, err, to, denom, &n);
}

static bool burn(const struct ibc_host *h, struct px_err *err, const char *from, const char *denom,
		 const struct ibc_u256 *amount)
{
	struct ibc_u256 b, n;

	if (!balance_get(h, err, &b, from, denom))
		return false;
	if (!u256_sub(&n, &b, amount))
		return funds_error(err, from, denom, &b, amount);
	return balance_set(h, err, from, denom, &n);
}

bool ibc_transfer_on_send(const struct ibc_host *h, struct px_err *err, const char *source_port,
			  const char *source_channel, const struct ibc_ics20_data *data)
{
	struct px_buf bank = PX_BUF_INIT;
	char escrow[ESCROW_ADDR_MAX];
	struct ibc_u256 amount;
	struct ibc_denom d;
	bool ok = false;

	if (!data->denom) {
		px_err_set(err, PX_E_MALFORMED, "transfer data lacks a denom");
		goto out;
	}
	if (!coin_read(h, err, &amount, &bank, data, data->denom, strlen(data->denom)) ||
	    !ibc_denom_parse(err, &d, data->denom, strlen(data->denom)))
		goto out;
	if (ibc_ics20_sender_is_source(&d, source_port, source_channel))
		ok = escrow_of(h, err, escrow, source_port, source_channel) &&
		     move(h, err, data->sender, escrow, (const char *)bank.data, &amount);
	else
		ok = burn(h, err, data->sender, (const char *)bank.data, &amount);
out:
	px_buf_free(&bank);
	return ok;
}

bool ibc_transfer_on_recv(const struct ibc_host *h, struct px_err *err,
			  const struct ibc_packet *pkt, const struct ibc_ics20_data *data)
{
	struct px_buf path = PX_BUF_INIT, bank = PX_BUF_INIT;
	char escrow[ESCROW_ADDR_MAX];
	struct ibc_u256 amount;
	bool home = false, ok = false;

	if (!data->denom) {
		px_err_set(err, PX_E_MALFORMED, "transfer data lacks a denom");
		goto out;
	}
	if (!ibc_ics20_recv_denom(err, &path, &home, data->denom, strlen(data->denom), pkt) ||
	    !coin_read(h, err, &amount, &bank, data, (const char *)path.data, path.len))
		goto out;
	if (home)
		/* The token returns to its source: the escrow of this end of
		 * the channel pays it out. */
		ok = escrow_of(h, err, escrow, pkt->destination_port, pkt->destination_channel) &&
		     move(h, err, escrow, data->receiver, (const char *)bank.data, &amount);
	else
		ok = mint(h, err, data->receiver, (const char *)bank.data, &amount);
out:
	px_buf_free(&path);
	px_buf_free(&bank);
	return ok;
}

bool ibc_transfer_refund(const struct ibc_host *h, struct px_err *err,
			 const struct ibc_packet *pkt, const struct ibc_ics20_data *data)
{
	struct px_buf bank = PX_BUF_INIT;
	char escrow[ESCROW_ADDR_MAX];
	struct ibc_u256 amount;
	struct ibc_denom d;
	bool ok = false;

	if (!data->denom) {
		px_err_set(err, PX_E_MALFORMED, "transfer data lacks a denom");
		goto out;
	}
	if (!coin_read(h, err, &amount, &bank, data, data->denom, strlen(data->denom)) ||
	    !ibc_denom_parse(err, &d, data->denom, strlen(data->denom)))
		goto out;
	if (ibc_ics20_sender_is_source(&d, pkt->source_port, pkt->source_channel))
		ok = escrow_of(h, err, escrow, pkt->source_port, pkt->source_channel) &&
		     move(h, err, escrow, data->sender, (const char *)bank.data, &amount);
	else
		ok = mint(h, err, data->sender, (const char *)bank.data, &amount);
out:
	px_buf_free(&bank);
	return ok;
}
