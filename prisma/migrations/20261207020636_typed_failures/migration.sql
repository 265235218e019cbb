-- AlterTable
ALTER TABLE "files" ADD COLUMN     "failure" JSONB;

-- AlterTable
ALTER TABLE "pages" ADD COLUMN     "failure" JSONB;
