/* The text rules of Cosmos SDK transaction fields, shared by
 * tx_decode.c (decoding refuses what breaks them) and tx_encode.c (encoding
 * refuses to write it). Internal to chains/cosmos. */
#ifndef PX_CHAINS_COSMOS_TX_TEXT_H
#define PX_CHAINS_COSMOS_TX_TEXT_H

#include <stdbool.h>

#include "common/buf.h"

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
bool cosmos_utf8_valid(struct px_slice s);
/* The SDK's denom regex [a-zA-Z][a-zA-Z0-9/:._-]{2,127}. */
bool cosmos_denom_valid(struct px_slice d);
/* sdk.Int as its encoder writes it: 1..78 digits, no sign, no leading
 * zero except "0". */
bool cosmos_amount_valid(struct px_slice a);
/* A non-empty type URL of printable ASCII without spaces. */
bool cosmos_type_url_valid(struct px_slice u);

#endif
