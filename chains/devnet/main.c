/* pontifex-devnet: `init` writes a home (genesis and validator keys),
 * `start` runs the node of a home (blocks + RPC) until SIGINT or SIGTERM.
 * Exit codes as the pontifex CLI: 0 done, 2 usage / config / malformed
 * input, 3 I/O. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chains/cosmos/bech32.h"
#include "chains/devnet/account_keys.h"
#include "chains/devnet/app.h"
#include "chains/devnet/fault.h"
#include "chains/devnet/genesis.h"
#include "chains/devnet/node.h"
#include "chains/devnet/privval.h"
#include "chains/devnet/server.h"
#include "common/encoding.h"
#include "common/json.h"
#include "common/log.h"
#include "common/number.h"

#define MOD "devnet"
#define PID_FILE "devnet.pid"

static const char usage_text[] =
	"usage: pontifex-devnet [--log-level debug|info|warn|error] [--log-format text|json] COMMAND\n"
	"  init  --home DIR --chain-id ID [--validators N] [--power P] [--seed STRING]\n"
	"        [--genesis-time RFC3339] [--initial-height H] [--valset-change H:K-M]...\n"
	"        [--account-prefix HRP] [--accounts FILE]\n"
	"  start --home DIR [--rpc 127.0.0.1:PORT] [--block-time MS] [--min-gas-price 0.025stake]\n"
	"        [--admin] [--fault NAME[=VALUE]]...   (fault switches: docs/devnet.md)\n";

static int fail(const struct px_err *err)
{
	fprintf(stderr, "pontifex-devnet: %s (%s %d)\n", err->msg, px_code_name(err->code), err->code);
	return px_code_exit_status(err->code);
}

static int usage(const char *why)
{
	fprintf(stderr, "pontifex-devnet: %s\n%s", why, usage_text);
	return 2;
}

static bool parse_i64_arg(struct px_err *err, int64_t *out, const char *name, const char *s,
			  int64_t lo, int64_t hi)
{
	if (!px_parse_i64(err, out, s, strlen(s)) || *out < lo || *out > hi) {
		px_err_clear(err);
		return px_err_set(err, PX_E_USAGE, "%s: want an integer in [%" PRId64 ", %" PRId64 "]",
				  name, lo, hi);
	}
	return true;
}

/* ---- init ---- */

struct change_arg {
	int64_t height;
	int64_t first, last;
};

#define MAX_CHANGE_ARGS DEVNET_MAX_CHANGES

static bool parse_change(struct px_err *err, struct change_arg *out, const char *s)
{
	const char *colon = strchr(s, ':'), *dash = colon ? strchr(colon, '-') : NULL;
	char buf[3][24];

	if (!colon || !dash || colon - s >= 24 || dash - colon - 1 >= 24 || strlen(dash + 1) >= 24)
		return px_err_set(err, PX_E_USAGE, "--valset-change '%.40s': want H:K-M", s);
	memcpy(buf[0], s, (size_t)(colon - s));
	buf[0][colon - s] = 0;
	memcpy(buf[1], colon + 1, (size_t)(dash - colon - 1));
	buf[1][dash - colon - 1] = 0;
	snprintf(buf[2], sizeof(buf[2]), "%s", dash + 1);
	if (!parse_i64_arg(err, &out->height, "--valset-change height", buf[0], 2, INT64_MAX / 2) ||
	    !parse_i64_arg(err, &out->first, "--valset-change K", buf[1], 0, DEVNET_MAX_KEYS - 1) ||
	    !parse_i64_arg(err, &out->last, "--valset-change M", buf[2], out->first,
			   out->first + DEVNET_MAX_VALIDATORS - 1) ||
	    out->last >= DEVNET_MAX_KEYS)
		return px_err_set(err, PX_E_USAGE, "--valset-change '%.40s': keys out of range", s);
	return true;
}

