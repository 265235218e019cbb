import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createConnection } from 'node:net';
import path from 'node:path';
import { freePort } from '@folio/services';

export interface RunningRedis {
  url: string;
  /** Present when Folio started the server itself. */
  stop?: () => Promise<void>;
}

function answersPing(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => done(d.toString().startsWith('+PONG') || d.toString().startsWith('-NOAUTH')));
  });
}

/** REDIS_URL when set; else a Redis on 127.0.0.1:6379; else a redis-server of our own (AOF on, under home). */
export async function resolveRedis(home: string, configured: string | undefined, log: (line: string) => void): Promise<RunningRedis> {
  if (configured) return { url: configured };
  if (await answersPing('127.0.0.1', 6379)) return { url: 'redis://127.0.0.1:6379' };

  const dir = path.resolve(home, 'redis');
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], {
      stdio: 'ignore',
    });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve());
    });
  } catch {
    throw new Error(
      'No Redis: set REDIS_URL, run one on 127.0.0.1:6379, or install redis-server (Debian: apt-get install redis-server).',
    );
  }
  for (let i = 0; i < 50 && !(await answersPing('127.0.0.1', port)); i++) await new Promise((r) => setTimeout(r, 100));
  log(`started redis-server on 127.0.0.1:${port} (data in ${dir})`);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
