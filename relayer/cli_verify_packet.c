/* `pontifex verify packet`: the offline audit of relayed IBC packet
 * messages (ibc/core/audit.h) on files. This layer reads the message file
 * and the light blocks, verifies the header with the Tendermint light
 * client when one is given, and prints the report: text on stdout, or one
 * JSON object with --json. Exit 0 every packet message verified, 1 one is
 * well formed but not verified (or the header does not verify), 2 usage or
 * malformed input, 3 a file could not be read. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/encoding.h"
#include "common/json.h"
#include "common/number.h"
#include "ibc/core/audit.h"
#include "lightclient/tendermint/verify.h"
#include "relayer/cli.h"

#define LIGHT_BLOCK_CAP (64u << 20)

/* Where the app hash came from. */
struct anchor {
	uint8_t app_hash[IBC_AUDIT_MAX_APP_HASH];
	size_t app_hash_len;
	bool from_header;
	int64_t header_height;
	int64_t trusted_height;
	char chain_id[TM_MAX_CHAIN_ID + 1];
	struct px_time header_time;
};

/* Loads a light block; a fault in the operator's trusted block is bad
 * input (2xx), never "not verified". */
static bool block_load(struct px_err *err, struct tm_light_block *out, const char *opt,
		       const char *path)
{
	json_t *doc = rly_cli_load_json(err, path, LIGHT_BLOCK_CAP);
	bool ok = doc && tm_light_block_from_json(err, out, doc);

	if (doc && !ok)
		px_err_prefix(err, "--%s %s: ", opt, path);
	json_decref(doc);
	return ok;
}

/* The app hash of a header the light client verifies from the trusted
 * block. Only the verification itself can fail with a 3xx code. */
static bool anchor_from_header(struct px_err *err, struct anchor *a, const char *trusted_path,
			       const char *header_path, const struct tm_options *o,
			       struct px_time now)
{
	struct tm_light_block tlb = { 0 }, ulb = { 0 };
	struct tm_trusted trusted = { 0 }, next = { 0 };
	bool ok = false;

	if (!block_load(err, &tlb, "trusted", trusted_path))
		goto out;
	if (!tm_trust_anchor(err, &trusted, &tlb)) {
		if (err->code / 100 == 3)
			err->code = PX_E_MALFORMED;
		px_err_prefix(err, "--trusted %s: ", trusted_path);
		goto out;
	}
	if (!block_load(err, &ulb, "header", header_path))
		goto out;
	if (!tm_verify(err, &next, &trusted, &ulb, o, now)) {
		px_err_prefix(err, "header %lld: ", (long long)ulb.signed_header.header.height);
		goto out;
	}
	if (next.header.app_hash.len == 0 || next.header.app_hash.len > sizeof(a->app_hash)) {
		px_err_set(err, PX_E_MALFORMED, "--header %s: app_hash of %zu bytes", header_path,
			   next.header.app_hash.len);
		goto out;
	}
	memcpy(a->app_hash, next.header.app_hash.b, next.header.app_hash.len);
	a->app_hash_len = next.header.app_hash.len;
	a->from_header = true;
	a->header_height = next.header.height;
	a->trusted_height = trusted.header.height;
	a->header_time = next.header.time;
	snprintf(a->chain_id, sizeof(a->chain_id), "%s", next.header.chain_id);
	ok = true;
out:
	tm_light_block_free(&tlb);
	tm_light_block_free(&ulb);
	tm_trusted_free(&trusted);
	tm_trusted_free(&next);
	return ok;
}

/* One audited message. */
struct outcome {
	const struct ibc_audit_item *item;
	struct ibc_audit_report r;
	struct px_err err;
	int status;	/* 0, 1 or 2 (3 for resources) */
};

static char *hex_alloc(const uint8_t *b, size_t n, bool upper)
{
	char *s = malloc(2 * n + 1);

	if (s)
		px_hex_encode(s, 2 * n + 1, b, n, upper);
	return s;
}

static json_t *hex_json(const uint8_t *b, size_t n, bool upper)
{
	char *s = hex_alloc(b, n, upper);
	json_t *v = s ? json_string(s) : NULL;

	free(s);
	return v;
}

static json_t *u64_json(uint64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%llu", (unsigned long long)v);
	return json_string(s);
}

static json_t *height_json(struct ibc_height h)
{
	json_t *o = json_object();

	json_object_set_new(o, "revision_number", u64_json(h.revision_number));
	json_object_set_new(o, "revision_height", u64_json(h.revision_height));
	return o;
}