static bool write_file_excl(struct px_err *err, const char *path, const char *text, mode_t mode)
{
	size_t len = strlen(text), off = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	return true;
}

static bool make_dir(struct px_err *err, const char *path, bool may_exist)
{
	if (mkdir(path, 0700) == 0 || (may_exist && errno == EEXIST))
		return true;
	if (errno == EEXIST)
		return px_err_set(err, PX_E_CONFIG, "%s exists: refusing to overwrite a home", path);
	return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
}

#define DEFAULT_COINS "100000000000stake,100000000000token"
#define MAX_ACCOUNTS 256
#define COINS_MAX 512

/* A genesis account of init: a key made here (name) or an address given
 * in --accounts (key held elsewhere). */
struct init_account {
	char name[DEVNET_ACCOUNT_NAME_MAX + 1];	/* "" for a given address */
	uint8_t address[COSMOS_ADDR_LEN];
	char coins[COINS_MAX];
};

struct init_args {
	const char *home, *chain_id, *seed, *prefix, *accounts_file;
	int64_t validators, power, initial_height;
	struct px_time genesis_time;
	struct change_arg changes[MAX_CHANGE_ARGS];
	size_t n_changes;
};

static bool coins_ok(const char *s)
{
	/* AMOUNTDENOM[,AMOUNTDENOM...], denoms increasing */
	const char *prev = NULL;
	size_t prev_len = 0;

	if (!*s || strlen(s) >= COINS_MAX)
		return false;
	while (*s) {
		const char *end = strchr(s, ','), *d = s;
		size_t len = end ? (size_t)(end - s) : strlen(s), dl;
		devnet_u128 v;

		while ((size_t)(d - s) < len && *d >= '0' && *d <= '9')
			d++;
		dl = len - (size_t)(d - s);
		if (!devnet_u128_parse(&v, s, (size_t)(d - s)) || dl < 3 || dl > DEVNET_DENOM_MAX ||
		    !((*d >= 'a' && *d <= 'z') || (*d >= 'A' && *d <= 'Z')))
			return false;
		if (prev) {
			int c = memcmp(prev, d, prev_len < dl ? prev_len : dl);

			if (c > 0 || (c == 0 && prev_len >= dl))
				return false;
		}
		prev = d;
		prev_len = dl;
		s += len + (end ? 1 : 0);
		if (end && !*s)
			return false;
	}
	return true;
}

/* --accounts FILE: [{"name": N, "coins": C} | {"address": A, "coins": C}]. */
static bool accounts_file(struct px_err *err, struct init_account *accs, size_t *n,
			  const char *path, const char *prefix)
{
	json_t *doc = px_json_load_file(err, path), *o;
	size_t i;
	bool ok = false;

	if (!doc)
		return false;
	if (!json_is_array(doc) || json_array_size(doc) + *n > MAX_ACCOUNTS) {
		px_err_set(err, PX_E_CONFIG, "%s: want an array of at most %d accounts", path,
			   MAX_ACCOUNTS - 2);
		goto out;
	}
	json_array_foreach(doc, i, o) {
		struct init_account *ac = &accs[*n];
		const char *name = json_string_value(json_object_get(o, "name")),
			   *addr = json_string_value(json_object_get(o, "address")),
			   *coins = json_string_value(json_object_get(o, "coins"));
		size_t alen = 0;

		memset(ac, 0, sizeof(*ac));
		if (!coins || !coins_ok(coins) || (!name) == (!addr)) {
			px_err_set(err, PX_E_CONFIG, "%s: account %zu: want name or address, and coins "
				   "as AMOUNTDENOM,... with denoms sorted", path, i);
			goto out;
		}
		if (name && !devnet_account_name_ok(name)) {
			px_err_set(err, PX_E_CONFIG, "%s: account %zu: name: 1..64 of [a-z0-9_-]", path,
				   i);
			goto out;
		}
		if (addr && (!cosmos_address_decode(err, ac->address, COSMOS_ADDR_LEN, &alen, prefix,
						    addr, strlen(addr)) ||
			     alen != COSMOS_ADDR_LEN)) {
			px_err_set(err, PX_E_CONFIG, "%s: account %zu: not a %s1... account address",
				   path, i, prefix);
			goto out;
		}
		for (size_t k = 0; name && k < *n; k++) {
			if (strcmp(accs[k].name, name) == 0) {
				px_err_set(err, PX_E_CONFIG, "%s: account name %s twice", path, name);
				goto out;
			}
		}
		if (name)
			snprintf(ac->name, sizeof(ac->name), "%s", name);
		snprintf(ac->coins, sizeof(ac->coins), "%s", coins);
		(*n)++;
	}
	ok = true;
out:
	json_decref(doc);
	return ok;
}

