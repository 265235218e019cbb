import type { Redis } from 'ioredis';
import { rowIdSchema } from './job.schemas.ts';
import { progressEventSchema, type FileEvent, type ProgressEvent } from './event.schemas.ts';

/** Handler for one file's events. */
export type EventHandler = (event: ProgressEvent) => void;

/** Cross-process progress events over Redis pub/sub, one channel per file. */
export interface EventBus {
  /** Validates and publishes; resolves with the number of processes that heard it. */
  publish(event: ProgressEvent): Promise<number>;
  /**
   * Calls `handler` for every event of `fileId` until the returned function is called.
   * Resolves once Redis confirmed the subscription, so an event published after that is
   * never missed: subscribe first, then read the current state from Postgres, then wait.
   */
  subscribe(fileId: string, handler: EventHandler): Promise<() => Promise<void>>;
  /**
   * Waits for the file's next `type: 'file'` event whose status is in `statuses`, or `null`
   * after `timeoutMs`. `check` runs once the subscription is live, to catch a file that
   * finished before the wait began (return its final event, or null if still running).
   */
  waitForFile(
    fileId: string,
    opts: { statuses: readonly string[]; timeoutMs: number; check?: () => Promise<FileEvent | null>; signal?: AbortSignal },
  ): Promise<FileEvent | null>;
  /** Closes the subscriber connection (the publishing one belongs to the caller). */
  close(): Promise<void>;
}

/**
 * Builds the event bus. `connection` publishes; a duplicate of it, made on first subscribe,
 * listens (a subscribed Redis connection can run no other command). Malformed messages on
 * the channel are dropped, never handed to handlers.
 */
export function createEventBus(connection: Redis, prefix: string): EventBus {
  const channelOf = (fileId: string) => `${prefix}:events:file:${rowIdSchema.parse(fileId)}`;
  const handlers = new Map<string, Set<EventHandler>>();
  let subscriber: Redis | undefined;

  function getSubscriber(): Redis {
    if (subscriber) return subscriber;
    const sub = connection.duplicate();
    sub.on('error', () => undefined); // reconnects on its own; ioredis resubscribes its channels
    sub.on('message', (channel: string, message: string) => {
      const set = handlers.get(channel);
      if (!set || set.size === 0) return;
      let event: ProgressEvent;
      try {
        const parsed = progressEventSchema.safeParse(JSON.parse(message));
        if (!parsed.success) return;
        event = parsed.data;
      } catch {
        return;
      }
      for (const h of [...set]) {
        try {
          h(event);
        } catch {
          // One broken listener must not starve the others.
        }
      }
    });
    subscriber = sub;
    return sub;
  }

  const bus: EventBus = {
    async publish(event) {
      const e = progressEventSchema.parse(event);
      return connection.publish(channelOf(e.fileId), JSON.stringify(e));
    },

    async subscribe(fileId, handler) {
      const channel = channelOf(fileId);
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(handler);
      // Redis acknowledges SUBSCRIBE per connection; re-subscribing is harmless and confirms.
      await getSubscriber().subscribe(channel);
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        const current = handlers.get(channel);
        current?.delete(handler);
        if (current && current.size === 0) {
          handlers.delete(channel);
          await subscriber?.unsubscribe(channel);
        }
      };
    },

    async waitForFile(fileId, opts) {
      let resolveEvent!: (e: FileEvent | null) => void;
      const result = new Promise<FileEvent | null>((resolve) => (resolveEvent = resolve));
      const unsubscribe = await bus.subscribe(fileId, (e) => {
        if (e.type === 'file' && opts.statuses.includes(e.status)) resolveEvent(e);
      });
      const timer = setTimeout(() => resolveEvent(null), opts.timeoutMs);
      const onAbort = () => resolveEvent(null);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        if (opts.signal?.aborted) return null;
        if (opts.check) {
          const already = await opts.check();
          if (already) resolveEvent(already);
        }
        return await result;
      } finally {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        await unsubscribe();
      }
    },

    async close() {
      handlers.clear();
      const sub = subscriber;
      subscriber = undefined;
      if (sub) await sub.quit().catch(() => sub.disconnect());
    },
  };
  return bus;
}
