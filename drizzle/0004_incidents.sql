CREATE TABLE "incident_areas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'district' NOT NULL,
	"geometry" jsonb NOT NULL,
	"min_lat" double precision NOT NULL,
	"min_lon" double precision NOT NULL,
	"max_lat" double precision NOT NULL,
	"max_lon" double precision NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"staff_safety" boolean DEFAULT false NOT NULL,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_clocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"stopped_at" timestamp with time zone,
	"stop_reason" text,
	"stop_note" text,
	"stopped_by" uuid
);
--> statement-breakpoint
CREATE TABLE "incident_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"title" text NOT NULL,
	"due_date" date NOT NULL,
	"assignee_id" uuid,
	"done_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_timeline" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"kind" text NOT NULL,
	"text" text,
	"data" jsonb,
	"struck_at" timestamp with time zone,
	"struck_by" uuid,
	"strike_reason" text
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category_id" uuid NOT NULL,
	"description" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"known_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"place" text,
	"organisation_id" uuid NOT NULL,
	"premises" text,
	"reported_by" uuid NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"severity" integer,
	"owner_id" uuid,
	"area_id" uuid,
	"restricted" boolean DEFAULT false NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"staff" jsonb,
	"is_example" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_lat" CHECK ("incidents"."lat" is null or ("incidents"."lat" between -90 and 90)),
	CONSTRAINT "incidents_lon" CHECK ("incidents"."lon" is null or ("incidents"."lon" between -180 and 180)),
	CONSTRAINT "incidents_severity" CHECK ("incidents"."severity" is null or "incidents"."severity" between 1 and 3)
);
--> statement-breakpoint
CREATE TABLE "police_events" (
	"id" bigint PRIMARY KEY NOT NULL,
	"datetime" timestamp with time zone NOT NULL,
	"name" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"url" text,
	"type" text NOT NULL,
	"location_name" text NOT NULL,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "police_type_mappings" (
	"police_type" text PRIMARY KEY NOT NULL,
	"category_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incident_clocks" ADD CONSTRAINT "incident_clocks_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_clocks" ADD CONSTRAINT "incident_clocks_stopped_by_users_id_fk" FOREIGN KEY ("stopped_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_photos" ADD CONSTRAINT "incident_photos_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_photos" ADD CONSTRAINT "incident_photos_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_tasks" ADD CONSTRAINT "incident_tasks_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_tasks" ADD CONSTRAINT "incident_tasks_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_timeline" ADD CONSTRAINT "incident_timeline_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_timeline" ADD CONSTRAINT "incident_timeline_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_timeline" ADD CONSTRAINT "incident_timeline_struck_by_users_id_fk" FOREIGN KEY ("struck_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_category_id_incident_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."incident_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_type_mappings" ADD CONSTRAINT "police_type_mappings_category_id_incident_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."incident_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "incident_categories_key_uq" ON "incident_categories" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_clocks_kind_uq" ON "incident_clocks" USING btree ("incident_id","kind");--> statement-breakpoint
CREATE INDEX "incident_photos_incident_idx" ON "incident_photos" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "incident_tasks_incident_idx" ON "incident_tasks" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "incident_timeline_incident_idx" ON "incident_timeline" USING btree ("incident_id","id");--> statement-breakpoint
CREATE INDEX "incidents_org_idx" ON "incidents" USING btree ("organisation_id","occurred_at");--> statement-breakpoint
CREATE INDEX "incidents_occurred_idx" ON "incidents" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "incidents_reported_by_idx" ON "incidents" USING btree ("reported_by");--> statement-breakpoint
CREATE INDEX "incidents_area_idx" ON "incidents" USING btree ("area_id");--> statement-breakpoint
CREATE INDEX "police_events_datetime_idx" ON "police_events" USING btree ("datetime");--> statement-breakpoint
CREATE INDEX "police_events_type_idx" ON "police_events" USING btree ("type");--> statement-breakpoint
INSERT INTO "incident_categories" ("key", "name", "staff_safety", "sort_order", "fields") VALUES
 ('vandalism', 'Skadegörelse', false, 10, '[]'),
 ('graffiti', 'Klotter', false, 20, '[{"key":"areaM2","label":"Yta (m²)","type":"number"},{"key":"offensive","label":"Kränkande innehåll","type":"boolean"}]'),
 ('fire', 'Brand/anlagd brand', false, 30, '[{"key":"rescueServiceAlerted","label":"Räddningstjänsten larmad","type":"boolean"}]'),
 ('burglary', 'Inbrott', false, 40, '[]'),
 ('theft', 'Stöld', false, 50, '[]'),
 ('threats', 'Hot', false, 60, '[]'),
 ('violence', 'Våld', false, 70, '[]'),
 ('disorder', 'Ordningsstörning', false, 80, '[{"key":"people","label":"Antal personer","type":"number"}]'),
 ('drugs', 'Narkotika', false, 90, '[]'),
 ('littering', 'Nedskräpning', false, 100, '[]'),
 ('unsafe_place', 'Otrygg plats (belysning, miljö)', false, 110, '[{"key":"cause","label":"Orsak","type":"select","options":["belysning","buskage/sikt","nedskräpning","annat"]}]'),
 ('traffic', 'Trafik', false, 120, '[]'),
 ('it_security', 'IT-/informationssäkerhetsincident', false, 130, '[]'),
 ('accident', 'Olycka', false, 140, '[]'),
 ('near_miss', 'Tillbud', false, 150, '[]'),
 ('staff_threat', 'Hot och våld mot anställda och förtroendevalda', true, 160, '[]');
--> statement-breakpoint
INSERT INTO "police_type_mappings" ("police_type", "category_id")
SELECT m.police_type, c.id FROM (VALUES
 ('Skadegörelse', 'vandalism'), ('Brand', 'fire'), ('Inbrott', 'burglary'), ('Inbrott, försök', 'burglary'), ('Stöld/inbrott', 'burglary'),
 ('Larm inbrott', 'burglary'), ('Stöld', 'theft'), ('Stöld, försök', 'theft'), ('Stöld, ringa', 'theft'), ('Rån', 'theft'), ('Rån övrigt', 'theft'),
 ('Motorfordon, stöld', 'theft'), ('Olaga hot', 'threats'), ('Våld/hot mot tjänsteman', 'threats'), ('Misshandel', 'violence'),
 ('Misshandel, grov', 'violence'), ('Bråk', 'disorder'), ('Ofredande/förargelse', 'disorder'), ('Ordningslagen', 'disorder'),
 ('Fylleri/LOB', 'disorder'), ('Ofog barn/ungdom', 'disorder'), ('Narkotikabrott', 'drugs'), ('Trafikolycka', 'traffic'),
 ('Trafikolycka, personskada', 'traffic'), ('Trafikolycka, singel', 'traffic'), ('Trafikolycka, vilt', 'traffic'),
 ('Trafikolycka, smitning från', 'traffic'), ('Rattfylleri', 'traffic'), ('Trafikbrott', 'traffic'), ('Olovlig körning', 'traffic'),
 ('Arbetsplatsolycka', 'accident'), ('Sjukdom/olycksfall', 'accident')
) AS m(police_type, category_key) JOIN "incident_categories" c ON c."key" = m.category_key;
