CREATE TABLE "document_status_counts" (
	"owner_organisation_id" uuid NOT NULL,
	"status" text NOT NULL,
	"secret" boolean NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "document_status_counts_pk" PRIMARY KEY("owner_organisation_id","status","secret")
);
--> statement-breakpoint
ALTER TABLE "document_counts" ADD COLUMN "ends_on" date DEFAULT 'infinity' NOT NULL;--> statement-breakpoint
ALTER TABLE "document_counts" DROP CONSTRAINT "document_counts_pk";
--> statement-breakpoint
ALTER TABLE "document_counts" ADD CONSTRAINT "document_counts_pk" PRIMARY KEY("owner_organisation_id","status","type","secret","ends_on");--> statement-breakpoint
-- Hand-written (issue #12 item 1). document_counts' in-force rows are keyed by their validity end as well (ends_on:
-- valid_to when in force with one, else 'infinity'), so that the in-force total by type is one scan of the rows
-- ending today or later. document_status_counts is document_counts without the type and the end, kept by the
-- document_counts statement triggers themselves (migration 0025), in the same transaction as every change: each
-- of them now does one upsert into each table, keys in order, so two transactions take the counter rows' locks
-- in the same order. Rows whose n falls to 0 stay (as in document_counts); the readers sum over n.
CREATE OR REPLACE FUNCTION "document_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "document_counts" ("owner_organisation_id", "status", "type", "secret", "ends_on", "n")
      SELECT owner_organisation_id, status, type, secrecy_ref IS NOT NULL, CASE WHEN status = 'in_force' AND valid_to IS NOT NULL THEN valid_to ELSE 'infinity' END, count(*)
      FROM new_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("owner_organisation_id", "status", "type", "secret", "ends_on") DO UPDATE SET "n" = "document_counts"."n" + excluded."n";
    INSERT INTO "document_status_counts" ("owner_organisation_id", "status", "secret", "n")
      SELECT owner_organisation_id, status, secrecy_ref IS NOT NULL, count(*)
      FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT ("owner_organisation_id", "status", "secret") DO UPDATE SET "n" = "document_status_counts"."n" + excluded."n";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "document_counts" ("owner_organisation_id", "status", "type", "secret", "ends_on", "n")
      SELECT o, st, ty, s, e, sum(d) FROM (
        SELECT owner_organisation_id AS o, status AS st, type AS ty, secrecy_ref IS NOT NULL AS s, CASE WHEN status = 'in_force' AND valid_to IS NOT NULL THEN valid_to ELSE 'infinity' END AS e, -1 AS d FROM old_rows
        UNION ALL
        SELECT owner_organisation_id, status, type, secrecy_ref IS NOT NULL, CASE WHEN status = 'in_force' AND valid_to IS NOT NULL THEN valid_to ELSE 'infinity' END, 1 FROM new_rows
      ) x GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("owner_organisation_id", "status", "type", "secret", "ends_on") DO UPDATE SET "n" = "document_counts"."n" + excluded."n";
    INSERT INTO "document_status_counts" ("owner_organisation_id", "status", "secret", "n")
      SELECT o, st, s, sum(d) FROM (
        SELECT owner_organisation_id AS o, status AS st, secrecy_ref IS NOT NULL AS s, -1 AS d FROM old_rows
        UNION ALL
        SELECT owner_organisation_id, status, secrecy_ref IS NOT NULL, 1 FROM new_rows
      ) x GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT ("owner_organisation_id", "status", "secret") DO UPDATE SET "n" = "document_status_counts"."n" + excluded."n";
  ELSE
    INSERT INTO "document_counts" ("owner_organisation_id", "status", "type", "secret", "ends_on", "n")
      SELECT owner_organisation_id, status, type, secrecy_ref IS NOT NULL, CASE WHEN status = 'in_force' AND valid_to IS NOT NULL THEN valid_to ELSE 'infinity' END, -count(*)
      FROM old_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("owner_organisation_id", "status", "type", "secret", "ends_on") DO UPDATE SET "n" = "document_counts"."n" + excluded."n";
    INSERT INTO "document_status_counts" ("owner_organisation_id", "status", "secret", "n")
      SELECT owner_organisation_id, status, secrecy_ref IS NOT NULL, -count(*)
      FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT ("owner_organisation_id", "status", "secret") DO UPDATE SET "n" = "document_status_counts"."n" + excluded."n";
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "document_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "document_counts";
  DELETE FROM "document_status_counts";
  RETURN NULL;
END
$$;
--> statement-breakpoint
INSERT INTO "document_status_counts" ("owner_organisation_id", "status", "secret", "n")
  SELECT owner_organisation_id, status, secrecy_ref IS NOT NULL, count(*)
  FROM "governing_documents" GROUP BY 1, 2, 3;
--> statement-breakpoint
DELETE FROM "document_counts";
--> statement-breakpoint
INSERT INTO "document_counts" ("owner_organisation_id", "status", "type", "secret", "ends_on", "n")
  SELECT owner_organisation_id, status, type, secrecy_ref IS NOT NULL, CASE WHEN status = 'in_force' AND valid_to IS NOT NULL THEN valid_to ELSE 'infinity' END, count(*)
  FROM "governing_documents" GROUP BY 1, 2, 3, 4, 5;
