/**
 * Which columns of a recognizer crop hold ink. Read from the crop tensor (planar, values in
 * [-1, 1]); the background level is the crop's median and ink lies on the far side of it, so light
 * text on dark fills works too. Crops with too little contrast get every column marked as ink (no
 * pixel evidence for word gaps).
 */
export function inkColumns(
  tensor: Float32Array,
  offset: number,
  width: number,
  height: number,
  rowStride: number,
  planeStride: number,
): Uint8Array {
  const hist = new Uint32Array(256);
  // The green plane alone: gap finding needs contrast, not colour.
  const green = offset + planeStride;
  for (let j = 0; j < height; j++) {
    const o = green + j * rowStride;
    for (let i = 0; i < width; i++) {
      const b = ((tensor[o + i]! + 1) * 127.5 + 0.5) | 0;
      hist[b < 0 ? 0 : b > 255 ? 255 : b]!++;
    }
  }
  const total = width * height;
  const pct = (q: number): number => {
    let acc = 0;
    for (let b = 0; b < 256; b++) {
      acc += hist[b]!;
      if (acc >= q * total) return b / 127.5 - 1;
    }
    return 1;
  };
  const lo = pct(0.03);
  const med = pct(0.5);
  const hi = pct(0.97);
  const ink = new Uint8Array(width);
  const darkInk = med - lo >= hi - med;
  const contrast = darkInk ? med - lo : hi - med;
  if (contrast < 0.25) return ink.fill(1);
  const cut = darkInk ? med - contrast * 0.5 : med + contrast * 0.5;
  // Rows near the crop edges often catch neighbouring lines; look at the middle band only.
  const j0 = Math.floor(height * 0.12);
  const j1 = Math.ceil(height * 0.88);
  // Row by row (memory order), marking columns as ink is found.
  for (let j = j0; j < j1; j++) {
    const o = green + j * rowStride;
    if (darkInk) {
      for (let i = 0; i < width; i++) if (tensor[o + i]! < cut) ink[i] = 1;
    } else {
      for (let i = 0; i < width; i++) if (tensor[o + i]! > cut) ink[i] = 1;
    }
  }
  return ink;
}
