/* Tests of ibc/codec/packet.c: Packet, MsgRecvPacket, MsgAcknowledgement,
 * MsgTimeout. Round trips of samples, hand-derived canonical bytes,
 * every failure path, and the real-chain messages of
 * ../shared/vectors/cosmos/ibc_e2e_partial (argv[1]) when present. */
#include "codec_check.h"

#include <dirent.h>

#include "ibc/codec/commitment.h"

static const char *vectors_dir;

static void roundtrips(void **state)
{
	(void)state;
	check_roundtrip(IBC_MSG_RECV_PACKET);
	check_roundtrip(IBC_MSG_ACKNOWLEDGEMENT);
	check_roundtrip(IBC_MSG_TIMEOUT);
}

static void truncations(void **state)
{
	(void)state;
	check_truncations(IBC_MSG_RECV_PACKET);
	check_truncations(IBC_MSG_ACKNOWLEDGEMENT);
	check_truncations(IBC_MSG_TIMEOUT);
}

/* From channel.proto / tx.proto:
 * Packet: 08 01 (sequence 1), 12 08 "transfer", 1a 09 "channel-0",
 *   22 08 "transfer", 2a 09 "channel-1", 32 02 "ab",
 *   3a 02 {10 64} (timeout_height: revision_number 0 omitted, height 100),
 *   timeout_timestamp 0 omitted: 52 = 0x34 bytes.
 * MsgRecvPacket: 0a 34 <packet>, 12 03 010203 (proof_commitment),
 *   1a 04 {08 01 10 05} (proof_height 1-5), 22 06 "signer". */
#define RECV_HEX "0a34080112087472616e736665721a096368616e6e656c2d3022087472616e736665722a09" \
		 "6368616e6e656c2d31320261623a02106412030102031a040801100522067369676e6572"

static void canonical_recv_packet(void **state)
{
	struct ibc_msg d;
	struct px_buf raw = PX_BUF_INIT;
	const struct ibc_packet *p;

	(void)state;
	expect_canonical(IBC_MSG_RECV_PACKET, RECV_HEX, &d, &raw);
	p = &d.u.recv_packet.packet;
	assert_int_equal(p->sequence, 1);
	assert_string_equal(p->source_port, "transfer");
	assert_string_equal(p->destination_channel, "channel-1");
	assert_int_equal(p->data.len, 2);
	assert_memory_equal(p->data.ptr, "ab", 2);
	assert_int_equal(p->timeout_height.revision_height, 100);
	assert_int_equal(d.u.recv_packet.proof_height.revision_number, 1);
	assert_int_equal(d.u.recv_packet.proof_height.revision_height, 5);
	assert_int_equal(d.u.recv_packet.signer.len, 6);
	ibc_msg_free(&d);
	px_buf_free(&raw);
}

/* Zero values: packet (0a) and proof_height (1a) are gogoproto
 * non-nullable, so they are written; the packet holds its own
 * non-nullable timeout_height (3a 00); nothing else is written. */
static void empty_messages_keep_non_nullable(void **state)
{
	struct ibc_msg m;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_RECV_PACKET;
	expect_encoding(&m, "0a023a001a00");
	m.kind = IBC_MSG_ACKNOWLEDGEMENT;
	expect_encoding(&m, "0a023a002200");
	m.kind = IBC_MSG_TIMEOUT;
	expect_encoding(&m, "0a023a001a00");
	/* A packet alone: its timeout_height is written empty. */
	{
		struct px_buf b = PX_BUF_INIT;
		struct ibc_packet p;

		memset(&p, 0, sizeof(p));
		assert_true(ibc_packet_encode(NULL, &b, &p));
		assert_buf_eq(&b, (const uint8_t *)"\x3a\x00", 2);
		px_buf_free(&b);
	}
}

#define BYTES_OF(s) (const uint8_t *)(s), sizeof(s) - 1

