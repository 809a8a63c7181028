import { encodeLogRecord } from '/work/main/src/engine/persistence/txnLogFormat.ts';
import { crc32 } from '/work/main/src/engine/persistence/crc32.ts';
import { Encoder } from '/work/main/node_modules/@msgpack/msgpack/dist.cjs/index.cjs';
const mk = (i: number) => ({ zxid: 0x100000000 + i, timeMs: 1000 + i, sessionId: 0x1000000000001 + (i % 20), cxid: i, body: { type: 'setData', path: `/c${i % 20}`, data: new TextEncoder().encode(String(i)), version: i } });
const N = 200000;
const txns = Array.from({ length: N }, (_, i) => mk(i));
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  for (const x of txns) encodeLogRecord(x as any);
  const a = performance.now() - t;
  t = performance.now();
  for (const x of txns) for (let k = 0; k < 4; k++) encodeLogRecord(x as any);
  const b = performance.now() - t;
  const enc = new Encoder();
  t = performance.now();
  let s = 0;
  for (const x of txns) s += enc.encodeSharedRef(x).length;
  const c = performance.now() - t;
  const bytes = enc.encode(txns[5]);
  t = performance.now();
  for (let i = 0; i < N; i++) s += crc32(bytes);
  const d = performance.now() - t;
  console.log(`first encode ${(a / N * 1e6).toFixed(0)} ns, cached hit ${(b / N / 4 * 1e6).toFixed(0)} ns, msgpack only ${(c / N * 1e6).toFixed(0)} ns, crc ${(d / N * 1e6).toFixed(0)} ns (${bytes.length} B)`);
  for (let i = 0; i < N; i++) txns[i] = mk(i);
}
