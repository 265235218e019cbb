import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
import { expressPath, type Operations, type Security } from '@folio/contracts';
import { authenticate, type KeyLookup } from '../auth/auth.middleware.ts';
import { contentLengthLimit } from './content-length.limit.ts';

/** A route's handler, or the middleware it needs first (body parsers, error mappers …) followed by the handler. */
export type OperationHandler = RequestHandler | readonly [...Array<RequestHandler | ErrorRequestHandler>, RequestHandler];

/** One handler per operation id of a table: a missing or unknown id does not compile. */
export type OperationHandlers<Ops extends Operations> = { readonly [Id in keyof Ops]: OperationHandler };

const CHALLENGE = { basic: 'Basic', bearer: 'Bearer' } as const satisfies Record<Exclude<Security, 'none'>, 'Basic' | 'Bearer'>;

/**
 * Registers every operation of a table (`libs/contracts` declares them once, with the OpenAPI
 * document) on `router` in declaration order: `router.<method>(expressPath, auth?, ...middleware,
 * handler)`. The path's `{param}`s become `:param`s and a trailing slash is dropped (Express serves
 * `/LabelFile` and `/LabelFile/` alike); the key check follows the operation's `security`.
 * Middleware the whole router shares (error renderers, error mappers) stays with the caller.
 * With `maxBodyBytes`, a body declared larger is refused (413) before auth and before reading.
 */
export function mountOperations<Ops extends Operations>(
  router: Router,
  operations: Ops,
  handlers: OperationHandlers<Ops>,
  keys?: KeyLookup,
  options: { maxBodyBytes?: number } = {},
): Router {
  const sizeGate = options.maxBodyBytes !== undefined ? [contentLengthLimit(options.maxBodyBytes)] : [];
  for (const [operationId, spec] of Object.entries(operations)) {
    const handler: OperationHandler | undefined = handlers[operationId];
    if (!handler) throw new Error(`No handler for operation ${operationId}`);
    const auth: RequestHandler[] = [];
    if (spec.security !== 'none') {
      if (!keys) throw new Error(`Operation ${operationId} needs an API key, but its router has no key lookup`);
      auth.push(authenticate(keys, CHALLENGE[spec.security]));
    }
    const chain = typeof handler === 'function' ? [handler] : [...handler];
    router[spec.method](expressPath(spec.path), ...sizeGate, ...auth, ...chain);
  }
  return router;
}
