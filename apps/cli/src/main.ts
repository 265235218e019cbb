#!/usr/bin/env -S npx tsx
/**
 * `folio <command>`: one entry point, each command in its own module loaded on demand so
 * `folio ocr` never pays for the server's imports and vice versa.
 */
type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  ocr: {
    summary: 'ocr FILE [--page N] [--dpi D] [--format text|json|markdown]  run the engine locally',
    load: async () => (await import('./commands/ocr.command.ts')).ocrCommand,
  },
  keys: {
    summary: 'keys create [--org SLUG | --new-org NAME] [--admin]  print a new API key',
    load: async () => (await import('./commands/keys.command.ts')).keysCommand,
  },
  submit: {
    summary: 'submit FILE... [--wait] [--format text|json|markdown] [--out DIR] [--url URL] [--key KEY]  OCR files on a running Folio',
    load: async () => (await import('./commands/submit.command.ts')).submitCommand,
  },
  status: {
    summary: 'status ID... [--format text|json] [--url URL] [--key KEY]  status and progress of submitted files',
    load: async () => (await import('./commands/status.command.ts')).statusCommand,
  },
  models: {
    summary: 'models create [CATEGORY...] | list | show MODEL_ID [--format text|json] [--url URL] [--key KEY]  custom models',
    load: async () => (await import('./commands/models.command.ts')).modelsCommand,
  },
  org: {
    summary: 'org retention --org SLUG --days N|default [--reapply]  how long the organization keeps files',
    load: async () => (await import('./commands/org.command.ts')).orgCommand,
  },
  serve: {
    summary: 'serve  API and workers on embedded defaults',
    load: async () => (await import('./commands/serve.command.ts')).serveCommand,
  },
};

function usage(): string {
  return ['usage: folio <command> [options]', '', ...Object.values(commands).map((c) => `  ${c.summary}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`${name ? `unknown command: ${name}\n` : ''}${usage()}\n`);
    return name === '--help' || name === '-h' ? 0 : 2;
  }
  return (await command.load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
