import type { ChoiceStream } from '../rng/choices.ts';

/** A one-way message latency distribution, in integer microseconds. */
export type LatencyModel =
  | { kind: 'constant'; us: number }
  | { kind: 'uniform'; minUs: number; maxUs: number }
  /** `minUs` plus an exponential tail whose mean brings the total mean to `meanUs`. */
  | { kind: 'exponential'; minUs: number; meanUs: number };

/** Validates a latency model, throwing a RangeError that names the bad field. */
export function validateLatency(model: LatencyModel): LatencyModel {
  const nonNeg = (name: string, v: number) => {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`latency ${name} must be a non-negative integer µs, got ${v}`);
  };
  switch (model.kind) {
    case 'constant':
      nonNeg('us', model.us);
      break;
    case 'uniform':
      nonNeg('minUs', model.minUs);
      nonNeg('maxUs', model.maxUs);
      if (model.maxUs < model.minUs) throw new RangeError('latency maxUs must be ≥ minUs');
      break;
    case 'exponential':
      nonNeg('minUs', model.minUs);
      nonNeg('meanUs', model.meanUs);
      if (model.meanUs < model.minUs) throw new RangeError('latency meanUs must be ≥ minUs');
      break;
  }
  return model;
}

/** Draws one latency from `model` using `stream` (one or zero choices per draw). */
export function sampleLatencyUs(model: LatencyModel, stream: ChoiceStream): number {
  switch (model.kind) {
    case 'constant':
      return model.us;
    case 'uniform':
      return model.minUs === model.maxUs ? model.minUs : stream.range(model.minUs, model.maxUs);
    case 'exponential': {
      const extraMean = model.meanUs - model.minUs;
      if (extraMean === 0) return model.minUs;
      // Inverse-CDF sampling; the fraction is never 0, so the tail is bounded (≈ 22.9 means).
      return model.minUs + Math.round(-extraMean * Math.log(stream.fraction()));
    }
  }
}
