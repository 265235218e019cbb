import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc stat files (USER_HZ, 100 on every common Linux build). */
const TICKS = 100;

/**
 * CPU milliseconds the calling thread has used (Linux /proc/thread-self; 10 ms resolution), or
 * undefined elsewhere. Node 20 has no per-thread CPU clock, and `process.cpuUsage()` in a worker
 * thread counts the whole process.
 */
export function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / TICKS;
  } catch {
    return undefined;
  }
}
