/**
 * The engine's OCR of every SROIE receipt, cached on disk by the image's sha256 (bench/out/ocr-cache),
 * so the offline extraction bench reads each receipt once. The same engine and call the training
 * run uses (`decodeImage` → `recognize`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeImage } from '@folio/documents';
import { createOcrEngine, type OcrEngine, type OcrPage } from '@folio/ocr';

export interface CachedOcr {
  page: OcrPage;
  /** CPU seconds of this process for the read (0 when it came from the cache). */
  cpu: number;
}

export async function sroieOcr(images: ReadonlyArray<{ id: string; image: Buffer }>, cacheDir: string, log = (_: string) => {}): Promise<Map<string, CachedOcr>> {
  mkdirSync(cacheDir, { recursive: true });
  const out = new Map<string, CachedOcr>();
  let engine: OcrEngine | null = null;
  try {
    for (const { id, image } of images) {
      const file = path.join(cacheDir, `${createHash('sha256').update(image).digest('hex')}.json`);
      if (existsSync(file)) {
        out.set(id, { page: JSON.parse(readFileSync(file, 'utf8')) as OcrPage, cpu: 0 });
        continue;
      }
      engine ??= await createOcrEngine({ threads: 1 });
      const c0 = process.cpuUsage();
      const raster = await decodeImage(image);
      const page = await engine.recognize(raster, { dpi: raster.dpi });
      const c = process.cpuUsage(c0);
      writeFileSync(file, JSON.stringify(page));
      out.set(id, { page, cpu: (c.user + c.system) / 1e6 });
      log(`ocr ${id}: ${((c.user + c.system) / 1e6).toFixed(2)} cpu s`);
    }
  } finally {
    await engine?.close();
  }
  return out;
}
