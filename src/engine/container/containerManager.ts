/**
 * Container cleanup (ZooKeeper's ContainerManager): a container that once had children and now
 * has none is a candidate; the server decides when to check (every 60 s by default) and submits
 * a deleteContainer txn per candidate, which prep may still refuse if a child appeared since.
 * A container that never had a child is left alone (maxNeverUsedIntervalMs = 0 in 3.8.0).
 */
import type { DataTree } from '../tree/dataTree.ts';

/** Default interval between container checks, as `znode.container.checkIntervalMs`. */
export const CONTAINER_CHECK_INTERVAL_MS = 60_000;

/** Paths of empty containers that have had at least one child, sorted. */
export function containerCandidates(tree: DataTree): string[] {
  return tree.containerPaths().filter((path) => {
    const node = tree.getNode(path);
    return node !== undefined && node.children.size === 0 && node.stat.childCreates > 0;
  });
}
