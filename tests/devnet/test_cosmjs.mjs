// Integration test of pontifex-devnet with a third-party client: cosmjs
// (@cosmjs/stargate, @cosmjs/proto-signing, @cosmjs/tendermint-rpc, pinned
// in tests/devnet/package-lock.json, installed by `make devnet-deps`).
// Starts a devnet on a free loopback port, connects, reads the chain id and
// a balance, signs and broadcasts MsgSends with the `user` key read from
// the home's key file (fee given, then "auto" through Simulate), sees the
// balances change, finds the tx by hash and by sender, checks that bad
// transactions come back with the SDK's codes, reads blocks, block results
// and validators with tendermint-rpc, and subscribes to new blocks and Tx
// events over the websocket. Bounded in time; stops the node it started.
//
// usage: node test_cosmjs.mjs PONTIFEX_DEVNET      (exit 77: no node_modules)
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SKIP = 77;
const DEADLINE_MS = 90000;
let cosmjs;
try {
	cosmjs = {
		stargate: await import("@cosmjs/stargate"),
		signing: await import("@cosmjs/proto-signing"),
		rpc: await import("@cosmjs/tendermint-rpc"),
	};
} catch (e) {
	console.log(`skipping: cosmjs is not installed (make devnet-deps): ${e.message}`);
	process.exit(SKIP);
}
const { StargateClient, SigningStargateClient, GasPrice } = cosmjs.stargate;
const { DirectSecp256k1Wallet } = cosmjs.signing;
const { Comet38Client, WebsocketClient } = cosmjs.rpc;

const devnet = process.argv[2];
const home = mkdtempSync(join(tmpdir(), "px-cosmjs-"));
let node = null;
let pass = 0;
let fail = 0;

function check(what, cond, detail = "") {
	if (cond) {
		pass++;
	} else {
		fail++;
		console.log(`FAIL ${what} ${detail}`);
	}
}

