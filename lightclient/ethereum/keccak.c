/* Keccak-256 (original Keccak padding) for Ethereum. The permutation is the
 * usual fully unrolled form on 64-bit lanes held in local variables: two
 * rounds per loop iteration, the second writing back into the first's
 * variables, so the compiler keeps the state in registers as far as it can.
 * Input is absorbed with little-endian 64-bit loads. */
#include "lightclient/ethereum/keccak.h"

#include <string.h>

#define ROL(x, s) (((x) << (s)) | ((x) >> (64 - (s))))

static const uint64_t round_constants[24] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* One round from the lanes named A* into the lanes named E*: theta (C, D),
 * rho and pi (B, one output row at a time), chi and iota. */
#define KECCAK_ROUND(A, E, rc) do { \
	Ca = A##ba ^ A##ga ^ A##ka ^ A##ma ^ A##sa; \
	Ce = A##be ^ A##ge ^ A##ke ^ A##me ^ A##se; \
	Ci = A##bi ^ A##gi ^ A##ki ^ A##mi ^ A##si; \
	Co = A##bo ^ A##go ^ A##ko ^ A##mo ^ A##so; \
	Cu = A##bu ^ A##gu ^ A##ku ^ A##mu ^ A##su; \
	Da = Cu ^ ROL(Ce, 1); \
	De = Ca ^ ROL(Ci, 1); \
	Di = Ce ^ ROL(Co, 1); \
	Do = Ci ^ ROL(Cu, 1); \
	Du = Co ^ ROL(Ca, 1); \
	Ba = (A##ba ^ Da); \
	Be = ROL(A##ge ^ De, 44); \
	Bi = ROL(A##ki ^ Di, 43); \
	Bo = ROL(A##mo ^ Do, 21); \
	Bu = ROL(A##su ^ Du, 14); \
	E##ba = Ba ^ (~Be & Bi) ^ (rc); \
	E##be = Be ^ (~Bi & Bo); \
	E##bi = Bi ^ (~Bo & Bu); \
	E##bo = Bo ^ (~Bu & Ba); \
	E##bu = Bu ^ (~Ba & Be); \
	Ba = ROL(A##bo ^ Do, 28); \
	Be = ROL(A##gu ^ Du, 20); \
	Bi = ROL(A##ka ^ Da, 3); \
	Bo = ROL(A##me ^ De, 45); \
	Bu = ROL(A##si ^ Di, 61); \
	E##ga = Ba ^ (~Be & Bi); \
	E##ge = Be ^ (~Bi & Bo); \
	E##gi = Bi ^ (~Bo & Bu); \
	E##go = Bo ^ (~Bu & Ba); \
	E##gu = Bu ^ (~Ba & Be); \
	Ba = ROL(A##be ^ De, 1); \
	Be = ROL(A##gi ^ Di, 6); \
	Bi = ROL(A##ko ^ Do, 25); \
	Bo = ROL(A##mu ^ Du, 8); \
	Bu = ROL(A##sa ^ Da, 18); \
	E##ka = Ba ^ (~Be & Bi); \
	E##ke = Be ^ (~Bi & Bo); \
	E##ki = Bi ^ (~Bo & Bu); \
	E##ko = Bo ^ (~Bu & Ba); \
	E##ku = Bu ^ (~Ba & Be); \
	Ba = ROL(A##bu ^ Du, 27); \
	Be = ROL(A##ga ^ Da, 36); \
	Bi = ROL(A##ke ^ De, 10); \
	Bo = ROL(A##mi ^ Di, 15); \
	Bu = ROL(A##so ^ Do, 56); \
	E##ma = Ba ^ (~Be & Bi); \
	E##me = Be ^ (~Bi & Bo); \
	E##mi = Bi ^ (~Bo & Bu); \
	E##mo = Bo ^ (~Bu & Ba); \
	E##mu = Bu ^ (~Ba & Be); \
	Ba = ROL(A##bi ^ Di, 62); \
	Be = ROL(A##go ^ Do, 55); \
	Bi = ROL(A##ku ^ Du, 39); \
	Bo = ROL(A##ma ^ Da, 41); \
	Bu = ROL(A##se ^ De, 2); \
	E##sa = Ba ^ (~Be & Bi); \
	E##se = Be ^ (~Bi & Bo); \
	E##si = Bi ^ (~Bo & Bu); \
	E##so = Bo ^ (~Bu & Ba); \
	E##su = Bu ^ (~Ba & Be); \
} while (0)


void eth_keccak_f1600(uint64_t st[25])
{
	uint64_t Aba, Abe, Abi, Abo, Abu, Aga, Age, Agi, Ago, Agu, Aka, Ake, Aki, Ako,
		 Aku, Ama, Ame, Ami, Amo, Amu, Asa, Ase, Asi, Aso, Asu;
	uint64_t Eba, Ebe, Ebi, Ebo, Ebu, Ega, Ege, Egi, Ego, Egu, Eka, Eke, Eki, Eko,
		 Eku, Ema, Eme, Emi, Emo, Emu, Esa, Ese, Esi, Eso, Esu;
	uint64_t Ba, Be, Bi, Bo, Bu, Ca, Ce, Ci, Co, Cu, Da, De, Di, Do, Du;

	Aba = st[0];
	Abe = st[1];
	Abi = st[2];
	Abo = st[3];
	Abu = st[4];
	Aga = st[5];
	Age = st[6];
	Agi = st[7];
	Ago = st[8];
	Agu = st[9];
	Aka = st[10];
	Ake = st[11];
	Aki = st[12];
	Ako = st[13];
	Aku = st[14];
	Ama = st[15];
	Ame = st[16];
	Ami = st[17];
	Amo = st[18];
	Amu = st[19];
	Asa = st[20];
	Ase = st[21];
	Asi = st[22];
	Aso = st[23];
	Asu = st[24];

	for (size_t r = 0; r < 24; r += 2) {
		KECCAK_ROUND(A, E, round_constants[r]);
		KECCAK_ROUND(E, A, round_constants[r + 1]);
	}

	st[0] = Aba;
	st[1] = Abe;
	st[2] = Abi;
	st[3] = Abo;
	st[4] = Abu;
	st[5] = Aga;
	st[6] = Age;
	st[7] = Agi;
	st[8] = Ago;
	st[9] = Agu;
	st[10] = Aka;
	st[11] = Ake;
	st[12] = Aki;
	st[13] = Ako;
	st[14] = Aku;
	st[15] = Ama;
	st[16] = Ame;
	st[17] = Ami;
	st[18] = Amo;
	st[19] = Amu;
	st[20] = Asa;
	st[21] = Ase;
	st[22] = Asi;
	st[23] = Aso;
	st[24] = Asu;
}

static inline uint64_t load64_le(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline void store64_le(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, 8);
}

/* XORs one full block (17 lanes) into the state. */
static inline void absorb_block(uint64_t st[25], const uint8_t *p)
{
	for (size_t i = 0; i < ETH_KECCAK256_RATE / 8; i++)
		st[i] ^= load64_le(p + 8 * i);
}

/* XORs len bytes at byte offset off of the current block (off + len <=
 * rate), byte by byte: used only for the ragged ends of an input. */
static void absorb_bytes(uint64_t st[25], size_t off, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		st[(off + i) / 8] ^= (uint64_t)p[i] << (8 * ((off + i) % 8));
}

void eth_keccak_init(struct eth_keccak *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

void eth_keccak_update(struct eth_keccak *ctx, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (len == 0)
		return;
	if (ctx->n) {
		size_t take = ETH_KECCAK256_RATE - ctx->n;

		if (take > len)
			take = len;
		absorb_bytes(ctx->st, ctx->n, p, take);
		ctx->n += take;
		p += take;
		len -= take;
		if (ctx->n < ETH_KECCAK256_RATE)
			return;
		eth_keccak_f1600(ctx->st);
		ctx->n = 0;
	}
	while (len >= ETH_KECCAK256_RATE) {
		absorb_block(ctx->st, p);
		eth_keccak_f1600(ctx->st);
		p += ETH_KECCAK256_RATE;
		len -= ETH_KECCAK256_RATE;
	}
	absorb_bytes(ctx->st, 0, p, len);
	ctx->n = len;
}

void eth_keccak_final_pad(struct eth_keccak *ctx, uint8_t out[ETH_KECCAK256_LEN], uint8_t pad)
{
	ctx->st[ctx->n / 8] ^= (uint64_t)pad << (8 * (ctx->n % 8));
	ctx->st[(ETH_KECCAK256_RATE - 1) / 8] ^= 0x80ULL << (8 * ((ETH_KECCAK256_RATE - 1) % 8));
	eth_keccak_f1600(ctx->st);
	for (size_t i = 0; i < ETH_KECCAK256_LEN / 8; i++)
		store64_le(out + 8 * i, ctx->st[i]);
	ctx->n = 0;
}

void eth_keccak_final(struct eth_keccak *ctx, uint8_t out[ETH_KECCAK256_LEN])
{
	eth_keccak_final_pad(ctx, out, ETH_KECCAK_PAD_KECCAK);
}

void eth_keccak256(uint8_t out[ETH_KECCAK256_LEN], const void *buf, size_t len)
{
	struct eth_keccak ctx;

	eth_keccak_init(&ctx);
	eth_keccak_update(&ctx, buf, len);
	eth_keccak_final(&ctx, out);
}
