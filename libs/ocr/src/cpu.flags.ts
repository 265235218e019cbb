import { readFileSync } from 'node:fs';
import { arch } from 'node:process';

let flags: readonly string[] | undefined;

/** The CPU's feature flags as Linux lists them (`/proc/cpuinfo`); empty elsewhere. */
export function cpuFlags(): readonly string[] {
  if (flags) return flags;
  try {
    flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1]?.trim().split(/\s+/) ?? [];
  } catch {
    flags = [];
  }
  return flags;
}

/**
 * How wide int8 weights may be on this CPU. x86 without VNNI (AVX2, AVX-512 without VNNI) runs
 * onnxruntime's u8×s8 kernels with vpmaddubsw, which adds each pair of products in int16:
 * 2 × 255 × 127 overflows it and the saturated sums garble whole lines (measured: a clean scan read
 * "Scamedive41"). 7-bit weights (onnxruntime's `reduce_range`) fit; VNNI and ARM accumulate in int32.
 */
export function int8WeightsForCpu(): Int8Weights {
  if (arch !== 'x64') return 'full';
  const f = cpuFlags();
  return f.includes('avx512_vnni') || f.includes('avx_vnni') ? 'full' : 'reduced';
}

/** 'full': weights span ±127; 'reduced': ±64. */
export type Int8Weights = 'full' | 'reduced';
