import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '@folio/config';
import { z } from 'zod';

/** Where `folio submit` / `folio status` send requests, and with which key. */
export interface ClientSettings {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8080`. */
  url: string;
  apiKey: string;
}

/** The API `folio serve` listens on by default. */
export const DEFAULT_FOLIO_URL = 'http://127.0.0.1:8080';

const devCredentials = z.object({ apiKey: z.string().min(1) });

/**
 * Flags first, then FOLIO_URL / FOLIO_API_KEY, then the defaults: `http://127.0.0.1:8080` and the
 * development key `folio serve` saved in FOLIO_HOME/dev-credentials.json.
 * @throws Error saying how to provide a key when none is found.
 */
export async function resolveClientSettings(flags: { url?: string | undefined; key?: string | undefined }, config: Config): Promise<ClientSettings> {
  const url = (flags.url ?? config.FOLIO_URL ?? DEFAULT_FOLIO_URL).replace(/\/+$/, '');
  try {
    new URL(url);
  } catch {
    throw new Error(`--url ${url}: not a valid URL`);
  }
  let apiKey = flags.key ?? config.FOLIO_API_KEY;
  if (!apiKey) {
    const file = path.join(path.resolve(config.FOLIO_HOME), 'dev-credentials.json');
    if (existsSync(file)) {
      const saved = devCredentials.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (saved.success) apiKey = saved.data.apiKey;
    }
  }
  if (!apiKey) throw new Error('No API key: pass --key, set FOLIO_API_KEY, or run `folio serve` once (it saves a development key under FOLIO_HOME).');
  return { url, apiKey };
}
