CREATE TABLE "indicator_values" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"goal_id" uuid NOT NULL,
	"measured_on" date NOT NULL,
	"period" text,
	"value" numeric NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"round_id" uuid,
	"municipality_code" text,
	"kpi_id" text,
	"entered_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_values_source" CHECK ("indicator_values"."source" in ('round', 'manual', 'import'))
);
--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "kpi_id" text;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "scale_min" numeric;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "scale_max" numeric;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_round_id_follow_up_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."follow_up_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_values_uq" ON "indicator_values" USING btree ("goal_id","measured_on","source");