/* `pontifex verify ...`: offline checks of proofs (and, later, headers)
 * with no network. Exit 0 verified, 1 well-formed but not verified, 2 usage
 * or malformed input, 3 when a file cannot be read. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "common/encoding.h"
#include "lightclient/ics23/ics23.h"
#include "relayer/cli.h"

static const char verify_usage[] =
	"usage: pontifex [--json] verify SUBCOMMAND [OPTIONS]\n"
	"\n"
	"Offline verification; nothing is read from the network.\n"
	"\n"
	"subcommands:\n"
	"  ics23   --spec iavl|tendermint|smt --root HEX --key HEX [--value HEX]\n"
	"          --proof FILE|-\n"
	"          Checks an ICS-23 CommitmentProof. With --value it proves that\n"
	"          key has value under root (membership); without it, that key\n"
	"          is absent (non-membership). The proof file holds the protobuf\n"
	"          bytes raw, as hex or as base64 (detected).\n"
	"  eth-header FILE|- [--expect-hash HEX]\n"
	"          Recomputes an Ethereum block hash from the header fields of an\n"
	"          eth_getBlockByNumber/ByHash result (or the whole JSON-RPC\n"
	"          response) and checks it against the block's \"hash\" and, when\n"
	"          given, the expected hash. Any fork up to Prague.\n"
	"  eth-proof --state-root HEX --proof FILE|-\n"
	"          Checks an eth_getProof result (EIP-1186): the account proof\n"
	"          and every storage proof against the state root, and every value\n"
	"          the result claims. Absent accounts and slots are proven absent.\n"
	"  header  --trusted FILE --untrusted FILE|DIR [--now RFC3339]\n"
	"          [--trusting-period DUR] [--trust-level N/D] [--clock-drift DUR]\n"
	"          Checks a CometBFT light block ({signed_header, validator_set,\n"
	"          next_validator_set}) from a trusted one (the operator's anchor;\n"
	"          its validator_set may be left out) with the light-client rules.\n"
	"          A folder of light-block files or a file holding an array of\n"
	"          them is walked with bisection to the highest block. Defaults:\n"
	"          now, 336h, 1/3, 10s.\n"
	"  abci    --app-hash HEX --response FILE\n"
	"          Checks an abci_query response with proof ops (ics23:iavl then\n"
	"          ics23:simple) against an app hash: the app hash of header H+1\n"
	"          proves a response at height H. Prints the key and value, or\n"
	"          that the key is absent.\n"
	"  packet  --msg FILE|- (--app-hash HEX | --trusted FILE --header FILE\n"
	"          [--now RFC3339] [--trusting-period DUR] [--trust-level N/D]\n"
	"          [--clock-drift DUR]) [--prefix ibc] [--type recv|ack|timeout]\n"
	"          [--ordering ordered|unordered]\n"
	"          Audits relayed MsgRecvPacket, MsgAcknowledgement and MsgTimeout:\n"
	"          recomputes the packet commitment, ack commitment, receipt absence\n"
	"          or nextSequenceRecv the proof must show and checks the MerkleProof\n"
	"          against the app hash, given or taken from a header (at the proof\n"
	"          height) that the light client verifies from the trusted block.\n"
	"          The file holds the message (bare, as an Any, or a whole TxRaw:\n"
	"          every packet message is checked) raw, as hex or base64, or a\n"
	"          `tx` RPC JSON result.\n"
	"\n"
	"exit status: 0 verified, 1 not verified, 2 usage or malformed input,\n"
	"             3 file could not be read\n";

/* Decodes a hex option; names the option in the error. */
static bool hex_opt(struct px_err *err, struct px_buf *out, const char *name, const char *s)
{
	if (!px_hex_decode(err, out, s, strlen(s), true)) {
		px_err_prefix(err, "--%s: ", name);
		return false;
	}
	return true;
}

