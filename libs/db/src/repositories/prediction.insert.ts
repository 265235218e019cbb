import { randomBytes } from 'node:crypto';
import { Prisma } from '../generated/client.ts';
import { predictionData, type PredictionInput } from './prediction.repository.ts';

/** A UUIDv7 (48-bit ms timestamp, then random), what Prisma's `@default(uuid(7))` makes. */
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Rows per INSERT statement (18 parameters each, well under Postgres's 65,535). */
const ROWS_PER_STATEMENT = 1_000;

/**
 * Inserts a page's predictions with multi-row INSERTs. Same rows as
 * `prediction.createMany({ data: predictions.map(predictionData) })`, but Prisma's createMany
 * costs ~35 ms of CPU for a dense page's 55 rows (its query compiler works per row and field),
 * against ~2 ms for one raw statement: it runs on the recognize worker's thread, once per page.
 */
export async function insertPredictions(
  tx: Pick<Prisma.TransactionClient, '$executeRaw'>,
  pageId: string,
  predictions: readonly PredictionInput[],
  source: 'MODEL' | 'MODERATOR' = 'MODEL',
): Promise<void> {
  const now = Date.now();
  for (let start = 0; start < predictions.length; start += ROWS_PER_STATEMENT) {
    const rows = predictions.slice(start, start + ROWS_PER_STATEMENT).map((p, k) => {
      const d = predictionData(pageId, p, start + k, source);
      const cells = p.cells == null ? null : JSON.stringify(p.cells);
      return Prisma.sql`(${uuidv7(now)}::uuid, ${d.pageId}::uuid, ${d.label}, ${d.type}, ${d.xmin}, ${d.ymin}, ${d.xmax}, ${d.ymax}, ${d.score}::float8,
        ${d.ocrText}, ${cells}::jsonb, ${d.source}::prediction_source, ${d.order}, ${d.status}, ${d.validationStatus}, ${d.validationMessage}, ${d.labelId}, now())`;
    });
    await tx.$executeRaw`INSERT INTO predictions (id, page_id, label, type, x_min, y_min, x_max, y_max, score, ocr_text, cells, source, "order",
      status, validation_status, validation_message, label_id, updated_at) VALUES ${Prisma.join(rows)}`;
  }
}
