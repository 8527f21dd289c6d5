/* Test helpers of ibc/codec shared by the unit tests and the wire-check
 * tool: a sample value of every message kind, and a JSON dump of every
 * field (camelCase names as cosmjs-types uses; 64-bit integers as decimal
 * strings, bytes as lower-case hex, absent nullable messages left out), so
 * that two decoded messages compare by their dumps. */
#ifndef PX_TESTS_IBC_CODEC_SAMPLES_H
#define PX_TESTS_IBC_CODEC_SAMPLES_H

#include <jansson.h>

#include "ibc/codec/msg.h"

/* Variants: 0 sets every field to a non-default value; 1 leaves every field
 * at its default with every nullable message absent. The sample borrows
 * static strings; a Header's lists are malloc'd (ibc_msg_free). */
#define SAMPLE_VARIANTS 2
void sample_fill(struct ibc_msg *m, enum ibc_msg_kind kind, int variant);

/* A new reference (NULL only when out of memory). */
json_t *sample_dump(const struct ibc_msg *m);

#endif
