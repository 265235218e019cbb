import type { TextLayerPage, TextLayerQuad, TextLayerWord } from './text-layer.types.ts';
import { groupLines, lineQuad, partitionByDirection } from './text-layer.words.ts';

/** A line of text-layer words with the quad around them: the shape the engine's layout stage takes as a line. */
export interface TextLayerLine {
  quad: TextLayerQuad;
  words: TextLayerWord[];
}

/**
 * A page's trusted words as lines, split into the page's dominant direction and the rest (margin
 * notes, stamps), ready for the engine's `textLayerPage`.
 */
export function textLayerLines(page: Pick<TextLayerPage, 'words'>): { main: TextLayerLine[]; offAxis: TextLayerLine[] } {
  const { main, offAxis } = partitionByDirection(groupLines(page.words));
  const withQuad = (words: TextLayerWord[]): TextLayerLine => ({ quad: lineQuad(words), words });
  return { main: main.map(withQuad), offAxis: offAxis.map(withQuad) };
}
