/* Single-value parsers of the configuration (decimals, gas prices, URLs,
 * listen addresses), the HOME and config-file locations, and the packet
 * filter's decision. See config.h. */
#include "relayer/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/number.h"

#define URL_MAX 512

bool rly_decimal_parse(struct px_err *err, struct rly_decimal *out, const char *s)
{
	const char *dot = strchr(s, '.');
	size_t int_len = dot ? (size_t)(dot - s) : strlen(s), frac_len = dot ? strlen(dot + 1) : 0;
	uint64_t units = 0;
	size_t i;

	if (int_len == 0 || (dot && frac_len == 0))
		return px_err_set(err, PX_E_CONFIG, "%s is not a decimal number like 0.025", s);
	if (frac_len > 18)
		return px_err_set(err, PX_E_CONFIG, "%s has more than 18 decimals", s);
	if (int_len > 1 && s[0] == '0')
		return px_err_set(err, PX_E_CONFIG, "%s has a leading zero", s);
	for (i = 0; i < int_len + (dot ? 1 + frac_len : 0); i++) {
		if (s[i] == '.' && i == int_len)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return px_err_set(err, PX_E_CONFIG, "%s is not a decimal number like 0.025", s);
		if (units > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return px_err_set(err, PX_E_CONFIG, "%s is too large", s);
		units = units * 10 + (uint64_t)(s[i] - '0');
	}
	out->units = units;
	out->decimals = (uint32_t)frac_len;
	return true;
}

static bool denom_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return !first && ((c >= '0' && c <= '9') || c == '/' || c == ':' || c == '.' || c == '_' ||
			  c == '-');
}

bool rly_gas_price_parse(struct px_err *err, struct rly_decimal *amount, size_t *denom_off,
			 const char *s)
{
	char num[64];
	size_t n = 0, dlen, i;

	while ((s[n] >= '0' && s[n] <= '9') || s[n] == '.')
		n++;
	if (n == 0 || n >= sizeof(num))
		return px_err_set(err, PX_E_CONFIG, "%s is not an amount and a denomination like 0.025stake",
				  s);
	memcpy(num, s, n);
	num[n] = '\0';
	if (!rly_decimal_parse(err, amount, num))
		return false;
	/* The Cosmos SDK's denomination rule: [a-zA-Z][a-zA-Z0-9/:._-]{2,127}. */
	dlen = strlen(s + n);
	if (dlen < 3 || dlen > 128)
		return px_err_set(err, PX_E_CONFIG, "denomination of %s must be 3 to 128 characters", s);
	for (i = 0; i < dlen; i++)
		if (!denom_char(s[n + i], i == 0))
			return px_err_set(err, PX_E_CONFIG, "denomination of %s is not a valid denomination",
					  s);
	*denom_off = n;
	return true;
}

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '-' || c == '_';
}

