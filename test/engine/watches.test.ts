/**
 * The watch tables on their own: modes, one-shot consumption, per-connection dedup across the
 * data and child tables for deletes, recursive watches on ancestors, removeWatches, connection
 * cleanup and SetWatches re-registration against relativeZxid.
 */
import { describe, expect, it } from 'vitest';
import { WatchManager } from '../../src/engine/watch/watchManager.ts';
import { ancestorsOf } from '../../src/engine/watch/watchTable.ts';
import { AddWatchMode, WatcherType } from '../../src/engine/request/types.ts';
import type { WatchTrigger } from '../../src/engine/watch/events.ts';
import { Pipeline, create } from './helpers.ts';

const fired = (m: WatchManager, triggers: WatchTrigger[]) => m.fire(triggers).map((n) => `${n.connId}:${n.event.type}:${n.event.path}`);

describe('watch manager', () => {
  it('ancestors are nearest first and end at the root', () => {
    expect(ancestorsOf('/a/b/c')).toEqual(['/a/b', '/a', '/']);
    expect(ancestorsOf('/')).toEqual([]);
  });

  it('a delete reaches each connection once even with data, exists and child watches', () => {
    const m = new WatchManager();
    m.watchData('/n', 1);
    m.watchData('/n', 1);
    m.watchChildren('/n', 1);
    m.watchChildren('/n', 2);
    expect(fired(m, [{ type: 'NodeDeleted', path: '/n' }])).toEqual(['1:NodeDeleted:/n', '2:NodeDeleted:/n']);
    expect(m.data.size + m.child.size).toBe(0);
  });

  it('one-shot watches fire once, persistent ones keep firing', () => {
    const m = new WatchManager();
    m.watchData('/a', 1);
    m.addWatch('/a', 2, AddWatchMode.PERSISTENT);
    const change: WatchTrigger[] = [{ type: 'NodeDataChanged', path: '/a' }];
    expect(fired(m, change)).toEqual(['1:NodeDataChanged:/a', '2:NodeDataChanged:/a']);
    expect(fired(m, change)).toEqual(['2:NodeDataChanged:/a']);
  });

  it('recursive watches see descendants but never NodeChildrenChanged', () => {
    const m = new WatchManager();
    m.addWatch('/r', 1, AddWatchMode.PERSISTENT_RECURSIVE);
    expect(
      fired(m, [
        { type: 'NodeCreated', path: '/r/x/y' },
        { type: 'NodeChildrenChanged', path: '/r/x' },
        { type: 'NodeChildrenChanged', path: '/r' },
        { type: 'NodeDataChanged', path: '/other' },
      ]),
    ).toEqual(['1:NodeCreated:/r/x/y']);
  });

  it('removeWatches reports whether anything was removed', () => {
    const m = new WatchManager();
    m.watchData('/a', 1);
    expect(m.removeWatches('/a', 1, WatcherType.CHILDREN)).toBe(false);
    expect(m.removeWatches('/a', 1, WatcherType.DATA)).toBe(true);
    expect(m.removeWatches('/a', 1, WatcherType.ANY)).toBe(false);
  });

  it('closing a connection drops its watches only', () => {
    const m = new WatchManager();
    m.watchData('/a', 1);
    m.watchData('/a', 2);
    m.removeConnection(1);
    expect(fired(m, [{ type: 'NodeDataChanged', path: '/a' }])).toEqual(['2:NodeDataChanged:/a']);
  });

  it('SetWatches fires at once what changed after relativeZxid and re-registers the rest', () => {
    const p = new Pipeline();
    p.run(0, create('/old')); // zxid 1
    p.run(0, create('/new')); // zxid 2
    p.run(0, { op: 'setData', path: '/new', data: null, version: -1 }); // 3
    p.run(0, create('/old/c')); // 4: /old pzxid 4
    const m = new WatchManager();
    const events = m.setWatches(
      {
        op: 'setWatches',
        relativeZxid: 2,
        dataWatches: ['/old', '/new', '/gone'],
        existWatches: ['/new', '/absent'],
        childWatches: ['/old', '/new'],
        persistentWatches: [],
        persistentRecursiveWatches: [],
      },
      9,
      p.db.tree,
    );
    expect(events.map((n) => `${n.event.type}:${n.event.path}`)).toEqual([
      'NodeDataChanged:/new',
      'NodeDeleted:/gone',
      'NodeCreated:/new',
      'NodeChildrenChanged:/old',
    ]);
    expect(m.data.modeOf('/old', 9)).toBe('standard');
    expect(m.data.modeOf('/absent', 9)).toBe('standard');
    expect(m.child.modeOf('/new', 9)).toBe('standard');
  });
});
