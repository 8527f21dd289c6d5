/* Building, signing and verifying SIGN_MODE_DIRECT transactions (see
 * tx.h): the sign bytes are the SignDoc {body_bytes, auth_info_bytes,
 * chain_id, account_number}, and the signature is secp256k1 over their
 * SHA-256. The chain id and account number are not in the transaction, so
 * a signature made for another chain or account does not verify. */
#include "chains/cosmos/tx.h"

#include <stdlib.h>
#include <string.h>

#include "chains/cosmos/keys.h"

static bool chain_id_ok(struct px_slice id)
{
	return id.ptr && id.len > 0 && id.len <= COSMOS_CHAIN_ID_MAX;
}

/* cosmos.crypto.secp256k1.PubKey {bytes key = 1} for a compressed key. */
static void pubkey_proto(uint8_t out[2 + COSMOS_PUBKEY_LEN], const uint8_t pub[COSMOS_PUBKEY_LEN])
{
	out[0] = 0x0a;
	out[1] = COSMOS_PUBKEY_LEN;
	memcpy(out + 2, pub, COSMOS_PUBKEY_LEN);
}

static bool check_params(struct px_err *err, const struct cosmos_tx_params *p)
{
	if (p->n_messages == 0 || p->n_messages > COSMOS_TX_MAX_MSGS || !p->messages)
		return px_err_set(err, PX_E_USAGE, "sign: %zu messages, want 1..%d", p->n_messages,
				  COSMOS_TX_MAX_MSGS);
	if (p->n_fee > COSMOS_TX_MAX_COINS || (p->n_fee > 0 && !p->fee))
		return px_err_set(err, PX_E_USAGE, "sign: %zu fee coins, limit %d", p->n_fee,
				  COSMOS_TX_MAX_COINS);
	if (!chain_id_ok(p->chain_id))
		return px_err_set(err, PX_E_USAGE, "sign: chain id must be 1..%d bytes",
				  COSMOS_CHAIN_ID_MAX);
	return true;
}

bool cosmos_tx_sign_direct(struct px_err *err, struct px_buf *tx_raw, struct px_buf *sign_bytes,
			   const struct cosmos_key *key, const struct cosmos_tx_params *params)
{
	struct px_buf body_b = PX_BUF_INIT, auth_b = PX_BUF_INIT, doc_b = PX_BUF_INIT;
	struct px_buf raw_b = PX_BUF_INIT;
	struct cosmos_tx_body *body = NULL;
	struct cosmos_auth_info *ai = NULL;
	struct cosmos_signer_info *si;
	struct cosmos_sign_doc doc;
	struct cosmos_tx_raw raw;
	uint8_t pk[2 + COSMOS_PUBKEY_LEN];
	uint8_t sig[COSMOS_SIG_LEN];
	bool ok = false;

	if (!tx_raw || !key || !params)
		return px_err_set(err, PX_E_USAGE, "sign: NULL argument");
	if (!check_params(err, params))
		return false;
	/* Both structs hold fixed arrays sized for the decode caps: too big
	 * for a comfortable stack frame. */
	body = calloc(1, sizeof(*body));
	ai = calloc(1, sizeof(*ai));
	if (!body || !ai) {
		px_err_set(err, PX_E_NOMEM, "sign: out of memory");
		goto out;
	}

	memcpy(body->messages, params->messages, params->n_messages * sizeof(*params->messages));
	body->n_messages = params->n_messages;
	body->memo = params->memo;
	body->timeout_height = params->timeout_height;
	if (!cosmos_tx_body_encode(err, &body_b, body))
		goto out;

	pubkey_proto(pk, key->pub);
	si = &ai->signer_infos[0];
	si->has_public_key = true;
	si->public_key.type_url = cosmos_str(COSMOS_SECP256K1_PUBKEY_URL);
	si->public_key.value.ptr = pk;
	si->public_key.value.len = sizeof(pk);
	si->has_mode_info = true;
	si->has_single = true;
	si->mode = COSMOS_SIGN_MODE_DIRECT;
	si->sequence = params->sequence;
	ai->n_signer_infos = 1;
	ai->has_fee = true;
	if (params->n_fee > 0)
		memcpy(ai->fee.amount, params->fee, params->n_fee * sizeof(*params->fee));
	ai->fee.n_amount = params->n_fee;
	ai->fee.gas_limit = params->gas_limit;
	ai->fee.payer = params->payer;
	ai->fee.granter = params->granter;
	if (!cosmos_auth_info_encode(err, &auth_b, ai))
		goto out;

	memset(&doc, 0, sizeof(doc));
	doc.body_bytes = px_slice_of(&body_b);
	doc.auth_info_bytes = px_slice_of(&auth_b);
	doc.chain_id = params->chain_id;
	doc.account_number = params->account_number;
	if (!cosmos_sign_doc_encode(err, &doc_b, &doc))
		goto out;
	if (!cosmos_key_sign(err, sig, key, doc_b.data, doc_b.len))
		goto out;

	memset(&raw, 0, sizeof(raw));
	raw.body_bytes = px_slice_of(&body_b);
	raw.auth_info_bytes = px_slice_of(&auth_b);
	raw.signatures[0].ptr = sig;
	raw.signatures[0].len = sizeof(sig);
	raw.n_signatures = 1;
	if (!cosmos_tx_raw_encode(err, &raw_b, &raw))
		goto out;

	/* Only now touch the caller's buffers, so they stay as they were on
	 * any failure above. */
	px_buf_free(tx_raw);
	*tx_raw = raw_b;
	px_buf_init(&raw_b);
	if (sign_bytes) {
		px_buf_free(sign_bytes);
		*sign_bytes = doc_b;
		px_buf_init(&doc_b);
	}
	ok = true;
out:
	px_buf_free(&body_b);
	px_buf_free(&auth_b);
	px_buf_free(&doc_b);
	px_buf_free(&raw_b);
	free(body);
	free(ai);
	return ok;
}

