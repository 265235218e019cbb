import {
  ColumnTypeEnum,
  type ColumnType,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

const ADAPTER_NAME = '@prisma/adapter-pg';

function refuse(what: string): Promise<never> {
  return Promise.reject(new Error(`${what}: the schema engine is only allowed to read here`));
}

/**
 * A driver adapter for diffs that need no database (schema → schema). The engine still asks
 * the server version once when it starts; this answers that and refuses everything else.
 * The version only selects SQL dialect details; 16 is what docker-compose runs.
 */
export function offlineAdapterFactory(): SqlMigrationAwareDriverAdapterFactory {
  const adapter: SqlDriverAdapter = {
    provider: 'postgres',
    adapterName: ADAPTER_NAME,
    queryRaw: async (q: SqlQuery): Promise<SqlResultSet> => {
      if (!q.sql.includes('version()')) return refuse('offline schema engine');
      return {
        columnNames: ['exists', 'version', 'numeric_version'],
        columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
        rows: [[true, 'PostgreSQL 16.0 (offline)', 160000]],
      };
    },
    executeRaw: () => refuse('offline schema engine'),
    executeScript: () => refuse('offline schema engine'),
    startTransaction: () => refuse('offline schema engine'),
    dispose: async () => {},
  };
  return {
    provider: 'postgres',
    adapterName: ADAPTER_NAME,
    connect: async () => adapter,
    connectToShadowDb: () => refuse('shadow database'),
  };
}

type Converter = [ColumnType, (raw: string) => unknown];

// pg's typings list only scalar oids; its parsers know the array ones too.
const parserFor = pg.types.getTypeParser as unknown as (oid: number) => (raw: string) => unknown;
const textArray = parserFor(1009);
const int4Array = parserFor(1007);
const boolArray = parserFor(1000);

/** Postgres type oid → the engine's column type and value format. Everything else is text. */
const CONVERTERS: Record<number, Converter> = {
  16: [ColumnTypeEnum.Boolean, (v) => v === 't'],
  21: [ColumnTypeEnum.Int32, Number],
  23: [ColumnTypeEnum.Int32, Number],
  20: [ColumnTypeEnum.Int64, String],
  26: [ColumnTypeEnum.Int64, String],
  700: [ColumnTypeEnum.Float, Number],
  701: [ColumnTypeEnum.Double, Number],
  1700: [ColumnTypeEnum.Numeric, String],
  114: [ColumnTypeEnum.Json, String],
  3802: [ColumnTypeEnum.Json, String],
  2950: [ColumnTypeEnum.Uuid, String],
  1000: [ColumnTypeEnum.BooleanArray, boolArray],
  1005: [ColumnTypeEnum.Int32Array, int4Array],
  1007: [ColumnTypeEnum.Int32Array, int4Array],
  1016: [ColumnTypeEnum.Int64Array, textArray],
  1003: [ColumnTypeEnum.TextArray, textArray],
  1009: [ColumnTypeEnum.TextArray, textArray],
  1015: [ColumnTypeEnum.TextArray, textArray],
};
const TEXT: Converter = [ColumnTypeEnum.Text, (v) => v];

/**
 * A read-only driver adapter over one `pg` connection, for introspecting a live database
 * (`diff` from a database). Written here because @prisma/adapter-pg rejects the `"char"`
 * columns of pg_catalog that the engine's introspection reads. The session is read-only and
 * the adapter has no shadow database, so the engine can never change anything.
 */
export async function readOnlyPgAdapterFactory(databaseUrl: string): Promise<{
  factory: SqlMigrationAwareDriverAdapterFactory;
  close: () => Promise<void>;
}> {
  // Raw strings for every type: the converters above decide the format the engine expects.
  const client = new pg.Client({ connectionString: databaseUrl, types: { getTypeParser: () => (v: string) => v } });
  await client.connect();
  await client.query('SET default_transaction_read_only = on');
  const adapter: SqlDriverAdapter = {
    provider: 'postgres',
    adapterName: ADAPTER_NAME,
    queryRaw: async (q: SqlQuery): Promise<SqlResultSet> => {
      const res = await client.query<unknown[]>({ text: q.sql, values: q.args, rowMode: 'array' });
      const conv = res.fields.map((f) => CONVERTERS[f.dataTypeID] ?? TEXT);
      return {
        columnNames: res.fields.map((f) => f.name),
        columnTypes: conv.map((c) => c[0]),
        rows: res.rows.map((row) => row.map((v, i) => (v === null ? null : (conv[i] ?? TEXT)[1](String(v))))),
      };
    },
    executeRaw: () => refuse('read-only introspection'),
    executeScript: () => refuse('read-only introspection'),
    startTransaction: () => refuse('read-only introspection'),
    dispose: async () => {},
  };
  return {
    factory: {
      provider: 'postgres',
      adapterName: ADAPTER_NAME,
      connect: async () => adapter,
      connectToShadowDb: () => refuse('shadow database'),
    },
    close: () => client.end(),
  };
}
