CREATE TABLE "incident_counts" (
	"organisation_id" uuid NOT NULL,
	"secret" boolean NOT NULL,
	"status" text NOT NULL,
	"category_id" uuid NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "incident_counts_organisation_id_secret_status_category_id_pk" PRIMARY KEY("organisation_id","secret","status","category_id")
);
--> statement-breakpoint
-- Hand-written: keep incident_counts in step with incidents, in the same transaction as every change.
-- Statement triggers with transition tables: one upsert per statement, whatever its number of rows; keys
-- in order so that two transactions take the counter rows' locks in the same order.
CREATE FUNCTION "incident_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "incident_counts" ("organisation_id", "secret", "status", "category_id", "n")
      SELECT organisation_id, (restricted OR secrecy_ref IS NOT NULL), status, category_id, count(*)
      FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("organisation_id", "secret", "status", "category_id") DO UPDATE SET "n" = "incident_counts"."n" + excluded."n";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "incident_counts" ("organisation_id", "secret", "status", "category_id", "n")
      SELECT o, s, st, c, sum(d) FROM (
        SELECT organisation_id AS o, (restricted OR secrecy_ref IS NOT NULL) AS s, status AS st, category_id AS c, -1 AS d FROM old_rows
        UNION ALL
        SELECT organisation_id, (restricted OR secrecy_ref IS NOT NULL), status, category_id, 1 FROM new_rows
      ) x GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("organisation_id", "secret", "status", "category_id") DO UPDATE SET "n" = "incident_counts"."n" + excluded."n";
  ELSE
    INSERT INTO "incident_counts" ("organisation_id", "secret", "status", "category_id", "n")
      SELECT organisation_id, (restricted OR secrecy_ref IS NOT NULL), status, category_id, -count(*)
      FROM old_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("organisation_id", "secret", "status", "category_id") DO UPDATE SET "n" = "incident_counts"."n" + excluded."n";
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "incident_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "incident_counts";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "incident_counts_insert" AFTER INSERT ON "incidents" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "incident_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "incident_counts_update" AFTER UPDATE ON "incidents" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "incident_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "incident_counts_delete" AFTER DELETE ON "incidents" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "incident_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "incident_counts_truncate" AFTER TRUNCATE ON "incidents"
  FOR EACH STATEMENT EXECUTE FUNCTION "incident_counts_clear"();
--> statement-breakpoint
INSERT INTO "incident_counts" ("organisation_id", "secret", "status", "category_id", "n")
  SELECT organisation_id, (restricted OR secrecy_ref IS NOT NULL), status, category_id, count(*)
  FROM "incidents" GROUP BY 1, 2, 3, 4;
