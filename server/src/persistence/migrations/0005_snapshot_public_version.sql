ALTER TABLE "sessions" ADD COLUMN "snapshot_public_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "sessions" SET "snapshot_public_version" = "snapshot_version";
