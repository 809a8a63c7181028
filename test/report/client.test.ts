/**
 * Runs the page's own scripts (timeline, charts) in a VM against a stub DOM and canvas: the draw
 * and hover code must not throw, and a hover must name the op, server or fault under the mouse.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CHARTS_JS } from '../../src/report/charts.ts';
import { renderReport } from '../../src/report/index.ts';
import { TIMELINE_JS } from '../../src/report/timeline.ts';
import { inlineScripts, sampleRun, XSS_SCRIPT } from './fixture.ts';

type Listener = (ev: Record<string, unknown>) => void;
interface Call { name: string; args: unknown[]; fillStyle: unknown }

/** A 2D context that records every call with the fill style in force. */
function recordingContext(calls: Call[]): unknown {
  const state: Record<string | symbol, unknown> = {};
  return new Proxy(state, {
    get: (t, k) => (k in t ? t[k] : (...args: unknown[]) => { calls.push({ name: String(k), args, fillStyle: t.fillStyle }); return {}; }),
    set: (t, k, v) => ((t[k] = v), true),
  });
}

function element(extra: Record<string, unknown> = {}) {
  const listeners: Record<string, Listener> = {};
  return { listeners, style: {} as Record<string, string>, textContent: '', addEventListener: (type: string, fn: Listener) => (listeners[type] = fn), ...extra };
}

function pageWith(html: string, hash = '') {
  const calls: Call[] = [];
  const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
  const canvas = element({ parentNode: { clientWidth: 1000 }, getContext: () => recordingContext(calls), getBoundingClientRect: () => ({ left: 0, top: 0 }) });
  const els: Record<string, ReturnType<typeof element>> = { 'report-data': element({ textContent: json }), timeline: canvas, tip: element({ offsetWidth: 100 }), 'tl-view': element(), 'tl-reset': element(), 'tl-out': element(), latency: element(), throughput: element() };
  const win = element({ devicePixelRatio: 1, scrollX: 0 });
  const replaced: string[] = [];
  const sandbox = {
    document: { getElementById: (id: string) => els[id], createElement: () => element({ getContext: () => recordingContext([]) }), documentElement: { clientWidth: 1000 } },
    window: win,
    location: { hash },
    history: { replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) },
  };
  return { calls, els, win, sandbox, replaced };
}

const { result, outcome } = sampleRun();
const html = renderReport(result, outcome);
const C = Object.fromEntries([...TIMELINE_JS.matchAll(/\b(GUTTER|RIGHT|AXIS|FROW|SROW|GAP|LROW) = (\d+)/g)].map((m) => [m[1], Number(m[2])])) as Record<string, number>;

