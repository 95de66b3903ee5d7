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
ALTER TABLE "incident_links" ADD CONSTRAINT "incident_links_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_links" ADD CONSTRAINT "incident_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_report_versions" ADD CONSTRAINT "lagesbild_report_versions_report_id_lagesbild_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."lagesbild_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_report_versions" ADD CONSTRAINT "lagesbild_report_versions_saved_by_users_id_fk" FOREIGN KEY ("saved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD CONSTRAINT "lagesbild_reports_adopted_by_users_id_fk" FOREIGN KEY ("adopted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD CONSTRAINT "lagesbild_reports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD CONSTRAINT "lagesbild_reports_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_week_notes" ADD CONSTRAINT "lagesbild_week_notes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_week_notes" ADD CONSTRAINT "lagesbild_week_notes_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "incident_links_uq" ON "incident_links" USING btree ("incident_id","target_kind","target_id");--> statement-breakpoint
CREATE INDEX "incident_links_target_idx" ON "incident_links" USING btree ("target_kind","target_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lagesbild_report_versions_uq" ON "lagesbild_report_versions" USING btree ("report_id","version");--> statement-breakpoint
CREATE INDEX "lagesbild_reports_period_idx" ON "lagesbild_reports" USING btree ("period_from");--> statement-breakpoint
CREATE UNIQUE INDEX "lagesbild_week_notes_week_uq" ON "lagesbild_week_notes" USING btree ("week");--> statement-breakpoint
CREATE INDEX "incident_areas_bbox_idx" ON "incident_areas" USING btree ("min_lon","max_lon","min_lat","max_lat");--> statement-breakpoint
CREATE INDEX "incident_tasks_assignee_idx" ON "incident_tasks" USING btree ("assignee_id") WHERE "incident_tasks"."done_at" is null;--> statement-breakpoint
CREATE INDEX "cases_officer_idx" ON "cases" USING btree ("officer_id","registered_on");