import type { Response } from 'express';
import { finalStreamEvent, isFinalFileStatus, type FileProgressView, type FileStreamEvent } from '@folio/contracts';
import type { ApiDeps } from '../api.deps.ts';
import { fileProgressOf } from './file-progress.service.ts';
import { findFile } from './mistral-files.service.ts';

/** What changes between two progress events (failed page reasons follow the counts). */
const progressKey = (p: FileProgressView) => `${p.status}|${p.pages_total}|${p.pages_done}|${p.pages_failed}`;

function sseFrame(event: FileStreamEvent, data: FileProgressView): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Streams a file's progress as Server-Sent Events until its final event or until the client
 * leaves: `snapshot` first, `progress` when counts or status change, then `complete`, `partial`
 * or `failed` and the end of the stream; a `: heartbeat` comment every `SSE_HEARTBEAT_MS`.
 *
 * It subscribes to the file's channel BEFORE reading the snapshot, so an event published in
 * between is never lost. Events are only a cue: each one (and each heartbeat, in case an event
 * was lost with a Redis restart) re-reads the state from Postgres, the source of truth, so
 * nothing is counted twice and a burst of pages may come as one `progress`.
 * When the API shuts down the stream ends at once with `retry: 1000`, so an `EventSource`
 * reconnects (through the load balancer, to a live API) a second later and gets a fresh snapshot,
 * instead of holding the shutdown for its whole grace period.
 * Resolves once the stream ended and its subscription and timer are gone. An unknown file (or
 * another tenant's) is a 404 before anything is streamed.
 */
export async function streamFileEvents(deps: ApiDeps, ref: { orgId: string; fileId: string }, res: Response): Promise<void> {
  const file = await findFile(deps, ref.orgId, ref.fileId);
  let closed = false;
  let dirty = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    dirty = true;
    wake?.();
  };
  const onClose = () => {
    closed = true;
    wake?.();
  };
  let stopping = false;
  const onShutdown = () => {
    stopping = true;
    wake?.();
  };
  res.once('close', onClose);
  deps.shutdown?.addEventListener('abort', onShutdown, { once: true });
  if (deps.shutdown?.aborted) stopping = true;
  const unsubscribe = await deps.events.subscribe(file.id, poke);
  let heartbeat: NodeJS.Timeout | undefined;
  try {
    if (closed) return;
    const load = async () => fileProgressOf(deps, (await deps.db.files.findById(file.id)) ?? file);
    let last = await load();
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    // nginx and similar proxies would otherwise hold events back in their buffers.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(sseFrame('snapshot', last));
    heartbeat = setInterval(() => {
      if (!closed) res.write(': heartbeat\n\n');
      poke();
    }, deps.config.SSE_HEARTBEAT_MS);

    while (!closed && !stopping && !isFinalFileStatus(last.status.toUpperCase())) {
      if (!dirty) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (closed || stopping) break;
      dirty = false;
      const now = await load();
      if (closed) break;
      if (progressKey(now) !== progressKey(last) && !isFinalFileStatus(now.status.toUpperCase())) res.write(sseFrame('progress', now));
      last = now;
    }
    const status = last.status.toUpperCase();
    if (!closed && isFinalFileStatus(status)) res.write(sseFrame(finalStreamEvent(status), last));
    else if (!closed && stopping) res.write(': shutting down\nretry: 1000\n\n');
  } finally {
    clearInterval(heartbeat);
    res.off('close', onClose);
    deps.shutdown?.removeEventListener('abort', onShutdown);
    await unsubscribe();
    if (!res.writableEnded) res.end();
  }
}
