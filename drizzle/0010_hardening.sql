CREATE TABLE "sign_in_failures" (
	"account" text NOT NULL,
	"address" text NOT NULL,
	"failures" integer NOT NULL,
	"last_failed_at" timestamp with time zone NOT NULL,
	"blocked_until" timestamp with time zone,
	CONSTRAINT "sign_in_failures_account_address_pk" PRIMARY KEY("account","address")
);
--> statement-breakpoint
CREATE INDEX "sign_in_failures_last_idx" ON "sign_in_failures" USING btree ("last_failed_at");--> statement-breakpoint
-- Short names key registry series: refuse to upgrade, with a message naming them, if two organisations share one.
DO $$
DECLARE dup text;
BEGIN
  SELECT string_agg(s, ', ') INTO dup FROM (
    SELECT lower("short_name") AS s FROM "organisations" WHERE "short_name" IS NOT NULL GROUP BY 1 HAVING count(*) > 1
  ) d;
  IF dup IS NOT NULL THEN
    RAISE EXCEPTION 'Flera organisationer har samma kortnamn (%). Ge dem olika kortnamn innan Trygg uppgraderas.', dup;
  END IF;
END $$;
--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_short_name_lower_idx" ON "organisations" USING btree (lower("short_name"));