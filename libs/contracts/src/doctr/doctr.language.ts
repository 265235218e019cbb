import type { OcrPage } from '@folio/ocr';

/** docTR's `language`: an ISO 639-1 code and a score in [0, 1], or nulls when it cannot tell. */
export type DoctrLanguage = {
  value: string | null;
  confidence: number | null;
};

type Eld = typeof import('eld/small')['eld'];
let detector: Promise<Eld> | undefined;

/**
 * The language of a page's recognized text, by the `eld` n-gram detector (60 languages, offline;
 * its small table, ~1.6 MB, is loaded on the first call only). Nulls when eld itself calls its
 * guess unreliable: too little text, numbers only, or no language clearly ahead.
 */
export async function pageLanguage(page: OcrPage): Promise<DoctrLanguage> {
  const eld = await (detector ??= import('eld/small').then((m) => m.eld));
  const text = page.blocks.flatMap((b) => b.lines.map((l) => l.text)).join('\n');
  const result = eld.detect(text);
  if (!result.language || !result.isReliable()) return { value: null, confidence: null };
  const score = result.getScores()[result.language];
  return { value: result.language, confidence: score === undefined ? null : Math.round(score * 1000) / 1000 };
}
