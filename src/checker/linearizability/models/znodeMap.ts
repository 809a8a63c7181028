/**
 * ZooKeeper's data tree seen one znode at a time: create/delete/setData/getData/exists with
 * versions (`-1` or an exact match) and the determinate errors NONODE, NODEEXISTS, BADVERSION,
 * NOTEMPTY. Partitioned by path, which is sound because the model never looks at a parent: a
 * create that failed NONODE (missing parent) only tells it the node is absent, and NOTEMPTY only
 * that the node exists. Sequential creates are out of scope (their path is chosen by the server).
 *
 * ZooKeeper promises linearizable *writes* only; checking reads with this model is right for
 * sync-then-read or for a system that claims linearizable reads. The ZooKeeper checker feeds it
 * writes only. See `src/checker/zookeeper/zkOp.ts` for the op format.
 */
import { parseZkOp, ZkOpError, type ZkKind, type ZkOutcome } from '../../zookeeper/zkOp.ts';
import { ModelInputError, type Model } from '../model.ts';
import { EMPTY_MAP, mapEqual, mapGet, mapHash, mapSet, type SparseMap } from './sparseMap.ts';
import { ValueTable } from './values.ts';

const ABSENT = -1;

/** A prepared znode operation. */
export interface ZnodeInput {
  kind: ZkKind;
  path: number;
  pathName: string;
  data: number;
  version: number;
  outcome: ZkOutcome;
  /** Reported version after the op (setData, getData, exists), or -2 when not reported. */
  resultVersion: number;
  /** Reported data of getData, as a value id. */
  resultData: number;
  resultExists: boolean;
}

/** Znodes that exist before the history starts: path → data and version. */
export type ZnodeInitial = Readonly<Record<string, { data: unknown; version: number }>>;

/** The znode map model: state maps path ids to interned (data, version) node ids. */
export function znodeModel(initial: ZnodeInitial = {}): Model<SparseMap, ZnodeInput> {
  const paths = new ValueTable();
  const datas = new ValueTable();
  const nodes: { data: number; version: number }[] = [];
  const nodeIds = new Map<string, number>();
  const node = (data: number, version: number): number => {
    const k = `${data}:${version}`;
    let id = nodeIds.get(k);
    if (id === undefined) {
      id = nodes.length;
      nodes.push({ data, version });
      nodeIds.set(k, id);
    }
    return id;
  };
  let start: SparseMap = EMPTY_MAP;
  for (const [path, n] of Object.entries(initial)) start = mapSet(start, paths.id(path), node(datas.id(n.data), n.version));
  const matches = (i: ZnodeInput, n: number): boolean => i.version === -1 || nodes[n]!.version === i.version;
  return {
    name: 'znode',
    usesFailed: true,
    init: () => start,
    prepare(op) {
      let z;
      try {
        z = parseZkOp(op);
      } catch (err) {
        if (err instanceof ZkOpError) throw new ModelInputError(err.message, err.event);
        throw err;
      }
      if (z.kind === 'sync' || z.outcome === 'ignored') return undefined;
      if (z.outcome === 'unknown' && (z.kind === 'getData' || z.kind === 'exists')) return undefined;
      if (z.kind === 'create' && (op.input as { sequential?: unknown })?.sequential) {
        throw new ModelInputError('the znode model does not support sequential creates', op.invoke);
      }
      return {
        kind: z.kind,
        path: paths.id(z.path),
        pathName: z.path,
        data: datas.id(z.data),
        version: z.version,
        outcome: z.outcome,
        resultVersion: z.result.version ?? -2,
        resultData: datas.id(z.result.data ?? null),
        resultExists: z.result.exists ?? false,
      };
    },
    step(state, i) {
      const n = mapGet(state, i.path, ABSENT);
      const exists = n !== ABSENT;
      switch (i.outcome) {
        case 'NONODE':
          return exists ? undefined : state;
        case 'NODEEXISTS':
        case 'NOTEMPTY':
          return exists ? state : undefined;
        case 'BADVERSION':
          return exists && !matches(i, n) ? state : undefined;
        default:
          break;
      }
      const ok = i.outcome === 'ok';
      switch (i.kind) {
        case 'create':
          if (exists) return ok ? undefined : state;
          return mapSet(state, i.path, node(i.data, 0));
        case 'delete':
          if (!exists || !matches(i, n)) return ok ? undefined : state;
          return mapSet(state, i.path, ABSENT, ABSENT);
        case 'setData': {
          if (!exists || !matches(i, n)) return ok ? undefined : state;
          const version = nodes[n]!.version + 1;
          if (ok && i.resultVersion !== -2 && i.resultVersion !== version) return undefined;
          return mapSet(state, i.path, node(i.data, version));
        }
        case 'getData':
          if (!exists || nodes[n]!.data !== i.resultData) return undefined;
          return i.resultVersion === -2 || i.resultVersion === nodes[n]!.version ? state : undefined;
        default:
          // exists
          if (i.resultExists !== exists) return undefined;
          return !exists || i.resultVersion === -2 || i.resultVersion === nodes[n]!.version ? state : undefined;
      }
    },
    equal: mapEqual,
    hash: mapHash,
    // Reads, and definite failures (they only assert the znode's state), never change the state.
    readOnly: (i) => i.kind === 'getData' || i.kind === 'exists' || (i.outcome !== 'ok' && i.outcome !== 'unknown'),
    partitionKeys: (i) => [i.pathName],
    describeInput(i) {
      const v = i.version === -1 ? '' : ` version ${i.version}`;
      const res = i.outcome === 'ok' ? '' : i.outcome === 'unknown' ? ' (outcome unknown)' : ` -> ${i.outcome}`;
      switch (i.kind) {
        case 'create':
          return `create ${i.pathName} ${datas.text(i.data)}${res}`;
        case 'delete':
          return `delete ${i.pathName}${v}${res}`;
        case 'setData':
          return `setData ${i.pathName} ${datas.text(i.data)}${v}${res}${i.resultVersion >= 0 ? ` -> version ${i.resultVersion}` : ''}`;
        case 'getData':
          return `getData ${i.pathName}${res || ` -> ${datas.text(i.resultData)}${i.resultVersion >= 0 ? ` version ${i.resultVersion}` : ''}`}`;
        default:
          return `exists ${i.pathName}${res || ` -> ${i.resultExists}`}`;
      }
    },
    describeState(state) {
      if (state.length === 0) return 'no znodes';
      const parts: string[] = [];
      for (let i = 0; i < state.length; i += 2) {
        const n = nodes[state[i + 1]!]!;
        parts.push(`${paths.value(state[i]!) as string} = ${datas.text(n.data)} (version ${n.version})`);
      }
      return parts.join(', ');
    },
  };
}