static void failures(void **state)
{
	(void)state;
	/* Overlong varint: sequence 1 as 81 00. */
	expect_malformed(IBC_MSG_RECV_PACKET, BYTES_OF("\x0a\x03\x08\x81\x00"), "Packet.sequence",
			 "non-canonical varint");
	/* A singular field twice. */
	expect_malformed(IBC_MSG_RECV_PACKET, BYTES_OF("\x0a\x00\x0a\x00"), "MsgRecvPacket.packet",
			 "duplicate field");
	expect_malformed(IBC_MSG_TIMEOUT, BYTES_OF("\x20\x01\x20\x02"), "next_sequence_recv",
			 "duplicate field");
	/* packet as a varint; sequence as bytes. */
	expect_malformed(IBC_MSG_RECV_PACKET, BYTES_OF("\x08\x01"), "MsgRecvPacket.packet",
			 "unexpected wire type");
	expect_malformed(IBC_MSG_ACKNOWLEDGEMENT, BYTES_OF("\x0a\x02\x0a\x00"), "Packet.sequence",
			 "unexpected wire type");
	/* data claims 1 MiB + 1 bytes: over the cap before past the end. */
	expect_malformed(IBC_MSG_RECV_PACKET, BYTES_OF("\x0a\x04\x32\x81\x80\x40"), "Packet.data",
			 "length over limit");
	/* a length past the end of its message. */
	expect_malformed(IBC_MSG_RECV_PACKET, BYTES_OF("\x0a\x02\x12\x05"), "Packet.source_port",
			 "length past end of input");
	/* identifiers: NUL and over IBC_ID_MAX. */
	expect_malformed(IBC_MSG_RECV_PACKET, BYTES_OF("\x0a\x03\x12\x01\x00"), "source_port",
			 "NUL byte in string");
	{
		uint8_t big[140] = { 0x0a, 0x84, 0x01, 0x12, 0x81, 0x01 };

		memset(big + 6, 'p', 129);
		expect_malformed(IBC_MSG_RECV_PACKET, big, 135, "source_port", "length over limit");
	}
	/* Height's fields, a varint over 64 bits, field number 0, groups. */
	expect_malformed(IBC_MSG_TIMEOUT, BYTES_OF("\x1a\x0b\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02"),
			 "Height.revision_number", "varint overflows 64 bits");
	expect_malformed(IBC_MSG_TIMEOUT, BYTES_OF("\x00\x01"), "key", "bad field number");
	expect_malformed(IBC_MSG_TIMEOUT, BYTES_OF("\x0b"), "key", "unsupported wire type");
}

/* Unknown fields are skipped (and not re-encoded). */
static void unknown_fields_skipped(void **state)
{
	struct ibc_msg d;
	struct px_err err = { 0 };
	struct px_buf b = PX_BUF_INIT;
	static const uint8_t in[] = { 0x0a, 0x00, 0x78, 0x05, 0x1a, 0x00, 0xfa, 0x01, 0x01, 0x00 };

	(void)state;
	assert_true(ibc_msg_decode(&err, &d, url_of(IBC_MSG_RECV_PACKET), in, sizeof(in)));
	assert_true(ibc_msg_encode(&err, &b, &d));
	assert_buf_eq(&b, (const uint8_t *)"\x0a\x02\x3a\x00\x1a\x00", 6);
	px_buf_free(&b);
	ibc_msg_free(&d);
}

/* ---- real-chain messages */

static bool json_hex(struct px_buf *out, json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	struct px_err err = { 0 };

	return s && px_hex_decode(&err, out, s, strlen(s), false);
}

