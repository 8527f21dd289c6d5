/* pontifex-devnet nodes as child processes (see devnet_proc.h). */
#include "relayer/devnet_proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chains/devnet/account_keys.h"

static bool exists_exec(const char *p)
{
	return access(p, X_OK) == 0;
}

bool rly_devnet_exe(struct px_err *err, char *out, size_t cap, const char *explicit_path)
{
	char self[PATH_MAX], *slash;
	ssize_t n;
	static const char *const rel[] = { "pontifex-devnet", "../chains/devnet/pontifex-devnet" };

	if (explicit_path) {
		if (!exists_exec(explicit_path))
			return px_err_set(err, PX_E_USAGE, "%s: not an executable", explicit_path);
		snprintf(out, cap, "%s", explicit_path);
		return true;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			slash[1] = 0;
			for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
				int k = snprintf(out, cap, "%s%s", self, rel[i]);

				if (k > 0 && (size_t)k < cap && exists_exec(out))
					return true;
			}
		}
	}
	return px_err_set(err, PX_E_CONFIG,
			  "pontifex-devnet not found beside pontifex or in the build tree; give "
			  "--devnet PATH");
}

/* argv[0] with argv as a child, stdout and stderr appended to log; own_group:
 * in a process group of its own. */
static bool fork_exec(struct px_err *err, pid_t *out, char *const argv[], const char *log,
		      bool own_group)
{
	pid_t pid = fork();

	if (pid < 0)
		return px_err_set(err, PX_E_IO, "fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		if (own_group)
			setpgid(0, 0);
		execv(argv[0], argv);
		_exit(127);
	}
	*out = pid;
	return true;
}

bool rly_child_spawn(struct px_err *err, pid_t *out, char *const argv[], const char *log)
{
	return fork_exec(err, out, argv, log, true);
}

/* Runs argv to completion with output appended to log. */
static bool run(struct px_err *err, char *const argv[], const char *log)
{
	pid_t pid;
	int status;

	if (!fork_exec(err, &pid, argv, log, false))
		return false;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return px_err_set(err, PX_E_IO, "waitpid: %s", strerror(errno));
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return px_err_set(err, PX_E_IO, "%s %s failed (status %d): see %s", argv[0], argv[1],
				  WIFEXITED(status) ? WEXITSTATUS(status) : -1, log);
	return true;
}

/* A port the kernel just gave out on 127.0.0.1 (free a moment ago). */
static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	if (fd < 0)
		return 0;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* True when GET /health answers 200. */
static bool healthy(int port)
{
	struct sockaddr_in a;
	struct timeval tv = { 1, 0 };
	char buf[32] = { 0 };
	static const char req[] = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				  "Connection: close\r\n\r\n";
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok = false;

	if (fd < 0)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    write(fd, req, sizeof(req) - 1) == (ssize_t)(sizeof(req) - 1) &&
	    read(fd, buf, sizeof(buf) - 1) >= 12)
		ok = strncmp(buf + 8, " 200", 4) == 0;
	close(fd);
	return ok;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static bool launch(struct px_err *err, struct rly_devnet *d, const char *exe, uint32_t block_ms,
		   uint32_t timeout_ms)
{
	char rpc[32], block[16];
	pid_t pid;

	d->port = free_port();
	if (d->port <= 0)
		return px_err_set(err, PX_E_IO, "no free loopback port");
	snprintf(rpc, sizeof(rpc), "127.0.0.1:%d", d->port);
	snprintf(block, sizeof(block), "%u", block_ms);
	{
		char *argv[] = { (char *)exe, "--log-level", "warn", "start", "--home", d->home,
				 "--rpc", rpc, "--block-time", block, NULL };

		/* a terminal's ^C reaches pontifex, which stops us */
		if (!rly_child_spawn(err, &pid, argv, d->log))
			return false;
	}
	d->pid = pid;
	for (uint32_t waited = 0; waited < timeout_ms; waited += 50) {
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			d->pid = 0;
			return px_err_set(err, PX_E_IO, "%s exited while starting: see %s",
					  d->chain_id, d->log);
		}
		if (healthy(d->port)) {
			snprintf(d->ws_url, sizeof(d->ws_url), "ws://127.0.0.1:%d/websocket",
				 d->port);
			return true;
		}
		sleep_ms(50);
	}
	rly_devnet_stop(d);
	return px_err_set(err, PX_E_IO, "%s did not answer on %s within %u ms: see %s",
			  d->chain_id, rpc, timeout_ms, d->log);
}

bool rly_devnet_start(struct px_err *err, struct rly_devnet *d, const char *exe, const char *dir,
		      const char *chain_id, const char *seed, const char *accounts_json,
		      uint32_t block_ms, uint32_t timeout_ms)
{
	char accounts[RLY_DEVNET_PATH_MAX + 32];
	FILE *f;

	memset(d, 0, sizeof(*d));
	snprintf(d->chain_id, sizeof(d->chain_id), "%s", chain_id);
	if ((size_t)snprintf(d->home, sizeof(d->home), "%s/%s", dir, chain_id) >= sizeof(d->home) ||
	    (size_t)snprintf(d->log, sizeof(d->log), "%s/%s.log", dir, chain_id) >= sizeof(d->log))
		return px_err_set(err, PX_E_USAGE, "%s: path too long", dir);
	if (accounts_json) {
		snprintf(accounts, sizeof(accounts), "%s/%s-accounts.json", dir, chain_id);
		f = fopen(accounts, "w");
		if (!f || fputs(accounts_json, f) < 0 || fclose(f) != 0)
			return px_err_set(err, PX_E_IO, "%s: %s", accounts, strerror(errno));
	}
	{
		char *argv[] = { (char *)exe, "init", "--home", d->home, "--chain-id", (char *)chain_id,
				 "--seed", (char *)seed, accounts_json ? "--accounts" : NULL, accounts,
				 NULL };

		if (!run(err, argv, d->log))
			return false;
	}
	/* a port taken between free_port and the node's bind: try another */
	for (int tries = 0; tries < 5; tries++) {
		px_err_clear(err);
		if (launch(err, d, exe, block_ms, timeout_ms))
			return true;
	}
	return false;
}

int rly_child_stop(pid_t *pid, uint32_t grace_ms)
{
	int status;

	if (*pid <= 0)
		return -1;
	kill(*pid, SIGTERM);
	for (uint32_t waited = 0; waited < grace_ms; waited += 50) {
		if (waitpid(*pid, &status, WNOHANG) == *pid) {
			*pid = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		sleep_ms(50);
	}
	kill(*pid, SIGKILL);
	while (waitpid(*pid, &status, 0) < 0 && errno == EINTR)
		;
	*pid = 0;
	return -1;
}

void rly_devnet_stop(struct rly_devnet *d)
{
	(void)rly_child_stop(&d->pid, 5000);
}

bool rly_devnet_account_key(struct px_err *err, struct cosmos_key *out, const struct rly_devnet *d,
			    const char *name)
{
	struct devnet_account_key k;
	char path[RLY_DEVNET_PATH_MAX + 96];

	snprintf(path, sizeof(path), "%s/%s/%s.json", d->home, DEVNET_ACCOUNTS_DIR, name);
	if (!devnet_account_key_load(err, &k, path))
		return false;
	*out = k.key;
	devnet_account_key_wipe(&k);
	return true;
}
