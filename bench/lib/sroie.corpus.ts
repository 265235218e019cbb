import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Fields } from './sroie.score.ts';

/** One SROIE receipt of `../shared/extraction/sroie`: image, Nanonets annotation, true fields. */
export interface Receipt {
  id: string;
  image: Buffer<ArrayBuffer>;
  annotation: { filename: string };
  key: Fields;
}

/** Every receipt of the corpus folder, in id order (the splits shuffle from this order). */
export function readReceipts(corpus: string): Receipt[] {
  const ids = readdirSync(corpus)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => f.slice(0, -4))
    .sort();
  const json = (file: string): unknown => JSON.parse(readFileSync(path.join(corpus, file), 'utf8'));
  return ids.map((id) => ({
    id,
    image: readFileSync(path.join(corpus, `${id}.jpg`)),
    annotation: json(`${id}.annotation.json`) as Receipt['annotation'],
    key: json(`${id}.key.json`) as Fields,
  }));
}