static json_t *outcome_json(const struct outcome *oc)
{
	const struct ibc_audit_item *it = oc->item;
	const struct ibc_audit_report *r = &oc->r;
	json_t *o = json_object();

	json_object_set_new(o, "index", json_integer((json_int_t)it->index));
	json_object_set_new(o, "type", json_string(it->kind == IBC_MSG_UNKNOWN
							   ? "unknown"
							   : ibc_msg_kind_name(it->kind)));
	if (it->type_url.len)
		json_object_set_new(o, "type_url", json_stringn((const char *)it->type_url.ptr,
								it->type_url.len));
	json_object_set_new(o, "checked", json_boolean(it->is_packet));
	if (!it->is_packet)
		return o;
	json_object_set_new(o, "verified", json_boolean(r->verified));
	json_object_set_new(o, "code", json_integer(r->verified ? 0 : oc->err.code));
	json_object_set_new(o, "message", json_string(r->verified ? "verified" : oc->err.msg));
	if (r->packet) {
		const struct ibc_packet *p = r->packet;

		json_object_set_new(o, "sequence", u64_json(p->sequence));
		json_object_set_new(o, "source_port", json_string(p->source_port));
		json_object_set_new(o, "source_channel", json_string(p->source_channel));
		json_object_set_new(o, "destination_port", json_string(p->destination_port));
		json_object_set_new(o, "destination_channel", json_string(p->destination_channel));
		json_object_set_new(o, "timeout_height", height_json(p->timeout_height));
		json_object_set_new(o, "timeout_timestamp", u64_json(p->timeout_timestamp));
		json_object_set_new(o, "data_length", json_integer((json_int_t)p->data.len));
	}
	json_object_set_new(o, "proof_height", height_json(r->proof_height));
	if (it->kind == IBC_MSG_ACKNOWLEDGEMENT)
		json_object_set_new(o, "acknowledgement",
				    hex_json(it->msg.u.ack.acknowledgement.ptr,
					     it->msg.u.ack.acknowledgement.len, false));
	if (it->kind != IBC_MSG_RECV_PACKET)
		json_object_set_new(o, "sender_commitment",
				    hex_json(r->packet_commitment, sizeof(r->packet_commitment),
					     false));
	if (it->kind == IBC_MSG_TIMEOUT) {
		json_object_set_new(o, "next_sequence_recv", u64_json(r->next_sequence_recv));
		json_object_set_new(o, "timeout_elapsed",
				    json_string(ibc_audit_elapsed_name(r->elapsed)));
	}
	if (r->claim != IBC_AUDIT_CLAIM_NONE) {
		json_object_set_new(o, "proves", json_string(ibc_audit_claim_name(r->claim)));
		json_object_set_new(o, "prefix", json_string(r->path.prefix));
		json_object_set_new(o, "path", json_string(r->path.key.s));
		json_object_set_new(o, "exists", json_boolean(r->value_len > 0));
		json_object_set_new(o, "value", r->value_len ? hex_json(r->value, r->value_len, false)
							     : json_null());
	}
	json_object_set_new(o, "proof_verified", json_boolean(r->proof_ok));
	return o;
}

static void print_json_report(const struct ibc_audit_input *in,
			      const struct anchor *a, const struct outcome *ocs,
			      const struct outcome *first_bad, bool ok)
{
	json_t *o = json_object(), *msgs = json_array();
	char *text;

	json_object_set_new(o, "verified", json_boolean(ok));
	json_object_set_new(o, "code", json_integer(ok ? 0 : first_bad->err.code));
	json_object_set_new(o, "message", json_string(ok ? "every packet message verified"
							 : first_bad->err.msg));
	json_object_set_new(o, "source", json_string(ibc_audit_source_name(in->source)));
	if (in->tx_height > 0)
		json_object_set_new(o, "tx_height", json_integer(in->tx_height));
	json_object_set_new(o, "app_hash", hex_json(a->app_hash, a->app_hash_len, true));
	json_object_set_new(o, "app_hash_from", json_string(a->from_header ? "header" : "given"));
	if (a->from_header) {
		json_object_set_new(o, "chain_id", json_string(a->chain_id));
		json_object_set_new(o, "header_height", json_integer(a->header_height));
		json_object_set_new(o, "trusted_height", json_integer(a->trusted_height));
	}
	for (size_t i = 0; i < in->n_items; i++)
		json_array_append_new(msgs, outcome_json(&ocs[i]));
	json_object_set_new(o, "messages", msgs);
	text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	printf("%s\n", text ? text : "{\"verified\":false,\"code\":100,\"message\":\"out of memory\"}");
	free(text);
	json_decref(o);
}

