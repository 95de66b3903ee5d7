CREATE TABLE "decision_reservations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"decision_id" uuid NOT NULL,
	"name" text NOT NULL,
	"party" text,
	"written" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_adjusters" (
	"meeting_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "meeting_adjusters_meeting_id_user_id_pk" PRIMARY KEY("meeting_id","user_id"),
	CONSTRAINT "meeting_adjusters_role" CHECK ("meeting_adjusters"."role" in ('chair', 'adjuster'))
);
--> statement-breakpoint
CREATE TABLE "meeting_attendees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"party" text,
	"present" boolean DEFAULT true NOT NULL,
	CONSTRAINT "meeting_attendees_role" CHECK ("meeting_attendees"."role" in ('chair', 'vice_chair', 'member', 'substitute_serving', 'substitute', 'official'))
);
--> statement-breakpoint
CREATE TABLE "meeting_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"case_id" uuid NOT NULL,
	"decision_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"decision_id" uuid,
	"posted_on" date NOT NULL,
	"appeal_ends_on" date NOT NULL,
	"posted_by" uuid,
	"is_example" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"decision_id" uuid,
	"user_id" uuid NOT NULL,
	"signed_on" date NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "immediate_adjustment" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "adjusted_on" date;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "starts_at" text;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "location" text;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "minutes_kept_at" text;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "adjusted_on" date;--> statement-breakpoint
ALTER TABLE "decision_reservations" ADD CONSTRAINT "decision_reservations_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_adjusters" ADD CONSTRAINT "meeting_adjusters_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_adjusters" ADD CONSTRAINT "meeting_adjusters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendees" ADD CONSTRAINT "meeting_attendees_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_items" ADD CONSTRAINT "meeting_items_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_items" ADD CONSTRAINT "meeting_items_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_items" ADD CONSTRAINT "meeting_items_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_items" ADD CONSTRAINT "meeting_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_notices" ADD CONSTRAINT "meeting_notices_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_notices" ADD CONSTRAINT "meeting_notices_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_notices" ADD CONSTRAINT "meeting_notices_posted_by_users_id_fk" FOREIGN KEY ("posted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_signatures" ADD CONSTRAINT "meeting_signatures_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_signatures" ADD CONSTRAINT "meeting_signatures_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_signatures" ADD CONSTRAINT "meeting_signatures_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decision_reservations_decision_idx" ON "decision_reservations" USING btree ("decision_id");--> statement-breakpoint
CREATE INDEX "meeting_attendees_meeting_idx" ON "meeting_attendees" USING btree ("meeting_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_items_case_uq" ON "meeting_items" USING btree ("meeting_id","case_id");--> statement-breakpoint
CREATE INDEX "meeting_items_case_idx" ON "meeting_items" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_notices_minutes_uq" ON "meeting_notices" USING btree ("meeting_id") WHERE decision_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_notices_paragraph_uq" ON "meeting_notices" USING btree ("decision_id") WHERE decision_id is not null;--> statement-breakpoint
CREATE INDEX "meeting_notices_appeal_idx" ON "meeting_notices" USING btree ("appeal_ends_on");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_signatures_minutes_uq" ON "meeting_signatures" USING btree ("meeting_id","user_id") WHERE decision_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_signatures_paragraph_uq" ON "meeting_signatures" USING btree ("decision_id","user_id") WHERE decision_id is not null;--> statement-breakpoint
-- Hand-written: decisions recorded as decided before the meeting process existed had their minutes adjusted
-- outside Trygg; count them as adjusted on their decision date so that dispatch (which now needs the
-- adjustment) keeps working for them.
UPDATE "decisions" SET "adjusted_on" = "decided_on" WHERE "status" = 'decided' AND "adjusted_on" IS NULL;
