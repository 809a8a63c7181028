/**
 * zxids as plain JS numbers: `epoch * 2^32 + counter`. A number (not a bigint) keeps txns
 * msgpack-able; epochs stay far below 2^21, so every zxid is a safe integer and `<` orders them.
 */
import { assert } from './assert.ts';

/** 2^32: the weight of one epoch in a zxid. */
export const EPOCH_WEIGHT = 4294967296;

/** Builds the zxid for (epoch, counter); the counter must fit in 32 bits. */
export function makeZxid(epoch: number, counter: number): number {
  assert(Number.isInteger(epoch) && epoch >= 0 && epoch < 2 ** 21, () => `bad epoch ${epoch}`);
  assert(Number.isInteger(counter) && counter >= 0 && counter < EPOCH_WEIGHT, () => `bad counter ${counter}`);
  return epoch * EPOCH_WEIGHT + counter;
}

/** The epoch half of a zxid. */
export function zxidEpoch(zxid: number): number {
  return Math.floor(zxid / EPOCH_WEIGHT);
}

/** The counter half of a zxid. */
export function zxidCounter(zxid: number): number {
  return zxid % EPOCH_WEIGHT;
}

/** ZooKeeper-log style hex, e.g. `0x10000002a`. */
export function formatZxid(zxid: number): string {
  return zxid < 0 ? String(zxid) : `0x${zxid.toString(16)}`;
}
