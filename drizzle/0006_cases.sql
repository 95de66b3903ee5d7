CREATE TABLE "case_number_counters" (
	"series" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "case_number_counters_series_year_pk" PRIMARY KEY("series","year")
);
--> statement-breakpoint
CREATE TABLE "case_record_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"direction" text NOT NULL,
	"record_date" date NOT NULL,
	"title" text NOT NULL,
	"counterpart" text,
	"counterpart_organisation_id" uuid,
	"secrecy_ref" text,
	"created_by" uuid,
	"is_example" boolean DEFAULT false NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, coalesce(title, '') || ' ' || coalesce(counterpart, ''))) STORED,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_records_direction" CHECK ("case_records"."direction" in ('incoming', 'drawn_up', 'outgoing'))
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"series" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"registry_number" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"case_type" text NOT NULL,
	"registry_organisation_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"officer_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"registered_on" date NOT NULL,
	"closed_on" date,
	"concerns_children" boolean,
	"child_assessment" text,
	"secrecy_ref" text,
	"secrecy_marked_by" uuid,
	"secrecy_marked_on" date,
	"last_record_seq" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"is_example" boolean DEFAULT false NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, coalesce(registry_number, '') || ' ' || coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(case_type, ''))) STORED,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_status" CHECK ("cases"."status" in ('open', 'dormant', 'closed')),
	CONSTRAINT "cases_seq" CHECK ("cases"."seq" between 1 and 99999)
);
--> statement-breakpoint
CREATE TABLE "decision_clauses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"decision_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"text" text NOT NULL,
	"to_body_organisation_id" uuid,
	"effect" text DEFAULT 'none' NOT NULL,
	"assignee_organisation_id" uuid,
	"due_date" date,
	"document_id" uuid,
	"replacement_document_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decision_clauses_effect" CHECK ("decision_clauses"."effect" in ('none', 'assignment', 'repeal', 'replace', 'adopt'))
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"meeting_id" uuid,
	"body_organisation_id" uuid NOT NULL,
	"decided_on" date,
	"paragraph" integer,
	"kind" text DEFAULT 'decision' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"reason" text,
	"created_by" uuid,
	"is_example" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decisions_kind" CHECK ("decisions"."kind" in ('decision', 'referral_back', 'remiss', 'delegation')),
	CONSTRAINT "decisions_status" CHECK ("decisions"."status" in ('draft', 'decided')),
	CONSTRAINT "decisions_paragraph" CHECK ("decisions"."paragraph" is null or "decisions"."paragraph" between 1 and 99999),
	CONSTRAINT "decisions_decided_complete" CHECK ("decisions"."status" = 'draft' or ("decisions"."decided_on" is not null and "decisions"."paragraph" is not null))
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"body_organisation_id" uuid NOT NULL,
	"meeting_date" date NOT NULL,
	"title" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_record_files" ADD CONSTRAINT "case_record_files_record_id_case_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."case_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_record_files" ADD CONSTRAINT "case_record_files_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_records" ADD CONSTRAINT "case_records_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_records" ADD CONSTRAINT "case_records_counterpart_organisation_id_organisations_id_fk" FOREIGN KEY ("counterpart_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_records" ADD CONSTRAINT "case_records_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_registry_organisation_id_organisations_id_fk" FOREIGN KEY ("registry_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_officer_id_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_secrecy_marked_by_users_id_fk" FOREIGN KEY ("secrecy_marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_clauses" ADD CONSTRAINT "decision_clauses_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_clauses" ADD CONSTRAINT "decision_clauses_to_body_organisation_id_organisations_id_fk" FOREIGN KEY ("to_body_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_clauses" ADD CONSTRAINT "decision_clauses_assignee_organisation_id_organisations_id_fk" FOREIGN KEY ("assignee_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_body_organisation_id_organisations_id_fk" FOREIGN KEY ("body_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_body_organisation_id_organisations_id_fk" FOREIGN KEY ("body_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_record_files_record_idx" ON "case_record_files" USING btree ("record_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_records_case_seq_uq" ON "case_records" USING btree ("case_id","seq");--> statement-breakpoint
CREATE INDEX "case_records_search_idx" ON "case_records" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_registry_number_uq" ON "cases" USING btree ("registry_number");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_series_year_seq_uq" ON "cases" USING btree ("series","year","seq");--> statement-breakpoint
CREATE INDEX "cases_org_idx" ON "cases" USING btree ("organisation_id","registered_on");--> statement-breakpoint
CREATE INDEX "cases_registered_idx" ON "cases" USING btree ("registered_on");--> statement-breakpoint
CREATE INDEX "cases_search_idx" ON "cases" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "decision_clauses_ordinal_uq" ON "decision_clauses" USING btree ("decision_id","ordinal");--> statement-breakpoint
CREATE INDEX "decisions_case_idx" ON "decisions" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "decisions_body_date_paragraph_uq" ON "decisions" USING btree ("body_organisation_id","decided_on","paragraph");--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_body_date_uq" ON "meetings" USING btree ("body_organisation_id","meeting_date");