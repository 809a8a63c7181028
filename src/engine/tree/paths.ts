/**
 * Path rules of ZooKeeper 3.8.0 (§1.4 of the reference). Different requests validate
 * differently on purpose: create and setData validate the full path, delete only checks for a
 * `/` and NUL, and reads validate nothing (a malformed read path just does not exist).
 */

/** The root's canonical key in the tree. */
export const ROOT_PATH = '/';

/** Paths that can never be deleted (BADARGUMENTS), as in `ZKDatabase.isSpecialPath`. */
const SPECIAL_PATHS: ReadonlySet<string> = new Set(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']);

/** Whether `path` is one of the undeletable system paths. */
export function isSpecialPath(path: string): boolean {
  return SPECIAL_PATHS.has(path);
}

/** UTF-16 code units that ZooKeeper rejects inside a path (besides NUL, checked separately). */
function isInvalidPathChar(code: number): boolean {
  return (
    (code > 0x0000 && code <= 0x001f) ||
    (code >= 0x007f && code <= 0x009f) ||
    (code >= 0xd800 && code <= 0xf8ff) ||
    (code >= 0xfff0 && code <= 0xffff)
  );
}

/**
 * Full validation as `PathUtils.validatePath`: absolute, no trailing `/`, no empty
 * component, no `.`/`..` component, no NUL or invalid character. `/` itself is valid.
 */
export function isValidPath(path: string): boolean {
  if (path.length === 0 || path.charCodeAt(0) !== 0x2f) return false;
  if (path.length === 1) return true;
  // One pass, no slice/split (every request's path comes through here): the end of the string
  // closes the last component like a '/', so a trailing '/' is an empty component.
  let start = 1;
  for (let i = 1; i <= path.length; i++) {
    const code = i < path.length ? path.charCodeAt(i) : 0x2f;
    if (code === 0x2f) {
      const len = i - start;
      if (len === 0) return false;
      if (path.charCodeAt(start) === 0x2e && (len === 1 || (len === 2 && path.charCodeAt(start + 1) === 0x2e))) return false; // '.' or '..'
      start = i + 1;
    } else if (code === 0 || isInvalidPathChar(code)) return false;
  }
  return true;
}

/** Whether the path contains a NUL code unit. */
export function hasNul(path: string): boolean {
  return path.includes('\u0000');
}

/**
 * The parent as ZooKeeper computes it: everything before the last `/`. This may be `""`
 * (the parent of `/a`), which the tree resolves to the root, or something malformed like
 * `/t/` (the parent of `/t//x`), which simply does not exist. Returns null without a `/`.
 */
export function rawParentOf(path: string): string | null {
  const lastSlash = path.lastIndexOf('/');
  return lastSlash === -1 ? null : path.slice(0, lastSlash);
}

/** The last component (the child's name under its parent). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The tree key a lookup uses: ZooKeeper's DataTree maps `""` to the root. */
export function lookupKey(path: string): string {
  return path === '' ? ROOT_PATH : path;
}

/** Parent of a valid, non-root path, in canonical form (`/` for top-level nodes). */
export function parentOf(path: string): string {
  const parent = path.slice(0, path.lastIndexOf('/'));
  return parent === '' ? ROOT_PATH : parent;
}

/** Joins a canonical parent path and a child name. */
export function childPath(parent: string, name: string): string {
  return parent === ROOT_PATH ? `/${name}` : `${parent}/${name}`;
}

/**
 * The sequential suffix: the parent's stored creation counter as a signed int32 in Java's
 * `%010d` (zero padding after the sign, so -5 is `-000000005`).
 */
export function sequentialSuffix(childCreates: number): string {
  const n = childCreates | 0;
  if (n < 0) return '-' + String(-n).padStart(9, '0');
  return String(n).padStart(10, '0');
}

/**
 * Length of a string in UTF-8 bytes (what the wire carries), counted from the UTF-16 code units
 * rather than by encoding: this sizes every request's path and ACL strings. Same result as
 * `TextEncoder`: a surrogate pair is 4 bytes, a lone surrogate becomes U+FFFD (3 bytes).
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
