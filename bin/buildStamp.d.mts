/** Types for bin/buildStamp.mjs (plain JavaScript, since it runs before any build). */
export type Entry = 'dist' | 'sources';
export function stampPath(root: string): string;
export function newestMtimeMs(dir: string): number;
export function stampMtimeMs(root: string): number | undefined;
export function chooseEntry(stampMs: number | undefined, newestSourceMs: number): Entry;
export function entryFor(root: string): Entry;
