CREATE TABLE "incident_cells" (
	"gx" integer NOT NULL,
	"gy" integer NOT NULL,
	"month" date NOT NULL,
	"category_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"secret" boolean NOT NULL,
	"status" text NOT NULL,
	"n" bigint NOT NULL,
	"sum_lat" double precision NOT NULL,
	"sum_lon" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_cells_all" (
	"gx" integer NOT NULL,
	"gy" integer NOT NULL,
	"category_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"secret" boolean NOT NULL,
	"status" text NOT NULL,
	"n" bigint NOT NULL,
	"sum_lat" double precision NOT NULL,
	"sum_lon" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_month_counts" (
	"month" date NOT NULL,
	"category_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"secret" boolean NOT NULL,
	"status" text NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "incidents_lat_lon_idx" ON "incidents" USING btree ("lat","lon");
--> statement-breakpoint
-- Hand-written (issue #12 item 3): the lägesbild's aggregates, kept in step with incidents in the same transaction
-- as every change. Unique keys with n (and the coordinate sums) included, so that the statistics and the map read
-- them by index only; statement triggers with transition tables, one upsert per table and statement whatever its
-- number of rows, keys in order so that two transactions take the rows' locks in the same order; a row whose n
-- falls to 0 is deleted. The grid cell is the map's cell at zoom 14: floor(lon / (360 / 2^14 / 4)).
CREATE UNIQUE INDEX "incident_month_counts_uq" ON "incident_month_counts" ("month", "category_id", "area_id", "organisation_id", "secret", "status") INCLUDE ("n");
--> statement-breakpoint
CREATE UNIQUE INDEX "incident_cells_uq" ON "incident_cells" ("gx", "gy", "month", "category_id", "area_id", "organisation_id", "secret", "status") INCLUDE ("n", "sum_lat", "sum_lon");
--> statement-breakpoint
CREATE INDEX "incident_cells_month_idx" ON "incident_cells" ("month");
--> statement-breakpoint
CREATE UNIQUE INDEX "incident_cells_all_uq" ON "incident_cells_all" ("gx", "gy", "category_id", "area_id", "organisation_id", "secret", "status") INCLUDE ("n", "sum_lat", "sum_lon");
--> statement-breakpoint
CREATE FUNCTION "incident_aggregates_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
  INSERT INTO "incident_month_counts" ("month", "category_id", "area_id", "organisation_id", "secret", "status", "n")
    SELECT month, category_id, area_id, organisation_id, secret, status, sum(n) FROM (
        SELECT date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, 1 AS n FROM new_rows
      ) x GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("month", "category_id", "area_id", "organisation_id", "secret", "status") DO UPDATE SET "n" = "incident_month_counts"."n" + excluded."n";
  INSERT INTO "incident_cells" ("gx", "gy", "month", "category_id", "area_id", "organisation_id", "secret", "status", "n", "sum_lat", "sum_lon")
    SELECT gx, gy, month, category_id, area_id, organisation_id, secret, status, sum(n), sum(sum_lat), sum(sum_lon) FROM (
        SELECT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, 1 AS n, lat AS sum_lat, lon AS sum_lon FROM new_rows WHERE lat IS NOT NULL AND lon IS NOT NULL
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(n) <> 0 OR sum(sum_lat) <> 0 OR sum(sum_lon) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT ("gx", "gy", "month", "category_id", "area_id", "organisation_id", "secret", "status") DO UPDATE SET "n" = "incident_cells"."n" + excluded."n", "sum_lat" = "incident_cells"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_cells"."sum_lon" + excluded."sum_lon";
  INSERT INTO "incident_cells_all" ("gx", "gy", "category_id", "area_id", "organisation_id", "secret", "status", "n", "sum_lat", "sum_lon")
    SELECT gx, gy, category_id, area_id, organisation_id, secret, status, sum(n), sum(sum_lat), sum(sum_lon) FROM (
        SELECT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, 1 AS n, lat AS sum_lat, lon AS sum_lon FROM new_rows WHERE lat IS NOT NULL AND lon IS NOT NULL
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0 OR sum(sum_lat) <> 0 OR sum(sum_lon) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ("gx", "gy", "category_id", "area_id", "organisation_id", "secret", "status") DO UPDATE SET "n" = "incident_cells_all"."n" + excluded."n", "sum_lat" = "incident_cells_all"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_cells_all"."sum_lon" + excluded."sum_lon";
  ELSIF TG_OP = 'UPDATE' THEN
  INSERT INTO "incident_month_counts" ("month", "category_id", "area_id", "organisation_id", "secret", "status", "n")
    SELECT month, category_id, area_id, organisation_id, secret, status, sum(n) FROM (
        SELECT date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, -1 AS n FROM old_rows
        UNION ALL
        SELECT date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, 1 AS n FROM new_rows
      ) x GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("month", "category_id", "area_id", "organisation_id", "secret", "status") DO UPDATE SET "n" = "incident_month_counts"."n" + excluded."n";
  INSERT INTO "incident_cells" ("gx", "gy", "month", "category_id", "area_id", "organisation_id", "secret", "status", "n", "sum_lat", "sum_lon")
    SELECT gx, gy, month, category_id, area_id, organisation_id, secret, status, sum(n), sum(sum_lat), sum(sum_lon) FROM (
        SELECT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, -1 AS n, -lat AS sum_lat, -lon AS sum_lon FROM old_rows WHERE lat IS NOT NULL AND lon IS NOT NULL
        UNION ALL
        SELECT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, 1 AS n, lat AS sum_lat, lon AS sum_lon FROM new_rows WHERE lat IS NOT NULL AND lon IS NOT NULL
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(n) <> 0 OR sum(sum_lat) <> 0 OR sum(sum_lon) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT ("gx", "gy", "month", "category_id", "area_id", "organisation_id", "secret", "status") DO UPDATE SET "n" = "incident_cells"."n" + excluded."n", "sum_lat" = "incident_cells"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_cells"."sum_lon" + excluded."sum_lon";
  INSERT INTO "incident_cells_all" ("gx", "gy", "category_id", "area_id", "organisation_id", "secret", "status", "n", "sum_lat", "sum_lon")
    SELECT gx, gy, category_id, area_id, organisation_id, secret, status, sum(n), sum(sum_lat), sum(sum_lon) FROM (
        SELECT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, -1 AS n, -lat AS sum_lat, -lon AS sum_lon FROM old_rows WHERE lat IS NOT NULL AND lon IS NOT NULL
        UNION ALL
        SELECT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, 1 AS n, lat AS sum_lat, lon AS sum_lon FROM new_rows WHERE lat IS NOT NULL AND lon IS NOT NULL
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0 OR sum(sum_lat) <> 0 OR sum(sum_lon) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ("gx", "gy", "category_id", "area_id", "organisation_id", "secret", "status") DO UPDATE SET "n" = "incident_cells_all"."n" + excluded."n", "sum_lat" = "incident_cells_all"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_cells_all"."sum_lon" + excluded."sum_lon";
  DELETE FROM "incident_month_counts" t USING (SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status FROM old_rows) o
    WHERE t."n" = 0 AND t."month" = o.month AND t."category_id" = o.category_id AND t."area_id" = o.area_id AND t."organisation_id" = o.organisation_id AND t."secret" = o.secret AND t."status" = o.status;
  DELETE FROM "incident_cells" t USING (SELECT DISTINCT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status FROM old_rows WHERE lat IS NOT NULL AND lon IS NOT NULL) o
    WHERE t."n" = 0 AND t."gx" = o.gx AND t."gy" = o.gy AND t."month" = o.month AND t."category_id" = o.category_id AND t."area_id" = o.area_id AND t."organisation_id" = o.organisation_id AND t."secret" = o.secret AND t."status" = o.status;
  DELETE FROM "incident_cells_all" t USING (SELECT DISTINCT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status FROM old_rows WHERE lat IS NOT NULL AND lon IS NOT NULL) o
    WHERE t."n" = 0 AND t."gx" = o.gx AND t."gy" = o.gy AND t."category_id" = o.category_id AND t."area_id" = o.area_id AND t."organisation_id" = o.organisation_id AND t."secret" = o.secret AND t."status" = o.status;
  ELSE
  INSERT INTO "incident_month_counts" ("month", "category_id", "area_id", "organisation_id", "secret", "status", "n")
    SELECT month, category_id, area_id, organisation_id, secret, status, sum(n) FROM (
        SELECT date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, -1 AS n FROM old_rows
      ) x GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("month", "category_id", "area_id", "organisation_id", "secret", "status") DO UPDATE SET "n" = "incident_month_counts"."n" + excluded."n";
  INSERT INTO "incident_cells" ("gx", "gy", "month", "category_id", "area_id", "organisation_id", "secret", "status", "n", "sum_lat", "sum_lon")
    SELECT gx, gy, month, category_id, area_id, organisation_id, secret, status, sum(n), sum(sum_lat), sum(sum_lon) FROM (
        SELECT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, -1 AS n, -lat AS sum_lat, -lon AS sum_lon FROM old_rows WHERE lat IS NOT NULL AND lon IS NOT NULL
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(n) <> 0 OR sum(sum_lat) <> 0 OR sum(sum_lon) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT ("gx", "gy", "month", "category_id", "area_id", "organisation_id", "secret", "status") DO UPDATE SET "n" = "incident_cells"."n" + excluded."n", "sum_lat" = "incident_cells"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_cells"."sum_lon" + excluded."sum_lon";
  INSERT INTO "incident_cells_all" ("gx", "gy", "category_id", "area_id", "organisation_id", "secret", "status", "n", "sum_lat", "sum_lon")
    SELECT gx, gy, category_id, area_id, organisation_id, secret, status, sum(n), sum(sum_lat), sum(sum_lon) FROM (
        SELECT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, -1 AS n, -lat AS sum_lat, -lon AS sum_lon FROM old_rows WHERE lat IS NOT NULL AND lon IS NOT NULL
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0 OR sum(sum_lat) <> 0 OR sum(sum_lon) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ("gx", "gy", "category_id", "area_id", "organisation_id", "secret", "status") DO UPDATE SET "n" = "incident_cells_all"."n" + excluded."n", "sum_lat" = "incident_cells_all"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_cells_all"."sum_lon" + excluded."sum_lon";
  DELETE FROM "incident_month_counts" t USING (SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status FROM old_rows) o
    WHERE t."n" = 0 AND t."month" = o.month AND t."category_id" = o.category_id AND t."area_id" = o.area_id AND t."organisation_id" = o.organisation_id AND t."secret" = o.secret AND t."status" = o.status;
  DELETE FROM "incident_cells" t USING (SELECT DISTINCT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status FROM old_rows WHERE lat IS NOT NULL AND lon IS NOT NULL) o
    WHERE t."n" = 0 AND t."gx" = o.gx AND t."gy" = o.gy AND t."month" = o.month AND t."category_id" = o.category_id AND t."area_id" = o.area_id AND t."organisation_id" = o.organisation_id AND t."secret" = o.secret AND t."status" = o.status;
  DELETE FROM "incident_cells_all" t USING (SELECT DISTINCT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status FROM old_rows WHERE lat IS NOT NULL AND lon IS NOT NULL) o
    WHERE t."n" = 0 AND t."gx" = o.gx AND t."gy" = o.gy AND t."category_id" = o.category_id AND t."area_id" = o.area_id AND t."organisation_id" = o.organisation_id AND t."secret" = o.secret AND t."status" = o.status;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "incident_aggregates_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "incident_month_counts";
  DELETE FROM "incident_cells";
  DELETE FROM "incident_cells_all";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "incident_aggregates_insert" AFTER INSERT ON "incidents" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "incident_aggregates_apply"();
--> statement-breakpoint
CREATE TRIGGER "incident_aggregates_update" AFTER UPDATE ON "incidents" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "incident_aggregates_apply"();
--> statement-breakpoint
CREATE TRIGGER "incident_aggregates_delete" AFTER DELETE ON "incidents" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "incident_aggregates_apply"();
--> statement-breakpoint
CREATE TRIGGER "incident_aggregates_truncate" AFTER TRUNCATE ON "incidents"
  FOR EACH STATEMENT EXECUTE FUNCTION "incident_aggregates_clear"();
--> statement-breakpoint
INSERT INTO "incident_month_counts" ("month", "category_id", "area_id", "organisation_id", "secret", "status", "n")
    SELECT month, category_id, area_id, organisation_id, secret, status, sum(n) FROM (
        SELECT date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, 1 AS n FROM "incidents"
      ) x GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO "incident_cells" ("gx", "gy", "month", "category_id", "area_id", "organisation_id", "secret", "status", "n", "sum_lat", "sum_lon")
    SELECT gx, gy, month, category_id, area_id, organisation_id, secret, status, sum(n), sum(sum_lat), sum(sum_lon) FROM (
        SELECT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, date_trunc('month', occurred_at AT TIME ZONE 'Europe/Stockholm')::date AS month, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, 1 AS n, lat AS sum_lat, lon AS sum_lon FROM "incidents" WHERE lat IS NOT NULL AND lon IS NOT NULL
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(n) <> 0 OR sum(sum_lat) <> 0 OR sum(sum_lon) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
--> statement-breakpoint
INSERT INTO "incident_cells_all" ("gx", "gy", "category_id", "area_id", "organisation_id", "secret", "status", "n", "sum_lat", "sum_lon")
    SELECT gx, gy, category_id, area_id, organisation_id, secret, status, sum(n), sum(sum_lat), sum(sum_lon) FROM (
        SELECT floor(lon / 0.0054931640625::float8)::int AS gx, floor(lat / 0.0054931640625::float8)::int AS gy, category_id AS category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, organisation_id AS organisation_id, (restricted OR secrecy_ref IS NOT NULL) AS secret, status AS status, 1 AS n, lat AS sum_lat, lon AS sum_lon FROM "incidents" WHERE lat IS NOT NULL AND lon IS NOT NULL
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0 OR sum(sum_lat) <> 0 OR sum(sum_lon) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7;
