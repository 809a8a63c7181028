/**
 * ZooKeeper's KeeperException codes, by their wire names and numbers. Operations return these
 * as values; only engine bugs throw.
 */

/** Wire error codes, as in `KeeperException.Code`. */
export const ErrorCode = {
  OK: 0,
  RUNTIMEINCONSISTENCY: -2,
  CONNECTIONLOSS: -4,
  UNIMPLEMENTED: -6,
  BADARGUMENTS: -8,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDACL: -114,
  NOWATCHER: -121,
} as const;

/** A wire error code number. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A wire error code name, e.g. `NONODE`. */
export type ErrorName = keyof typeof ErrorCode;

const NAME_BY_CODE = new Map<number, ErrorName>(
  (Object.keys(ErrorCode) as ErrorName[]).map((name) => [ErrorCode[name], name]),
);

/** The name of a code, e.g. -101 → `NONODE`; unknown codes print as `CODE(<n>)`. */
export function errorName(code: number): string {
  return NAME_BY_CODE.get(code) ?? `CODE(${code})`;
}

/** Whether `name` is one of the known error names. */
export function isErrorName(name: string): name is ErrorName {
  return Object.prototype.hasOwnProperty.call(ErrorCode, name);
}
