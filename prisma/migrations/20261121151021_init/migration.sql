-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "model_kind" AS ENUM ('OCR', 'EXTRACTION');

-- CreateEnum
CREATE TYPE "file_source" AS ENUM ('UPLOAD', 'URL');

-- CreateEnum
CREATE TYPE "file_status" AS ENUM ('QUEUED', 'PROCESSING', 'COMPLETE', 'PARTIAL', 'FAILED');

-- CreateEnum
CREATE TYPE "processing_type" AS ENUM ('SYNC', 'ASYNC');

-- CreateEnum
CREATE TYPE "page_status" AS ENUM ('QUEUED', 'RENDERED', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "moderation_state" AS ENUM ('UNMODERATED', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "prediction_source" AS ENUM ('MODEL', 'MODERATOR');

-- CreateEnum
CREATE TYPE "training_run_status" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "organizations" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "name" TEXT,
    "key_hash" CHAR(64) NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "models" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "kind" "model_kind" NOT NULL DEFAULT 'OCR',
    "name" TEXT NOT NULL,
    "labels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "files" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "model_id" UUID,
    "source" "file_source" NOT NULL DEFAULT 'UPLOAD',
    "source_url" TEXT,
    "filename" TEXT NOT NULL,
    "mime" TEXT,
    "bytes" INTEGER,
    "sha256" CHAR(64),
    "storage_key" TEXT,
    "page_count" INTEGER,
    "status" "file_status" NOT NULL DEFAULT 'QUEUED',
    "purpose" TEXT NOT NULL DEFAULT 'ocr',
    "processing_type" "processing_type" NOT NULL DEFAULT 'ASYNC',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "request_metadata" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pages" (
    "id" UUID NOT NULL,
    "file_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "model_id" UUID,
    "index" INTEGER NOT NULL,
    "status" "page_status" NOT NULL DEFAULT 'QUEUED',
    "width" INTEGER,
    "height" INTEGER,
    "dpi" INTEGER,
    "rotation" INTEGER NOT NULL DEFAULT 0,
    "image_key" TEXT,
    "day_since_epoch" INTEGER NOT NULL,
    "moderation_state" "moderation_state" NOT NULL DEFAULT 'UNMODERATED',
    "min_confidence" DOUBLE PRECISION,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "pages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "predictions" (
    "id" UUID NOT NULL,
    "page_id" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'field',
    "x_min" INTEGER NOT NULL,
    "y_min" INTEGER NOT NULL,
    "x_max" INTEGER NOT NULL,
    "y_max" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "ocr_text" TEXT NOT NULL DEFAULT '',
    "cells" JSONB,
    "source" "prediction_source" NOT NULL DEFAULT 'MODEL',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "order" INTEGER NOT NULL,
    "status" TEXT,
    "validation_status" TEXT,
    "validation_message" TEXT,
    "label_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "predictions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "moderation_events" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "page_id" UUID NOT NULL,
    "prediction_id" UUID,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "moderation_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_images" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "storage_key" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "annotations" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_images_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_runs" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "status" "training_run_status" NOT NULL DEFAULT 'QUEUED',
    "message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "training_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "organizations_slug_key" ON "organizations"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_org_id_idx" ON "api_keys"("org_id");

-- CreateIndex
CREATE INDEX "models_org_id_created_at_idx" ON "models"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "files_org_id_created_at_id_idx" ON "files"("org_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "files_model_id_created_at_idx" ON "files"("model_id", "created_at");

-- CreateIndex
CREATE INDEX "files_expires_at_idx" ON "files"("expires_at");

-- CreateIndex
CREATE INDEX "files_deleted_at_idx" ON "files"("deleted_at");

-- CreateIndex
CREATE INDEX "files_status_updated_at_idx" ON "files"("status", "updated_at");

-- CreateIndex
CREATE INDEX "pages_model_id_day_since_epoch_idx" ON "pages"("model_id", "day_since_epoch");

-- CreateIndex
CREATE INDEX "pages_status_updated_at_idx" ON "pages"("status", "updated_at");

-- CreateIndex
CREATE INDEX "pages_model_id_moderation_state_min_confidence_idx" ON "pages"("model_id", "moderation_state", "min_confidence");

-- CreateIndex
CREATE INDEX "pages_org_id_idx" ON "pages"("org_id");

-- CreateIndex
CREATE UNIQUE INDEX "pages_file_id_index_key" ON "pages"("file_id", "index");

-- CreateIndex
CREATE INDEX "predictions_page_id_order_idx" ON "predictions"("page_id", "order");

-- CreateIndex
CREATE INDEX "moderation_events_page_id_created_at_idx" ON "moderation_events"("page_id", "created_at");

-- CreateIndex
CREATE INDEX "moderation_events_prediction_id_idx" ON "moderation_events"("prediction_id");

-- CreateIndex
CREATE INDEX "training_images_model_id_created_at_idx" ON "training_images"("model_id", "created_at");

-- CreateIndex
CREATE INDEX "training_images_org_id_idx" ON "training_images"("org_id");

-- CreateIndex
CREATE INDEX "training_runs_model_id_created_at_idx" ON "training_runs"("model_id", "created_at");

-- CreateIndex
CREATE INDEX "training_runs_org_id_idx" ON "training_runs"("org_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "models" ADD CONSTRAINT "models_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "files" ADD CONSTRAINT "files_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "files" ADD CONSTRAINT "files_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pages" ADD CONSTRAINT "pages_file_id_fkey" FOREIGN KEY ("file_id") REFERENCES "files"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pages" ADD CONSTRAINT "pages_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pages" ADD CONSTRAINT "pages_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "moderation_events" ADD CONSTRAINT "moderation_events_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "moderation_events" ADD CONSTRAINT "moderation_events_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "moderation_events" ADD CONSTRAINT "moderation_events_prediction_id_fkey" FOREIGN KEY ("prediction_id") REFERENCES "predictions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_images" ADD CONSTRAINT "training_images_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_images" ADD CONSTRAINT "training_images_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_runs" ADD CONSTRAINT "training_runs_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_runs" ADD CONSTRAINT "training_runs_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;
