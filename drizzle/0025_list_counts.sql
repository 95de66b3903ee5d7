CREATE TABLE "assignment_counts" (
	"organisation_id" uuid NOT NULL,
	"status" text NOT NULL,
	"case_organisation_id" uuid NOT NULL,
	"case_registry_organisation_id" uuid NOT NULL,
	"case_officer_id" uuid NOT NULL,
	"case_secret" boolean NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "assignment_counts_pk" PRIMARY KEY("organisation_id","status","case_organisation_id","case_registry_organisation_id","case_officer_id","case_secret")
);
--> statement-breakpoint
CREATE TABLE "document_counts" (
	"owner_organisation_id" uuid NOT NULL,
	"status" text NOT NULL,
	"type" text NOT NULL,
	"secret" boolean NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "document_counts_pk" PRIMARY KEY("owner_organisation_id","status","type","secret")
);
--> statement-breakpoint
CREATE INDEX "assignments_list_idx" ON "assignments" USING btree ("status","due_date");--> statement-breakpoint
CREATE INDEX "governing_documents_title_idx" ON "governing_documents" USING btree ("title","id");
--> statement-breakpoint
-- Hand-written: keep assignment_counts in step with assignments and their cases, in the same transaction as
-- every change. Statement triggers with transition tables: one upsert per statement, whatever its number of
-- rows; keys in order so that two transactions take the counter rows' locks in the same order. The key holds
-- what the access core's assignment rule reads of the case; the zero uuid stands for a case without officer.
CREATE FUNCTION "assignment_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "assignment_counts" ("organisation_id", "status", "case_organisation_id", "case_registry_organisation_id", "case_officer_id", "case_secret", "n")
      SELECT a.organisation_id, a.status, c.organisation_id, c.registry_organisation_id, coalesce(c.officer_id, '00000000-0000-0000-0000-000000000000'), c.secrecy_ref IS NOT NULL, count(*)
      FROM new_rows a JOIN cases c ON c.id = a.case_id GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("organisation_id", "status", "case_organisation_id", "case_registry_organisation_id", "case_officer_id", "case_secret") DO UPDATE SET "n" = "assignment_counts"."n" + excluded."n";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "assignment_counts" ("organisation_id", "status", "case_organisation_id", "case_registry_organisation_id", "case_officer_id", "case_secret", "n")
      SELECT o, st, co, cr, cf, cs, sum(d) FROM (
        SELECT a.organisation_id AS o, a.status AS st, c.organisation_id AS co, c.registry_organisation_id AS cr,
          coalesce(c.officer_id, '00000000-0000-0000-0000-000000000000') AS cf, c.secrecy_ref IS NOT NULL AS cs, -1 AS d
        FROM old_rows a JOIN cases c ON c.id = a.case_id
        UNION ALL
        SELECT a.organisation_id, a.status, c.organisation_id, c.registry_organisation_id, coalesce(c.officer_id, '00000000-0000-0000-0000-000000000000'), c.secrecy_ref IS NOT NULL, 1
        FROM new_rows a JOIN cases c ON c.id = a.case_id
      ) x GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("organisation_id", "status", "case_organisation_id", "case_registry_organisation_id", "case_officer_id", "case_secret") DO UPDATE SET "n" = "assignment_counts"."n" + excluded."n";
  ELSE
    INSERT INTO "assignment_counts" ("organisation_id", "status", "case_organisation_id", "case_registry_organisation_id", "case_officer_id", "case_secret", "n")
      SELECT a.organisation_id, a.status, c.organisation_id, c.registry_organisation_id, coalesce(c.officer_id, '00000000-0000-0000-0000-000000000000'), c.secrecy_ref IS NOT NULL, -count(*)
      FROM old_rows a JOIN cases c ON c.id = a.case_id GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("organisation_id", "status", "case_organisation_id", "case_registry_organisation_id", "case_officer_id", "case_secret") DO UPDATE SET "n" = "assignment_counts"."n" + excluded."n";
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A case's organisation, registering body, officer or secrecy changing moves its assignments to other keys.
CREATE FUNCTION "assignment_counts_case_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "assignment_counts" ("organisation_id", "status", "case_organisation_id", "case_registry_organisation_id", "case_officer_id", "case_secret", "n")
    SELECT o, st, co, cr, cf, cs, sum(d) FROM (
      SELECT a.organisation_id AS o, a.status AS st, oc.organisation_id AS co, oc.registry_organisation_id AS cr,
        coalesce(oc.officer_id, '00000000-0000-0000-0000-000000000000') AS cf, oc.secrecy_ref IS NOT NULL AS cs, -1 AS d
      FROM old_rows oc JOIN new_rows nc ON nc.id = oc.id JOIN assignments a ON a.case_id = oc.id
      WHERE (oc.organisation_id, oc.registry_organisation_id, oc.officer_id, oc.secrecy_ref IS NOT NULL)
        IS DISTINCT FROM (nc.organisation_id, nc.registry_organisation_id, nc.officer_id, nc.secrecy_ref IS NOT NULL)
      UNION ALL
      SELECT a.organisation_id, a.status, nc.organisation_id, nc.registry_organisation_id, coalesce(nc.officer_id, '00000000-0000-0000-0000-000000000000'), nc.secrecy_ref IS NOT NULL, 1
      FROM old_rows oc JOIN new_rows nc ON nc.id = oc.id JOIN assignments a ON a.case_id = oc.id
      WHERE (oc.organisation_id, oc.registry_organisation_id, oc.officer_id, oc.secrecy_ref IS NOT NULL)
        IS DISTINCT FROM (nc.organisation_id, nc.registry_organisation_id, nc.officer_id, nc.secrecy_ref IS NOT NULL)
    ) x GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("organisation_id", "status", "case_organisation_id", "case_registry_organisation_id", "case_officer_id", "case_secret") DO UPDATE SET "n" = "assignment_counts"."n" + excluded."n";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "assignment_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "assignment_counts";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "assignment_counts_insert" AFTER INSERT ON "assignments" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "assignment_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "assignment_counts_update" AFTER UPDATE ON "assignments" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "assignment_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "assignment_counts_delete" AFTER DELETE ON "assignments" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "assignment_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "assignment_counts_truncate" AFTER TRUNCATE ON "assignments"
  FOR EACH STATEMENT EXECUTE FUNCTION "assignment_counts_clear"();
