/**
 * What applying a txn produced, as plain data. The server turns this into the reply of the
 * request that caused it (a create returns a stat only for create2-style opcodes; a create
 * inside a multi returns only its path in 3.8.0).
 */
import type { Stat } from '../tree/stat.ts';

/** Result of one op inside a multi. */
export type MultiOpResult =
  | { type: 'create'; path: string; stat: Stat }
  | { type: 'delete' }
  | { type: 'setData'; stat: Stat }
  | { type: 'check' }
  | { type: 'error'; err: number };

/** Result of a whole txn. */
export type TxnResult =
  | { type: 'createSession' }
  | { type: 'closeSession' }
  | { type: 'create'; path: string; stat: Stat }
  | { type: 'delete' }
  | { type: 'setData'; stat: Stat }
  | { type: 'error'; err: number }
  | { type: 'multi'; results: MultiOpResult[] };
