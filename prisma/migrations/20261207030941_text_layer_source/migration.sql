-- AlterTable
ALTER TABLE "files" ADD COLUMN     "force_ocr" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "pages" ADD COLUMN     "text_layer_key" TEXT;