/* Bytes as text when short and printable, else hex. */
static void print_bytes(const uint8_t *b, size_t n)
{
	bool printable = n > 0 && n <= 200;

	for (size_t i = 0; i < n && printable; i++)
		printable = b[i] >= 0x20 && b[i] < 0x7f;
	if (printable) {
		printf("%.*s", (int)n, (const char *)b);
		return;
	}
	for (size_t i = 0; i < n && i < 100; i++)
		printf("%02x", b[i]);
	if (n > 100)
		printf("... (%zu bytes)", n);
}

static void print_text_outcome(const struct outcome *oc, const struct ibc_audit_input *in)
{
	const struct ibc_audit_item *it = oc->item;
	const struct ibc_audit_report *r = &oc->r;
	const struct ibc_packet *p = r->packet;
	char *hex;

	if (in->source == IBC_AUDIT_SRC_TX || in->source == IBC_AUDIT_SRC_TX_JSON)
		printf("message %zu: ", it->index);
	if (!it->is_packet) {
		printf("%.*s (not a packet message, not checked)\n", (int)it->type_url.len,
		       (const char *)it->type_url.ptr);
		return;
	}
	printf("%s\n", ibc_msg_kind_name(it->kind));
	if (p) {
		printf("  packet:        %s/%s -> %s/%s sequence %llu\n", p->source_port,
		       p->source_channel, p->destination_port, p->destination_channel,
		       (unsigned long long)p->sequence);
		printf("  timeout:       height %llu-%llu, timestamp %llu\n",
		       (unsigned long long)p->timeout_height.revision_number,
		       (unsigned long long)p->timeout_height.revision_height,
		       (unsigned long long)p->timeout_timestamp);
		printf("  data:          %zu bytes\n", p->data.len);
	}
	if (it->kind == IBC_MSG_ACKNOWLEDGEMENT) {
		printf("  ack:           ");
		print_bytes(it->msg.u.ack.acknowledgement.ptr, it->msg.u.ack.acknowledgement.len);
		printf("\n");
	}
	printf("  proof height:  %llu-%llu\n", (unsigned long long)r->proof_height.revision_number,
	       (unsigned long long)r->proof_height.revision_height);
	if (r->claim != IBC_AUDIT_CLAIM_NONE) {
		printf("  proves:        %s\n", ibc_audit_claim_name(r->claim));
		printf("  path:          %s/%s\n", r->path.prefix, r->path.key.s);
		if (r->value_len) {
			hex = hex_alloc(r->value, r->value_len, false);
			printf("  value:         %s\n", hex ? hex : "?");
			free(hex);
		} else {
			printf("  value:         (absent)\n");
		}
	}
	if (it->kind != IBC_MSG_RECV_PACKET && p) {
		hex = hex_alloc(r->packet_commitment, sizeof(r->packet_commitment), false);
		printf("  sender holds:  %s (not proven here)\n", hex ? hex : "?");
		free(hex);
	}
	if (it->kind == IBC_MSG_TIMEOUT) {
		printf("  next seq recv: %llu\n", (unsigned long long)r->next_sequence_recv);
		printf("  timed out:     %s\n", ibc_audit_elapsed_name(r->elapsed));
	}
	if (r->verified)
		printf("  verdict:       verified\n");
	else if (oc->status == 1)
		printf("  verdict:       NOT VERIFIED: %s (%d): %s\n", px_code_name(oc->err.code),
		       oc->err.code, oc->err.msg);
	else
		printf("  verdict:       MALFORMED: %s (%d): %s\n", px_code_name(oc->err.code),
		       oc->err.code, oc->err.msg);
}

