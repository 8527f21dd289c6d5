/* `pontifex config init|validate`: write the commented example
 * configuration, and check a configuration naming the first bad key with
 * its line and column. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "relayer/cli.h"
#include "relayer/config.h"

static const char config_usage[] =
	"usage: pontifex [--home DIR] [--config FILE] config init|validate\n"
	"\n"
	"  init      write a commented example to HOME/config.yaml (or --config FILE);\n"
	"            an existing file is never overwritten\n"
	"  validate  check the configuration; the first bad key is named with its\n"
	"            line and column\n"
	"\n"
	"exit status: 0 done or valid, 2 invalid configuration or usage, 3 I/O failure\n";

/* Prints {"code":0,"message":...} plus the fields of extra (stolen). */
void rly_cli_print_ok(const struct rly_cli *cli, const char *message, json_t *extra)
{
	json_t *o;
	char *text;

	if (!cli->json) {
		json_decref(extra);
		return;
	}
	o = json_pack("{s:i, s:s}", "code", 0, "message", message);
	if (o && extra)
		json_object_update(o, extra);
	json_decref(extra);
	text = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	printf("%s\n", text ? text : "{\"code\":0,\"message\":\"ok\"}");
	free(text);
	json_decref(o);
}

static bool write_new_file(struct px_err *err, const char *path, const char *text)
{
	size_t len = strlen(text), off = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0) {
		if (errno == EEXIST)
			return px_err_set(err, PX_E_CONFIG, "%s already exists (not overwritten)", path);
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	}
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
			close(fd);
			unlink(path);
			return false;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
		unlink(path);
		return false;
	}
	return true;
}

static int config_init(const struct rly_cli *cli)
{
	char home[RLY_CONFIG_PATH_MAX], path[RLY_CONFIG_PATH_MAX];
	struct px_err err = { 0 };

	if (!rly_home_dir(&err, home, sizeof(home), cli->home) ||
	    !rly_config_file(&err, path, sizeof(path), cli->home, cli->config))
		return rly_cli_fail(cli, &err);
	/* The home folder holds keys and the journal: private from the start. */
	if (!cli->config && mkdir(home, 0700) != 0 && errno != EEXIST) {
		px_err_set(&err, PX_E_IO, "%s: %s", home, strerror(errno));
		return rly_cli_fail(cli, &err);
	}
	if (!write_new_file(&err, path, rly_config_example))
		return rly_cli_fail(cli, &err);
	if (cli->json)
		rly_cli_print_ok(cli, "configuration written", json_pack("{s:s}", "path", path));
	else
		printf("wrote %s (edit it, then run pontifex config validate)\n", path);
	return 0;
}

static int config_validate(const struct rly_cli *cli)
{
	char path[RLY_CONFIG_PATH_MAX];
	struct rly_config cfg;
	struct px_err err = { 0 };

	if (!rly_config_file(&err, path, sizeof(path), cli->home, cli->config) ||
	    !rly_config_load(&err, &cfg, path))
		return rly_cli_fail(cli, &err);
	if (cli->json)
		rly_cli_print_ok(cli, "configuration is valid",
				 json_pack("{s:s, s:I, s:I}", "path", path, "chains",
					   (json_int_t)cfg.n_chains, "paths", (json_int_t)cfg.n_paths));
	else
		printf("%s is valid: %zu chain%s, %zu path%s\n", path, cfg.n_chains,
		       cfg.n_chains == 1 ? "" : "s", cfg.n_paths, cfg.n_paths == 1 ? "" : "s");
	rly_config_free(&cfg);
	return 0;
}

int rly_cmd_config(const struct rly_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return rly_cli_usage(cli, "config", "a subcommand is needed: init or validate");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(config_usage, stdout);
		return 0;
	}
	if (argc > 2)
		return rly_cli_usage(cli, "config", "unexpected argument '%s'", argv[2]);
	if (strcmp(argv[1], "init") == 0)
		return config_init(cli);
	if (strcmp(argv[1], "validate") == 0)
		return config_validate(cli);
	return rly_cli_usage(cli, "config", "unknown config subcommand '%s'", argv[1]);
}
