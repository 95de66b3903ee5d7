CREATE TABLE "case_counts" (
	"organisation_id" uuid NOT NULL,
	"registry_organisation_id" uuid NOT NULL,
	"officer_id" uuid NOT NULL,
	"secret" boolean NOT NULL,
	"status" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "case_counts_pk" PRIMARY KEY("organisation_id","registry_organisation_id","officer_id","secret","status")
);
--> statement-breakpoint
CREATE INDEX "governing_documents_expiry_idx" ON "governing_documents" USING btree ("valid_to") WHERE status = 'in_force' and valid_to is not null;
--> statement-breakpoint
-- Hand-written: keep case_counts in step with cases, in the same transaction as every change. Statement
-- triggers with transition tables: one upsert per statement, whatever its number of rows; keys in order so
-- that two transactions take the counter rows' locks in the same order. The key holds what the access core's
-- case rule reads; the zero uuid stands for a case without officer.
CREATE FUNCTION "case_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "case_counts" ("organisation_id", "registry_organisation_id", "officer_id", "secret", "status", "n")
      SELECT organisation_id, registry_organisation_id, coalesce(officer_id, '00000000-0000-0000-0000-000000000000'), secrecy_ref IS NOT NULL, status, count(*)
      FROM new_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("organisation_id", "registry_organisation_id", "officer_id", "secret", "status") DO UPDATE SET "n" = "case_counts"."n" + excluded."n";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "case_counts" ("organisation_id", "registry_organisation_id", "officer_id", "secret", "status", "n")
      SELECT o, r, f, s, st, sum(d) FROM (
        SELECT organisation_id AS o, registry_organisation_id AS r, coalesce(officer_id, '00000000-0000-0000-0000-000000000000') AS f,
          secrecy_ref IS NOT NULL AS s, status AS st, -1 AS d FROM old_rows
        UNION ALL
        SELECT organisation_id, registry_organisation_id, coalesce(officer_id, '00000000-0000-0000-0000-000000000000'), secrecy_ref IS NOT NULL, status, 1 FROM new_rows
      ) x GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("organisation_id", "registry_organisation_id", "officer_id", "secret", "status") DO UPDATE SET "n" = "case_counts"."n" + excluded."n";
  ELSE
    INSERT INTO "case_counts" ("organisation_id", "registry_organisation_id", "officer_id", "secret", "status", "n")
      SELECT organisation_id, registry_organisation_id, coalesce(officer_id, '00000000-0000-0000-0000-000000000000'), secrecy_ref IS NOT NULL, status, -count(*)
      FROM old_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("organisation_id", "registry_organisation_id", "officer_id", "secret", "status") DO UPDATE SET "n" = "case_counts"."n" + excluded."n";
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "case_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "case_counts";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "case_counts_insert" AFTER INSERT ON "cases" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "case_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "case_counts_update" AFTER UPDATE ON "cases" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "case_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "case_counts_delete" AFTER DELETE ON "cases" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "case_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "case_counts_truncate" AFTER TRUNCATE ON "cases"
  FOR EACH STATEMENT EXECUTE FUNCTION "case_counts_clear"();
--> statement-breakpoint
INSERT INTO "case_counts" ("organisation_id", "registry_organisation_id", "officer_id", "secret", "status", "n")
  SELECT organisation_id, registry_organisation_id, coalesce(officer_id, '00000000-0000-0000-0000-000000000000'), secrecy_ref IS NOT NULL, status, count(*)
  FROM "cases" GROUP BY 1, 2, 3, 4, 5;
