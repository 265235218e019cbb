import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { makeTextPng } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

/**
 * One tenant's receivers cannot stall another's: organization B has twenty endpoints that accept
 * the connection and never answer (each delivery holds a slot until WEBHOOK_TIMEOUT_MS), while
 * organization A has one healthy endpoint. A's delivery delay (delivery row created at finalize →
 * request at its receiver) is measured alone, then with B's hanging deliveries queued first.
 */
const HANGING = 20;
const A_FILES = 5;

describe('webhook isolation between tenants', () => {
  let stack: Stack;
  let receiver: Server;
  let base = '';
  const sockets = new Set<Socket>();
  const arrivals = new Map<string, number>();
  let png: Uint8Array;
  let orgB = '';
  let keyB = '';

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      if (req.url?.startsWith('/hang/')) return; // accept, read, never answer
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string };
        arrivals.set(body.id, Date.now());
        res.writeHead(200).end('ok');
      });
    });
    receiver.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    stack = await startStack({
      URL_ALLOW_PRIVATE: '127.0.0.0/8',
      OCR_ENGINE: 'noop',
      LOG_LEVEL: 'error',
      WEBHOOK_TIMEOUT_MS: '10000',
      WEBHOOK_BACKOFF_MS: '1000',
    });
    await stack.startWorker();
    const org = await stack.db.organizations.create({ name: 'Tenant B' });
    orgB = org.id;
    keyB = (await stack.db.apiKeys.create(org.id)).plaintext;
    await stack.db.webhooks.createEndpoint({ orgId: stack.dev.orgId, url: `${base}/ok`, secret: 'whsec_a', events: [] });
    for (let i = 0; i < HANGING; i++) await stack.db.webhooks.createEndpoint({ orgId: orgB, url: `${base}/hang/${i}`, secret: 'whsec_b', events: [] });
    png = await makeTextPng(['Webhook fairness page']);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  async function upload(key: string): Promise<string> {
    const form = new FormData();
    form.append('purpose', 'ocr');
    form.append('file', new Blob([Buffer.from(png)], { type: 'image/png' }), 'scan.png');
    const res = await fetch(`${stack.api.url}/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    expect(res.status).toBe(200);
    return ((await res.json()) as { id: string }).id;
  }

  /** Uploads A's files one after another; each delivery's delay from its creation to its arrival. */
  async function delaysOfA(): Promise<number[]> {
    const delays: number[] = [];
    for (let i = 0; i < A_FILES; i++) {
      const fileId = await upload(stack.dev.apiKey);
      const delivery = await eventually(
        async () => {
          const d = await stack.db.prisma.webhookDelivery.findFirst({ where: { fileId } });
          return d && arrivals.has(d.id) ? d : undefined;
        },
        120_000,
        "A's delivery to arrive",
      );
      delays.push((arrivals.get(delivery.id) as number) - delivery.createdAt.getTime());
    }
    return delays;
  }
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

  it("keeps A's deliveries prompt while B's twenty endpoints hang, and pauses B's endpoints saying why", async () => {
    const alone = await delaysOfA();

    // B finishes three files: sixty deliveries to endpoints that never answer, queued before A's.
    for (let i = 0; i < 3; i++) await upload(keyB);
    await eventually(async () => ((await stack.db.prisma.webhookDelivery.count({ where: { orgId: orgB } })) >= 3 * HANGING ? true : undefined), 60_000, "B's deliveries");
    const crowded = await delaysOfA();

    console.info(
      `webhook isolation: A's delivery delay p50 ${p50(alone)} ms alone (max ${Math.max(...alone)}), ` +
        `p50 ${p50(crowded)} ms beside ${HANGING} hanging endpoints of B (max ${Math.max(...crowded)})`,
    );
    // Without the gate these waited 8–83 s (8 shared slots, 10 s timeouts).
    expect(p50(crowded)).toBeLessThan(2_000);
    expect(Math.max(...crowded)).toBeLessThan(5_000);

    // B's endpoints fail (timeouts) and, after three failures in a row, are paused: the delivery
    // log says so, and the held deliveries used no attempts for it.
    const paused = await eventually(
      async () => {
        const held = await stack.db.prisma.webhookDelivery.findFirst({ where: { orgId: orgB, lastError: { contains: 'endpoint paused' } } });
        return held ?? undefined;
      },
      120_000,
      'a paused endpoint noted in a delivery',
    );
    expect(paused.status).toBe('PENDING');
    expect(paused.lastError).toMatch(/paused after \d+ consecutive failed deliveries/);
    expect(paused.nextAttemptAt).not.toBeNull();
  }, 360_000);
});
