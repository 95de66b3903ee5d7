-- Issue #11 item 3: a program is its entry in the governing-document register. Every existing program gets
-- its entry (status, validity and decision move there), then the program keeps only the link.
ALTER TABLE "programs" DROP CONSTRAINT "programs_period";--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "document_id" uuid;--> statement-breakpoint
UPDATE "programs" SET "document_id" = gen_random_uuid() WHERE "document_id" IS NULL;--> statement-breakpoint
INSERT INTO "governing_documents" ("id", "type", "title", "description", "owner_organisation_id", "adopted_by_organisation_id", "decision_ref", "valid_from", "valid_to", "status", "is_example", "created_at", "updated_at")
SELECT p."document_id",
  CASE p."kind" WHEN 'safety_program' THEN 'program' WHEN 'rescue_programme' THEN 'program' WHEN 'crime_prevention_plan' THEN 'action_plan' WHEN 'action_plan' THEN 'action_plan' ELSE 'plan' END,
  p."title",
  -- A draft has no decision: what it said about one stays readable in the description, not as a decision reference.
  CASE WHEN p."status" = 'draft' AND ((a."id" IS NULL AND p."adopted_by" IS NOT NULL) OR p."decision_ref" IS NOT NULL)
    THEN concat_ws(E'\n\n', p."description", concat_ws(' ', 'Beslut enligt programmet före registret:', CASE WHEN a."id" IS NULL THEN p."adopted_by" END, p."decision_ref"))
    ELSE p."description" END,
  p."owner_organisation_id", a."id",
  CASE WHEN p."status" <> 'draft' THEN nullif(concat_ws(' ', CASE WHEN a."id" IS NULL THEN p."adopted_by" END, p."decision_ref"), '') END,
  p."valid_from", p."valid_to",
  CASE p."status" WHEN 'adopted' THEN 'in_force' WHEN 'expired' THEN 'in_force' WHEN 'repealed' THEN 'repealed' ELSE 'draft' END,
  p."is_example", p."created_at", p."updated_at"
FROM "programs" p
LEFT JOIN LATERAL (
  SELECT o."id" FROM "organisations" o WHERE p."adopted_by" IS NOT NULL AND (lower(o."name") = lower(p."adopted_by") OR lower(o."short_name") = lower(p."adopted_by")) ORDER BY o."name" LIMIT 1
) a ON true;--> statement-breakpoint
ALTER TABLE "programs" ALTER COLUMN "document_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_document_id_governing_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."governing_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" DROP COLUMN "adopted_by";--> statement-breakpoint
ALTER TABLE "programs" DROP COLUMN "decision_ref";--> statement-breakpoint
ALTER TABLE "programs" DROP COLUMN "valid_from";--> statement-breakpoint
ALTER TABLE "programs" DROP COLUMN "valid_to";--> statement-breakpoint
ALTER TABLE "programs" DROP COLUMN "status";--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_document_uq" UNIQUE("document_id");
