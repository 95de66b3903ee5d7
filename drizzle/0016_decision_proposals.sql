ALTER TABLE "decision_clauses" ADD COLUMN "condition" text;--> statement-breakpoint
ALTER TABLE "decision_clauses" ADD COLUMN "proposed_from_clause_id" uuid;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "prepared_by_decision_id" uuid;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "example_note" text;--> statement-breakpoint
ALTER TABLE "decision_clauses" ADD CONSTRAINT "decision_clauses_proposed_from_clause_id_decision_clauses_id_fk" FOREIGN KEY ("proposed_from_clause_id") REFERENCES "public"."decision_clauses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_prepared_by_decision_id_decisions_id_fk" FOREIGN KEY ("prepared_by_decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decisions_prepared_by_idx" ON "decisions" USING btree ("prepared_by_decision_id");