static void print_text_report(const struct ibc_audit_input *in, const struct anchor *a,
			      const struct outcome *ocs, const struct outcome *first_bad, bool ok)
{
	char *hex = hex_alloc(a->app_hash, a->app_hash_len, true);

	if (a->from_header)
		printf("app hash %s (header %lld of %s, verified from trusted height %lld)\n",
		       hex ? hex : "?", (long long)a->header_height, a->chain_id,
		       (long long)a->trusted_height);
	else
		printf("app hash %s (given)\n", hex ? hex : "?");
	free(hex);
	for (size_t i = 0; i < in->n_items; i++)
		print_text_outcome(&ocs[i], in);
	if (ok) {
		printf("verified: %zu packet message%s\n", in->n_packets,
		       in->n_packets == 1 ? "" : "s");
	} else if (first_bad->status == 1) {
		fprintf(stderr, "not verified: %s (%d): %s\n", px_code_name(first_bad->err.code),
			first_bad->err.code, first_bad->err.msg);
	} else {
		fprintf(stderr, "pontifex: %s\n", first_bad->err.msg);
	}
}

static bool kind_opt(enum ibc_msg_kind *out, const char *s)
{
	if (strcmp(s, "recv") == 0 || strcmp(s, "MsgRecvPacket") == 0)
		*out = IBC_MSG_RECV_PACKET;
	else if (strcmp(s, "ack") == 0 || strcmp(s, "MsgAcknowledgement") == 0)
		*out = IBC_MSG_ACKNOWLEDGEMENT;
	else if (strcmp(s, "timeout") == 0 || strcmp(s, "MsgTimeout") == 0)
		*out = IBC_MSG_TIMEOUT;
	else
		return false;
	return true;
}

