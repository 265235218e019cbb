import type { Response } from 'express';

/** A signal aborted when the client hangs up: a sync request stops waiting (its files keep going). */
export function abortOnClose(res: Response): AbortSignal {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  return abort.signal;
}
