import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (Linux: USER_HZ is 100 on every common build). */
const TICKS = 100;

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces): state first, then ppid. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds of a live process, all its threads included (Linux /proc). */
export function processCpuSeconds(pid: number): number {
  // utime is field 14, stime 15.
  const rest = statFields(pid);
  return (Number(rest[11]) + Number(rest[12])) / TICKS;
}

/** Parent process id of a live process. */
export function parentPid(pid: number): number {
  return Number(statFields(pid)[1]);
}

/** Peak resident set of a live process, MiB (VmHWM). */
export function processPeakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** This process's CPU seconds (threads included). */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