async function expectError(what, fn, pattern) {
	try {
		await fn();
		check(what, false, "(no error)");
	} catch (e) {
		check(what, pattern.test(String(e)), String(e).slice(0, 300));
	}
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.on("error", reject);
		s.listen(0, "127.0.0.1", () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

const show = (v) => JSON.stringify(v, (k, x) => (typeof x === "bigint" ? x.toString() : x));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(fn, ms, what) {
	const end = Date.now() + ms;
	for (;;) {
		try {
			const v = await fn();
			if (v) return v;
		} catch {
			// not up yet
		}
		if (Date.now() > end) throw new Error(`timed out: ${what}`);
		await sleep(100);
	}
}

function stop() {
	if (node && node.exitCode === null) node.kill("SIGTERM");
}

async function main() {
	const init = spawnSync(devnet, ["init", "--home", home, "--chain-id", "cosmjs-1", "--seed",
		"cosmjs"], { encoding: "utf8" });
	check("init", init.status === 0, init.stderr);
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	node = spawn(devnet, ["--log-level", "warn", "start", "--home", home, "--rpc",
		`127.0.0.1:${port}`, "--block-time", "300", "--min-gas-price", "0.025stake"],
		{ stdio: ["ignore", "inherit", "inherit"] });
	const exited = new Promise((r) => node.on("exit", (code) => r(code)));

	const client = await waitFor(async () => {
		const c = await StargateClient.connect(url);
		return (await c.getHeight()) >= 1 ? c : null;
	}, 20000, "devnet up");
	check("chain id", (await client.getChainId()) === "cosmjs-1");

	const keyFile = JSON.parse(readFileSync(join(home, "config/accounts/user.json"), "utf8"));
	const wallet = await DirectSecp256k1Wallet.fromKey(
		Buffer.from(keyFile.priv_key.value, "base64"), "cosmos");
	const [{ address: user }] = await wallet.getAccounts();
	check("key file address", user === keyFile.address, `${user} vs ${keyFile.address}`);
	const relayer = JSON.parse(readFileSync(join(home, "config/accounts/relayer.json"), "utf8")).address;
	const fresh = "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";

	const before = await client.getBalance(user, "stake");
	check("genesis balance", before.amount === "100000000000", show(before));
	const account = await client.getAccount(user);
	check("account", account && account.sequence === 0 && account.pubkey === null,
		show(account));
	check("unknown account is null", (await client.getAccount(fresh)) === null);
	const all = await client.getAllBalances(relayer);
	check("all balances", all.length === 2 && all[0].denom === "stake" && all[1].denom === "token",
		show(all));

	const signer = await SigningStargateClient.connectWithSigner(url, wallet,
		{ gasPrice: GasPrice.fromString("0.025stake") });
	const fee = { amount: [{ denom: "stake", amount: "5000" }], gas: "200000" };
	const r1 = await signer.sendTokens(user, fresh, [{ denom: "token", amount: "12345" }], fee, "hello");
	check("send with a fee", r1.code === 0, show(r1).slice(0, 300));
	check("new account's balance", (await client.getBalance(fresh, "token")).amount === "12345");
	const after = await client.getBalance(user, "stake");
	check("fee paid", BigInt(before.amount) - BigInt(after.amount) === 5000n,
		`${before.amount} -> ${after.amount}`);
	check("gas used below wanted", r1.gasUsed > 0n && r1.gasUsed <= r1.gasWanted,
		`${r1.gasUsed} ${r1.gasWanted}`);
	const types = new Set(r1.events.map((e) => e.type));
	for (const t of ["coin_spent", "coin_received", "transfer", "message", "tx"]) {
		check(`event ${t}`, types.has(t));
	}

	const r2 = await signer.sendTokens(user, relayer, [{ denom: "stake", amount: "1" }], "auto");
	check("send with fee auto (Simulate)", r2.code === 0, show(r2).slice(0, 300));
	check("sequence advanced", (await client.getSequence(user)).sequence === 2);

	const found = await client.getTx(r1.transactionHash);
	check("tx by hash", found && found.height === r1.height && found.code === 0);
	const bySender = await client.searchTx(`message.sender='${user}'`);
	check("tx_search by sender", bySender.length === 2, `${bySender.length}`);
	const byHeight = await client.searchTx([{ key: "tx.height", value: r1.height }]);
	check("tx_search by height", byHeight.some((t) => t.hash === r1.transactionHash));

	// Bad transactions: the SDK's codes, and the node keeps going.
	const { accountNumber, sequence } = await client.getSequence(user);
	const msg = {
		typeUrl: "/cosmos.bank.v1beta1.MsgSend",
		value: { fromAddress: user, toAddress: relayer, amount: [{ denom: "token", amount: "1" }] },
	};
	const offline = await SigningStargateClient.offline(wallet);
	const signWith = (data, f = fee, msgs = [msg]) => offline.sign(user, msgs, f, "", data);
	const { TxRaw } = await import("cosmjs-types/cosmos/tx/v1beta1/tx.js");
	const broadcast = (tx) => client.broadcastTxSync(TxRaw.encode(tx).finish());
	await expectError("wrong chain id: unauthorized",
		async () => broadcast(await signWith({ accountNumber, sequence, chainId: "other" })),
		/code 4[^0-9]/);
	await expectError("wrong sequence",
		async () => broadcast(await signWith({ accountNumber, sequence: sequence + 5, chainId: "cosmjs-1" })),
		/code 32[^0-9]/);
	await expectError("fee below the minimum",
		async () => broadcast(await signWith({ accountNumber, sequence, chainId: "cosmjs-1" },
			{ amount: [{ denom: "stake", amount: "1" }], gas: "200000" })),
		/code 13[^0-9]/);
	await expectError("insufficient funds",
		async () => broadcast(await signWith({ accountNumber, sequence, chainId: "cosmjs-1" }, fee,
			[{ ...msg, value: { ...msg.value, amount: [{ denom: "token", amount: "999999999999999" }] } }])),
		/code 5[^0-9]/);
	await expectError("not a transaction",
		async () => client.broadcastTxSync(Uint8Array.from([1, 2, 3])), /code 2[^0-9]/);

	// tendermint-rpc: blocks, results, validators; websocket events.
	const tm = await Comet38Client.connect(url);
	const blk = await tm.block(r1.height);
	check("block with the tx", blk.block.txs.length >= 1 && blk.block.header.chainId === "cosmjs-1");
	const res = await tm.blockResults(r1.height);
	check("block results", res.results.length === blk.block.txs.length && res.results[0].code === 0);
	const vals = await tm.validators({ height: 1 });
	check("validators", vals.total === 1 && vals.validators[0].votingPower === 10n);

	const ws = await Comet38Client.create(new WebsocketClient(`ws://127.0.0.1:${port}/websocket`));
	const heights = await new Promise((resolve, reject) => {
		const got = [];
		const timer = setTimeout(() => reject(new Error("no NewBlock events")), 10000);
		const sub = ws.subscribeNewBlock().subscribe({
			next: (ev) => {
				got.push(ev.header.height);
				if (got.length === 3) {
					clearTimeout(timer);
					sub.unsubscribe();
					resolve(got);
				}
			},
			error: reject,
		});
	});
	check("NewBlock events in order", heights[1] === heights[0] + 1 && heights[2] === heights[1] + 1,
		show(heights));
	const txEvent = new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error("no Tx event")), 10000);
		const sub = ws.subscribeTx().subscribe({
			next: (ev) => {
				clearTimeout(timer);
				sub.unsubscribe();
				resolve(ev);
			},
			error: reject,
		});
	});
	await sleep(200);
	const r3 = await signer.sendTokens(user, relayer, [{ denom: "token", amount: "7" }], fee);
	const ev = await txEvent;
	check("Tx event", ev.height === r3.height && ev.result.events.some((e) => e.type === "transfer"),
		show({ h: ev.height, want: r3.height }));
	ws.disconnect();
	tm.disconnect();
	client.disconnect();
	signer.disconnect();

	stop();
	check("clean stop", (await exited) === 0);
}

const timer = setTimeout(() => {
	console.log("FAIL timed out");
	stop();
	process.exit(1);
}, DEADLINE_MS);
try {
	await main();
} catch (e) {
	check("no exception", false, e && e.stack ? e.stack : String(e));
} finally {
	clearTimeout(timer);
	stop();
	rmSync(home, { recursive: true, force: true });
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail === 0 ? 0 : 1);
