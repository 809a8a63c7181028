/**
 * The limits refuse only what is out of range: every shipped scenario's run spec passes the
 * replay check of spec.json, and a scenario at exactly each limit loads. Method: build each
 * shipped scenario's spec for a few seeds, write it as `sim run` does (JSON, 2-space indent)
 * and validate it; then load a scenario with every limited field at its maximum or minimum.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { loadScenarioFile, parseScenario } from '../../src/scenario/loadScenario.ts';
import { MAX_CHECK_STEPS, MAX_LATENCY_US, MAX_LIMIT_TICKS, MAX_RUN_MS, MAX_SWARM_FAULTS, MAX_TICK_TIME_MS, MIN_PERIOD_MS } from '../../src/scenario/limits.ts';
import { validateRunSpec } from '../../src/scenario/runSpecSchema.ts';
import { YamlSource } from '../../src/scenario/yamlSource.ts';

const scenarios = fileURLToPath(new URL('../../scenarios', import.meta.url));

describe('scenario limits', () => {
  it.each(readdirSync(scenarios).filter((f) => f.endsWith('.yaml')))("replay accepts the spec.json of %s", (file) => {
    const scn = loadScenarioFile(join(scenarios, file));
    for (const seed of ['1', '2', '17']) {
      const json = JSON.stringify(scn.spec(seed), null, 2);
      expect(() => validateRunSpec(YamlSource.parse(json, 'spec.json'))).not.toThrow();
    }
  });

  it('a scenario at every limit loads, and its spec passes the replay check', () => {
    const atLimits = {
      system: 'zookeeper',
      seed: '99999999999999999999',
      durationMs: MAX_RUN_MS,
      cluster: { servers: 15, tickTimeMs: MAX_TICK_TIME_MS, initLimit: MAX_LIMIT_TICKS, syncLimit: MAX_LIMIT_TICKS, latency: { kind: 'uniform', minUs: 0, maxUs: MAX_LATENCY_US } },
      clients: { count: 200, sessionTimeoutMs: MAX_RUN_MS, requestTimeoutMs: MAX_RUN_MS },
      workload: { kind: 'register', durationMs: MAX_RUN_MS },
      checks: { maxSteps: MAX_CHECK_STEPS },
      faults: [
        { do: 'heal', everyMs: MIN_PERIOD_MS, startMs: 0, untilMs: MAX_RUN_MS },
        { do: 'crash-restart', target: 'n1', atMs: MAX_RUN_MS, downMs: [MIN_PERIOD_MS, MAX_RUN_MS] },
        { do: 'clock-skew', target: 'n2', atMs: 0, byMs: -MAX_RUN_MS, durationMs: MAX_RUN_MS },
        { swarm: { startMs: 0, untilMs: MAX_RUN_MS, count: [0, MAX_SWARM_FAULTS], maxDurationMs: MAX_RUN_MS } },
      ],
    };
    const scn = parseScenario(stringify(atLimits), 'limits.yaml', 'limits');
    expect(scn.defaultSeed).toBe('99999999999999999999');
    const json = JSON.stringify(scn.spec(scn.defaultSeed), null, 2);
    expect(() => validateRunSpec(YamlSource.parse(json, 'spec.json'))).not.toThrow();
  });

  it('seeds are canonical: 016 in a scenario is seed 16', () => {
    const scn = parseScenario('system: gossip\ndurationMs: 10\nnodes: 2\nseed: "016"\n', 's.yaml', 's');
    expect(scn.defaultSeed).toBe('16');
  });
});