/* Makes the keys of the named accounts (files under config/accounts). */
static bool account_keys(struct px_err *err, struct init_account *accs, size_t n,
			 const struct init_args *a)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", a->home, DEVNET_ACCOUNTS_DIR);
	if (!make_dir(err, path, false))
		return false;
	for (size_t i = 0; i < n; i++) {
		struct devnet_account_key k;
		bool ok;

		if (!accs[i].name[0])
			continue;
		if (!devnet_account_key_make(err, &k, accs[i].name, a->seed))
			return false;
		snprintf(path, sizeof(path), "%s/%s/%s.json", a->home, DEVNET_ACCOUNTS_DIR,
			 accs[i].name);
		ok = devnet_account_key_save(err, &k, a->prefix, path);
		memcpy(accs[i].address, k.address, COSMOS_ADDR_LEN);
		devnet_account_key_wipe(&k);
		if (!ok)
			return false;
	}
	return true;
}

static bool init_home(struct px_err *err, const struct init_args *a)
{
	struct init_account *accs = NULL;
	struct devnet_genesis_account *gaccs = NULL;
	size_t n_accs = 2;
	char path[4096];
	struct devnet_key *keys = NULL;
	struct tm_pubkey *pubs = NULL;
	struct tm_validator_set genesis_set = { 0 };
	struct devnet_valset_change changes[MAX_CHANGE_ARGS];
	struct devnet_genesis_params gp = { 0 };
	size_t n_keys = (size_t)a->validators;
	json_t *doc = NULL;
	char *text = NULL;
	bool ok = false;

	memset(changes, 0, sizeof(changes));
	for (size_t i = 0; i < a->n_changes; i++) {
		if ((size_t)a->changes[i].last + 1 > n_keys)
			n_keys = (size_t)a->changes[i].last + 1;
		if (a->changes[i].height <= (i ? a->changes[i - 1].height : a->initial_height))
			return px_err_set(err, PX_E_USAGE,
					  "--valset-change heights must increase and be above "
					  "the initial height");
	}
	if (strlen(a->home) > 3000)
		return px_err_set(err, PX_E_USAGE, "--home: path too long");
	accs = calloc(MAX_ACCOUNTS, sizeof(*accs));
	gaccs = calloc(MAX_ACCOUNTS, sizeof(*gaccs));
	if (!accs || !gaccs) {
		free(accs);
		free(gaccs);
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	}
	snprintf(accs[0].name, sizeof(accs[0].name), "relayer");
	snprintf(accs[1].name, sizeof(accs[1].name), "user");
	snprintf(accs[0].coins, sizeof(accs[0].coins), DEFAULT_COINS);
	snprintf(accs[1].coins, sizeof(accs[1].coins), DEFAULT_COINS);
	if (a->accounts_file && !accounts_file(err, accs, &n_accs, a->accounts_file, a->prefix)) {
		free(accs);
		free(gaccs);
		return false;
	}
	snprintf(path, sizeof(path), "%s/config", a->home);
	if (!make_dir(err, a->home, true) || !make_dir(err, path, false))
		goto out;
	snprintf(path, sizeof(path), "%s/%s", a->home, DEVNET_KEYS_DIR);
	if (!make_dir(err, path, false) || !account_keys(err, accs, n_accs, a))
		goto out;
	for (size_t i = 0; i < n_accs; i++) {
		memcpy(gaccs[i].address, accs[i].address, COSMOS_ADDR_LEN);
		gaccs[i].coins = accs[i].coins;
	}
	keys = calloc(n_keys, sizeof(*keys));
	pubs = calloc(n_keys, sizeof(*pubs));
	if (!keys || !pubs) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_keys; i++) {
		bool kok = a->seed ? devnet_key_from_test_seed(err, &keys[i], a->seed, (uint32_t)i) :
				     devnet_key_generate(err, &keys[i]);

		if (!kok)
			goto out;
		pubs[i] = keys[i].pub;
		snprintf(path, sizeof(path), "%s/%s/validator_%zu.json", a->home, DEVNET_KEYS_DIR, i);
		if (!devnet_key_save(err, &keys[i], path))
			goto out;
	}
	if (!devnet_valset_from_keys(err, &genesis_set, pubs, (size_t)a->validators, a->power))
		goto out;
	for (size_t i = 0; i < a->n_changes; i++) {
		const struct change_arg *c = &a->changes[i];

		changes[i].height = c->height;
		if (!devnet_valset_from_keys(err, &changes[i].validators, pubs + c->first,
					     (size_t)(c->last - c->first + 1), a->power))
			goto out;
	}
	gp.chain_id = a->chain_id;
	gp.genesis_time = a->genesis_time;
	gp.initial_height = a->initial_height;
	gp.validators = &genesis_set;
	gp.changes = changes;
	gp.n_changes = a->n_changes;
	gp.account_prefix = a->prefix;
	gp.accounts = gaccs;
	gp.n_accounts = n_accs;
	doc = devnet_genesis_to_json(err, &gp);
	if (!doc || !(text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS))) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s", a->home, DEVNET_GENESIS_FILE);
	if (!write_file_excl(err, path, text, 0644))
		goto out;
	printf("initialized %s: chain %s, %lld validators, %zu keys\n", a->home, a->chain_id,
	       (long long)a->validators, n_keys);
	for (size_t i = 0; i < n_keys; i++) {
		char addr[2 * TM_ADDRESS_LEN + 1];

		px_hex_encode(addr, sizeof(addr), keys[i].address, TM_ADDRESS_LEN, true);
		printf("key %zu: %s\n", i, addr);
	}
	for (size_t i = 0; i < n_accs; i++) {
		char addr[COSMOS_BECH32_MAX_LEN + 1];

		if (cosmos_address_encode(err, addr, sizeof(addr), a->prefix, accs[i].address,
					  COSMOS_ADDR_LEN))
			printf("account %s: %s %s\n", accs[i].name[0] ? accs[i].name : "-", addr,
			       accs[i].coins);
	}
	ok = true;
