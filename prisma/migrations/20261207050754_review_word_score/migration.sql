-- AlterTable
ALTER TABLE "pages" ADD COLUMN     "min_word_score" DOUBLE PRECISION;

-- Backfill: the lowest word confidence of every recognized page's result (a line read without
-- words counts as one word), as the worker now stores it.
UPDATE "pages" p SET "min_word_score" = (
  SELECT min(c) FROM (
    SELECT (w->>'confidence')::double precision AS c
    FROM jsonb_array_elements(p."result"->'blocks') b, jsonb_array_elements(b->'lines') l, jsonb_array_elements(l->'words') w
    UNION ALL
    SELECT (l->>'confidence')::double precision
    FROM jsonb_array_elements(p."result"->'blocks') b, jsonb_array_elements(b->'lines') l
    WHERE jsonb_array_length(COALESCE(l->'words', '[]'::jsonb)) = 0
  ) scores
) WHERE p."result" IS NOT NULL AND jsonb_typeof(p."result"->'blocks') = 'array';
