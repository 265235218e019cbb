import type { AddressInfo } from 'node:net';
import express, { Router, type RequestHandler } from 'express';
import { describe, expect, it } from 'vitest';
import type { Operations } from '@folio/contracts';
import { mountOperations } from './operation.router.ts';

const operations = {
  getThing: { method: 'get', path: '/v1/things/{thing_id}/', tag: 'Meta', summary: 'A thing', security: 'bearer', responses: { 200: { description: 'It.' } } },
  ping: { method: 'post', path: '/ping', tag: 'Meta', summary: 'Pong', security: 'none', responses: { 200: { description: 'Pong.' } } },
} satisfies Operations;

/** Serves a router on a free port for the length of `use`. */
async function serve(router: Router, use: (base: string) => Promise<void>): Promise<void> {
  const app = express();
  app.use(router);
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status((err as { status?: number }).status ?? 500).json({ failed: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('mountOperations', () => {
  it('registers each operation at its Express path (params, no trailing slash), the key check first, then middleware and handler', async () => {
    const calls: string[] = [];
    const middleware: RequestHandler = (_req, _res, next) => {
      calls.push('middleware');
      next();
    };
    const router = mountOperations(
      Router(),
      operations,
      {
        getThing: [
          middleware,
          (req, res) => {
            res.json({ id: req.params.thing_id });
          },
        ],
        ping: (_req, res) => {
          res.json({ pong: true });
        },
      },
      async (key) => (key === 'good-key-123' ? { orgId: 'o', keyId: 'k' } : null),
    );
    await serve(router, async (base) => {
      const bearer = { authorization: 'Bearer good-key-123' };
      expect(await (await fetch(`${base}/v1/things/42`, { headers: bearer })).json()).toEqual({ id: '42' });
      expect(await (await fetch(`${base}/v1/things/43/`, { headers: bearer })).json()).toEqual({ id: '43' });
      expect(calls).toEqual(['middleware', 'middleware']);
      const anonymous = await fetch(`${base}/v1/things/42`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expect(calls).toHaveLength(2);
      expect(await (await fetch(`${base}/ping`, { method: 'POST' })).json()).toEqual({ pong: true });
      expect((await fetch(`${base}/ping`)).status).toBe(404);
    });
  });

  it('refuses a secured operation without a key lookup, and a table entry without a handler', () => {
    const handler = () => {};
    expect(() => mountOperations(Router(), operations, { getThing: handler, ping: handler })).toThrow(/getThing needs an API key/);
    // What the compiler refuses; a cast stands for a table grown at run time.
    expect(() => mountOperations(Router(), operations, { ping: handler } as never, async () => null)).toThrow(/No handler for operation getThing/);
  });
});
