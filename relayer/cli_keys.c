/* `pontifex keys add|list|show|delete`: the relayer's signing keys under
 * HOME/keys/ (see relayer/keys.h). Addresses are shown with the chain's
 * account_prefix from the configuration; private keys, phrases and seeds
 * are never printed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "chains/cosmos/bech32.h"
#include "common/encoding.h"
#include "common/number.h"
#include "relayer/bip39.h"
#include "relayer/cli.h"
#include "relayer/config.h"
#include "relayer/keys.h"

#define ADDR_TEXT_MAX (COSMOS_BECH32_MAX_LEN + 1)

static const char keys_usage[] =
	"usage: pontifex [--home DIR] [--config FILE] keys COMMAND\n"
	"\n"
	"  add CHAIN NAME --mnemonic-file FILE [--coin-type N]\n"
	"                   derive a key from a BIP-39 phrase (English) at\n"
	"                   m/44'/N'/0'/0/0 (N defaults to 118); FILE may be - (stdin)\n"
	"  add CHAIN NAME --key-file FILE\n"
	"                   import a secp256k1 private key given as 64 hex digits\n"
	"  list CHAIN       the chain's keys and their addresses\n"
	"  show CHAIN [NAME]  a key's address (NAME defaults to the chain's key)\n"
	"  delete CHAIN NAME  remove a key file\n"
	"\n"
	"Keys live in HOME/keys/CHAIN/NAME.json (mode 0600, folders 0700). CHAIN must\n"
	"be in the configuration (its account_prefix forms the address).\n"
	"\n"
	"exit status: 0 done, 2 usage, configuration or bad key material, 3 I/O failure\n";

/* Loads the configuration and finds chain in it. */
static bool load_chain(struct px_err *err, struct rly_config *cfg,
		       const struct rly_config_chain **chain, char *home, size_t home_cap,
		       const struct rly_cli *cli, const char *id)
{
	char path[RLY_CONFIG_PATH_MAX];

	if (!rly_home_dir(err, home, home_cap, cli->home) ||
	    !rly_config_file(err, path, sizeof(path), cli->home, cli->config) ||
	    !rly_config_load(err, cfg, path))
		return false;
	*chain = rly_config_chain_find(cfg, id);
	if (!*chain) {
		rly_config_free(cfg);
		return px_err_set(err, PX_E_CONFIG, "chain %s is not in %s", id, path);
	}
	return true;
}

static bool address_of(struct px_err *err, char out[ADDR_TEXT_MAX], const char *prefix,
		       const uint8_t pub[COSMOS_PUBKEY_LEN])
{
	uint8_t addr[COSMOS_ADDR_LEN];

	cosmos_pubkey_address(addr, pub);
	return cosmos_address_encode(err, out, ADDR_TEXT_MAX, prefix, addr, sizeof(addr));
}

static json_t *key_json(const struct rly_key_info *info, const char *address)
{
	char pub[2 * COSMOS_PUBKEY_LEN + 1];

	px_hex_encode(pub, sizeof(pub), info->pub, sizeof(info->pub), false);
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "chain", info->chain, "name", info->name,
			 "address", address, "public_key", pub, "hd_path", info->hd_path);
}

