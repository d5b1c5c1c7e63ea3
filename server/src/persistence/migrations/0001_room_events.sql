CREATE TABLE "room_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"room_id" text NOT NULL,
	"room_type" text NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"player_id" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "room_events_room_idx" ON "room_events" USING btree ("room_id","id");--> statement-breakpoint
CREATE INDEX "room_events_code_idx" ON "room_events" USING btree ("code");