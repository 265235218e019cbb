import type { TextLayerPage, TextLayerQuad, TextLayerWord } from './text-layer.types.ts';
import { groupLines, partitionWithQuads } from './text-layer.words.ts';

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
  return partitionWithQuads(groupLines(page.words));
}