--> statement-breakpoint
CREATE TRIGGER "assignment_counts_case_update" AFTER UPDATE ON "cases" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "assignment_counts_case_update"();
--> statement-breakpoint
INSERT INTO "assignment_counts" ("organisation_id", "status", "case_organisation_id", "case_registry_organisation_id", "case_officer_id", "case_secret", "n")
  SELECT a.organisation_id, a.status, c.organisation_id, c.registry_organisation_id, coalesce(c.officer_id, '00000000-0000-0000-0000-000000000000'), c.secrecy_ref IS NOT NULL, count(*)
  FROM assignments a JOIN cases c ON c.id = a.case_id GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
-- Hand-written: keep document_counts in step with governing_documents, the same way.
CREATE FUNCTION "document_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "document_counts" ("owner_organisation_id", "status", "type", "secret", "n")
      SELECT owner_organisation_id, status, type, secrecy_ref IS NOT NULL, count(*)
      FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("owner_organisation_id", "status", "type", "secret") DO UPDATE SET "n" = "document_counts"."n" + excluded."n";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "document_counts" ("owner_organisation_id", "status", "type", "secret", "n")
      SELECT o, st, ty, s, sum(d) FROM (
        SELECT owner_organisation_id AS o, status AS st, type AS ty, secrecy_ref IS NOT NULL AS s, -1 AS d FROM old_rows
        UNION ALL
        SELECT owner_organisation_id, status, type, secrecy_ref IS NOT NULL, 1 FROM new_rows
      ) x GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("owner_organisation_id", "status", "type", "secret") DO UPDATE SET "n" = "document_counts"."n" + excluded."n";
  ELSE
    INSERT INTO "document_counts" ("owner_organisation_id", "status", "type", "secret", "n")
      SELECT owner_organisation_id, status, type, secrecy_ref IS NOT NULL, -count(*)
      FROM old_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("owner_organisation_id", "status", "type", "secret") DO UPDATE SET "n" = "document_counts"."n" + excluded."n";
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "document_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "document_counts";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "document_counts_insert" AFTER INSERT ON "governing_documents" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "document_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "document_counts_update" AFTER UPDATE ON "governing_documents" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "document_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "document_counts_delete" AFTER DELETE ON "governing_documents" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "document_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "document_counts_truncate" AFTER TRUNCATE ON "governing_documents"
  FOR EACH STATEMENT EXECUTE FUNCTION "document_counts_clear"();
--> statement-breakpoint
INSERT INTO "document_counts" ("owner_organisation_id", "status", "type", "secret", "n")
  SELECT owner_organisation_id, status, type, secrecy_ref IS NOT NULL, count(*)
  FROM "governing_documents" GROUP BY 1, 2, 3, 4;
