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

/** What `folio serve` saved: its development key and, since it records it, the URL it listens on. */
const devCredentials = z.object({ apiKey: z.string().min(1), url: z.string().url().optional() });

/**
 * Flags first, then FOLIO_URL / FOLIO_API_KEY, then what `folio serve` saved in
 * FOLIO_HOME/dev-credentials.json (its URL and development key), then `http://127.0.0.1:8080`.
 * @throws Error saying how to provide a key when none is found.
 */
export async function resolveClientSettings(flags: { url?: string | undefined; key?: string | undefined }, config: Config): Promise<ClientSettings> {
  const saved = await savedByServe(config);
  const url = (flags.url ?? config.FOLIO_URL ?? saved?.url ?? DEFAULT_FOLIO_URL).replace(/\/+$/, '');
  try {
    new URL(url);
  } catch {
    throw new Error(`--url ${url}: not a valid URL`);
  }
  const apiKey = flags.key ?? config.FOLIO_API_KEY ?? saved?.apiKey;
  if (!apiKey) throw new Error('No API key: pass --key, set FOLIO_API_KEY, or run `folio serve` once (it saves a development key under FOLIO_HOME).');
  return { url, apiKey };
}

/** FOLIO_HOME/dev-credentials.json when `folio serve` wrote one there; null otherwise. */
async function savedByServe(config: Config): Promise<z.infer<typeof devCredentials> | null> {
  const file = path.join(path.resolve(config.FOLIO_HOME), 'dev-credentials.json');
  if (!existsSync(file)) return null;
  try {
    const saved = devCredentials.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return saved.success ? saved.data : null;
  } catch {
    return null;
  }
}