int rly_cmd_verify_packet(const struct rly_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "msg", required_argument, NULL, 'm' },
		{ "app-hash", required_argument, NULL, 'a' },
		{ "trusted", required_argument, NULL, 't' },
		{ "header", required_argument, NULL, 'H' },
		{ "now", required_argument, NULL, 'n' },
		{ "trusting-period", required_argument, NULL, 'p' },
		{ "trust-level", required_argument, NULL, 'l' },
		{ "clock-drift", required_argument, NULL, 'd' },
		{ "prefix", required_argument, NULL, 'P' },
		{ "type", required_argument, NULL, 'T' },
		{ "ordering", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *msg_path = NULL, *app_hex = NULL, *trusted_path = NULL, *header_path = NULL;
	const char *now_s = NULL, *period = NULL, *level = NULL, *drift = NULL;
	const char *prefix = IBC_STORE_PREFIX, *format = NULL;
	enum ibc_msg_kind hint = IBC_MSG_UNKNOWN;
	struct ibc_audit_opts aopts = { 0 };
	struct px_buf file = PX_BUF_INIT, bytes = PX_BUF_INIT, app = PX_BUF_INIT;
	struct ibc_audit_input in = { 0 };
	struct outcome *ocs = NULL;
	const struct outcome *first_bad = NULL;
	struct anchor a = { 0 };
	struct tm_options o;
	struct px_time now;
	struct px_err err = { 0 };
	int opt, status = 0;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'm': msg_path = optarg; break;
		case 'a': app_hex = optarg; break;
		case 't': trusted_path = optarg; break;
		case 'H': header_path = optarg; break;
		case 'n': now_s = optarg; break;
		case 'p': period = optarg; break;
		case 'l': level = optarg; break;
		case 'd': drift = optarg; break;
		case 'P': prefix = optarg; break;
		case 'T':
			if (!kind_opt(&hint, optarg))
				return rly_cli_usage(cli, "verify", "--type: '%s' (recv, ack or timeout)",
						       optarg);
			break;
		case 'o':
			if (strcmp(optarg, "ordered") == 0)
				aopts.ordering = IBC_AUDIT_ORDER_ORDERED;
			else if (strcmp(optarg, "unordered") == 0)
				aopts.ordering = IBC_AUDIT_ORDER_UNORDERED;
			else
				return rly_cli_usage(cli, "verify", "--ordering: '%s' (ordered or unordered)",
						       optarg);
			break;
		case 'h': return rly_cmd_verify(cli, 2, (char *[]){ "verify", "--help", NULL });
		case ':': return rly_cli_usage(cli, "verify", "option %s needs a value", argv[optind - 1]);
		default: return rly_cli_usage(cli, "verify", "unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return rly_cli_usage(cli, "verify", "unexpected argument '%s'", argv[optind]);
	if (!msg_path)
		return rly_cli_usage(cli, "verify", "--msg is required");
	if (app_hex && (trusted_path || header_path))
		return rly_cli_usage(cli, "verify", "give either --app-hash or --trusted and --header");
	if (!app_hex && !(trusted_path && header_path))
		return rly_cli_usage(cli, "verify", "--app-hash, or --trusted and --header, is required");
	if (app_hex && (now_s || period || level || drift))
		return rly_cli_usage(cli, "verify", "--now, --trusting-period, --trust-level and "
					    "--clock-drift go with --trusted and --header");
	if (prefix[0] == '\0' || strlen(prefix) > IBC_ID_MAX)
		return rly_cli_usage(cli, "verify", "--prefix: 1 to %d bytes", IBC_ID_MAX);

	if (app_hex) {
		if (!px_hex_decode(&err, &app, app_hex, strlen(app_hex), true)) {
			px_err_prefix(&err, "--app-hash: ");
			err.code = PX_E_USAGE;
			goto fail;
		}
		if (app.len == 0 || app.len > IBC_AUDIT_MAX_APP_HASH) {
			px_err_set(&err, PX_E_USAGE, "--app-hash: %zu bytes, want 1..%d", app.len,
				   IBC_AUDIT_MAX_APP_HASH);
			goto fail;
		}
		memcpy(a.app_hash, app.data, app.len);
		a.app_hash_len = app.len;
	} else {
		tm_options_default(&o);
		if (period &&
		    !px_parse_duration(&err, &o.trusting_period_ns, period, strlen(period))) {
			px_err_prefix(&err, "--trusting-period: ");
			err.code = PX_E_USAGE;
			goto fail;
		}
		if (level && !px_parse_fraction(&err, &o.trust_num, &o.trust_den, level,
						strlen(level))) {
			px_err_prefix(&err, "--trust-level: ");
			err.code = PX_E_USAGE;
			goto fail;
		}
		if (drift && !px_parse_duration(&err, &o.clock_drift_ns, drift, strlen(drift))) {
			px_err_prefix(&err, "--clock-drift: ");
			err.code = PX_E_USAGE;
			goto fail;
		}
		if (!tm_options_check(&err, &o) || !rly_cli_now(&err, &now, "now", now_s))
			goto fail;
	}

	/* The message first: a malformed one is exit 2 whatever the header. */
	if (!rly_cli_read_input(&err, &file, msg_path, 3 * (size_t)IBC_AUDIT_MAX_INPUT))
		goto fail;
	if (!rly_cli_decode_blob(&err, &bytes, &format, file.data, file.len) ||
	    !ibc_audit_input_parse(&err, &in, bytes.data, bytes.len, hint)) {
		px_err_prefix(&err, "--msg %s%s%s: ", msg_path, format ? " " : "",
			      format ? format : "");
		goto fail;
	}
	if (in.n_packets == 0) {
		px_err_set(&err, PX_E_UNSUPPORTED,
			   "--msg %s: no MsgRecvPacket, MsgAcknowledgement or MsgTimeout among "
			   "the transaction's %zu messages", msg_path, in.n_items);
		goto fail;
	}

	if (!app_hex &&
	    !anchor_from_header(&err, &a, trusted_path, header_path, &o, now)) {
		status = rly_cli_verify_result(cli, &err, "");
		goto out;
	}
	if (a.from_header) {
		aopts.has_header = true;
		aopts.header_height = (uint64_t)a.header_height;
		aopts.header_revision = ibc_chain_id_revision(a.chain_id);
		aopts.header_time = a.header_time;
	}
	aopts.prefix = prefix;

	ocs = calloc(in.n_items, sizeof(*ocs));
	if (!ocs) {
		px_err_set(&err, PX_E_NOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < in.n_items; i++) {
		struct outcome *oc = &ocs[i];

		oc->item = &in.items[i];
		if (!oc->item->is_packet)
			continue;
		if (!ibc_audit_check(&oc->err, &oc->r, &oc->item->msg, a.app_hash, a.app_hash_len,
				     &aopts)) {
			oc->status = px_code_exit_status(oc->err.code);
			if (!first_bad || oc->status > first_bad->status)
				first_bad = oc;
		}
	}
	status = first_bad ? first_bad->status : 0;
	if (cli->json)
		print_json_report(&in, &a, ocs, first_bad, status == 0);
	else
		print_text_report(&in, &a, ocs, first_bad, status == 0);
	goto out;
fail:
	status = rly_cli_fail(cli, &err);
out:
	free(ocs);
	ibc_audit_input_free(&in);
	px_buf_free(&file);
	px_buf_free(&bytes);
	px_buf_free(&app);
	return status;
}