/* host[:port] or [v6][:port] in s[0..len). need_port: the port is required. */
static bool check_authority(struct px_err *err, const char *whole, const char *s, size_t len,
			    bool need_port)
{
	size_t i = 0, host_end;
	uint64_t port;

	if (len > 0 && s[0] == '[') {
		while (i < len && s[i] != ']') {
			char c = s[i];

			if (i > 0 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
				       (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
				return px_err_set(err, PX_E_CONFIG, "%s: bad IPv6 address", whole);
			i++;
		}
		if (i == len || i < 3)
			return px_err_set(err, PX_E_CONFIG, "%s: bad IPv6 address", whole);
		host_end = ++i;
	} else {
		while (i < len && host_char(s[i]))
			i++;
		host_end = i;
		if (host_end == 0)
			return px_err_set(err, PX_E_CONFIG, "%s: no host", whole);
	}
	if (i == len) {
		if (need_port)
			return px_err_set(err, PX_E_CONFIG, "%s: no port (write host:port)", whole);
		return true;
	}
	if (s[i] != ':')
		return px_err_set(err, PX_E_CONFIG, "%s: bad character in host", whole);
	i++;
	if (!px_parse_u64(NULL, &port, s + i, len - i) || port == 0 || port > 65535)
		return px_err_set(err, PX_E_CONFIG, "%s: port must be 1 to 65535", whole);
	return true;
}

bool rly_url_check(struct px_err *err, const char *s, unsigned scheme_mask)
{
	static const struct {
		const char *prefix;
		unsigned bit;
	} schemes[] = {
		{ "ws://", RLY_URL_WS }, { "wss://", RLY_URL_WSS },
		{ "http://", RLY_URL_HTTP }, { "https://", RLY_URL_HTTPS },
	};
	size_t len = strlen(s), i, start = 0, end;

	if (len > URL_MAX)
		return px_err_set(err, PX_E_CONFIG, "URL longer than %d characters", URL_MAX);
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t pl = strlen(schemes[i].prefix);

		if ((scheme_mask & schemes[i].bit) && strncmp(s, schemes[i].prefix, pl) == 0)
			start = pl;
	}
	if (start == 0)
		return px_err_set(err, PX_E_CONFIG, "%s: URL must start with %s", s,
				  scheme_mask == (RLY_URL_WS | RLY_URL_WSS) ? "ws:// or wss://"
									 : "ws://, wss://, http:// or https://");
	for (end = start; end < len && s[end] != '/' && s[end] != '?' && s[end] != '#'; end++)
		if (s[end] == '@')
			return px_err_set(err, PX_E_CONFIG, "%s: credentials in URLs are not supported", s);
	if (!check_authority(err, s, s + start, end - start, false))
		return false;
	for (i = end; i < len; i++)
		if (s[i] <= 0x20 || s[i] > 0x7e)
			return px_err_set(err, PX_E_CONFIG, "%s: spaces or non-ASCII in the URL", s);
	return true;
}

bool rly_listen_check(struct px_err *err, const char *s)
{
	if (strcmp(s, "off") == 0)
		return true;
	return check_authority(err, s, s, strlen(s), true);
}

bool rly_home_dir(struct px_err *err, char *out, size_t cap, const char *home_opt)
{
	const char *env;
	int n;

	if (home_opt && *home_opt) {
		n = snprintf(out, cap, "%s", home_opt);
	} else {
		env = getenv("HOME");
		if (!env || !*env)
			return px_err_set(err, PX_E_CONFIG, "HOME is not set; pass --home DIR");
		n = snprintf(out, cap, "%s/.pontifex", env);
	}
	if (n < 0 || (size_t)n >= cap)
		return px_err_set(err, PX_E_USAGE, "home folder path is too long");
	return true;
}

bool rly_config_file(struct px_err *err, char *out, size_t cap, const char *home_opt,
		     const char *config_opt)
{
	char home[RLY_CONFIG_PATH_MAX];
	int n;

	if (config_opt && *config_opt) {
		n = snprintf(out, cap, "%s", config_opt);
	} else {
		if (!rly_home_dir(err, home, sizeof(home), home_opt))
			return false;
		n = snprintf(out, cap, "%s/config.yaml", home);
	}
	if (n < 0 || (size_t)n >= cap)
		return px_err_set(err, PX_E_USAGE, "config file path is too long");
	return true;
}

const struct rly_config_chain *rly_config_chain_find(const struct rly_config *cfg, const char *id)
{
	size_t i;

	for (i = 0; cfg && id && i < cfg->n_chains; i++)
		if (strcmp(cfg->chains[i].id, id) == 0)
			return &cfg->chains[i];
	return NULL;
}

static bool field_match(const char *pattern, const char *s)
{
	return strcmp(pattern, "*") == 0 || strcmp(pattern, s) == 0;
}

bool rly_config_filter_allows(const struct rly_config *cfg, const char *port, const char *channel)
{
	size_t i;
	bool listed = false;

	for (i = 0; i < cfg->n_filter && !listed; i++)
		listed = field_match(cfg->filter[i].port, port) &&
			 field_match(cfg->filter[i].channel, channel);
	switch (cfg->filter_policy) {
	case RLY_FILTER_ALLOW: return listed;
	case RLY_FILTER_DENY: return !listed;
	default: return true;
	}
}
