CREATE TABLE "police_event_counts" (
	"type" text PRIMARY KEY NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
-- Hand-written: keep police_event_counts in step with police_events in the same transaction as every change.
-- Statement triggers with transition tables: one upsert per statement, whatever its number of rows (an import
-- stores thousands of events in one statement); keys in order, so two transactions lock counter rows in the same order.
CREATE FUNCTION "police_event_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "police_event_counts" ("type", "n")
      SELECT e.type, count(*) FROM new_rows e GROUP BY 1 ORDER BY 1
    ON CONFLICT ("type") DO UPDATE SET "n" = "police_event_counts"."n" + excluded."n";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "police_event_counts" ("type", "n")
      SELECT t, sum(d) FROM (
        SELECT e.type AS t, -1 AS d FROM old_rows e
        UNION ALL
        SELECT e.type, 1 FROM new_rows e
      ) x GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1
    ON CONFLICT ("type") DO UPDATE SET "n" = "police_event_counts"."n" + excluded."n";
  ELSE
    INSERT INTO "police_event_counts" ("type", "n")
      SELECT e.type, -count(*) FROM old_rows e GROUP BY 1 ORDER BY 1
    ON CONFLICT ("type") DO UPDATE SET "n" = "police_event_counts"."n" + excluded."n";
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "police_event_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "police_event_counts";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "police_event_counts_insert" AFTER INSERT ON "police_events" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "police_event_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "police_event_counts_update" AFTER UPDATE ON "police_events" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "police_event_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "police_event_counts_delete" AFTER DELETE ON "police_events" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "police_event_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "police_event_counts_truncate" AFTER TRUNCATE ON "police_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "police_event_counts_clear"();
--> statement-breakpoint
INSERT INTO "police_event_counts" ("type", "n") SELECT "type", count(*) FROM "police_events" GROUP BY 1;