static void check_vector(const char *path)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_DECODE_INT_AS_REAL, &jerr), *pk;
	struct px_buf raw = PX_BUF_INIT, b = PX_BUF_INIT, iavl = PX_BUF_INIT, simple = PX_BUF_INIT;
	struct px_buf data = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_msg d;
	const struct ibc_packet *p;
	struct px_slice proof;
	struct ibc_height ph;
	struct ibc_merkle_proofs mp;

	if (!root)
		fail_msg("%s: %s", path, jerr.text);
	assert_true(json_hex(&raw, root, "msg_hex"));
	if (!ibc_msg_decode(&err, &d, ibc_str(json_string_value(json_object_get(root, "msg_type"))),
			    raw.data, raw.len))
		fail_msg("%s: %s", path, err.msg);
	assert_true(ibc_msg_encode(&err, &b, &d));
	assert_buf_eq(&b, raw.data, raw.len);

	switch (d.kind) {
	case IBC_MSG_RECV_PACKET:
		p = &d.u.recv_packet.packet;
		proof = d.u.recv_packet.proof_commitment;
		ph = d.u.recv_packet.proof_height;
		break;
	case IBC_MSG_ACKNOWLEDGEMENT:
		p = &d.u.acknowledgement.packet;
		proof = d.u.acknowledgement.proof_acked;
		ph = d.u.acknowledgement.proof_height;
		break;
	case IBC_MSG_TIMEOUT:
		p = &d.u.timeout.packet;
		proof = d.u.timeout.proof_unreceived;
		ph = d.u.timeout.proof_height;
		assert_true((double)d.u.timeout.next_sequence_recv ==
			    json_number_value(json_object_get(root, "next_sequence_recv")));
		break;
	default:
		fail_msg("%s: unexpected kind %s", path, ibc_msg_kind_name(d.kind));
		return;
	}
	pk = json_object_get(root, "packet");
	/* Integers are read as doubles: the file has 2^64-1 heights. */
	assert_true((double)p->sequence == json_number_value(json_object_get(pk, "sequence")));
	assert_string_equal(p->source_port, json_string_value(json_object_get(pk, "source_port")));
	assert_string_equal(p->source_channel,
			    json_string_value(json_object_get(pk, "source_channel")));
	assert_string_equal(p->destination_port,
			    json_string_value(json_object_get(pk, "destination_port")));
	assert_string_equal(p->destination_channel,
			    json_string_value(json_object_get(pk, "destination_channel")));
	assert_true(json_hex(&data, pk, "data_hex"));
	assert_int_equal(p->data.len, data.len);
	assert_memory_equal(p->data.ptr, data.data, data.len);
	assert_true((double)ph.revision_height ==
		    json_number_value(json_object_get(json_object_get(root, "proof_height"),
						      "revision_height")));
	/* The proof is a MerkleProof of the two ICS-23 proofs. */
	assert_true(ibc_merkle_proofs_decode(&err, &mp, proof.ptr, proof.len));
	assert_int_equal(mp.len, 2);
	assert_true(json_hex(&iavl, root, "proof_iavl_hex"));
	assert_true(json_hex(&simple, root, "proof_simple_hex"));
	assert_true(px_slice_eq(mp.proofs[0], px_slice_of(&iavl)));
	assert_true(px_slice_eq(mp.proofs[1], px_slice_of(&simple)));

	ibc_msg_free(&d);
	px_buf_free(&raw);
	px_buf_free(&b);
	px_buf_free(&iavl);
	px_buf_free(&simple);
	px_buf_free(&data);
	json_decref(root);
}

static void e2e_vectors(void **state)
{
	char dir[4096], path[4096 + 256];
	DIR *d;
	struct dirent *de;
	unsigned n = 0;

	(void)state;
	if (!vectors_dir)
		skip();
	snprintf(dir, sizeof(dir), "%s/cosmos/ibc_e2e_partial", vectors_dir);
	d = opendir(dir);
	if (!d) {
		printf("skipped: %s not found\n", dir);
		skip();
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		check_vector(path);
		n++;
	}
	closedir(d);
	printf("ibc_e2e_partial: %u messages decoded and re-encoded byte for byte\n", n);
	assert_true(n > 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrips),
		cmocka_unit_test(truncations),
		cmocka_unit_test(canonical_recv_packet),
		cmocka_unit_test(empty_messages_keep_non_nullable),
		cmocka_unit_test(failures),
		cmocka_unit_test(unknown_fields_skipped),
		cmocka_unit_test(e2e_vectors),
	};

	vectors_dir = argc > 1 ? argv[1] : NULL;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
