import { Encoder } from '/work/main/node_modules/@msgpack/msgpack/dist.cjs/index.cjs';
import { crc32 } from '/work/main/src/engine/persistence/crc32.ts';
const mk = (i: number) => ({ zxid: 0x100000000 + i, timeMs: 1000 + i, sessionId: 0x1000000000001 + (i % 20), cxid: i, body: { type: 'setData', path: `/c${i % 20}`, data: new TextEncoder().encode(String(i)), version: i } });
const N = 200000;
const txns: any[] = Array.from({ length: N }, (_, i) => mk(i));
const enc = new Encoder();
const REC = Symbol('record');
let slab = new Uint8Array(65536); let slabAt = 0;
function slabAlloc(n: number): Uint8Array { if (slabAt + n > slab.length) { slab = new Uint8Array(Math.max(65536, n)); slabAt = 0; } const v = slab.subarray(slabAt, slabAt + n); slabAt += n; return v; }
const variants: Record<string, (x: any) => Uint8Array> = {
  weakmap_new: (() => { const wm = new WeakMap(); return (x: any) => { let r = wm.get(x); if (!r) { const p = enc.encodeSharedRef(x); r = new Uint8Array(8 + p.length); r.set(p, 8); crc32(p); wm.set(x, r); } return r; }; })(),
  weakmap_slab: (() => { const wm = new WeakMap(); return (x: any) => { let r = wm.get(x); if (!r) { const p = enc.encodeSharedRef(x); r = slabAlloc(8 + p.length); r.set(p, 8); crc32(p); wm.set(x, r); } return r; }; })(),
  symbol_slab: (x: any) => { let r = x[REC]; if (!r) { const p = enc.encodeSharedRef(x); r = slabAlloc(8 + p.length); r.set(p, 8); crc32(p); Object.defineProperty(x, REC, { value: r }); } return r; },
  nocache_slab: (x: any) => { const p = enc.encodeSharedRef(x); const r = slabAlloc(8 + p.length); r.set(p, 8); crc32(p); return r; },
};
for (let round = 0; round < 3; round++) for (const [name, f] of Object.entries(variants)) {
  for (let i = 0; i < N; i++) txns[i] = mk(i);
  const t = performance.now();
  for (const x of txns) for (let k = 0; k < 5; k++) f(x);
  console.log(name, ((performance.now() - t) / N * 1e6).toFixed(0), 'ns per txn (5 lookups)');
}
