/** ioredis messages (no code attached) for a connection that is down or being re-established. */
const UNREACHABLE_MESSAGES = [/connection is closed/i, /stream isn't writeable/i, /max retries per request/i, /^command timed out$/i];
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Redis replies that mean "not now" rather than "wrong command" (loading its data set, failing over). */
const BUSY_REPLIES = /^(LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY)\b/;

/**
 * True when `err`, or anything in its `cause` chain, says Redis cannot be reached now: the
 * connection is closed or refused, or the server is loading or failing over.
 */
export function isRedisUnreachable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 6) return false;
  const e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (typeof e.code === 'string' && NETWORK.has(e.code)) return true;
  if (typeof e.message === 'string') {
    if (e.name === 'ReplyError' && BUSY_REPLIES.test(e.message)) return true;
    if (UNREACHABLE_MESSAGES.some((m) => m.test(e.message as string))) return true;
  }
  return isRedisUnreachable(e.cause, depth + 1);
}
