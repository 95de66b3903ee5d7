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
CREATE INDEX "assignment_actions_action_idx" ON "assignment_actions" USING btree ("action_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assignments_clause_uq" ON "assignments" USING btree ("clause_id");--> statement-breakpoint
CREATE INDEX "assignments_org_idx" ON "assignments" USING btree ("organisation_id","status");--> statement-breakpoint
CREATE INDEX "assignments_case_idx" ON "assignments" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "dispatch_entries_decision_idx" ON "decision_dispatch_entries" USING btree ("decision_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dispatch_entries_org_uq" ON "decision_dispatch_entries" USING btree ("decision_id","organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dispatch_entries_file_uq" ON "decision_dispatch_entries" USING btree ("decision_id") WHERE kind = 'file';