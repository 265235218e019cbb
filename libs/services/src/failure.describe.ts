// Its own module (and package export) so the CLI entry point can use it without loading the services.
/** `message` plus each `cause`'s message, one line each. */
export function describeFailure(err: unknown): string {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    lines.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join('\n  caused by: ');
}
