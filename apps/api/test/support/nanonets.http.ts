import { basicAuth } from './stack.ts';

export interface JsonAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** Requests to the Nanonets routes as a Python `requests` client sends them (Basic auth, form or JSON bodies). */
export function nanonetsHttp(baseUrl: string, apiKey: string | null) {
  const auth = (): Record<string, string> => (apiKey ? { authorization: basicAuth(apiKey) } : {});
  const answer = async <T>(res: Response): Promise<JsonAnswer<T>> => ({ status: res.status, headers: res.headers, body: (await res.json()) as T });
  return {
    postForm: async <T = Record<string, unknown>>(path: string, form: Record<string, string | string[]>) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
      return answer<T>(await fetch(`${baseUrl}/api/v2${path}`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, body: params }));
    },
    postJson: async <T = Record<string, unknown>>(path: string, body: unknown, raw?: string) =>
      answer<T>(await fetch(`${baseUrl}/api/v2${path}`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) })),
    postMultipart: async <T = Record<string, unknown>>(
      path: string,
      files: Array<{ name: string; bytes: Uint8Array; type: string }>,
      fields: Record<string, string> = {},
    ) => {
      const form = new FormData();
      for (const f of files) form.append('file', new Blob([Buffer.from(f.bytes)], { type: f.type }), f.name);
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      return answer<T>(await fetch(`${baseUrl}/api/v2${path}`, { method: 'POST', headers: auth(), body: form }));
    },
    /** A JSON request with any method (PATCH, DELETE). */
    request: async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
      answer<T>(await fetch(`${baseUrl}/api/v2${path}`, { method, headers: { ...auth(), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })),
    get: async <T = Record<string, unknown>>(path: string) => answer<T>(await fetch(`${baseUrl}/api/v2${path}`, { headers: auth() })),
  };
}

export type NanonetsHttp = ReturnType<typeof nanonetsHttp>;

/** The day `Page.daySinceEpoch` gets today (UTC). */
export const today = () => Math.floor(Date.now() / 86_400_000);