out:
	free(accs);
	free(gaccs);
	for (size_t i = 0; keys && i < n_keys; i++)
		devnet_key_free(&keys[i]);
	free(keys);
	free(pubs);
	tm_validator_set_free(&genesis_set);
	for (size_t i = 0; i < a->n_changes; i++)
		tm_validator_set_free(&changes[i].validators);
	free(text);
	json_decref(doc);
	return ok;
}

static int cmd_init(int argc, char **argv)
{
	struct init_args a = { 0 };
	struct px_err err = { 0 };
	struct timespec ts;
	const char *gtime = NULL;

	a.validators = 1;
	a.power = 10;
	a.prefix = "cosmos";
	a.initial_height = 1;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			return usage("an option lacks its value");
		i++;
		if (strcmp(o, "--home") == 0)
			a.home = v;
		else if (strcmp(o, "--chain-id") == 0)
			a.chain_id = v;
		else if (strcmp(o, "--seed") == 0)
			a.seed = v;
		else if (strcmp(o, "--account-prefix") == 0)
			a.prefix = v;
		else if (strcmp(o, "--accounts") == 0)
			a.accounts_file = v;
		else if (strcmp(o, "--genesis-time") == 0)
			gtime = v;
		else if (strcmp(o, "--validators") == 0) {
			if (!parse_i64_arg(&err, &a.validators, o, v, 1, DEVNET_MAX_VALIDATORS))
				return fail(&err);
		} else if (strcmp(o, "--power") == 0) {
			if (!parse_i64_arg(&err, &a.power, o, v, 1, 1000000000000LL))
				return fail(&err);
		} else if (strcmp(o, "--initial-height") == 0) {
			if (!parse_i64_arg(&err, &a.initial_height, o, v, 1, INT64_MAX / 4))
				return fail(&err);
		} else if (strcmp(o, "--valset-change") == 0) {
			if (a.n_changes == MAX_CHANGE_ARGS)
				return usage("too many --valset-change");
			if (!parse_change(&err, &a.changes[a.n_changes++], v))
				return fail(&err);
		} else {
			return usage("unknown option for init");
		}
	}
	if (!a.home || !a.chain_id)
		return usage("init needs --home and --chain-id");
	if (strlen(a.chain_id) == 0 || strlen(a.chain_id) > TM_MAX_CHAIN_ID)
		return usage("--chain-id: 1..50 bytes");
	{
		char probe[COSMOS_BECH32_MAX_LEN + 1];
		uint8_t zero[COSMOS_ADDR_LEN] = { 0 };

		if (strlen(a.prefix) > DEVNET_PREFIX_MAX ||
		    !cosmos_address_encode(&err, probe, sizeof(probe), a.prefix, zero, sizeof(zero)))
			return usage("--account-prefix: want a lower-case bech32 prefix of 1..32");
	}
	if (gtime) {
		if (!px_time_parse(&err, &a.genesis_time, gtime, strlen(gtime)))
			return fail(&err);
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		a.genesis_time.seconds = ts.tv_sec;
		a.genesis_time.nanos = (int32_t)(ts.tv_nsec / 1000 * 1000);
	}
	if (!init_home(&err, &a))
		return fail(&err);
	return 0;
}

