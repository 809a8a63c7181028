import { ensembleThroughput } from '/tmp/et_cur.ts';
import { EventQueue } from '/work/main/src/sim/clock/eventQueue.ts';
let maxLen = 0, sum = 0, n = 0, live = 0;
const origPush = EventQueue.prototype.push;
EventQueue.prototype.push = function (ev) { origPush.call(this, ev); const h = (this as any).heap.length; if (h > maxLen) maxLen = h; sum += h; n++; live += (this as any).live; };
ensembleThroughput(5, 20, 60, 'off', 100);
console.log('heap len max', maxLen, 'avg', (sum / n).toFixed(0), 'avg live', (live / n).toFixed(0));