describe('timeline script', () => {
  it('is the script the page carries', () => {
    expect(inlineScripts(html)).toContain(TIMELINE_JS);
    expect(inlineScripts(html)).toContain(CHARTS_JS);
  });

  const page = pageWith(html);
  runInNewContext(TIMELINE_JS, page.sandbox);
  const canvas = page.els.timeline!;
  const tip = page.els.tip!;
  const plotW = 1000 - C.GUTTER! - C.RIGHT!;
  const x = (us: number) => C.GUTTER! + (us / 1_000_000) * plotW;
  const serverTop = C.AXIS! + C.FROW! + 4;
  const laneY = (lane: number) => serverTop + 3 * C.SROW! + C.GAP! + lane * C.LROW! + C.LROW! / 2;
  const hover = (px: number, py: number) => {
    canvas.listeners.mousemove!({ clientX: px, clientY: py, pageX: px, pageY: py });
    return tip.style.display === 'block' ? tip.textContent : null;
  };

  it('draws every op, server segment and fault', () => {
    const fills = page.calls.filter((c) => c.name === 'fillRect');
    expect(fills.filter((c) => c.fillStyle === '#2e9d4f')).toHaveLength(3); // ok ops
    expect(fills.filter((c) => c.fillStyle === '#e0692b')).toHaveLength(1); // the fail
    expect(fills.filter((c) => c.fillStyle === '#1f6feb')).toHaveLength(1); // n1 LEADING, one merged segment
    expect(fills.filter((c) => c.fillStyle === '#c4c4c4')).toHaveLength(1); // n3 down
    const texts = page.calls.filter((c) => c.name === 'fillText').map((c) => c.args[0]);
    expect(texts).toEqual(expect.arrayContaining(['part', 'kill', 'n1', 'c3 p5']));
    expect(page.els['tl-view']!.textContent).toBe('showing 0 ms to 1000 ms');
  });

  it('names the op under the mouse, with its value as text', () => {
    const t = hover(x(101_000), laneY(0));
    expect(t).toContain('#0  c1 process 0  create  ok');
    expect(t).toContain(XSS_SCRIPT);
    expect(t).toContain('zxid 0x100000001 at n1');
    expect(t).toContain('invoked 100 ms, completed 102 ms (2 ms)');
    expect(t).toContain('cited by a violation');
  });

  it('finds an info op long after its completion, and says it may still take effect', () => {
    const t = hover(x(900_000), laneY(2));
    expect(t).toContain('#6  c3 process 2  setData  info');
    expect(t).toContain('may have taken effect at any time after its invoke');
  });

  it('shows nothing between ops, the server state on a strip, and faults on the fault row', () => {
    expect(hover(x(900_000), laneY(1))).toBeNull();
    expect(hover(x(500_000), serverTop + 2 * C.SROW! + 5)).toMatch(/^n3 {2}down\nepoch 1\nlast zxid 0x100000001\nsince 400 ms/);
    expect(hover(x(350_000), C.AXIS! + 5)).toContain('fault part (partition): leader -> n1');
    expect(hover(10, laneY(0))).toBeNull();
  });

  it('zooms to a dragged range, and resets', () => {
    canvas.listeners.mousedown!({ clientX: x(100_000), clientY: 50, preventDefault: () => {} });
    canvas.listeners.mousemove!({ clientX: x(200_000), clientY: 50 });
    page.win.listeners.mouseup!({});
    expect(page.els['tl-view']!.textContent).toBe('showing 100 ms to 200 ms');
    expect(page.replaced.at(-1)).toBe('#view=100.000,200.000');
    expect(hover(x(101_000), laneY(0))).toBeNull(); // the create op is now at the left edge
    page.els['tl-reset']!.listeners.click!({});
    expect(page.els['tl-view']!.textContent).toBe('showing 0 ms to 1000 ms');
  });

  it('opens on the window named in the URL', () => {
    const p = pageWith(html, '#view=250,500');
    runInNewContext(TIMELINE_JS, p.sandbox);
    expect(p.els['tl-view']!.textContent).toBe('showing 250 ms to 500 ms');
  });
});

describe('charts script', () => {
  it('builds two line charts from the buckets and shades fault intervals', () => {
    const page = pageWith(html);
    const configs: { data: { datasets: { label: string; data: { x: number; y: number | null }[] }[] }; plugins: { beforeDatasetsDraw: (c: unknown) => void }[] }[] = [];
    runInNewContext(CHARTS_JS, { ...page.sandbox, Chart: function (_el: unknown, cfg: (typeof configs)[number]) { configs.push(cfg); } });
    expect(configs.map((c) => c.data.datasets.map((d) => d.label))).toEqual([['p50', 'p90', 'p99', 'max'], ['ok/s', 'fail/s', 'info/s']]);
    const p50 = configs[0]!.data.datasets[0]!.data;
    expect(p50).toHaveLength(10);
    expect(p50[1]).toEqual({ x: 150, y: 1 }); // create (2 ms) and getData (1 ms) ended in 100-200 ms; nearest rank
    expect(p50[0]!.y).toBeNull();
    const calls: Call[] = [];
    configs[0]!.plugins[0]!.beforeDatasetsDraw({ scales: { x: { getPixelForValue: (v: number) => v } }, chartArea: { left: 0, right: 1000, top: 0, bottom: 100 }, ctx: recordingContext(calls) });
    const rects = calls.filter((c) => c.name === 'fillRect' && c.args[1] === 0).map((c) => c.args);
    expect(rects).toEqual([[300, 0, 150, 100]]); // the partition; the crash is a line
    expect(calls.filter((c) => c.name === 'lineTo')).toHaveLength(1);
  });
});