static int verify_ics23(const struct rly_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "spec", required_argument, NULL, 's' },
		{ "root", required_argument, NULL, 'r' },
		{ "key", required_argument, NULL, 'k' },
		{ "value", required_argument, NULL, 'v' },
		{ "proof", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *spec_name = NULL, *root_hex = NULL, *key_hex = NULL, *value_hex = NULL;
	const char *proof_path = NULL, *format = NULL;
	struct px_buf root = PX_BUF_INIT, key = PX_BUF_INIT, value = PX_BUF_INIT;
	struct px_buf file = PX_BUF_INIT, proof_bytes = PX_BUF_INIT;
	const struct ics23_spec *spec;
	struct ics23_proof proof = { 0 };
	struct px_err err = { 0 };
	char what[160];
	int opt, status;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 's': spec_name = optarg; break;
		case 'r': root_hex = optarg; break;
		case 'k': key_hex = optarg; break;
		case 'v': value_hex = optarg; break;
		case 'p': proof_path = optarg; break;
		case 'h': fputs(verify_usage, stdout); return 0;
		case ':': return rly_cli_usage(cli, "verify", "option %s needs a value", argv[optind - 1]);
		default: return rly_cli_usage(cli, "verify", "unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return rly_cli_usage(cli, "verify", "unexpected argument '%s'", argv[optind]);
	if (!spec_name)
		return rly_cli_usage(cli, "verify", "--spec is required (iavl, tendermint or smt)");
	spec = ics23_spec_by_name(spec_name);
	if (!spec)
		return rly_cli_usage(cli, "verify", "unknown spec '%s' (iavl, tendermint or smt)", spec_name);
	if (!root_hex || !key_hex || !proof_path)
		return rly_cli_usage(cli, "verify", "--root, --key and --proof are required");

	if (!hex_opt(&err, &root, "root", root_hex) || !hex_opt(&err, &key, "key", key_hex) ||
	    (value_hex && !hex_opt(&err, &value, "value", value_hex)))
		goto fail;
	if (root.len == 0) {
		px_err_set(&err, PX_E_USAGE, "--root must not be empty");
		goto fail;
	}
	if (key.len == 0) {
		px_err_set(&err, PX_E_USAGE, "--key must not be empty");
		goto fail;
	}
	if (value_hex && value.len == 0) {
		px_err_set(&err, PX_E_USAGE,
			   "--value must not be empty (leave it out to prove absence)");
		goto fail;
	}
	if (!rly_cli_read_input(&err, &file, proof_path, 3 * (size_t)ICS23_MAX_PROOF_BYTES))
		goto fail;
	if (!rly_cli_decode_blob(&err, &proof_bytes, &format, file.data, file.len)) {
		px_err_prefix(&err, "%s: ", proof_path);
		goto fail;
	}
	if (!ics23_proof_decode(&err, &proof, proof_bytes.data, proof_bytes.len)) {
		px_err_prefix(&err, "%s (%s): ", proof_path, format);
		goto fail;
	}
	if (value_hex) {
		if (ics23_verify_membership(&err, spec, root.data, root.len, &proof, key.data,
					    key.len, value.data, value.len))
			snprintf(what, sizeof(what), "membership of the key with the value (%s spec)",
				 spec_name);
	} else {
		if (ics23_verify_non_membership(&err, spec, root.data, root.len, &proof, key.data,
						key.len))
			snprintf(what, sizeof(what), "absence of the key (%s spec)", spec_name);
	}
	status = rly_cli_verify_result(cli, &err, what);
	goto out;
fail:
	status = rly_cli_fail(cli, &err);
out:
	ics23_proof_free(&proof);
	px_buf_free(&root);
	px_buf_free(&key);
	px_buf_free(&value);
	px_buf_free(&file);
	px_buf_free(&proof_bytes);
	return status;
}

int rly_cmd_verify(const struct rly_cli *cli, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(verify_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "ics23") == 0)
		return verify_ics23(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "eth-header") == 0)
		return rly_cmd_verify_eth_header(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "eth-proof") == 0)
		return rly_cmd_verify_eth_proof(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "header") == 0)
		return rly_cmd_verify_header(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "abci") == 0)
		return rly_cmd_verify_abci(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "packet") == 0)
		return rly_cmd_verify_packet(cli, argc - 1, argv + 1);
	return rly_cli_usage(cli, "verify", "unknown verify subcommand '%s'", argv[1]);
}
