/* The relayer's configuration: HOME/config.yaml (HOME is --home or
 * $HOME/.pontifex; --config names another file), parsed with libyaml and
 * checked strictly against the schema in docs/config.md. Unknown keys,
 * duplicate keys, wrong types and out-of-range values are refused; the
 * first error wins and reads "config.yaml:LINE:COL: key.path: reason" with
 * code PX_E_CONFIG (exit status 2).
 *
 * A struct rly_config owns everything it points to (one arena); free it
 * with rly_config_free(). */
#ifndef PX_RELAYER_CONFIG_H
#define PX_RELAYER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"

#define RLY_CONFIG_FILE_MAX (1u << 20)
#define RLY_CONFIG_CHAINS_MAX 64
#define RLY_CONFIG_PATHS_MAX 256
#define RLY_CONFIG_WITNESSES_MAX 16
#define RLY_CONFIG_FILTER_MAX 1024
#define RLY_CONFIG_MAX_MSGS_MAX 100
#define RLY_CONFIG_PATH_MAX 4096	/* file name buffers */

/* A non-negative decimal number "0.025": value = units / 10^decimals. */
struct rly_decimal {
	uint64_t units;
	uint32_t decimals;	/* at most 18 */
};

struct rly_config_chain {
	const char *id;
	const char *rpc;		/* ws:// or wss:// URL */
	const char **witnesses;
	size_t n_witnesses;
	const char *account_prefix;
	const char *gas_price;		/* as written, "0.025stake" */
	struct rly_decimal gas_price_amount;
	const char *gas_denom;
	uint64_t gas_limit;		/* default 400000 */
	struct rly_decimal gas_adjustment; /* default 1.3, in [1, 10] */
	const char *key;		/* key name under HOME/keys/<id>/ */
	uint64_t trusting_period_ns;	/* default 336h */
	uint64_t trust_num, trust_den;	/* default 1/3, in [1/3, 1] */
	uint64_t clock_drift_ns;	/* default 10s */
	/* The counterparty clients of this chain are refreshed (updated
	 * without packets) once their latest consensus state is older than
	 * refresh_num/refresh_den of their trusting period; default 1/3,
	 * in (0, 1); refresh_num 0: `off`, never. */
	uint64_t refresh_num, refresh_den;
	bool has_trusted;		/* trusted_height and trusted_hash given */
	uint64_t trusted_height;
	uint8_t trusted_hash[32];
	int line;			/* of the entry, 1-based, for later messages */
};

struct rly_config_end {
	const char *chain;
	const char *client;		/* an id, or "create" */
	const char *connection;
	const char *channel;
};

struct rly_config_path {
	const char *name;
	struct rly_config_end a, b;
	const char *port;		/* default "transfer" */
	int line;
};

enum rly_filter_policy {
	RLY_FILTER_NONE,	/* relay everything */
	RLY_FILTER_ALLOW,	/* relay only the listed channels */
	RLY_FILTER_DENY,	/* relay all but the listed channels */
};

/* One entry; "*" in either field matches anything. */
struct rly_filter_entry {
	const char *port;
	const char *channel;
};

struct rly_config {
	struct rly_config_chain *chains;
	size_t n_chains;
	struct rly_config_path *paths;
	size_t n_paths;
	enum rly_filter_policy filter_policy;
	struct rly_filter_entry *filter;
	size_t n_filter;
	uint64_t max_msgs;		/* default 30, 1..100 */
	uint64_t clear_interval;	/* blocks, default 100, 0 = never */
	const char *telemetry;		/* host:port, default 127.0.0.1:3001, or "off" */
	const char *status;		/* host:port, default 127.0.0.1:3002, or "off" */
	struct px_arena arena;
};

/* Parses buf (len bytes). name is the file name used in messages. out is
 * zeroed (and owns nothing) on failure. */
bool rly_config_parse(struct px_err *err, struct rly_config *out, const char *name,
		      const uint8_t *buf, size_t len) PX_MUST_CHECK;

/* Reads and parses a file. A missing file is PX_E_CONFIG ("run pontifex
 * config init"); other read failures PX_E_IO. */
bool rly_config_load(struct px_err *err, struct rly_config *out, const char *path) PX_MUST_CHECK;

void rly_config_free(struct rly_config *cfg);

const struct rly_config_chain *rly_config_chain_find(const struct rly_config *cfg, const char *id);

/* True when the filter lets packets of port/channel through. */
bool rly_config_filter_allows(const struct rly_config *cfg, const char *port, const char *channel);

/* HOME: home_opt, else $HOME/.pontifex. PX_E_CONFIG when neither is set;
 * PX_E_USAGE when it does not fit in cap. */
bool rly_home_dir(struct px_err *err, char *out, size_t cap, const char *home_opt) PX_MUST_CHECK;

/* The config file: config_opt, else HOME/config.yaml. */
bool rly_config_file(struct px_err *err, char *out, size_t cap, const char *home_opt,
		     const char *config_opt) PX_MUST_CHECK;

/* The commented example `pontifex config init` writes; it parses. */
extern const char rly_config_example[];

/* Parsers for single values, shared with tests: each returns a short
 * reason in err (PX_E_CONFIG) without position; the caller adds it. */
bool rly_decimal_parse(struct px_err *err, struct rly_decimal *out, const char *s) PX_MUST_CHECK;
bool rly_gas_price_parse(struct px_err *err, struct rly_decimal *amount, size_t *denom_off,
			 const char *s) PX_MUST_CHECK;
/* scheme_mask: bit 0 ws, bit 1 wss, bit 2 http, bit 3 https. */
bool rly_url_check(struct px_err *err, const char *s, unsigned scheme_mask) PX_MUST_CHECK;
bool rly_listen_check(struct px_err *err, const char *s) PX_MUST_CHECK;

#define RLY_URL_WS 1u
#define RLY_URL_WSS 2u
#define RLY_URL_HTTP 4u
#define RLY_URL_HTTPS 8u

#endif
