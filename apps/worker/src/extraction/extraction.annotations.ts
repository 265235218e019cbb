import type { FieldAnnotation } from './extraction.align.ts';

interface AnnotationJson {
  filename?: string;
  object?: Array<{ name?: string; ocr_text?: string; bndbox?: { xmin?: number; ymin?: number; xmax?: number; ymax?: number } }>;
}

/** The boxes of a stored Nanonets `data` entry (one object or a list), as the aligner takes them. */
export function annotationsOf(raw: unknown): FieldAnnotation[] {
  const list = (Array.isArray(raw) ? raw : [raw]) as AnnotationJson[];
  return list.flatMap((a) =>
    (a?.object ?? []).flatMap((o) =>
      o?.name && o.bndbox ? [{ name: o.name, ocrText: o.ocr_text ?? '', box: { xmin: o.bndbox.xmin ?? 0, ymin: o.bndbox.ymin ?? 0, xmax: o.bndbox.xmax ?? 0, ymax: o.bndbox.ymax ?? 0 } }] : [],
    ),
  );
}
