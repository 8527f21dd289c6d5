/* Shared by the two halves of the IBC conformance runner: ibc_vectors.c
 * (driver, helpers, golden values) and ibc_e2e.c (real relay messages). */
#ifndef PX_TESTS_IBC_VECTORS_H
#define PX_TESTS_IBC_VECTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/errors.h"

#define MAX_KINDS 32

struct kind_count {
	char name[48];
	unsigned passed, failed;
};

struct ibcv_tally {
	unsigned cases, passed, failed, inert, reencoded, ics20;
	struct kind_count kinds[MAX_KINDS];
	size_t nkinds;
};

extern struct ibcv_tally t;

/* Counts one case of kind; prints FAIL with where and the message. */
void result(const char *kind, bool ok, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

bool hex_field(struct px_err *err, struct px_buf *out, const json_t *o, const char *f);
/* got (len bytes) equals the hex text want_hex (either case). */
bool eq_hex(const uint8_t *got, size_t len, const char *want_hex);
bool str_field(struct px_err *err, char *out, size_t cap, const json_t *o, const char *f);
/* A JSON file whose integers past 18 digits are read as strings. */
json_t *load_json(struct px_err *err, const char *path);

/* One ibc_e2e_partial file. */
void run_e2e_file(const char *path, const char *name);

#endif
