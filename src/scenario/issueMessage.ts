/**
 * Turns a zod issue into what the user is told. Zod reports a value that fits no branch of a
 * union as a bare "Invalid input" at the union; a user needs the branch they meant and what it
 * expected: `faults.0.do: unknown kind "partiton": expected one of partition, … (did you mean
 * partition?)`. The branch meant is the one whose shape matched best (fewest unknown keys,
 * missing keys or wrong types at its own level).
 */
import type { z } from 'zod';
import { didYouMean } from './closestMatch.ts';

type Issue = z.core.$ZodIssue;

/** What to say about one issue, and where (a path, and a key below it for an unknown key). */
export interface IssueReport {
  path: PropertyKey[];
  message: string;
  key?: string;
}

/** Explains `issue`, found at `prefix`; `valueAt` reads the document's value at a path. */
export function explainIssue(issue: Issue, prefix: readonly PropertyKey[], valueAt: (path: readonly PropertyKey[]) => unknown): IssueReport {
  const path = [...prefix, ...issue.path];
  const where = path.map(String).join('.');
  const at = (message: string): IssueReport => ({ path, message: where ? `${where}: ${message}` : message });
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    return { path, key, message: `unknown key "${key}"${where ? ` in ${where}` : ''}` };
  }
  if (issue.code === 'invalid_union') {
    const union = issue as Issue & { note?: string; discriminator?: string; options?: unknown[] };
    if (union.options !== undefined) {
      const given = valueAt(path);
      const names = union.options.map(String);
      if (given === undefined) return at(`missing: expected one of ${names.join(', ')}`);
      return at(`unknown kind ${short(given)}: expected one of ${names.join(', ')}${typeof given === 'string' ? didYouMean(given, names) : ''}`);
    }
    const types = typeOnlyBranches(issue.errors);
    if (types !== undefined) return at(`expected ${types.join(' or ')}, got ${describe(valueAt(path))}`);
    const mismatches = (b: Issue[]) => b.filter((i) => (i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'unrecognized_keys')) || (i.path.length === 1 && valueAt([...path, ...i.path]) === undefined)).length;
    const branch = bestBranch(issue.errors, mismatches);
    if (branch !== undefined && mismatches(branch) === 0) return explainIssue(branch[0]!, path, valueAt);
    const keys = requiredKeys(issue.errors, (b) => b.find((i) => i.path.length === 1 && valueAt([...path, ...i.path]) === undefined));
    if (keys !== undefined) {
      // A stray key that is a misspelling of one of them is named, with the key it should be.
      const strays = issue.errors.flat().flatMap((i) => (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys : []));
      const misspelt = strays.find((k) => didYouMean(k, keys) !== '');
      return at(`expected one of the keys ${keys.join(', ')}${misspelt !== undefined ? `, got "${misspelt}"${didYouMean(misspelt, keys)}` : ''}`);
    }
    if (branch !== undefined) return explainIssue(branch[0]!, path, valueAt);
  }
  if (issue.code === 'invalid_type') return at(`expected ${issue.expected}, got ${describe(valueAt(path))}`);
  if (issue.code === 'invalid_value' && issue.values.every((v) => typeof v === 'string')) {
    const given = valueAt(path);
    const names = issue.values as string[];
    return at(`expected one of ${names.join(', ')}, got ${given === undefined ? 'nothing' : short(given)}${typeof given === 'string' ? didYouMean(given, names) : ''}`);
  }
  return at(issue.message);
}

/** When every branch failed only on the value's type (`string | string[]`), the types expected. */
function typeOnlyBranches(branches: Issue[][]): string[] | undefined {
  const types: string[] = [];
  for (const b of branches) {
    if (b.length !== 1 || b[0]!.code !== 'invalid_type' || b[0]!.path.length > 0) return undefined;
    if (!types.includes(b[0]!.expected)) types.push(b[0]!.expected);
  }
  return types.length > 0 ? types : undefined;
}

/**
 * When each branch is an object told apart by a key the value lacks (`{sent: …}`, `{phase: …}`),
 * those keys, one per branch.
 */
function requiredKeys(branches: Issue[][], missing: (b: Issue[]) => Issue | undefined): string[] | undefined {
  const keys: string[] = [];
  for (const b of branches) {
    const issue = missing(b);
    if (issue === undefined) return undefined;
    keys.push(String(issue.path[0]));
  }
  return keys.length > 1 ? keys : undefined;
}

/** The branch the user most likely meant: the fewest mismatches (unknown or missing keys, wrong type) at its own level. */
function bestBranch(branches: Issue[][], mismatches: (b: Issue[]) => number): Issue[] | undefined {
  let best: Issue[] | undefined;
  for (const b of branches) if (b.length > 0 && (best === undefined || mismatches(b) < mismatches(best))) best = b;
  return best;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return `${Array.isArray(value) ? 'array' : typeof value} ${short(value)}`;
}

/** A value as JSON, cut to a length that fits in a one-line message. */
function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
