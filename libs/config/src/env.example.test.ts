import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configSchema } from './config.ts';
import { renderEnvExample, settingComments } from './env.example.ts';

const source = readFileSync(fileURLToPath(new URL('./config.ts', import.meta.url)), 'utf8');
const committed = readFileSync(fileURLToPath(new URL('../../../.env.example', import.meta.url)), 'utf8');

describe('.env.example', () => {
  it('is what the config schema generates (run `npm run env:example` after changing a setting)', () => {
    expect(committed).toBe(renderEnvExample(source));
  });

  it('names every setting once, with its default', () => {
    const keys = [...committed.matchAll(/^# ([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect(keys).toEqual(Object.keys(configSchema.shape));
    expect(committed).toContain('# PORT=8080\n');
    expect(committed).toContain('# WORKER_QUEUES=  (unset by default)\n');
    expect(committed).toContain('# DATABASE_URL=  (unset by default)\n');
  });

  it('carries the TSDoc of each setting', () => {
    const comments = settingComments(source);
    expect(comments.get('FOLIO_HOME')).toEqual(['Data directory for embedded services (Postgres, S3).']);
    expect(comments.get('RENDER_TIMEOUT_MS')?.join(' ')).toContain('Guards against PDF pages');
    expect(comments.has('HOST')).toBe(false);
  });
});
