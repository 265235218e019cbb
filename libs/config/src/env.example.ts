import { configSchema } from './config.ts';

const HEADER = `# Every setting Folio reads from the environment, with its default (commented out: copying this
# file to .env changes nothing until a line is uncommented). Generated from libs/config/src/config.ts
# by \`npm run env:example\`; a test fails when the two differ. Folio reads no .env file itself:
# \`node --env-file=.env dist/api.js\`, or docker compose's \`env_file:\`.
`;

/** A default as it would be written in the environment (lists comma-separated). */
function envValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/**
 * The TSDoc comment above each setting in config.ts, as plain lines: the schema carries no
 * comments at run time, so they are read from the source text.
 */
export function settingComments(source: string): Map<string, string[]> {
  const comments = new Map<string, string[]>();
  let pending: string[] = [];
  let inComment = false;
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('/**')) {
      inComment = !line.endsWith('*/');
      pending = [line.replace(/^\/\*\*\s?/, '').replace(/\s?\*\/$/, '')].filter(Boolean);
      continue;
    }
    if (inComment) {
      if (line.endsWith('*/')) inComment = false;
      const text = line.replace(/^\*\/?\s?/, '').replace(/\s?\*\/$/, '');
      if (text) pending.push(text);
      continue;
    }
    const key = /^([A-Z][A-Z0-9_]*):/.exec(line)?.[1];
    if (key) {
      if (pending.length) comments.set(key, pending);
      pending = [];
    } else if (line && !line.startsWith('//')) {
      pending = [];
    }
  }
  return comments;
}

/** `.env.example` for the schema, commented from `configSource` (the text of config.ts). */
export function renderEnvExample(configSource: string): string {
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  const comments = settingComments(configSource);
  const blocks = Object.keys(configSchema.shape).map((key) => {
    const doc = (comments.get(key) ?? []).map((l) => `# ${l}`);
    const value = envValue(defaults[key]);
    return [...doc, value === '' ? `# ${key}=  (unset by default)` : `# ${key}=${value}`].join('\n');
  });
  return `${HEADER}\n${blocks.join('\n\n')}\n`;
}
