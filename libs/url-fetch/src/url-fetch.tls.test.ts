import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UrlFetchError } from './url-fetch.errors.ts';
import type { UrlFetchPolicy } from './url-fetch.policy.ts';
import { fetchUrlToStorage } from './url-fetch.service.ts';
import { collect, installNetworkGuard, startServer, type NetworkGuard, type TestServer } from './url-fetch.test-support.ts';

/** A throw-away self-signed certificate for `files.example`, made with the openssl CLI. */
function makeCertificate(): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'url-fetch-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
        '-subj', '/CN=files.example', '-addext', 'subjectAltName=DNS:files.example',
      ],
      { stdio: 'ignore', timeout: 10_000 },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tls = makeCertificate();
const payload = randomBytes(64 * 1024);
let server: TestServer;
let guard: NetworkGuard;

describe.skipIf(tls === null)('fetchUrlToStorage over https (pinned address, original SNI)', { timeout: 10_000 }, () => {
  beforeAll(async () => {
    guard = installNetworkGuard();
    server = await startServer((_req, res) => res.end(payload), { tls: tls ?? undefined });
  });
  afterAll(async () => {
    await server.close();
    guard.restore();
    expect(guard.blocked).toEqual([]);
  });

  const policy = (extra: UrlFetchPolicy = {}): UrlFetchPolicy => ({
    allowPrivate: ['127.0.0.1/32'],
    resolve: async (name) => (name.endsWith('.example') ? [{ address: '127.0.0.1', family: 4 }] : []),
    ca: tls?.cert,
    ...extra,
  });

  it('verifies the certificate against the original name while dialling the checked address', async () => {
    const before = server.requests.length;
    const body = await fetchUrlToStorage(`https://files.example:${server.port}/doc.pdf`, collect, policy());
    expect(body.equals(payload)).toBe(true);
    expect(server.requests.slice(before)).toEqual([
      { path: '/doc.pdf', host: `files.example:${server.port}`, servername: 'files.example' },
    ]);
  });

  it('fails a certificate that does not name the host', async () => {
    const err = await fetchUrlToStorage(`https://other.example:${server.port}/`, collect, policy()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UrlFetchError);
    expect(err).toMatchObject({ code: 'unreachable', message: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID') });
  });

  it('fails a certificate no trusted CA signed', async () => {
    const { ca: _ca, ...untrusting } = policy();
    const err = await fetchUrlToStorage(`https://files.example:${server.port}/`, collect, untrusting).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unreachable', message: expect.stringContaining('SELF_SIGNED') });
  });

  it('refuses an https server that redirects into a private range', async () => {
    const redirecting = await startServer(
      (_req, res) => {
        res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' });
        res.end();
      },
      { tls: tls ?? undefined },
    );
    try {
      const err = await fetchUrlToStorage(`https://files.example:${redirecting.port}/`, collect, policy()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'forbidden_address', message: expect.stringMatching(/^redirect refused: /) });
    } finally {
      await redirecting.close();
    }
  });
});
