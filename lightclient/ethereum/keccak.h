/* Keccak-256 as Ethereum uses it: the Keccak sponge with rate 136 bytes and
 * the original padding (domain byte 0x01), not FIPS-202 SHA3-256 (0x06).
 * Written here because OpenSSL 3.0 offers only the FIPS variant. Everything
 * Ethereum commits to (block headers, trie nodes, trie paths of accounts and
 * slots) is named by this hash.
 *
 * Incremental use: init, update any number of times, final. The context
 * holds no pointers and may be copied to fork a running hash. */
#ifndef PX_LIGHTCLIENT_ETH_KECCAK_H
#define PX_LIGHTCLIENT_ETH_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define ETH_KECCAK256_LEN 32
#define ETH_KECCAK256_RATE 136

/* Domain (padding) bytes: Ethereum's Keccak-256 and, for tests against
 * other implementations, FIPS-202 SHA3-256 on the same permutation. */
#define ETH_KECCAK_PAD_KECCAK 0x01
#define ETH_KECCAK_PAD_SHA3 0x06

struct eth_keccak {
	uint64_t st[25];
	size_t n;	/* bytes absorbed into the current block, < rate */
};

void eth_keccak_init(struct eth_keccak *ctx);
void eth_keccak_update(struct eth_keccak *ctx, const void *buf, size_t len);
/* Writes the digest; the context must be initialised again before reuse. */
void eth_keccak_final(struct eth_keccak *ctx, uint8_t out[ETH_KECCAK256_LEN]);
/* The same with another domain byte (ETH_KECCAK_PAD_SHA3 gives SHA3-256). */
void eth_keccak_final_pad(struct eth_keccak *ctx, uint8_t out[ETH_KECCAK256_LEN], uint8_t pad);

/* One-shot Keccak-256. out may alias buf. */
void eth_keccak256(uint8_t out[ETH_KECCAK256_LEN], const void *buf, size_t len);

/* The Keccak-f[1600] permutation (24 rounds) on 25 little-endian lanes. */
void eth_keccak_f1600(uint64_t st[25]);

#endif
