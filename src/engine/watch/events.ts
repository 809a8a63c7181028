/**
 * Watch events: what apply reports as triggers and what the server delivers to connections.
 */

/** Event types with their wire numbers (`Watcher.Event.EventType`). */
export const EventTypeCode = {
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
} as const;

/** A node event type name. */
export type EventType = keyof typeof EventTypeCode;

/** What a txn did to one path, in the order apply did it. */
export interface WatchTrigger {
  type: EventType;
  path: string;
}

/**
 * A notification as sent on the wire: state SyncConnected (3) and header zxid −1, as 3.8.0
 * sends them.
 */
export interface WatchedEvent {
  type: EventType;
  state: 'SyncConnected';
  path: string;
  zxid: -1;
}
