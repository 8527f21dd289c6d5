// Third-party check of pontifex's Cosmos SDK transactions (chains/cosmos/).
//
//   node check_tx.mjs PATH/TO/tx_tool
//
// Forward: tx_tool signs a fixed set of transactions. For each, cosmjs-types
// (the generated protobuf code cosmjs uses) decodes TxRaw, TxBody and
// AuthInfo and every field is compared with what the case asked for; the
// same transaction is rebuilt from scratch with cosmjs-types and must be
// byte-for-byte identical (TxRaw, TxBody, AuthInfo, SignDoc); the signature
// is verified with @noble/curves over sha256(sign bytes), and must equal
// noble's own RFC 6979 signature with the same key.
//
// Reverse: transactions built with cosmjs-types and signed with
// @noble/curves are decoded and verified by tx_tool, which must report the
// same fields; and it must refuse the wrong chain id, the wrong account
// number, a high-S signature, a flipped signature bit and non-canonical
// bytes.
//
// Exit 0 when everything matches, 1 on any mismatch, 77 (skipped) when node
// modules are missing (run `make wire-deps`).
import { execFileSync } from "node:child_process";

let TxRaw, TxBody, AuthInfo, SignDoc, SignMode, PubKey, secp256k1, sha256, ripemd160;
try {
  ({ TxRaw, TxBody, AuthInfo, SignDoc } = await import("cosmjs-types/cosmos/tx/v1beta1/tx"));
  ({ SignMode } = await import("cosmjs-types/cosmos/tx/signing/v1beta1/signing"));
  ({ PubKey } = await import("cosmjs-types/cosmos/crypto/secp256k1/keys"));
  ({ secp256k1 } = await import("@noble/curves/secp256k1.js"));
  ({ sha256 } = await import("@noble/hashes/sha2.js"));
  ({ ripemd160 } = await import("@noble/hashes/legacy.js"));
} catch (e) {
  // Only a missing package is a skip; anything else is a broken check.
  if (e.code !== "ERR_MODULE_NOT_FOUND") throw e;
  console.log(`skipped: third-party modules missing (${e.message}); run \`make wire-deps\``);
  process.exit(77);
}

const tool = process.argv[2];
if (!tool) {
  console.error("usage: node check_tx.mjs PATH/TO/tx_tool");
  process.exit(2);
}

// The published test key tx_tool uses (Tendermint's secp256k1 test data).
const TEST_KEY = "a96e62ed3955e65be32703f12d87b6b5cf26039ecfa948dc5107a495418e5330";
const PUBKEY_URL = "/cosmos.crypto.secp256k1.PubKey";
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const hex = (b) => Buffer.from(b).toString("hex");
const unhex = (s) => new Uint8Array(Buffer.from(s, "hex"));
const utf8 = (s) => new TextEncoder().encode(s);

let checks = 0;
let failures = 0;
function check(cond, what) {
  checks++;
  if (!cond) {
    failures++;
    console.log(`FAIL: ${what}`);
  }
}
function eq(got, want, what) {
  const g = typeof got === "bigint" ? got.toString() : got;
  const w = typeof want === "bigint" ? want.toString() : want;
  check(g === w, `${what}: got ${JSON.stringify(g)}, want ${JSON.stringify(w)}`);
}

// What each tx_tool case was asked to build (mirrors cmd_build in tx_tool.c).
const sendValue = "0a03616263120378797a";
const bigValue = "0aa902" + "00".repeat(297);
const MAX_U64 = (1n << 64n) - 1n;
const expected = {
  simple: {
    messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: sendValue }],
    memo: "hi",
    timeoutHeight: 0n,
    fee: [{ denom: "stake", amount: "200" }],
    gasLimit: 100000n,
    payer: "",
    granter: "",
    chainId: "test-1",
    accountNumber: 7n,
    sequence: 3n,
  },
  everything: {
    messages: [
      { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: sendValue },
      { typeUrl: "/ibc.core.client.v1.MsgUpdateClient", value: "" },
      { typeUrl: "/ibc.core.channel.v1.MsgRecvPacket", value: bigValue },
    ],
    memo: "relayed by pontifex \u26f5 caf\u00e9",
    timeoutHeight: 1099511627776n,
    fee: [
      { denom: "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", amount: "0" },
      { denom: "uatom", amount: ((1n << 256n) - 1n).toString() },
    ],
    gasLimit: MAX_U64,
    payer: "cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r",
    granter: "cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6",
    chainId: "a-chain-id-of-exactly-fifty-bytes-0123456789abcdef",
    accountNumber: MAX_U64,
    sequence: (1n << 63n) + 1n,
  },
  defaults: {
    messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: sendValue }],
    memo: "",
    timeoutHeight: 0n,
    fee: [],
    gasLimit: 0n,
    payer: "",
    granter: "",
    chainId: "c",
    accountNumber: 0n,
    sequence: 0n,
  },
};

