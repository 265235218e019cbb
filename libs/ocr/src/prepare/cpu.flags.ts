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
 * How int8 weights are stored for this CPU. x86 without VNNI (AVX2, AVX-512 without VNNI) runs
 * onnxruntime's u8×s8 kernels with vpmaddubsw, which adds each pair of products in int16:
 * 2 × 255 × 127 overflows it (onnxruntime's quantization guide names this saturation and suggests
 * u8×u8 or `reduce_range` there). Weights as uint8 (zero point 128) take the u8×u8 kernels, which
 * widen to int16 before multiplying; 7-bit weights (`reduce_range`) also fit but misread more (a
 * receipt's $12.50 as 112.50). VNNI and ARM accumulate u8×s8 in int32.
 */
export function int8WeightsForCpu(): Int8Weights {
  if (arch !== 'x64') return 's8';
  const f = cpuFlags();
  return f.includes('avx512_vnni') || f.includes('avx_vnni') ? 's8' : 'u8';
}

/** 's8': int8 weights, zero point 0; 'u8': the same values + 128 as uint8, zero point 128. */
export type Int8Weights = 's8' | 'u8';
