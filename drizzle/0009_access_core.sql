CREATE TABLE "share_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"share_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shares" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"partner_organisation_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"ends_on" date NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoke_reason" text,
	"expiry_notice_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "shares_record_type" CHECK ("shares"."record_type" in ('incident', 'case', 'record', 'lagesbild_report', 'action'))
);
--> statement-breakpoint
ALTER TABLE "report_attachments" ADD COLUMN "secrecy_ref" text;--> statement-breakpoint
ALTER TABLE "report_attachments" ADD COLUMN "secrecy_reason" text;--> statement-breakpoint
ALTER TABLE "report_attachments" ADD COLUMN "secrecy_marked_by" uuid;--> statement-breakpoint
ALTER TABLE "report_attachments" ADD COLUMN "secrecy_marked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "secrecy_ref" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "secrecy_reason" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "secrecy_marked_by" uuid;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "secrecy_marked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "case_records" ADD COLUMN "secrecy_reason" text;--> statement-breakpoint
ALTER TABLE "case_records" ADD COLUMN "secrecy_marked_by" uuid;--> statement-breakpoint
ALTER TABLE "case_records" ADD COLUMN "secrecy_marked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "secrecy_reason" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "secrecy_marked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "open_snapshot" jsonb;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "secrecy_ref" text;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "secrecy_reason" text;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "secrecy_marked_by" uuid;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD COLUMN "secrecy_marked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD COLUMN "secrecy_ref" text;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD COLUMN "secrecy_reason" text;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD COLUMN "secrecy_marked_by" uuid;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD COLUMN "secrecy_marked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "share_comments" ADD CONSTRAINT "share_comments_share_id_shares_id_fk" FOREIGN KEY ("share_id") REFERENCES "public"."shares"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_comments" ADD CONSTRAINT "share_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_partner_organisation_id_organisations_id_fk" FOREIGN KEY ("partner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "share_comments_share_idx" ON "share_comments" USING btree ("share_id","created_at");--> statement-breakpoint
CREATE INDEX "shares_record_idx" ON "shares" USING btree ("record_type","record_id");--> statement-breakpoint
CREATE INDEX "shares_partner_idx" ON "shares" USING btree ("partner_organisation_id","ends_on");--> statement-breakpoint
ALTER TABLE "report_attachments" ADD CONSTRAINT "report_attachments_secrecy_marked_by_users_id_fk" FOREIGN KEY ("secrecy_marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_secrecy_marked_by_users_id_fk" FOREIGN KEY ("secrecy_marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_records" ADD CONSTRAINT "case_records_secrecy_marked_by_users_id_fk" FOREIGN KEY ("secrecy_marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lagesbild_reports" ADD CONSTRAINT "lagesbild_reports_secrecy_marked_by_users_id_fk" FOREIGN KEY ("secrecy_marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_secrecy_marked_by_users_id_fk" FOREIGN KEY ("secrecy_marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;