// The transaction built from scratch with cosmjs-types.
function cosmjsBuild(e, pub) {
  const body = TxBody.encode(
    TxBody.fromPartial({
      messages: e.messages.map((m) => ({ typeUrl: m.typeUrl, value: unhex(m.value) })),
      memo: e.memo,
      timeoutHeight: e.timeoutHeight,
    }),
  ).finish();
  const authInfo = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: { typeUrl: PUBKEY_URL, value: PubKey.encode({ key: pub }).finish() },
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence: e.sequence,
        },
      ],
      fee: { amount: e.fee, gasLimit: e.gasLimit, payer: e.payer, granter: e.granter },
    }),
  ).finish();
  const signDoc = SignDoc.encode(
    SignDoc.fromPartial({
      bodyBytes: body,
      authInfoBytes: authInfo,
      chainId: e.chainId,
      accountNumber: e.accountNumber,
    }),
  ).finish();
  return { body, authInfo, signDoc };
}

function runTool(args) {
  try {
    const out = execFileSync(tool, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    return { status: 0, json: JSON.parse(out) };
  } catch (e) {
    if (e.status === undefined || e.status === null) throw e;
    let json = null;
    try {
      json = JSON.parse(e.stdout);
    } catch {
      // left null: the check on json reports it
    }
    return { status: e.status, json };
  }
}

// ---- forward: pontifex builds, third parties check -------------------------

const priv = unhex(TEST_KEY);
const nobleBuilt = runTool(["build"]);
check(nobleBuilt.status === 0 && Array.isArray(nobleBuilt.json), "tx_tool build ran");
const cases = nobleBuilt.json ?? [];
check(cases.length === Object.keys(expected).length, "tx_tool built every case");

for (const c of cases) {
  const e = expected[c.name];
  const at = `case ${c.name}`;
  if (!e) {
    check(false, `${at}: unexpected case`);
    continue;
  }
  const pub = secp256k1.getPublicKey(priv, true);
  eq(c.public_key, hex(pub), `${at}: public key derived by noble`);

  // TxRaw
  const rawBytes = unhex(c.tx_raw);
  const raw = TxRaw.decode(rawBytes);
  eq(hex(raw.bodyBytes), c.body_bytes, `${at}: TxRaw.body_bytes`);
  eq(hex(raw.authInfoBytes), c.auth_info_bytes, `${at}: TxRaw.auth_info_bytes`);
  eq(raw.signatures.length, 1, `${at}: one signature`);
  eq(hex(TxRaw.encode(raw).finish()), c.tx_raw, `${at}: TxRaw re-encoded by cosmjs-types`);

  // TxBody, field by field
  const body = TxBody.decode(raw.bodyBytes);
  eq(body.messages.length, e.messages.length, `${at}: number of messages`);
  body.messages.forEach((m, i) => {
    eq(m.typeUrl, e.messages[i].typeUrl, `${at}: messages[${i}].type_url`);
    eq(hex(m.value), e.messages[i].value, `${at}: messages[${i}].value`);
  });
  eq(body.memo, e.memo, `${at}: memo`);
  eq(body.timeoutHeight, e.timeoutHeight, `${at}: timeout_height`);
  eq(body.unordered, false, `${at}: unordered`);
  eq(body.timeoutTimestamp, undefined, `${at}: timeout_timestamp`);
  eq(body.extensionOptions.length, 0, `${at}: extension_options`);
  eq(body.nonCriticalExtensionOptions.length, 0, `${at}: non_critical_extension_options`);

  // AuthInfo, field by field
  const ai = AuthInfo.decode(raw.authInfoBytes);
  eq(ai.signerInfos.length, 1, `${at}: one signer info`);
  const si = ai.signerInfos[0];
  eq(si.publicKey?.typeUrl, PUBKEY_URL, `${at}: public_key.type_url`);
  eq(hex(PubKey.decode(si.publicKey.value).key), hex(pub), `${at}: public_key.key`);
  eq(si.modeInfo?.single?.mode, SignMode.SIGN_MODE_DIRECT, `${at}: mode_info.single.mode`);
  eq(si.modeInfo?.multi, undefined, `${at}: mode_info.multi`);
  eq(si.sequence, e.sequence, `${at}: sequence`);
  check(ai.fee !== undefined, `${at}: fee present`);
  eq(JSON.stringify(ai.fee.amount), JSON.stringify(e.fee), `${at}: fee.amount`);
  eq(ai.fee.gasLimit, e.gasLimit, `${at}: fee.gas_limit`);
  eq(ai.fee.payer, e.payer, `${at}: fee.payer`);
  eq(ai.fee.granter, e.granter, `${at}: fee.granter`);
  eq(ai.tip, undefined, `${at}: tip`);

  // The same transaction from scratch with cosmjs-types: identical bytes.
  const ref = cosmjsBuild(e, pub);
  eq(hex(ref.body), c.body_bytes, `${at}: TxBody bytes equal cosmjs-types'`);
  eq(hex(ref.authInfo), c.auth_info_bytes, `${at}: AuthInfo bytes equal cosmjs-types'`);
  eq(hex(ref.signDoc), c.sign_bytes, `${at}: SignDoc equals the sign bytes`);
  // And the SignDoc rebuilt from the TxRaw we received.
  const doc = SignDoc.encode(
    SignDoc.fromPartial({
      bodyBytes: raw.bodyBytes,
      authInfoBytes: raw.authInfoBytes,
      chainId: e.chainId,
      accountNumber: e.accountNumber,
    }),
  ).finish();
  eq(hex(doc), c.sign_bytes, `${at}: SignDoc from TxRaw equals the sign bytes`);

  // Signature: verified by noble (low-S enforced), and equal to noble's
  // deterministic signature.
  const sig = raw.signatures[0];
  const digest = sha256(doc);
  check(secp256k1.verify(sig, digest, pub, { prehash: false, lowS: true }), `${at}: noble verifies the signature`);
  check(secp256k1.verify(sig, doc, pub, { lowS: true }), `${at}: noble verifies with its own sha256`);
  eq(hex(sig), hex(secp256k1.sign(digest, priv, { prehash: false })), `${at}: RFC 6979 signature equals noble's`);
  const bad = doc.slice();
  bad[bad.length - 1] ^= 1;
  check(!secp256k1.verify(sig, sha256(bad), pub, { prehash: false }), `${at}: noble refuses a changed sign doc`);

  // Address
  eq(c.auth_info.signer_infos[0].address_hex, hex(ripemd160(sha256(pub))), `${at}: address`);
}

// ---- reverse: cosmjs-types builds, pontifex checks --------------------------

function signedByNoble(e, key, { highS = false } = {}) {
  const pub = secp256k1.getPublicKey(key, true);
  const { body, authInfo, signDoc } = cosmjsBuild(e, pub);
  let sig = secp256k1.sign(sha256(signDoc), key, { prehash: false });
  if (highS) {
    const s = BigInt("0x" + hex(sig.slice(32)));
    const hs = (N - s).toString(16).padStart(64, "0");
    sig = new Uint8Array([...sig.slice(0, 32), ...unhex(hs)]);
    check(secp256k1.verify(sig, sha256(signDoc), pub, { prehash: false, lowS: false }), "high-S variant is valid ECDSA");
  }
  const raw = TxRaw.encode(TxRaw.fromPartial({ bodyBytes: body, authInfoBytes: authInfo, signatures: [sig] })).finish();
  return { raw, pub, sig };
}

const otherKey = sha256(utf8("pontifex wire check: a second key"));
const reverse = [
  { name: "cosmjs simple", key: priv, e: expected.simple },
  { name: "cosmjs everything", key: otherKey, e: expected.everything },
  { name: "cosmjs defaults", key: otherKey, e: expected.defaults },
];
for (const r of reverse) {
  const at = r.name;
  const { raw, pub, sig } = signedByNoble(r.e, r.key);
  const res = runTool(["decode", r.e.chainId, r.e.accountNumber.toString(), hex(raw)]);
  eq(res.status, 0, `${at}: tx_tool accepts and verifies (${JSON.stringify(res.json)})`);
  const j = res.json;
  if (!j || !j.ok) continue;
  eq(j.body.messages.length, r.e.messages.length, `${at}: number of messages`);
  j.body.messages.forEach((m, i) => {
    eq(m.type_url, r.e.messages[i].typeUrl, `${at}: messages[${i}].type_url`);
    eq(m.value, r.e.messages[i].value, `${at}: messages[${i}].value`);
  });
  eq(j.body.memo, r.e.memo, `${at}: memo`);
  eq(j.body.timeout_height, r.e.timeoutHeight.toString(), `${at}: timeout_height`);
  const si = j.auth_info.signer_infos[0];
  eq(si.public_key.type_url, PUBKEY_URL, `${at}: public_key.type_url`);
  eq(si.secp256k1_key, hex(pub), `${at}: public key`);
  eq(si.mode, 1, `${at}: mode`);
  eq(si.sequence, r.e.sequence.toString(), `${at}: sequence`);
  eq(si.address_hex, hex(ripemd160(sha256(pub))), `${at}: address`);
  eq(JSON.stringify(j.auth_info.fee_amount), JSON.stringify(r.e.fee), `${at}: fee amount`);
  eq(j.auth_info.gas_limit, r.e.gasLimit.toString(), `${at}: gas limit`);
  eq(j.auth_info.payer, r.e.payer, `${at}: payer`);
  eq(j.auth_info.granter, r.e.granter, `${at}: granter`);
  eq(j.signatures[0], hex(sig), `${at}: signature`);

  // Refusals: the verdict must be "does not verify" (exit 1), not a crash
  // or "malformed".
  const other = r.e.chainId === "test-1" ? "test-2" : "test-1";
  eq(runTool(["decode", other, r.e.accountNumber.toString(), hex(raw)]).status, 1, `${at}: wrong chain id refused`);
  const acct = r.e.accountNumber === MAX_U64 ? 0n : r.e.accountNumber + 1n;
  eq(runTool(["decode", r.e.chainId, acct.toString(), hex(raw)]).status, 1, `${at}: wrong account number refused`);
  const flipped = raw.slice();
  flipped[flipped.length - 5] ^= 0x01;
  eq(runTool(["decode", r.e.chainId, r.e.accountNumber.toString(), hex(flipped)]).status, 1, `${at}: flipped signature bit refused`);
  const high = signedByNoble(r.e, r.key, { highS: true });
  const hres = runTool(["decode", r.e.chainId, r.e.accountNumber.toString(), hex(high.raw)]);
  eq(hres.status, 1, `${at}: high-S signature refused`);
  check(/high-S/.test(hres.json?.message ?? ""), `${at}: high-S named in the error (${hres.json?.message})`);
}

// Non-canonical bytes that cosmjs-types itself would accept: a TxRaw whose
// fields come out of order, and a body with an explicit empty memo.
{
  const { raw } = signedByNoble(expected.simple, priv);
  const t = TxRaw.decode(raw);
  const w = TxRaw.encode({ bodyBytes: new Uint8Array(), authInfoBytes: t.authInfoBytes, signatures: t.signatures }).finish();
  const b = TxRaw.encode({ bodyBytes: t.bodyBytes, authInfoBytes: new Uint8Array(), signatures: [] }).finish();
  const swapped = new Uint8Array([...w.slice(0, w.length), ...b]);
  check(TxRaw.decode(swapped).bodyBytes.length > 0, "cosmjs-types accepts the reordered TxRaw");
  eq(runTool(["decode", "test-1", "7", hex(swapped)]).status, 2, "out-of-order TxRaw refused as malformed");
  const bodyWithEmptyMemo = new Uint8Array([...t.bodyBytes, 0x12, 0x00]);
  const r2 = TxRaw.encode({ bodyBytes: bodyWithEmptyMemo, authInfoBytes: t.authInfoBytes, signatures: t.signatures }).finish();
  eq(TxBody.decode(bodyWithEmptyMemo).memo, "", "cosmjs-types takes the last memo");
  eq(runTool(["decode", "test-1", "7", hex(r2)]).status, 2, "repeated memo refused as malformed");
}

console.log(`cosmos tx wire check: ${checks} checks, ${checks - failures} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
