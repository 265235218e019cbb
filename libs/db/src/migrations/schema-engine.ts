import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DiffTarget, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { offlineAdapterFactory, readOnlyPgAdapterFactory } from './schema-engine.adapters.ts';

type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

let bindings: Promise<Bindings> | undefined;

/**
 * Instantiates the schema engine's wasm once per process. The package's own entry imports the
 * .wasm as an ES module, which Node 20 cannot do, so the bindings are wired by hand.
 */
function loadBindings(): Promise<Bindings> {
  bindings ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg: Bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(bgPath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports['__wbindgen_start'] as () => void)();
    return bg;
  })();
  return bindings;
}

/** Version (engines commit) of the loaded schema engine. */
export async function schemaEngineVersion(): Promise<string> {
  return (await loadBindings()).version();
}

async function withEngine<T>(factory: SqlMigrationAwareDriverAdapterFactory, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const bg = await loadBindings();
  const engine = await bg.SchemaEngine.new({ datamodels: undefined }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

async function runDiff(engine: SchemaEngine, from: DiffTarget, to: DiffTarget): Promise<string | null> {
  const res = await engine.diff({ from, to, script: true, exitCode: true, filters: { externalTables: [], externalEnums: [] } });
  // exitCode 2 = non-empty diff (the CLI's --exit-code contract).
  return res.exitCode === 2 ? (res.stdout ?? '') : null;
}

function datamodel(schema: string): DiffTarget {
  return { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] };
}

/**
 * SQL that turns a database shaped like `from` (null = empty database) into one shaped like
 * `to`, or null when they are the same. Needs no database.
 */
export function diffSchemas(from: string | null, to: string): Promise<string | null> {
  return withEngine(offlineAdapterFactory(), (engine) =>
    runDiff(engine, from === null ? { tag: 'empty' } : datamodel(from), datamodel(to)),
  );
}

/**
 * SQL that turns the live database at `databaseUrl` into one shaped like `schema`, or null
 * when it already is. Reads the database through a read-only session; writes nothing.
 */
export async function diffDatabaseToSchema(databaseUrl: string, schema: string): Promise<string | null> {
  const { factory, close } = await readOnlyPgAdapterFactory(databaseUrl);
  try {
    return await withEngine(factory, (engine) =>
      runDiff(engine, { tag: 'schemaDatasource', files: [{ path: 'schema.prisma', content: schema }], configDir: process.cwd() }, datamodel(schema)),
    );
  } finally {
    await close();
  }
}
