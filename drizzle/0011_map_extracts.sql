CREATE TABLE "map_extracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"west" double precision NOT NULL,
	"south" double precision NOT NULL,
	"east" double precision NOT NULL,
	"north" double precision NOT NULL,
	"period_from" timestamp with time zone,
	"period_to" timestamp with time zone,
	"category_id" uuid,
	"points" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "map_extracts_box" CHECK ("map_extracts"."west" < "map_extracts"."east" and "map_extracts"."south" < "map_extracts"."north")
);
--> statement-breakpoint
ALTER TABLE "shares" DROP CONSTRAINT "shares_record_type";--> statement-breakpoint
ALTER TABLE "map_extracts" ADD CONSTRAINT "map_extracts_category_id_incident_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."incident_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "map_extracts" ADD CONSTRAINT "map_extracts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_record_type" CHECK ("shares"."record_type" in ('incident', 'case', 'record', 'lagesbild_report', 'action', 'map_extract'));