// Third-party wire check of ibc/codec against cosmjs-types (ts-proto code
// generated from the ibc-go / cometbft / cosmos-sdk .proto files).
//
//   node check_ibc_codec.mjs PATH/TO/ibc_codec_tool
//
// 1. pontifex -> cosmjs: for every message kind and sample variant the
//    tool prints pontifex's encoding and its fields; cosmjs-types decodes
//    the bytes, and every field must equal the tool's dump; cosmjs-types
//    re-encoding the decoded object must give the same bytes.
// 2. cosmjs -> pontifex: each decoded sample is changed (every 64-bit
//    integer + 1000, the last byte of every byte string flipped, outside
//    proof specs), encoded by cosmjs-types, decoded by the tool; fields must
//    match and the tool's re-encoding must be cosmjs's bytes.
// Exit 0 all equal, 1 a mismatch, 77 (skip) without node_modules.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(join(here, 'node_modules', 'cosmjs-types'))) {
  console.log('skipped: tests/wire/node_modules missing (run `make wire-deps`)');
  process.exit(77);
}
const require = createRequire(join(here, 'check_ibc_codec.mjs'));
const tool = process.argv[2];
if (!tool) {
  console.error('usage: node check_ibc_codec.mjs IBC_CODEC_TOOL');
  process.exit(2);
}

const ct = (p) => require(`cosmjs-types/${p.replace(/\.js$/, "")}`);
const client = ct('ibc/core/client/v1/tx.js');
const conn = ct('ibc/core/connection/v1/tx.js');
const chan = ct('ibc/core/channel/v1/tx.js');
const transfer = ct('ibc/applications/transfer/v1/tx.js');
const tm = ct('ibc/lightclients/tendermint/v1/tendermint.js');
const types = {
  '/ibc.core.client.v1.MsgCreateClient': client.MsgCreateClient,
  '/ibc.core.client.v1.MsgUpdateClient': client.MsgUpdateClient,
  '/ibc.core.client.v1.MsgSubmitMisbehaviour': client.MsgSubmitMisbehaviour,
  '/ibc.core.connection.v1.MsgConnectionOpenInit': conn.MsgConnectionOpenInit,
  '/ibc.core.connection.v1.MsgConnectionOpenTry': conn.MsgConnectionOpenTry,
  '/ibc.core.connection.v1.MsgConnectionOpenAck': conn.MsgConnectionOpenAck,
  '/ibc.core.connection.v1.MsgConnectionOpenConfirm': conn.MsgConnectionOpenConfirm,
  '/ibc.core.channel.v1.MsgChannelOpenInit': chan.MsgChannelOpenInit,
  '/ibc.core.channel.v1.MsgChannelOpenTry': chan.MsgChannelOpenTry,
  '/ibc.core.channel.v1.MsgChannelOpenAck': chan.MsgChannelOpenAck,
  '/ibc.core.channel.v1.MsgChannelOpenConfirm': chan.MsgChannelOpenConfirm,
  '/ibc.core.channel.v1.MsgRecvPacket': chan.MsgRecvPacket,
  '/ibc.core.channel.v1.MsgAcknowledgement': chan.MsgAcknowledgement,
  '/ibc.core.channel.v1.MsgTimeout': chan.MsgTimeout,
  '/ibc.applications.transfer.v1.MsgTransfer': transfer.MsgTransfer,
  '/ibc.lightclients.tendermint.v1.ClientState': tm.ClientState,
  '/ibc.lightclients.tendermint.v1.ConsensusState': tm.ConsensusState,
  '/ibc.lightclients.tendermint.v1.Header': tm.Header,
  '/ibc.lightclients.tendermint.v1.Misbehaviour': tm.Misbehaviour,
};

const toHex = (u8) => Buffer.from(u8).toString('hex');

// The decoded cosmjs object as plain JSON: bigint -> decimal string,
// bytes -> hex, undefined (absent message) dropped.
function norm(v) {
  if (v === undefined) return undefined;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(norm);
  if (v !== null && typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v)) {
      const n = norm(x);
      if (n !== undefined) o[k] = n;
    }
    return o;
  }
  return v;
}

