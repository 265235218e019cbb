import { describe, expect, it } from 'vitest';
import { MAX_URL_LENGTH, checkUrl } from './url-fetch.check.ts';
import { UrlFetchError } from './url-fetch.errors.ts';
import { compileUrlFetchPolicy, urlFetchPolicyFromConfig } from './url-fetch.policy.ts';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(UrlFetchError);
    return (err as UrlFetchError).code;
  }
}

describe('checkUrl', () => {
  it.each([
    'https://example.com/a.pdf?x=1',
    'http://example.com:8080/scan.png',
    'https://8.8.8.8/file.pdf',
    'https://[2606:4700:4700::1111]/x',
    'http://xn--bcher-kva.example/doc.pdf',
  ])('accepts %s', (url) => {
    expect(checkUrl(url).href).toBe(new URL(url).href);
  });

  it.each([
    ['not a url', 'invalid_url'],
    ['', 'invalid_url'],
    ['/relative/path.pdf', 'invalid_url'],
    ['ftp://example.com/a.pdf', 'invalid_url'],
    ['file:///etc/passwd', 'invalid_url'],
    ['gopher://example.com/', 'invalid_url'],
    ['data:application/pdf;base64,JVBERi0=', 'invalid_url'],
    ['javascript:alert(1)', 'invalid_url'],
    ['https://user:secret@example.com/a.pdf', 'invalid_url'],
    ['https://user@example.com/a.pdf', 'invalid_url'],
    [`https://example.com/${'a'.repeat(MAX_URL_LENGTH)}`, 'invalid_url'],
  ])('refuses %j as %s', (url, code) => {
    expect(codeOf(() => checkUrl(url))).toBe(code);
  });

  it.each([
    'http://127.0.0.1/',
    'http://127.1.2.3:8080/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://10.0.0.5/',
    'http://172.16.0.1/',
    'http://172.31.255.255/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/',
    'http://[fe80::1]/',
    'http://0.0.0.0/',
    'http://[::]/',
    'http://100.64.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://[64:ff9b::a00:5]/',
    'http://[2002:7f00:1::]/',
    // WHATWG URL parsing turns these spellings into 127.0.0.1 before we look at them.
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://%31%32%37.0.0.1/',
    'http://localhost:3000/',
    'http://LOCALHOST./',
    'http://api.localhost/',
  ])('refuses the literal private address in %s', (url) => {
    expect(codeOf(() => checkUrl(url))).toBe('forbidden_address');
  });

  it('says what is wrong in the message', () => {
    expect(() => checkUrl('http://169.254.169.254/')).toThrow('URL host 169.254.169.254 is a link-local address and may not be fetched');
    expect(() => checkUrl('http://[::ffff:10.0.0.1]/')).toThrow(/private address \(ipv4-mapped IPv6\)/);
    expect(() => checkUrl('ftp://x/')).toThrow('only http and https URLs can be fetched, not ftp:');
  });

  it('lets allowPrivate ranges through and nothing beyond them', () => {
    const policy = compileUrlFetchPolicy({ allowPrivate: ['127.0.0.0/8', '10.20.0.0/16'] });
    expect(checkUrl('http://127.0.0.1:9000/x', policy).port).toBe('9000');
    expect(checkUrl('http://localhost/x', policy).hostname).toBe('localhost');
    expect(checkUrl('http://[::ffff:127.0.0.1]/', policy).hostname).toBe('[::ffff:7f00:1]');
    expect(checkUrl('http://10.20.1.1/', policy).hostname).toBe('10.20.1.1');
    expect(codeOf(() => checkUrl('http://10.21.1.1/', policy))).toBe('forbidden_address');
    expect(codeOf(() => checkUrl('http://[::1]/', policy))).toBe('forbidden_address');
    expect(codeOf(() => checkUrl('http://169.254.169.254/', policy))).toBe('forbidden_address');
  });
});

describe('policy', () => {
  it('applies the defaults', () => {
    const p = compileUrlFetchPolicy();
    expect(p).toMatchObject({ timeoutMs: 20_000, connectTimeoutMs: 10_000, maxBytes: 100 * 1024 * 1024, maxRedirects: 5, allow: [] });
    expect(compileUrlFetchPolicy(p)).toBe(p);
    expect(compileUrlFetchPolicy({ timeoutMs: 300 }).connectTimeoutMs).toBe(300);
  });

  it('refuses a bad configuration with the field named', () => {
    expect(() => compileUrlFetchPolicy({ allowPrivate: ['10.0.0.0/40'] })).toThrow(/invalid CIDR "10.0.0.0\/40"/);
    expect(() => compileUrlFetchPolicy({ maxBytes: -1 })).toThrow(/maxBytes/);
  });

  it('reads the environment settings', () => {
    const p = urlFetchPolicyFromConfig({ URL_FETCH_TIMEOUT_MS: 5000, URL_FETCH_MAX_BYTES: 1024, URL_ALLOW_PRIVATE: ['10.0.0.0/8'] });
    expect(p).toEqual({ timeoutMs: 5000, maxBytes: 1024, allowPrivate: ['10.0.0.0/8'] });
  });
});

describe('UrlFetchError.permanent', () => {
  it('marks what a retry could fix as not permanent', () => {
    expect(new UrlFetchError('timeout', 'x').permanent).toBe(false);
    expect(new UrlFetchError('unreachable', 'x').permanent).toBe(false);
    expect(new UrlFetchError('http_status', 'x', { status: 503 }).permanent).toBe(false);
    expect(new UrlFetchError('http_status', 'x', { status: 429 }).permanent).toBe(false);
    expect(new UrlFetchError('http_status', 'x', { status: 404 }).permanent).toBe(true);
    expect(new UrlFetchError('forbidden_address', 'x').permanent).toBe(true);
    expect(new UrlFetchError('too_large', 'x').permanent).toBe(true);
  });
});
