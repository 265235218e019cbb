import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A prepared (rewritten, quantized, pruned) model as the session factory opens it. */
export interface PreparedModel {
  bytes: Uint8Array;
  prunedClasses: boolean;
  /** The classifier was replaced by the Latin head (latin.head.ts): its classes are the head's. */
  latinHead?: boolean;
  /** Output classes of a swapped-in head (index 0 the blank); undefined: the dictionary's. */
  classes?: string[] | undefined;
  /** The Latin head was added as a second output beside the classifier (latin.head.ts `addClassifierHead`). */
  latinGate?: boolean;
  /** With `latinGate`: the second output's classes (index 0 the blank). */
  gateClasses?: string[] | undefined;
}

/** Cache file name suffix per output-class variant. */
const VARIANTS = [
  { suffix: '', prunedClasses: false, latinHead: false, latinGate: false },
  { suffix: '.pruned', prunedClasses: true, latinHead: false, latinGate: false },
  { suffix: '.latin', prunedClasses: false, latinHead: true, latinGate: false },
  { suffix: '.gate', prunedClasses: false, latinHead: false, latinGate: true },
  { suffix: '.pruned.gate', prunedClasses: true, latinHead: false, latinGate: true },
] as const;

const suffixOf = (m: PreparedModel): string => (m.latinHead ? '.latin' : '') + (m.prunedClasses ? '.pruned' : '') + (m.latinGate ? '.gate' : '');

/** SHA-256 (hex) of a model file: its calibration and its cache entries are found by it. */
export function modelDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `$XDG_CACHE_HOME/folio-ocr`, else `~/.cache/folio-ocr`. */
export function defaultModelCacheDir(): string {
  return path.join(process.env['XDG_CACHE_HOME'] || path.join(homedir(), '.cache'), 'folio-ocr');
}

let codeDigest: string | undefined;

/**
 * The files whose contents shape a prepared model: every source, calibration and head-weight file
 * under this folder (`prepare/`), tests excepted, in a fixed order. Preparation code imports nothing else of
 * the engine (prepared-model.cache.test.ts checks), so this list is all of it.
 */
export function preparationSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js|json|bin)$/.test(entry.name) && !/\.test\./.test(entry.name)) files.push(full);
    }
  };
  walk(path.dirname(fileURLToPath(import.meta.url)));
  return files;
}

/**
 * Digest of the code and calibration files that shape a prepared model (`preparationSources`, read
 * once per process): a change to any transform or range invalidates every cached model without a
 * version number anyone must remember to bump.
 */
function preparationDigest(): string {
  if (codeDigest) return codeDigest;
  const hash = createHash('sha256');
  for (const file of preparationSources()) hash.update(path.basename(file)).update(readFileSync(file));
  return (codeDigest = hash.digest('hex'));
}

const warned = new Set<string>();

/**
 * Prepares a model once per machine: preparing (graph rewrites, int8, class pruning) costs about
 * 0.4 CPU-s per engine, paid again by every process and engine thread at start; opening the cached
 * result costs a file read. The key covers the model (`modelDigest`), the settings and the preparation code.
 * Writes go through a temporary file and a rename, so engines starting together never read half a
 * file; a directory that cannot be written is reported once and the model is prepared in memory.
 */
export function cachedPreparation(
  dir: string | false,
  model: string,
  settings: unknown,
  prepare: () => PreparedModel,
  log: (message: string) => void,
): PreparedModel {
  if (dir === false) return prepare();
  const key = createHash('sha256').update(preparationDigest()).update(JSON.stringify(settings)).update(model).digest('hex').slice(0, 32);
  for (const v of VARIANTS) {
    const file = path.join(dir, `${key}${v.suffix}.onnx`);
    try {
      return { bytes: new Uint8Array(readFileSync(file)), prunedClasses: v.prunedClasses, latinHead: v.latinHead, latinGate: v.latinGate };
    } catch {
      // Not cached under this name.
    }
  }
  const prepared = prepare();
  const file = path.join(dir, `${key}${suffixOf(prepared)}.onnx`);
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, prepared.bytes);
    renameSync(temporary, file);
  } catch (err) {
    if (!warned.has(dir)) {
      warned.add(dir);
      log(`ocr: prepared models are not cached (${dir}: ${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return prepared;
}