bool cosmos_tx_check_basic(struct px_err *err, const struct cosmos_tx *tx)
{
	if (!tx)
		return px_err_set(err, PX_E_USAGE, "tx: NULL argument");
	if (tx->body.n_messages == 0)
		return px_err_set(err, PX_E_MALFORMED, "tx: no messages");
	if (!tx->auth_info.has_fee)
		return px_err_set(err, PX_E_MALFORMED, "tx: missing fee");
	if (tx->auth_info.has_tip)
		return px_err_set(err, PX_E_UNSUPPORTED, "tx: tips are not supported");
	if (tx->auth_info.n_signer_infos == 0)
		return px_err_set(err, PX_E_MALFORMED, "tx: no signers");
	if (tx->raw.n_signatures != tx->auth_info.n_signer_infos)
		return px_err_set(err, PX_E_MALFORMED, "tx: %zu signatures for %zu signers",
				  tx->raw.n_signatures, tx->auth_info.n_signer_infos);
	return true;
}

static bool usable_signer(struct px_err *err, const struct cosmos_tx *tx, size_t index)
{
	const struct cosmos_signer_info *si;

	if (index >= tx->auth_info.n_signer_infos)
		return px_err_set(err, PX_E_MALFORMED, "tx: no signer %zu", index);
	si = &tx->auth_info.signer_infos[index];
	if (!si->has_public_key)
		return px_err_set(err, PX_E_UNSUPPORTED,
				  "tx: signer %zu has no public key (keys from state are not used)",
				  index);
	if (!si->has_secp256k1_key)
		return px_err_set(err, PX_E_UNSUPPORTED, "tx: signer %zu: key type '%.*s'", index,
				  (int)(si->public_key.type_url.len > 80 ? 80
									  : si->public_key.type_url.len),
				  (const char *)si->public_key.type_url.ptr);
	return true;
}

bool cosmos_tx_signer_address(struct px_err *err, uint8_t out[COSMOS_ADDR_LEN],
			      const struct cosmos_tx *tx, size_t index)
{
	if (!out || !tx)
		return px_err_set(err, PX_E_USAGE, "tx: NULL argument");
	memset(out, 0, COSMOS_ADDR_LEN);
	if (!usable_signer(err, tx, index))
		return false;
	cosmos_pubkey_address(out, tx->auth_info.signer_infos[index].secp256k1_key);
	return true;
}

bool cosmos_tx_verify_signature(struct px_err *err, const struct cosmos_tx *tx, size_t index,
				struct px_slice chain_id, uint64_t account_number)
{
	const struct cosmos_signer_info *si;
	struct px_buf doc_b = PX_BUF_INIT;
	struct cosmos_sign_doc doc;
	struct px_slice sig;
	bool ok = false;

	if (!tx)
		return px_err_set(err, PX_E_USAGE, "tx: NULL argument");
	if (!chain_id_ok(chain_id))
		return px_err_set(err, PX_E_USAGE, "tx: chain id must be 1..%d bytes",
				  COSMOS_CHAIN_ID_MAX);
	if (!usable_signer(err, tx, index))
		return false;
	if (tx->raw.n_signatures != tx->auth_info.n_signer_infos)
		return px_err_set(err, PX_E_MALFORMED, "tx: %zu signatures for %zu signers",
				  tx->raw.n_signatures, tx->auth_info.n_signer_infos);
	si = &tx->auth_info.signer_infos[index];
	if (!si->has_single || si->mode != COSMOS_SIGN_MODE_DIRECT)
		return px_err_set(err, PX_E_UNSUPPORTED, "tx: signer %zu: sign mode %u, want DIRECT",
				  index, si->has_single ? si->mode : 0);

	memset(&doc, 0, sizeof(doc));
	doc.body_bytes = tx->raw.body_bytes;
	doc.auth_info_bytes = tx->raw.auth_info_bytes;
	doc.chain_id = chain_id;
	doc.account_number = account_number;
	if (!cosmos_sign_doc_encode(err, &doc_b, &doc))
		goto out;
	sig = tx->raw.signatures[index];
	if (!cosmos_signature_verify(err, si->secp256k1_key, COSMOS_PUBKEY_LEN, doc_b.data,
				     doc_b.len, sig.ptr, sig.len)) {
		px_err_prefix(err, "tx: signer %zu: ", index);
		goto out;
	}
	ok = true;
out:
	px_buf_free(&doc_b);
	return ok;
}
