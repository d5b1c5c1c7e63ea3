CREATE TABLE "session_updates" (
	"session_id" text NOT NULL,
	"version" integer NOT NULL,
	"ops" jsonb NOT NULL,
	"author_id" text NOT NULL,
	"kind" text NOT NULL,
	"hash" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "session_updates_session_id_version_pk" PRIMARY KEY("session_id","version")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"gm_player_id" text NOT NULL,
	"plugin_id" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"snapshot_version" integer NOT NULL,
	"snapshot_hash" text NOT NULL,
	"head_version" integer NOT NULL,
	"head_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "session_updates" ADD CONSTRAINT "session_updates_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_gm_idx" ON "sessions" USING btree ("gm_player_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_code_idx" ON "sessions" USING btree ("code");