static int keys_add(const struct rly_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mnemonic-file", required_argument, NULL, 'm' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "coin-type", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *mnemonic_file = NULL, *key_file = NULL, *coin_text = NULL, *chain_id, *name;
	char home[RLY_CONFIG_PATH_MAX], address[ADDR_TEXT_MAX];
	char secret[RLY_BIP39_PHRASE_MAX + 2];
	const struct rly_config_chain *chain = NULL;
	struct rly_config cfg;
	struct rly_key_info info;
	struct px_err err = { 0 };
	uint64_t coin = RLY_COSMOS_COIN_TYPE;
	size_t len = 0;
	int opt;
	bool ok;

	/* 0, not 1: glibc then starts afresh, with argument permutation,
	 * instead of keeping the "+" mode of the global option parse. */
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case 'm': mnemonic_file = optarg; break;
		case 'k': key_file = optarg; break;
		case 'c': coin_text = optarg; break;
		case ':': return rly_cli_usage(cli, "keys", "option %s needs a value", argv[optind - 1]);
		default: return rly_cli_usage(cli, "keys", "unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return rly_cli_usage(cli, "keys", "keys add needs CHAIN and NAME");
	chain_id = argv[optind];
	name = argv[optind + 1];
	if (!mnemonic_file == !key_file)
		return rly_cli_usage(cli, "keys", "give exactly one of --mnemonic-file and --key-file");
	if (coin_text && key_file)
		return rly_cli_usage(cli, "keys", "--coin-type goes with --mnemonic-file only");
	if (coin_text && (!px_parse_u64(NULL, &coin, coin_text, strlen(coin_text)) ||
			  coin >= RLY_BIP32_HARDENED))
		return rly_cli_usage(cli, "keys", "--coin-type must be a whole number below 2^31");
	if (!rly_name_check(&err, "key name", name) || !rly_name_check(&err, "chain id", chain_id) ||
	    !load_chain(&err, &cfg, &chain, home, sizeof(home), cli, chain_id))
		return rly_cli_fail(cli, &err);
	ok = rly_secret_file_read(&err, secret, sizeof(secret), &len,
				  mnemonic_file ? mnemonic_file : key_file);
	if (ok && mnemonic_file)
		ok = rly_keys_add_mnemonic(&err, &info, home, chain_id, name, secret, len,
					   (uint32_t)coin);
	else if (ok)
		ok = rly_keys_add_hex(&err, &info, home, chain_id, name, secret, len);
	OPENSSL_cleanse(secret, sizeof(secret));
	ok = ok && address_of(&err, address, chain->account_prefix, info.pub);
	rly_config_free(&cfg);
	if (!ok)
		return rly_cli_fail(cli, &err);
	if (cli->json)
		rly_cli_print_ok(cli, "key added", key_json(&info, address));
	else
		printf("added key %s for %s: %s\n", name, chain_id, address);
	return 0;
}

struct list_ctx {
	const struct rly_cli *cli;
	const char *prefix;
	json_t *array;
	struct px_err *err;
	size_t n;
};

static bool list_one(void *arg, const struct rly_key_info *info)
{
	struct list_ctx *c = arg;
	char address[ADDR_TEXT_MAX];

	if (!address_of(c->err, address, c->prefix, info->pub))
		return false;
	c->n++;
	if (c->array)
		json_array_append_new(c->array, key_json(info, address));
	else
		printf("%-20s %s%s%s\n", info->name, address, info->hd_path[0] ? "  " : "  (imported)",
		       info->hd_path);
	return true;
}

static int keys_list(const struct rly_cli *cli, int argc, char **argv)
{
	char home[RLY_CONFIG_PATH_MAX];
	const struct rly_config_chain *chain = NULL;
	struct rly_config cfg;
	struct px_err err = { 0 };
	struct list_ctx c = { cli, NULL, NULL, &err, 0 };
	bool ok;

	if (argc != 2)
		return rly_cli_usage(cli, "keys", "keys list needs CHAIN");
	if (!rly_name_check(&err, "chain id", argv[1]) ||
	    !load_chain(&err, &cfg, &chain, home, sizeof(home), cli, argv[1]))
		return rly_cli_fail(cli, &err);
	c.prefix = chain->account_prefix;
	if (cli->json)
		c.array = json_array();
	ok = rly_keys_list(&err, home, argv[1], list_one, &c) && !px_err_is_set(&err);
	rly_config_free(&cfg);
	if (!ok) {
		json_decref(c.array);
		return rly_cli_fail(cli, &err);
	}
	if (cli->json)
		rly_cli_print_ok(cli, "keys listed", json_pack("{s:s, s:o}", "chain", argv[1], "keys",
							       c.array));
	else if (c.n == 0)
		printf("no keys for %s (add one with pontifex keys add %s NAME --mnemonic-file FILE)\n",
		       argv[1], argv[1]);
	return 0;
}

static int keys_show(const struct rly_cli *cli, int argc, char **argv)
{
	char home[RLY_CONFIG_PATH_MAX], address[ADDR_TEXT_MAX];
	const struct rly_config_chain *chain = NULL;
	struct rly_config cfg;
	struct rly_key_info info;
	struct px_err err = { 0 };
	bool ok;

	if (argc != 2 && argc != 3)
		return rly_cli_usage(cli, "keys", "keys show needs CHAIN and optionally NAME");
	if (!rly_name_check(&err, "chain id", argv[1]) ||
	    (argc == 3 && !rly_name_check(&err, "key name", argv[2])) ||
	    !load_chain(&err, &cfg, &chain, home, sizeof(home), cli, argv[1]))
		return rly_cli_fail(cli, &err);
	ok = rly_keys_load(&err, NULL, &info, home, argv[1], argc == 3 ? argv[2] : chain->key) &&
	     address_of(&err, address, chain->account_prefix, info.pub);
	rly_config_free(&cfg);
	if (!ok)
		return rly_cli_fail(cli, &err);
	if (cli->json)
		rly_cli_print_ok(cli, "key shown", key_json(&info, address));
	else
		printf("%s\n", address);
	return 0;
}

static int keys_delete(const struct rly_cli *cli, int argc, char **argv)
{
	char home[RLY_CONFIG_PATH_MAX];
	struct px_err err = { 0 };

	if (argc != 3)
		return rly_cli_usage(cli, "keys", "keys delete needs CHAIN and NAME");
	if (!rly_home_dir(&err, home, sizeof(home), cli->home) ||
	    !rly_keys_delete(&err, home, argv[1], argv[2]))
		return rly_cli_fail(cli, &err);
	if (cli->json)
		rly_cli_print_ok(cli, "key deleted",
				 json_pack("{s:s, s:s}", "chain", argv[1], "name", argv[2]));
	else
		printf("deleted key %s for %s\n", argv[2], argv[1]);
	return 0;
}

int rly_cmd_keys(const struct rly_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return rly_cli_usage(cli, "keys", "a subcommand is needed: add, list, show or delete");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(keys_usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "add") == 0)
		return keys_add(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return keys_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return keys_show(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "delete") == 0)
		return keys_delete(cli, argc - 1, argv + 1);
	return rly_cli_usage(cli, "keys", "unknown keys subcommand '%s'", argv[1]);
}
