-- AlterTable
ALTER TABLE "files" ADD COLUMN     "detection" JSONB;
