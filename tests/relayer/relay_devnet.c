/* Chain-side checks for the `pontifex start` integration test
 * (test_relay_devnet.sh), read straight from a pontifex-devnet node:
 *
 *   relay_devnet msgs URL FROM TO      every MsgRecvPacket, MsgAcknowledgement
 *                                      and MsgTimeout in blocks FROM..TO, one
 *                                      line "KIND SRC_CHANNEL SEQUENCE" each,
 *                                      whatever the tx's result (a second
 *                                      relay of one packet shows as a repeat)
 *   relay_devnet height URL            the node's latest height
 *   relay_devnet fault URL NAME VALUE  sets a fault switch (node with --admin)
 *   relay_devnet balance URL ADDR DENOM  the bank balance
 *   relay_devnet escrow CHANNEL        the ICS-20 escrow address of transfer/CHANNEL
 *   relay_devnet voucher CHANNEL DENOM the ibc/ denomination of DENOM received
 *                                      over transfer/CHANNEL
 * Exits 1 with a message on any failure. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/cometbft/client.h"
#include "chains/cosmos/bech32.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "common/log.h"
#include "common/number.h"
#include "common/protobuf.h"
#include "ibc/codec/msg.h"
#include "tests/relayer/devnet_client.h"

static void die(const char *what, const struct px_err *err)
{
	fprintf(stderr, "relay_devnet: %s: %s\n", what, err ? err->msg : "");
	exit(1);
}

static struct dc_node node = { .die = die };

static uint64_t u64_arg(const char *s)
{
	struct px_err err = { 0 };
	uint64_t v;

	if (!px_parse_u64(&err, &v, s, strlen(s)))
		die(s, &err);
	return v;
}

static void print_msg(void *arg, int64_t height, size_t tx_index, const struct ibc_msg *m)
{
	const struct ibc_packet *p = NULL;
	const char *kind = NULL;

	(void)arg;
	(void)height;
	(void)tx_index;
	if (m->kind == IBC_MSG_RECV_PACKET) {
		kind = "recv";
		p = &m->u.recv_packet.packet;
	} else if (m->kind == IBC_MSG_ACKNOWLEDGEMENT) {
		kind = "ack";
		p = &m->u.acknowledgement.packet;
	} else if (m->kind == IBC_MSG_TIMEOUT) {
		kind = "timeout";
		p = &m->u.timeout.packet;
	}
	if (p)
		printf("%s %s %" PRIu64 "\n", kind, p->source_channel, p->sequence);
	else if (m->kind == IBC_MSG_UPDATE_CLIENT)
		printf("update %s\n", m->u.update_client.client_id);
}

static void balance(const char *addr, const char *denom)
{
	struct px_buf q = PX_BUF_INIT, v = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct px_cursor c, coin;
	const char *val;
	json_t *res;
	uint64_t amount = 0;

	px_pb_put_bytes(&q, 1, (const uint8_t *)addr, strlen(addr));
	px_pb_put_bytes(&q, 2, (const uint8_t *)denom, strlen(denom));
	res = dc_call(&node, "abci_query",
		      cmt_params_abci_query("/cosmos.bank.v1beta1.Query/Balance", q.data, q.len, 0,
					    false));
	val = json_string_value(json_object_get(json_object_get(res, "response"), "value"));
	if (val && !px_base64_decode(&err, &v, val, strlen(val), PX_B64_STD))
		die("balance", &err);
	c = px_cursor_init(v.data, v.len);
	while (px_cursor_more(&c)) {
		uint32_t f, w;

		px_pb_read_tag(&c, &f, &w);
		if (f != 1) {
			px_pb_skip(&c, w);
			continue;
		}
		px_pb_read_message(&c, w, &coin, 1024);
		while (px_cursor_more(&coin)) {
			struct px_slice s;

			px_pb_read_tag(&coin, &f, &w);
			px_pb_read_bytes(&coin, w, &s, 128);
			if (f == 2) {
				char num[64] = { 0 };

				memcpy(num, s.ptr, s.len < 63 ? s.len : 63);
				amount = u64_arg(num);
			}
		}
	}
	printf("%" PRIu64 "\n", amount);
	json_decref(res);
	px_buf_free(&q);
	px_buf_free(&v);
}

int main(int argc, char **argv)
{
	struct px_err err = { 0 };

	px_log_setup(PX_LOG_WARN, PX_LOG_TEXT, stderr);
	if (argc == 3 && strcmp(argv[1], "escrow") == 0) {
		uint8_t pre[160], d[32];
		char out[96];
		int n = snprintf((char *)pre, sizeof(pre), "ics20-1%ctransfer/%s", 0, argv[2]);

		px_sha256(d, pre, (size_t)n);
		if (!cosmos_address_encode(&err, out, sizeof(out), "cosmos", d, 20))
			die("escrow", &err);
		printf("%s\n", out);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "voucher") == 0) {
		char path[256], hex[65];
		uint8_t d[32];
		int n = snprintf(path, sizeof(path), "transfer/%s/%s", argv[2], argv[3]);

		px_sha256(d, (const uint8_t *)path, (size_t)n);
		px_hex_encode(hex, sizeof(hex), d, 32, true);
		printf("ibc/%s\n", hex);
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: relay_devnet msgs|height|balance|escrow|voucher ...\n");
		return 2;
	}
	dc_connect(&node, argv[2]);
	if (strcmp(argv[1], "msgs") == 0 && argc == 5)
		dc_each_msg(&node, (int64_t)u64_arg(argv[3]), (int64_t)u64_arg(argv[4]), print_msg,
			    NULL);
	else if (strcmp(argv[1], "fault") == 0 && argc == 5)
		json_decref(dc_call(&node, "devnet_fault", json_pack("{s:s, s:s}", "name", argv[3],
								     "value", argv[4])));
	else if (strcmp(argv[1], "height") == 0 && argc == 3)
		printf("%" PRId64 "\n", dc_latest(&node));
	else if (strcmp(argv[1], "balance") == 0 && argc == 5)
		balance(argv[3], argv[4]);
	else
		die("usage", NULL);
	dc_close(&node);
	return 0;
}
