CREATE TABLE "incident_work_environment" (
	"incident_id" uuid PRIMARY KEY NOT NULL,
	"serious" boolean,
	"assessment_note" text,
	"assessed_by" uuid,
	"assessed_at" timestamp with time zone,
	"av_reported_at" timestamp with time zone,
	"av_reference" text,
	"safety_rep_informed_on" date,
	"investigation" text,
	"measures" text,
	"injury" boolean DEFAULT false NOT NULL,
	"injury_reported_on" date,
	"injury_reference" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incident_clocks" ADD COLUMN "alerted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incident_work_environment" ADD CONSTRAINT "incident_work_environment_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_work_environment" ADD CONSTRAINT "incident_work_environment_assessed_by_users_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_work_environment" ADD CONSTRAINT "incident_work_environment_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The report duty is the employer's towards its workers (arbetsmiljölagen 3 kap. 3 a §): clocks started for
-- threats against elected officials, contractors or others are stopped as not required.
UPDATE "incident_clocks" k SET "stopped_at" = now(), "stop_reason" = 'not_required',
  "stop_note" = 'Arbetsmiljölagens anmälningsplikt gäller arbetsgivarens arbetstagare, inte den drabbade i denna händelse.'
FROM "incidents" i
WHERE i."id" = k."incident_id" AND k."kind" = 'work_environment_report' AND k."stopped_at" IS NULL
  AND coalesce(i."staff"->>'victimRole', '') NOT IN ('employee', 'student_trainee');
