-- One queued or running training run per model: a second Train, even one racing the first, finds
-- the running run instead of queuing a duplicate (Prisma's schema language has no partial indexes,
-- so this index lives here only). Runs already duplicated keep the newest; the older end FAILED.
UPDATE "training_runs" AS t
SET "status" = 'FAILED',
    "failure" = '{"code": "training_superseded"}'::jsonb,
    "message" = 'Superseded by a newer run of the same model.',
    "finished_at" = now(),
    "updated_at" = now()
WHERE t."status" IN ('QUEUED', 'RUNNING')
  AND EXISTS (
    SELECT 1 FROM "training_runs" AS o
    WHERE o."model_id" = t."model_id" AND o."status" IN ('QUEUED', 'RUNNING')
      AND (o."created_at", o."id") > (t."created_at", t."id")
  );

CREATE UNIQUE INDEX "training_runs_one_active_per_model" ON "training_runs" ("model_id") WHERE "status" IN ('QUEUED', 'RUNNING');
