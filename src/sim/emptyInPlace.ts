/**
 * Empties a list that is about to be filled again, keeping its room. Pops do not shrink the
 * backing store, whereas `length = 0` is a runtime call that drops it and a fresh `[]` grows room
 * for 16 entries at its first push: on the per-event paths that reuse a list, either allocates.
 */
export function emptyInPlace(list: unknown[]): void {
  while (list.length > 0) list.pop();
}
