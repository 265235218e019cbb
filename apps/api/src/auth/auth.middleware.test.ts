import { describe, expect, it } from 'vitest';
import { adminKeyFrom } from './admin.middleware.ts';
import { extractKey, parseAuthorization } from './auth.middleware.ts';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
const KEY = 'folio_dev_key_0123456789';

describe('API key from the Authorization header', () => {
  it('takes exactly one Bearer token, any scheme case and spacing around it', () => {
    expect(extractKey(`Bearer ${KEY}`)).toBe(KEY);
    expect(extractKey(`bearer   ${KEY}  `)).toBe(KEY);
    for (const bad of [`Bearer ${KEY} trailing garbage`, `Bearer ${KEY},other`, `Bearer`, `Bearer `, `Token ${KEY}`, `${KEY}`]) {
      expect(extractKey(bad), bad).toBeNull();
    }
  });

  it('takes Basic credentials only with the key as user name and an empty password (as Nanonets documents)', () => {
    expect(extractKey(basic(`${KEY}:`))).toBe(KEY);
    expect(extractKey(basic(`${KEY}:secret`))).toBeNull();
    expect(extractKey(basic(`:${KEY}`))).toBeNull();
    // RFC 7617: user-pass always holds a colon.
    expect(extractKey(basic(KEY))).toBeNull();
    expect(extractKey(`${basic(`${KEY}:`)} extra`)).toBeNull();
    expect(extractKey('Basic !!!')).toBeNull();
  });

  it('parses both schemes into typed credentials', () => {
    expect(parseAuthorization(`Bearer ${KEY}`)).toEqual({ scheme: 'bearer', token: KEY });
    expect(parseAuthorization(basic('user:pass:with:colons'))).toEqual({ scheme: 'basic', user: 'user', password: 'pass:with:colons' });
    expect(parseAuthorization(undefined)).toBeNull();
  });
});

describe('admin key from the Authorization header', () => {
  it('takes Bearer, or Basic with exactly one of user name and password', () => {
    expect(adminKeyFrom(`Bearer ${KEY}`)).toBe(KEY);
    expect(adminKeyFrom(basic(`:${KEY}`))).toBe(KEY);
    expect(adminKeyFrom(basic(`${KEY}:`))).toBe(KEY);
    expect(adminKeyFrom(basic(`operator:${KEY}`))).toBeNull();
    expect(adminKeyFrom(basic(':'))).toBeNull();
    expect(adminKeyFrom(`Bearer ${KEY} x`)).toBeNull();
  });
});
