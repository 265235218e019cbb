import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { modelDigest } from './prepared-model.cache.ts';
import type { TensorRange } from './quantize.ts';

const calibrationSchema = z.object({
  sha256: z.string(),
  ranges: z.record(z.string(), z.object({ min: z.number(), max: z.number() })),
});

/**
 * Activation ranges measured on synthetic text for a model file (see scripts/calibrate.ts), looked
 * up by the file's SHA-256 (`modelDigest`, passed when the caller has it); undefined for models
 * nobody calibrated.
 */
export function calibrationFor(modelBytes: Uint8Array, hash = modelDigest(modelBytes)): Map<string, TensorRange> | undefined {
  const file = fileURLToPath(new URL(`./calibration/${hash.slice(0, 16)}.json`, import.meta.url));
  if (!existsSync(file)) return undefined;
  const parsed = calibrationSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (parsed.sha256 !== hash) return undefined;
  return new Map(Object.entries(parsed.ranges));
}
