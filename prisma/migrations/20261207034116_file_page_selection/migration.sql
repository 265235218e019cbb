-- AlterTable
ALTER TABLE "files" ADD COLUMN     "page_selection" JSONB;
