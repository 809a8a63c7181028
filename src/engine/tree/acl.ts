/**
 * The minimal ACL model: enough for `world:anyone` everywhere and the read-only
 * `/zookeeper/config`. Clients never authenticate in the simulator, so only `world:anyone`
 * entries can grant anything.
 */

/** Permission bits as in `ZooDefs.Perms`. */
export const Perms = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

/** One ACL entry; plain data so it can travel in txns and snapshots. */
export interface Acl {
  perms: number;
  scheme: string;
  id: string;
}

/** `OPEN_ACL_UNSAFE`: world:anyone with every permission. */
export const OPEN_ACL: readonly Acl[] = [{ perms: Perms.ALL, scheme: 'world', id: 'anyone' }];

/** `READ_ACL_UNSAFE`: world:anyone may only read (used by `/zookeeper/config`). */
export const READ_ACL: readonly Acl[] = [{ perms: Perms.READ, scheme: 'world', id: 'anyone' }];

/**
 * `fixupACL` for an unauthenticated client: an empty list or an entry it cannot honour gives
 * INVALIDACL (returns false). `auth` needs an authenticated identity, which we never have.
 */
export function isAclAcceptable(acl: readonly Acl[]): boolean {
  if (acl.length === 0) return false;
  return acl.every((entry) => {
    if (entry.scheme === 'world') return entry.id === 'anyone';
    if (entry.scheme === 'digest') return entry.id.split(':').length === 2;
    if (entry.scheme === 'ip') return entry.id.length > 0;
    return false;
  });
}

/** Whether an unauthenticated client holds permission `perm` under `acl`. */
export function aclAllows(acl: readonly Acl[], perm: number): boolean {
  return acl.some((entry) => entry.scheme === 'world' && entry.id === 'anyone' && (entry.perms & perm) !== 0);
}

/** A deep copy, so txns and tree nodes never share mutable arrays. */
export function copyAcl(acl: readonly Acl[]): Acl[] {
  return acl.map((entry) => ({ perms: entry.perms, scheme: entry.scheme, id: entry.id }));
}
