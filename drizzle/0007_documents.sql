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
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_adopted_by_organisation_id_organisations_id_fk" FOREIGN KEY ("adopted_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_status_decision_id_decisions_id_fk" FOREIGN KEY ("status_decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_replaced_by_id_governing_documents_id_fk" FOREIGN KEY ("replaced_by_id") REFERENCES "public"."governing_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_file_uploaded_by_users_id_fk" FOREIGN KEY ("file_uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governing_documents" ADD CONSTRAINT "governing_documents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "governing_documents_status_idx" ON "governing_documents" USING btree ("status","title");--> statement-breakpoint
CREATE INDEX "governing_documents_owner_idx" ON "governing_documents" USING btree ("owner_organisation_id");--> statement-breakpoint
CREATE INDEX "governing_documents_replaced_by_idx" ON "governing_documents" USING btree ("replaced_by_id");--> statement-breakpoint
CREATE INDEX "governing_documents_review_idx" ON "governing_documents" USING btree ("next_review_on");--> statement-breakpoint
CREATE INDEX "governing_documents_search_idx" ON "governing_documents" USING gin ("search");