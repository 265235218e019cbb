-- AlterTable
ALTER TABLE "models" ADD COLUMN     "serving_version_id" UUID;

-- AlterTable
ALTER TABLE "training_images" ADD COLUMN     "sha256" CHAR(64);

-- AlterTable
ALTER TABLE "training_runs" ADD COLUMN     "data" JSONB,
ADD COLUMN     "failure" JSONB,
ADD COLUMN     "finished_at" TIMESTAMPTZ(3),
ADD COLUMN     "metrics" JSONB,
ADD COLUMN     "started_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "model_versions" (
    "id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "storage_key" TEXT NOT NULL,
    "categories" TEXT[],
    "metrics" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "model_versions_run_id_key" ON "model_versions"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "model_versions_model_id_number_key" ON "model_versions"("model_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "models_serving_version_id_key" ON "models"("serving_version_id");

-- AddForeignKey
ALTER TABLE "models" ADD CONSTRAINT "models_serving_version_id_fkey" FOREIGN KEY ("serving_version_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "training_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
