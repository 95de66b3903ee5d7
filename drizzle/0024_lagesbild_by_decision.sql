CREATE TABLE "crime_statistics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"municipality_code" text NOT NULL,
	"category" text NOT NULL,
	"year" integer NOT NULL,
	"value" numeric NOT NULL,
	"per_100k" numeric,
	"source" text NOT NULL,
	"imported_by" uuid NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crime_statistics_kind" CHECK ("crime_statistics"."kind" in ('reported', 'survey'))
);
--> statement-breakpoint
CREATE TABLE "lagesbild_findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_action_findings" (
	"action_id" uuid NOT NULL,
	"finding_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_action_findings_action_id_finding_id_pk" PRIMARY KEY("action_id","finding_id")
);
--> statement-breakpoint
ALTER TABLE "decision_clauses" DROP CONSTRAINT "decision_clauses_effect";--> statement-breakpoint
ALTER TABLE "lagesbild_reports" DROP CONSTRAINT "lagesbild_reports_status";--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "case_id" uuid;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "record_id" uuid;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "decision_clause_id" uuid;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "adopted_by_decision_id" uuid;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "decision_reference" text;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "submitted_by" uuid;--> statement-breakpoint
ALTER TABLE "crime_statistics" ADD CONSTRAINT "crime_statistics_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_findings" ADD CONSTRAINT "lagesbild_findings_report_id_lagesbild_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."lagesbild_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_findings" ADD CONSTRAINT "plan_action_findings_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_findings" ADD CONSTRAINT "plan_action_findings_finding_id_lagesbild_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."lagesbild_findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "crime_statistics_uq" ON "crime_statistics" USING btree ("kind","municipality_code","category","year");--> statement-breakpoint
CREATE UNIQUE INDEX "lagesbild_findings_ordinal_uq" ON "lagesbild_findings" USING btree ("report_id","ordinal");--> statement-breakpoint
CREATE INDEX "plan_action_findings_finding_idx" ON "plan_action_findings" USING btree ("finding_id");--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD CONSTRAINT "lagesbild_reports_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lagesbild_reports_clause_idx" ON "lagesbild_reports" USING btree ("decision_clause_id");--> statement-breakpoint
ALTER TABLE "decision_clauses" ADD CONSTRAINT "decision_clauses_effect" CHECK ("decision_clauses"."effect" in ('none', 'assignment', 'repeal', 'replace', 'adopt', 'adopt_lagesbild'));--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD CONSTRAINT "lagesbild_reports_status" CHECK ("lagesbild_reports"."status" in ('draft', 'submitted', 'adopted'));