CREATE TABLE "incident_reporter_counts" (
	"reported_by" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"secret" boolean NOT NULL,
	"status" text NOT NULL,
	"category_id" uuid NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "incident_reporter_counts_pk" PRIMARY KEY("reported_by","organisation_id","secret","status","category_id")
);

--> statement-breakpoint
-- Hand-written (issue #12 item 5): incident_reporter_counts is kept by the incident_counts statement triggers
-- themselves (migration 0015), in the same transaction as every change: each of them now does one upsert into
-- each table, whatever the statement's number of rows; keys in order, so two transactions take the counter rows'
-- locks in the same order. Rows whose n falls to 0 stay (as in incident_counts); the readers sum over n.
CREATE OR REPLACE FUNCTION "incident_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "incident_counts" ("organisation_id", "secret", "status", "category_id", "n")
      SELECT organisation_id, (restricted OR secrecy_ref IS NOT NULL), status, category_id, count(*)
      FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("organisation_id", "secret", "status", "category_id") DO UPDATE SET "n" = "incident_counts"."n" + excluded."n";
    INSERT INTO "incident_reporter_counts" ("reported_by", "organisation_id", "secret", "status", "category_id", "n")
      SELECT reported_by, organisation_id, (restricted OR secrecy_ref IS NOT NULL), status, category_id, count(*)
      FROM new_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("reported_by", "organisation_id", "secret", "status", "category_id") DO UPDATE SET "n" = "incident_reporter_counts"."n" + excluded."n";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "incident_counts" ("organisation_id", "secret", "status", "category_id", "n")
      SELECT o, s, st, c, sum(d) FROM (
        SELECT organisation_id AS o, (restricted OR secrecy_ref IS NOT NULL) AS s, status AS st, category_id AS c, -1 AS d FROM old_rows
        UNION ALL
        SELECT organisation_id, (restricted OR secrecy_ref IS NOT NULL), status, category_id, 1 FROM new_rows
      ) x GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("organisation_id", "secret", "status", "category_id") DO UPDATE SET "n" = "incident_counts"."n" + excluded."n";
    INSERT INTO "incident_reporter_counts" ("reported_by", "organisation_id", "secret", "status", "category_id", "n")
      SELECT r, o, s, st, c, sum(d) FROM (
        SELECT reported_by AS r, organisation_id AS o, (restricted OR secrecy_ref IS NOT NULL) AS s, status AS st, category_id AS c, -1 AS d FROM old_rows
        UNION ALL
        SELECT reported_by, organisation_id, (restricted OR secrecy_ref IS NOT NULL), status, category_id, 1 FROM new_rows
      ) x GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("reported_by", "organisation_id", "secret", "status", "category_id") DO UPDATE SET "n" = "incident_reporter_counts"."n" + excluded."n";
  ELSE
    INSERT INTO "incident_counts" ("organisation_id", "secret", "status", "category_id", "n")
      SELECT organisation_id, (restricted OR secrecy_ref IS NOT NULL), status, category_id, -count(*)
      FROM old_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("organisation_id", "secret", "status", "category_id") DO UPDATE SET "n" = "incident_counts"."n" + excluded."n";
    INSERT INTO "incident_reporter_counts" ("reported_by", "organisation_id", "secret", "status", "category_id", "n")
      SELECT reported_by, organisation_id, (restricted OR secrecy_ref IS NOT NULL), status, category_id, -count(*)
      FROM old_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("reported_by", "organisation_id", "secret", "status", "category_id") DO UPDATE SET "n" = "incident_reporter_counts"."n" + excluded."n";
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "incident_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "incident_counts";
  DELETE FROM "incident_reporter_counts";
  RETURN NULL;
END
$$;
--> statement-breakpoint
INSERT INTO "incident_reporter_counts" ("reported_by", "organisation_id", "secret", "status", "category_id", "n")
  SELECT reported_by, organisation_id, (restricted OR secrecy_ref IS NOT NULL), status, category_id, count(*)
  FROM "incidents" GROUP BY 1, 2, 3, 4, 5;
