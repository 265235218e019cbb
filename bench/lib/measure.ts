import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUSAGE = fileURLToPath(new URL('./rusage.py', import.meta.url));

export interface Measured {
  stdout: string;
  stderr: string;
  /** Seconds. */
  wall: number;
  /** User + system CPU seconds of the command and everything it started. */
  cpu: number;
  /** Peak resident set of the largest process, KiB. */
  maxRssKb: number;
}

/** Runs `cmd args` to completion under rusage.py; rejects on a non-zero exit. */
export function runMeasured(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  const dir = mkdtempSync(path.join(tmpdir(), 'folio-bench-'));
  const report = path.join(dir, 'rusage.json');
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [RUSAGE, report, cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      try {
        if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
        const r = JSON.parse(readFileSync(report, 'utf8')) as { wall: number; cpu: number; maxRssKb: number };
        resolve({ stdout, stderr, wall: r.wall, cpu: r.cpu, maxRssKb: r.maxRssKb });
      } catch (e) {
        reject(e);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** Fails early, with the apt packages to install, when a command is missing. */
export async function requireCommands(commands: Record<string, string>): Promise<void> {
  const missing: string[] = [];
  for (const [cmd, pkg] of Object.entries(commands)) {
    const found = await new Promise<boolean>((resolve) => {
      const c = spawn('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
      c.on('close', (code) => resolve(code === 0));
      c.on('error', () => resolve(false));
    });
    if (!found) missing.push(pkg);
  }
  if (missing.length > 0) throw new Error(`missing commands; install them with: apt-get install -y ${[...new Set(missing)].join(' ')}`);
}
