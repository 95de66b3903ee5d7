ALTER TABLE "meetings" ADD COLUMN "example_note" text;--> statement-breakpoint
ALTER TABLE "remiss_rounds" ADD COLUMN "example_note" text;