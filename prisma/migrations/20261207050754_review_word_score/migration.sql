-- AlterTable
ALTER TABLE "pages" ADD COLUMN     "min_word_score" DOUBLE PRECISION;

-- Backfill: the lowest word confidence of every recognized page's result.
UPDATE "pages" p SET "min_word_score" = (
  SELECT min((w->>'confidence')::double precision)
  FROM jsonb_array_elements(p."result"->'blocks') b,
       jsonb_array_elements(b->'lines') l,
       jsonb_array_elements(l->'words') w
  WHERE w ? 'confidence'
) WHERE p."result" IS NOT NULL AND jsonb_typeof(p."result"->'blocks') = 'array';
