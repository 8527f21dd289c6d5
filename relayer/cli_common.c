/* Input reading, blob decoding and result printing for the CLI. */
#include "relayer/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "common/encoding.h"
#include "common/json.h"

bool rly_cli_read_input(struct px_err *err, struct px_buf *out, const char *path, size_t cap)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	uint8_t chunk[65536];
	size_t start = out->len;
	bool ok = false;

	if (!f)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	for (;;) {
		size_t n = fread(chunk, 1, sizeof(chunk), f);

		if (n == 0)
			break;
		if (out->len - start + n > cap) {
			px_err_set(err, PX_E_TOO_LARGE, "%s: larger than %zu bytes", path, cap);
			goto out;
		}
		px_buf_append(out, chunk, n);
	}
	if (ferror(f)) {
		px_err_set(err, PX_E_IO, "%s: read error", path);
		goto out;
	}
	if (!px_buf_ok(out)) {
		px_err_set(err, PX_E_NOMEM, "%s: out of memory", path);
		goto out;
	}
	ok = true;
out:
	if (!ok)
		out->len = start;
	if (!is_stdin)
		fclose(f);
	return ok;
}

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_hex(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_b64(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '+' || c == '/' || c == '-' || c == '_' || c == '=';
}

bool rly_cli_decode_blob(struct px_err *err, struct px_buf *out, const char **format,
			 const uint8_t *data, size_t len)
{
	size_t a = 0, b = len, i;
	bool hex = true, b64 = true, url = false;
	const char *s;

	while (a < b && is_space(data[a]))
		a++;
	while (b > a && is_space(data[b - 1]))
		b--;
	s = (const char *)data + a;
	if (b - a >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = a + 2; i < b && hex; i++)
			hex = is_hex(data[i]);
		b64 = false;
	} else {
		for (i = a; i < b && (hex || b64); i++) {
			hex = hex && is_hex(data[i]);
			b64 = b64 && is_b64(data[i]);
			url = url || data[i] == '-' || data[i] == '_';
		}
	}
	if (b > a && hex) {
		*format = "hex";
		return px_hex_decode(err, out, s, b - a, true);
	}
	if (b > a && b64) {
		*format = "base64";
		return px_base64_decode(err, out, s, b - a, url ? PX_B64_URL : PX_B64_STD);
	}
	*format = "raw";
	px_buf_append(out, data, len);
	if (!px_buf_ok(out))
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	return true;
}

static void print_json(bool verified, int code, const char *message)
{
	json_t *o = json_pack("{s:b, s:i, s:s}", "verified", verified, "code", code, "message",
			      message);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

	if (text)
		printf("%s\n", text);
	else
		printf("{\"verified\":%s,\"code\":%d,\"message\":\"(unprintable)\"}\n",
		       verified ? "true" : "false", code);
	free(text);
	json_decref(o);
}

int rly_cli_verify_result(const struct rly_cli *cli, const struct px_err *err, const char *what)
{
	if (!px_err_is_set(err)) {
		if (cli->json)
			print_json(true, 0, what);
		else
			printf("verified: %s\n", what);
		return 0;
	}
	if (px_code_exit_status(err->code) != 1)
		return rly_cli_fail(cli, err);
	if (cli->json)
		print_json(false, err->code, err->msg);
	else
		fprintf(stderr, "not verified: %s\n", err->msg);
	return 1;
}

int rly_cli_fail(const struct rly_cli *cli, const struct px_err *err)
{
	int status = px_code_exit_status(err->code);

	if (cli->json)
		print_json(false, err->code, err->msg);
	else
		fprintf(stderr, "pontifex: %s\n", err->msg);
	return status ? status : 2;
}

int rly_cli_usage(const struct rly_cli *cli, const char *command, const char *fmt, ...)
{
	struct px_err err = { PX_E_USAGE, "" };
	const char *space = strchr(command, ' ');
	int help_len = space ? (int)(space - command) : (int)strlen(command);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
	va_end(ap);
	if (cli->json)
		return rly_cli_fail(cli, &err);
	fprintf(stderr, "pontifex %s: %s\n(see pontifex %.*s --help)\n", command, err.msg,
		help_len, command);
	return 2;
}

json_t *rly_cli_load_json(struct px_err *err, const char *path, size_t cap)
{
	struct px_buf b = PX_BUF_INIT;
	json_t *doc = NULL;

	if (rly_cli_read_input(err, &b, path, cap)) {
		doc = px_json_load_buf(err, b.data ? (const char *)b.data : "", b.len);
		if (!doc)
			px_err_prefix(err, "%s: ", path);
	}
	px_buf_free(&b);
	return doc;
}

bool rly_cli_now(struct px_err *err, struct px_time *out, const char *option, const char *s)
{
	struct timespec ts;

	if (s) {
		if (!px_time_parse(err, out, s, strlen(s))) {
			px_err_prefix(err, "--%s: ", option);
			err->code = PX_E_USAGE;
			return false;
		}
		return true;
	}
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return px_err_set(err, PX_E_INTERNAL, "cannot read the clock");
	out->seconds = ts.tv_sec;
	out->nanos = (int32_t)ts.tv_nsec;
	return true;
}
