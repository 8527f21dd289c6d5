/* Wire-check helper for check_ibc_codec.mjs: prints pontifex's encoding of
 * a sample of every IBC message kind with its fields as JSON, and decodes
 * what a third-party encoder (cosmjs-types) produced.
 *
 *   ibc_codec_tool samples          one JSON object per line:
 *                                   {typeUrl, variant, hex, fields}
 *   ibc_codec_tool decode URL HEX   {fields, hex (re-encoded)} or {error}
 *
 * Exit status: 0 done, 1 the input did not decode, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_samples.h"
#include "common/encoding.h"

static char *hex_of(const struct px_buf *b)
{
	char *s = malloc(2 * b->len + 1);

	if (s)
		px_hex_encode(s, 2 * b->len + 1, b->data, b->len, false);
	return s;
}

static int emit(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(o);
	if (!s)
		return 1;
	puts(s);
	free(s);
	return 0;
}

static int samples(void)
{
	for (int k = 1; k < IBC_MSG_KIND_COUNT; k++) {
		for (int v = 0; v < SAMPLE_VARIANTS; v++) {
			struct ibc_msg m;
			struct px_buf b = PX_BUF_INIT;
			struct px_err err = { 0 };
			json_t *o = json_object();
			char *h;

			sample_fill(&m, (enum ibc_msg_kind)k, v);
			if (!ibc_msg_encode(&err, &b, &m)) {
				fprintf(stderr, "%s: %s\n", ibc_msg_kind_name(m.kind), err.msg);
				return 1;
			}
			h = hex_of(&b);
			json_object_set_new(o, "typeUrl", json_string(ibc_msg_type_url(m.kind)));
			json_object_set_new(o, "variant", json_integer(v));
			json_object_set_new(o, "hex", json_string(h ? h : ""));
			json_object_set_new(o, "fields", sample_dump(&m));
			free(h);
			ibc_msg_free(&m);
			px_buf_free(&b);
			if (emit(o) != 0)
				return 1;
		}
	}
	return 0;
}

static int decode(const char *url, const char *hexstr)
{
	struct px_buf raw = PX_BUF_INIT, b = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_msg m;
	json_t *o = json_object();
	char *h;
	int rc = 1;

	if (!px_hex_decode(&err, &raw, hexstr, strlen(hexstr), false) ||
	    !ibc_msg_decode(&err, &m, ibc_str(url), raw.data, raw.len)) {
		json_object_set_new(o, "error", json_string(err.msg));
		goto out;
	}
	if (m.kind == IBC_MSG_UNKNOWN) {
		json_object_set_new(o, "error", json_string("unknown type URL"));
		goto out;
	}
	if (!ibc_msg_encode(&err, &b, &m)) {
		json_object_set_new(o, "error", json_string(err.msg));
		ibc_msg_free(&m);
		goto out;
	}
	h = hex_of(&b);
	json_object_set_new(o, "fields", sample_dump(&m));
	json_object_set_new(o, "hex", json_string(h ? h : ""));
	free(h);
	ibc_msg_free(&m);
	rc = 0;
out:
	px_buf_free(&raw);
	px_buf_free(&b);
	return emit(o) != 0 ? 1 : rc;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "samples") == 0)
		return samples();
	if (argc == 4 && strcmp(argv[1], "decode") == 0)
		return decode(argv[2], argv[3]);
	fprintf(stderr, "usage: %s samples | decode TYPE_URL HEX\n", argv[0]);
	return 2;
}