/* ---- start ---- */

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
	devnet_server_wake();
}

static bool parse_listen(struct px_err *err, char *host, size_t cap, int *port, const char *s)
{
	const char *colon = strrchr(s, ':');
	int64_t p;

	if (strncmp(s, "tcp://", 6) == 0)
		s += 6;
	colon = strrchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) >= cap)
		return px_err_set(err, PX_E_USAGE, "--rpc '%.60s': want HOST:PORT", s);
	if (!parse_i64_arg(err, &p, "--rpc port", colon + 1, 1, 65535))
		return false;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	*port = (int)p;
	return true;
}

#define MAX_FAULT_ARGS 16

/* --fault NAME[=VALUE] */
static bool fault_arg(struct px_err *err, struct devnet_faults *f, const char *s)
{
	const char *eq = strchr(s, '=');
	char name[32];

	if ((eq ? (size_t)(eq - s) : strlen(s)) >= sizeof(name))
		return px_err_set(err, PX_E_USAGE, "--fault '%.40s': unknown name", s);
	snprintf(name, sizeof(name), "%.*s", (int)(eq ? eq - s : (ptrdiff_t)strlen(s)), s);
	return devnet_faults_set(err, f, name, eq ? eq + 1 : NULL);
}

static int cmd_start(int argc, char **argv)
{
	struct devnet_server_opts so = { "127.0.0.1", 26657, 1000, NULL };
	struct devnet_faults faults;
	const char *fault_args[MAX_FAULT_ARGS];
	size_t n_fault_args = 0;
	bool admin = false;
	struct px_err err = { 0 };
	struct devnet_node *n = NULL;
	struct sigaction sa;
	const char *home = NULL;
	char host[64], pid_path[4096], pid_text[32];
	int64_t bt = 1000;
	struct devnet_gas_price gp;
	const char *min_gas = "0stake";
	bool ok;

	snprintf(host, sizeof(host), "%s", so.host);
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "--admin") == 0) {
			admin = true;
			continue;
		}
		if (!v)
			return usage("an option lacks its value");
		i++;
		if (strcmp(o, "--home") == 0)
			home = v;
		else if (strcmp(o, "--fault") == 0) {
			if (n_fault_args == MAX_FAULT_ARGS)
				return usage("too many --fault");
			fault_args[n_fault_args++] = v;
		} else if (strcmp(o, "--rpc") == 0) {
			if (!parse_listen(&err, host, sizeof(host), &so.port, v))
				return fail(&err);
		} else if (strcmp(o, "--block-time") == 0) {
			if (!parse_i64_arg(&err, &bt, o, v, 10, 3600000))
				return fail(&err);
		} else if (strcmp(o, "--min-gas-price") == 0) {
			min_gas = v;
		} else {
			return usage("unknown option for start");
		}
	}
	if (!home)
		return usage("start needs --home");
	if (strlen(home) > 3000)
		return usage("--home: path too long");
	so.host = host;
	so.block_time_ms = (uint64_t)bt;
	if (!devnet_gas_price_parse(&err, &gp, min_gas))
		return fail(&err);
	if (!devnet_faults_init(&err, &faults))
		return fail(&err);
	faults.admin = admin;
	so.faults = &faults;
	for (size_t k = 0; k < n_fault_args; k++) {
		if (!fault_arg(&err, &faults, fault_args[k])) {
			devnet_faults_free(&faults);
			return fail(&err);
		}
	}
	if (!devnet_node_open(&err, &n, home)) {
		devnet_faults_free(&faults);
		return fail(&err);
	}
	devnet_app_set_min_gas_price(devnet_node_app(n), &gp);
	snprintf(pid_path, sizeof(pid_path), "%s/%s", home, PID_FILE);
	snprintf(pid_text, sizeof(pid_text), "%ld\n", (long)getpid());
	unlink(pid_path);	/* left by a killed node; the state lock keeps homes exclusive */
	if (!write_file_excl(&err, pid_path, pid_text, 0644)) {
		devnet_node_close(n);
		devnet_faults_free(&faults);
		return fail(&err);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ok = devnet_server_run(&err, n, &so, &stop_flag);
	px_info(MOD, "stopping at height %" PRId64, devnet_node_height(n));
	unlink(pid_path);
	devnet_node_close(n);
	devnet_faults_free(&faults);
	return ok ? 0 : fail(&err);
}

int main(int argc, char **argv)
{
	enum px_log_level level = PX_LOG_INFO;
	enum px_log_format format = PX_LOG_TEXT;
	struct px_err err = { 0 };
	int i = 1;

	while (i + 1 < argc && strncmp(argv[i], "--log-", 6) == 0) {
		if (strcmp(argv[i], "--log-level") == 0) {
			if (!px_log_level_parse(&err, &level, argv[i + 1]))
				return fail(&err);
		} else if (strcmp(argv[i], "--log-format") == 0) {
			if (!px_log_format_parse(&err, &format, argv[i + 1]))
				return fail(&err);
		} else {
			return usage("unknown option");
		}
		i += 2;
	}
	px_log_setup(level, format, NULL);
	if (i >= argc)
		return usage("no command");
	if (strcmp(argv[i], "init") == 0)
		return cmd_init(argc - i, argv + i);
	if (strcmp(argv[i], "start") == 0)
		return cmd_start(argc - i, argv + i);
	if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	return usage("unknown command");
}
