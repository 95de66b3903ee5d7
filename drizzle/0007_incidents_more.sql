CREATE TABLE "incident_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"target_kind" text NOT NULL,
	"target_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_links_kind" CHECK ("incident_links"."target_kind" in ('action'))
);
--> statement-breakpoint
CREATE TABLE "lagesbild_report_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"event" text NOT NULL,
	"content" jsonb NOT NULL,
	"saved_by" uuid NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lagesbild_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"mapping_text" text DEFAULT '' NOT NULL,
	"other_text" text DEFAULT '' NOT NULL,
	"analysis_text" text DEFAULT '' NOT NULL,
	"snapshot" jsonb,
	"adopted_at" timestamp with time zone,
	"adopted_by" uuid,
	"created_by" uuid NOT NULL,
	"updated_by" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lagesbild_reports_status" CHECK ("lagesbild_reports"."status" in ('draft', 'adopted')),
	CONSTRAINT "lagesbild_reports_period" CHECK ("lagesbild_reports"."period_to" >= "lagesbild_reports"."period_from")
);
--> statement-breakpoint
CREATE TABLE "lagesbild_week_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"week" text NOT NULL,
	"text" text NOT NULL,
	"created_by" uuid NOT NULL,
	"updated_by" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment_actions" (
	"assignment_id" uuid NOT NULL,
	"action_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignment_actions_assignment_id_action_id_pk" PRIMARY KEY("assignment_id","action_id")
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clause_id" uuid NOT NULL,
	"decision_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"text" text NOT NULL,
	"due_date" date,
	"status" text DEFAULT 'open' NOT NULL,
	"done_on" date,
	"is_example" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignments_status" CHECK ("assignments"."status" in ('open', 'done'))
);
--> statement-breakpoint
CREATE TABLE "decision_dispatch_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"decision_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"organisation_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"email" text,
	"record_id" uuid,
	"job_id" bigint,
	"dispatched_at" timestamp with time zone,
	"dispatched_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dispatch_entries_kind" CHECK ("decision_dispatch_entries"."kind" in ('organisation', 'file')),
	CONSTRAINT "dispatch_entries_org" CHECK (("decision_dispatch_entries"."kind" = 'file') = ("decision_dispatch_entries"."organisation_id" is null)),
	CONSTRAINT "dispatch_entries_status" CHECK ("decision_dispatch_entries"."status" in ('pending', 'sent', 'manual', 'filed'))
);
--> statement-breakpoint
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
CREATE TABLE "governing_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"owner_organisation_id" uuid NOT NULL,
	"adopted_by_organisation_id" uuid,
	"decision_id" uuid,
	"decision_ref" text,
	"adopted_on" date,
	"valid_from" date,
	"valid_to" date,
	"next_review_on" date,
	"status" text DEFAULT 'draft' NOT NULL,
	"status_decision_id" uuid,
	"status_decision_ref" text,
	"status_changed_on" date,
	"replaced_by_id" uuid,
	"file_name" text,
	"file_content_type" text,
	"file_size" integer,
	"file_sha256" text,
	"file_uploaded_at" timestamp with time zone,
	"file_uploaded_by" uuid,
	"review_reminded_for" date,
	"created_by" uuid,
	"is_example" boolean DEFAULT false NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(decision_ref, ''))) STORED,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "governing_documents_type" CHECK ("governing_documents"."type" in ('program', 'plan', 'policy', 'guideline', 'strategy', 'action_plan', 'routine')),
	CONSTRAINT "governing_documents_status" CHECK ("governing_documents"."status" in ('draft', 'in_force', 'repealed', 'replaced')),
	CONSTRAINT "governing_documents_period" CHECK ("governing_documents"."valid_to" is null or "governing_documents"."valid_from" is null or "governing_documents"."valid_to" >= "governing_documents"."valid_from"),
	CONSTRAINT "governing_documents_not_own_successor" CHECK ("governing_documents"."replaced_by_id" <> "governing_documents"."id"),
	CONSTRAINT "governing_documents_replaced_has_successor" CHECK ("governing_documents"."status" <> 'replaced' or "governing_documents"."replaced_by_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "incident_links" ADD CONSTRAINT "incident_links_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_links" ADD CONSTRAINT "incident_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_report_versions" ADD CONSTRAINT "lagesbild_report_versions_report_id_lagesbild_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."lagesbild_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_report_versions" ADD CONSTRAINT "lagesbild_report_versions_saved_by_users_id_fk" FOREIGN KEY ("saved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD CONSTRAINT "lagesbild_reports_adopted_by_users_id_fk" FOREIGN KEY ("adopted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD CONSTRAINT "lagesbild_reports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD CONSTRAINT "lagesbild_reports_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_week_notes" ADD CONSTRAINT "lagesbild_week_notes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_week_notes" ADD CONSTRAINT "lagesbild_week_notes_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_actions" ADD CONSTRAINT "assignment_actions_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_actions" ADD CONSTRAINT "assignment_actions_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_actions" ADD CONSTRAINT "assignment_actions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_clause_id_decision_clauses_id_fk" FOREIGN KEY ("clause_id") REFERENCES "public"."decision_clauses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_dispatch_entries" ADD CONSTRAINT "decision_dispatch_entries_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_dispatch_entries" ADD CONSTRAINT "decision_dispatch_entries_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_dispatch_entries" ADD CONSTRAINT "decision_dispatch_entries_record_id_case_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."case_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_dispatch_entries" ADD CONSTRAINT "decision_dispatch_entries_dispatched_by_users_id_fk" FOREIGN KEY ("dispatched_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
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
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_adopted_by_organisation_id_organisations_id_fk" FOREIGN KEY ("adopted_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_status_decision_id_decisions_id_fk" FOREIGN KEY ("status_decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_replaced_by_id_governing_documents_id_fk" FOREIGN KEY ("replaced_by_id") REFERENCES "public"."governing_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_file_uploaded_by_users_id_fk" FOREIGN KEY ("file_uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "incident_links_uq" ON "incident_links" USING btree ("incident_id","target_kind","target_id");--> statement-breakpoint
CREATE INDEX "incident_links_target_idx" ON "incident_links" USING btree ("target_kind","target_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lagesbild_report_versions_uq" ON "lagesbild_report_versions" USING btree ("report_id","version");--> statement-breakpoint
CREATE INDEX "lagesbild_reports_period_idx" ON "lagesbild_reports" USING btree ("period_from");--> statement-breakpoint
CREATE UNIQUE INDEX "lagesbild_week_notes_week_uq" ON "lagesbild_week_notes" USING btree ("week");--> statement-breakpoint
CREATE INDEX "assignment_actions_action_idx" ON "assignment_actions" USING btree ("action_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assignments_clause_uq" ON "assignments" USING btree ("clause_id");--> statement-breakpoint
CREATE INDEX "assignments_org_idx" ON "assignments" USING btree ("organisation_id","status");--> statement-breakpoint
CREATE INDEX "assignments_case_idx" ON "assignments" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "dispatch_entries_decision_idx" ON "decision_dispatch_entries" USING btree ("decision_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dispatch_entries_org_uq" ON "decision_dispatch_entries" USING btree ("decision_id","organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dispatch_entries_file_uq" ON "decision_dispatch_entries" USING btree ("decision_id") WHERE kind = 'file';--> statement-breakpoint
CREATE UNIQUE INDEX "remiss_links_token_uq" ON "remiss_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "remiss_links_recipient_idx" ON "remiss_links" USING btree ("recipient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remiss_recipients_round_org_uq" ON "remiss_recipients" USING btree ("round_id","organisation_id");--> statement-breakpoint
CREATE INDEX "remiss_recipients_org_idx" ON "remiss_recipients" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remiss_replies_recipient_uq" ON "remiss_replies" USING btree ("recipient_id");--> statement-breakpoint
CREATE INDEX "remiss_rounds_case_idx" ON "remiss_rounds" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "governing_documents_status_idx" ON "governing_documents" USING btree ("status","title");--> statement-breakpoint
CREATE INDEX "governing_documents_owner_idx" ON "governing_documents" USING btree ("owner_organisation_id");--> statement-breakpoint
CREATE INDEX "governing_documents_replaced_by_idx" ON "governing_documents" USING btree ("replaced_by_id");--> statement-breakpoint
CREATE INDEX "governing_documents_review_idx" ON "governing_documents" USING btree ("next_review_on");--> statement-breakpoint
CREATE INDEX "governing_documents_search_idx" ON "governing_documents" USING gin ("search");--> statement-breakpoint
CREATE INDEX "incident_areas_bbox_idx" ON "incident_areas" USING btree ("min_lon","max_lon","min_lat","max_lat");--> statement-breakpoint
CREATE INDEX "incident_tasks_assignee_idx" ON "incident_tasks" USING btree ("assignee_id") WHERE "incident_tasks"."done_at" is null;--> statement-breakpoint
CREATE INDEX "cases_officer_idx" ON "cases" USING btree ("officer_id","registered_on");