CREATE TABLE "remiss_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"recipient_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remiss_recipients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"email" text,
	"reply_by" date NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remiss_recipients_channel" CHECK ("remiss_recipients"."channel" in ('internal', 'link')),
	CONSTRAINT "remiss_recipients_status" CHECK ("remiss_recipients"."status" in ('pending', 'answered'))
);
--> statement-breakpoint
CREATE TABLE "remiss_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"recipient_id" uuid NOT NULL,
	"received_on" date NOT NULL,
	"kind" text NOT NULL,
	"deciding_body" text,
	"decided_on" date,
	"paragraph" integer,
	"text" text,
	"via" text NOT NULL,
	"record_id" uuid NOT NULL,
	"registered_by" uuid,
	"is_example" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remiss_replies_kind" CHECK ("remiss_replies"."kind" in ('decision', 'no_objection', 'reply')),
	CONSTRAINT "remiss_replies_via" CHECK ("remiss_replies"."via" in ('internal', 'link', 'registered')),
	CONSTRAINT "remiss_replies_paragraph" CHECK ("remiss_replies"."paragraph" is null or "remiss_replies"."paragraph" between 1 and 99999),
	CONSTRAINT "remiss_replies_decision_complete" CHECK ("remiss_replies"."kind" <> 'decision' or ("remiss_replies"."decided_on" is not null and "remiss_replies"."paragraph" is not null))
);
--> statement-breakpoint
CREATE TABLE "remiss_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"decision_id" uuid,
	"title" text NOT NULL,
	"letter" text NOT NULL,
	"sent_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"letter_record_id" uuid,
	"created_by" uuid,
	"is_example" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remiss_rounds_status" CHECK ("remiss_rounds"."status" in ('open', 'closed'))
);
--> statement-breakpoint
ALTER TABLE "remiss_links" ADD CONSTRAINT "remiss_links_recipient_id_remiss_recipients_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."remiss_recipients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remiss_links" ADD CONSTRAINT "remiss_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remiss_recipients" ADD CONSTRAINT "remiss_recipients_round_id_remiss_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."remiss_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remiss_recipients" ADD CONSTRAINT "remiss_recipients_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remiss_replies" ADD CONSTRAINT "remiss_replies_recipient_id_remiss_recipients_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."remiss_recipients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remiss_replies" ADD CONSTRAINT "remiss_replies_record_id_case_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."case_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remiss_replies" ADD CONSTRAINT "remiss_replies_registered_by_users_id_fk" FOREIGN KEY ("registered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remiss_rounds" ADD CONSTRAINT "remiss_rounds_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remiss_rounds" ADD CONSTRAINT "remiss_rounds_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remiss_rounds" ADD CONSTRAINT "remiss_rounds_letter_record_id_case_records_id_fk" FOREIGN KEY ("letter_record_id") REFERENCES "public"."case_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remiss_rounds" ADD CONSTRAINT "remiss_rounds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "remiss_links_token_uq" ON "remiss_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "remiss_links_recipient_idx" ON "remiss_links" USING btree ("recipient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remiss_recipients_round_org_uq" ON "remiss_recipients" USING btree ("round_id","organisation_id");--> statement-breakpoint
CREATE INDEX "remiss_recipients_org_idx" ON "remiss_recipients" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remiss_replies_recipient_uq" ON "remiss_replies" USING btree ("recipient_id");--> statement-breakpoint
CREATE INDEX "remiss_rounds_case_idx" ON "remiss_rounds" USING btree ("case_id");