// Fields one side knows and the other does not (documented in
// docs/ibc.md): Channel.upgradeSequence (ibc-go v8; cosmjs-types 0.11
// follows v10), ProofSpec.prehashKeyBeforeComparison (ics23 >= 0.10),
// MsgTransfer.encoding (ibc-go v10 field 9, skipped by pontifex). Each is
// dropped only while it holds its default, so a set value still differs.
function dropDefaults(v) {
  if (Array.isArray(v)) return v.map(dropDefaults);
  if (v !== null && typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'upgradeSequence' && x === '0') continue;
      if (k === 'prehashKeyBeforeComparison' && x === false) continue;
      if (k === 'encoding' && x === '') continue;
      o[k] = dropDefaults(x);
    }
    return o;
  }
  return v;
}

function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]));
  }
  return v;
}

const same = (a, b) => JSON.stringify(canon(dropDefaults(a))) === JSON.stringify(canon(dropDefaults(b)));

function firstDiff(a, b, path = '') {
  a = dropDefaults(a);
  b = dropDefaults(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return a === b ? null : `${path}: pontifex ${JSON.stringify(a)} cosmjs ${JSON.stringify(b)}`;
  }
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = firstDiff(a[k], b[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

// Direction 2's change to a decoded object (see the top of the file).
function tweak(v, inSpec = false) {
  if (typeof v === 'bigint') return v + 1000n;
  if (v instanceof Uint8Array) {
    if (inSpec || v.length === 0) return v;
    const c = Uint8Array.from(v);
    c[c.length - 1] ^= 0xff;
    return c;
  }
  if (Array.isArray(v)) return v.map((x) => tweak(x, inSpec));
  if (v !== null && typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v)) o[k] = tweak(x, inSpec || k === 'proofSpecs');
    return o;
  }
  return v;
}

let failures = 0;
let checked = 0;
const fail = (msg) => {
  failures++;
  console.error(`FAIL ${msg}`);
};

const lines = execFileSync(tool, ['samples'], { encoding: 'utf8' }).trim().split('\n');
for (const line of lines) {
  const s = JSON.parse(line);
  const T = types[s.typeUrl];
  const what = `${s.typeUrl} variant ${s.variant}`;
  if (!T) {
    fail(`${what}: no cosmjs-types type`);
    continue;
  }
  // 1. pontifex -> cosmjs
  const bytes = Buffer.from(s.hex, 'hex');
  const decoded = T.decode(bytes);
  const fields = norm(decoded);
  if (!same(s.fields, fields)) fail(`${what}: pontifex -> cosmjs fields differ: ${firstDiff(s.fields, fields)}`);
  const again = toHex(T.encode(decoded).finish());
  if (again !== s.hex) fail(`${what}: cosmjs re-encodes ${again}, pontifex wrote ${s.hex}`);
  checked++;

  // 2. cosmjs -> pontifex
  const changed = tweak(decoded);
  const theirs = toHex(T.encode(changed).finish());
  let out;
  try {
    out = JSON.parse(execFileSync(tool, ['decode', s.typeUrl, theirs], { encoding: 'utf8' }));
  } catch (e) {
    fail(`${what}: pontifex refused cosmjs bytes ${theirs}: ${e.stdout || e.message}`);
    continue;
  }
  const want = norm(T.decode(Buffer.from(theirs, 'hex')));
  if (!same(out.fields, want)) fail(`${what}: cosmjs -> pontifex fields differ: ${firstDiff(out.fields, want)}`);
  if (out.hex !== theirs) fail(`${what}: pontifex re-encodes ${out.hex}, cosmjs wrote ${theirs}`);
  checked++;
}
console.log(`ibc codec wire check: ${checked} comparisons over ${lines.length} samples, ${failures} failed`);
process.exit(failures ? 1 : 0);
