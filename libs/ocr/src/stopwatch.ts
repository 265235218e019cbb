/**
 * Accumulates per-stage wall time (ms) into an OcrPage `timings` record, and optionally process
 * CPU time as `<stage>Cpu` (meaningful only when one engine runs alone in its process).
 */
export class Stopwatch {
  readonly timings: Record<string, number> = {};
  private wall = performance.now();
  private cpu: NodeJS.CpuUsage | undefined;

  constructor(private readonly withCpu: boolean) {
    if (withCpu) this.cpu = process.cpuUsage();
  }

  /** Charges the time since the previous lap (or construction) to `stage`. */
  lap(stage: string): void {
    const now = performance.now();
    this.timings[stage] = (this.timings[stage] ?? 0) + (now - this.wall);
    this.wall = now;
    if (this.cpu) {
      const d = process.cpuUsage(this.cpu);
      this.timings[`${stage}Cpu`] = (this.timings[`${stage}Cpu`] ?? 0) + (d.user + d.system) / 1000;
      this.cpu = process.cpuUsage();
    }
  }
}
