ALTER TABLE "sessions" ADD COLUMN "imported_by" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "import_digest" text;--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_import_idx" ON "sessions" USING btree ("imported_by","import_digest");