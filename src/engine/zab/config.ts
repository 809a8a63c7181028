/**
 * Ensemble configuration, as zoo.cfg expresses it: timing in ticks, the server list with roles,
 * snapCount, electionAlg. Validated once at the edge; the engine receives it resolved.
 */

/** A server's role in the ensemble. */
export type ServerRole = 'participant' | 'observer';

/** One `server.N=...` line. */
export interface ServerEntry {
  sid: number;
  role: ServerRole;
}

/** zoo.cfg, resolved. */
export interface EnsembleConfig {
  tickTimeMs: number;
  /** Ticks a learner may take to connect and sync with a leader. */
  initLimit: number;
  /** Ticks a learner may lag (no ping answer, no ack of the oldest proposal). */
  syncLimit: number;
  /** Take a snapshot after about this many txns (ZooKeeper randomises within [snapCount/2, snapCount]). */
  snapCount: number;
  electionAlg: 3;
  servers: ServerEntry[];
  /** ZooKeeper's zookeeper.commitLogCount: committed txns kept in memory for DIFF. */
  commitLogCount: number;
  /** Largest txn-log sync (in txns) before the leader prefers a snapshot. */
  txnLogSyncLimit: number;
  /**
   * Calibration, not a ZooKeeper setting: how long a new leader's start-up (role teardown,
   * Leader.lead's loadData and snapshot, processor threads) keeps its learner port closed.
   * Measured kill-to-serving on a 3-node 3.8.0 ensemble is 306–403 ms of which FLE is ~215 ms;
   * this range reproduces the rest.
   */
  leaderStartupMs: { min: number; max: number };
  /**
   * Deliberately broken behaviours for testing the tester (never on by default): a checker
   * that passes with one of these on is not checking what it claims.
   */
  mutations: readonly EngineMutation[];
}

/** The engine's deliberate bugs, selectable from a scenario's `engine.mutations`. */
export const ENGINE_MUTATIONS = ['commit-after-one-ack', 'ack-before-fsync', 'skip-trunc'] as const;
export type EngineMutation = (typeof ENGINE_MUTATIONS)[number];

/** ZooKeeper defaults where zoo.cfg has them. */
export const DEFAULT_ENSEMBLE: Omit<EnsembleConfig, 'servers'> = {
  tickTimeMs: 2000,
  initLimit: 10,
  syncLimit: 5,
  snapCount: 100_000,
  electionAlg: 3,
  commitLogCount: 500,
  txnLogSyncLimit: 10_000,
  leaderStartupMs: { min: 80, max: 180 },
  mutations: [],
};

/**
 * The same settings in an object of one fixed shape. Callers build configs in many ways (a
 * spread of the defaults, a parsed scenario), and V8 may give each such object its own hidden
 * class; every protocol step reads `cfg`, so a node keeps this copy, and code optimised in one
 * run is not thrown away when the next run brings a differently built config.
 */
export function canonicalEnsemble(cfg: EnsembleConfig): EnsembleConfig {
  return {
    tickTimeMs: cfg.tickTimeMs,
    initLimit: cfg.initLimit,
    syncLimit: cfg.syncLimit,
    snapCount: cfg.snapCount,
    electionAlg: cfg.electionAlg,
    servers: cfg.servers,
    commitLogCount: cfg.commitLogCount,
    txnLogSyncLimit: cfg.txnLogSyncLimit,
    leaderStartupMs: { min: cfg.leaderStartupMs.min, max: cfg.leaderStartupMs.max },
    mutations: cfg.mutations,
  };
}

/** Network address of a server: the kernel endpoint id. */
export const serverAddress = (sid: number) => `n${sid}`;

/** Parses a kernel endpoint id back into a sid (undefined for clients and others). */
export function sidOfAddress(address: string): number | undefined {
  const m = /^n([1-9][0-9]*)$/.exec(address);
  return m === null ? undefined : Number(m[1]);
}

/** Voting members (participants), ascending. */
export function voters(cfg: EnsembleConfig): number[] {
  return cfg.servers.filter((s) => s.role === 'participant').map((s) => s.sid).sort((a, b) => a - b);
}

/** Problems with a configuration, as "field: what is wrong" strings (empty when valid). */
export function validateEnsemble(cfg: EnsembleConfig): string[] {
  const errs: string[] = [];
  const posInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v <= 0) errs.push(`${name}: expected a positive integer, got ${v}`);
  };
  posInt('tickTime', cfg.tickTimeMs);
  posInt('initLimit', cfg.initLimit);
  posInt('syncLimit', cfg.syncLimit);
  posInt('snapCount', cfg.snapCount);
  posInt('commitLogCount', cfg.commitLogCount);
  if (cfg.electionAlg !== 3) errs.push(`electionAlg: only 3 (fast leader election) is supported, got ${String(cfg.electionAlg)}`);
  const sids = cfg.servers.map((s) => s.sid);
  if (new Set(sids).size !== sids.length) errs.push('servers: duplicate server id');
  for (const s of cfg.servers) if (!Number.isInteger(s.sid) || s.sid < 1 || s.sid > 255) errs.push(`servers: id must be 1..255, got ${s.sid}`);
  if (voters(cfg).length === 0) errs.push('servers: at least one participant is needed');
  return errs;
}
