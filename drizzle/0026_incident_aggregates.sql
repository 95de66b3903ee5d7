CREATE TABLE "incident_aggregates" (
	"z" smallint NOT NULL,
	"year" boolean NOT NULL,
	"period" date NOT NULL,
	"gx" integer NOT NULL,
	"gy" integer NOT NULL,
	"category_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"secret" boolean NOT NULL,
	"n" bigint NOT NULL,
	"sum_lat" double precision NOT NULL,
	"sum_lon" double precision NOT NULL
);
--> statement-breakpoint
DROP INDEX "incidents_lon_lat_idx";--> statement-breakpoint
CREATE INDEX "incidents_lat_lon_idx" ON "incidents" USING btree ("lat","lon","occurred_at");--> statement-breakpoint
CREATE INDEX "incidents_lon_lat_idx" ON "incidents" USING btree ("lon","lat","occurred_at");
--> statement-breakpoint
-- Hand-written (issue #12 item 3): the lägesbild's aggregates, kept in step with incidents in the same transaction
-- as every change by one statement trigger with transition tables: one upsert per statement whatever its number
-- of rows, keys in order so that two transactions take the rows' locks in the same order; a row whose n falls to 0
-- is deleted. Each incident counts in five rows (levels): z 0 per Stockholm month (the statistics without a box),
-- and z 12 and 14 — the map's grid cell at that zoom, floor(lon / (360 / 2^z / 4)) — per month and per year.
CREATE UNIQUE INDEX "incident_aggregates_uq" ON "incident_aggregates" ("z", "year", "gx", "gy", "period", "category_id", "area_id", "secret") INCLUDE ("n", "sum_lat", "sum_lon");
--> statement-breakpoint
CREATE FUNCTION "incident_aggregates_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
  INSERT INTO "incident_aggregates" ("z", "year", "period", "gx", "gy", "category_id", "area_id", "secret", "n", "sum_lat", "sum_lon")
    SELECT z, year, period, gx, gy, category_id, area_id, secret, sum(s), sum(lat), sum(lon) FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT 1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM new_rows) d
        CROSS JOIN (VALUES (0::smallint, false, 1::float8), (12::smallint, false, 0.02197265625::float8), (12::smallint, true, 0.02197265625::float8),
                           (14::smallint, false, 0.0054931640625::float8), (14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(s) <> 0 OR sum(lat) <> 0 OR sum(lon) <> 0 ORDER BY 1, 2, 4, 5, 3, 6, 7, 8
  ON CONFLICT ("z", "year", "gx", "gy", "period", "category_id", "area_id", "secret") DO UPDATE SET "n" = "incident_aggregates"."n" + excluded."n", "sum_lat" = "incident_aggregates"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_aggregates"."sum_lon" + excluded."sum_lon";
  ELSIF TG_OP = 'UPDATE' THEN
  INSERT INTO "incident_aggregates" ("z", "year", "period", "gx", "gy", "category_id", "area_id", "secret", "n", "sum_lat", "sum_lon")
    SELECT z, year, period, gx, gy, category_id, area_id, secret, sum(s), sum(lat), sum(lon) FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT -1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM old_rows
        UNION ALL
        SELECT 1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM new_rows) d
        CROSS JOIN (VALUES (0::smallint, false, 1::float8), (12::smallint, false, 0.02197265625::float8), (12::smallint, true, 0.02197265625::float8),
                           (14::smallint, false, 0.0054931640625::float8), (14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(s) <> 0 OR sum(lat) <> 0 OR sum(lon) <> 0 ORDER BY 1, 2, 4, 5, 3, 6, 7, 8
  ON CONFLICT ("z", "year", "gx", "gy", "period", "category_id", "area_id", "secret") DO UPDATE SET "n" = "incident_aggregates"."n" + excluded."n", "sum_lat" = "incident_aggregates"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_aggregates"."sum_lon" + excluded."sum_lon";
  DELETE FROM "incident_aggregates" k USING (SELECT DISTINCT z, year, period, gx, gy, category_id, area_id, secret FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT -1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM old_rows) d
        CROSS JOIN (VALUES (0::smallint, false, 1::float8), (12::smallint, false, 0.02197265625::float8), (12::smallint, true, 0.02197265625::float8),
                           (14::smallint, false, 0.0054931640625::float8), (14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x) o
    WHERE k."n" = 0 AND k."z" = o.z AND k."year" = o.year AND k."period" = o.period AND k."gx" = o.gx AND k."gy" = o.gy
      AND k."category_id" = o.category_id AND k."area_id" = o.area_id AND k."secret" = o.secret;
  ELSE
  INSERT INTO "incident_aggregates" ("z", "year", "period", "gx", "gy", "category_id", "area_id", "secret", "n", "sum_lat", "sum_lon")
    SELECT z, year, period, gx, gy, category_id, area_id, secret, sum(s), sum(lat), sum(lon) FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT -1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM old_rows) d
        CROSS JOIN (VALUES (0::smallint, false, 1::float8), (12::smallint, false, 0.02197265625::float8), (12::smallint, true, 0.02197265625::float8),
                           (14::smallint, false, 0.0054931640625::float8), (14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(s) <> 0 OR sum(lat) <> 0 OR sum(lon) <> 0 ORDER BY 1, 2, 4, 5, 3, 6, 7, 8
  ON CONFLICT ("z", "year", "gx", "gy", "period", "category_id", "area_id", "secret") DO UPDATE SET "n" = "incident_aggregates"."n" + excluded."n", "sum_lat" = "incident_aggregates"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_aggregates"."sum_lon" + excluded."sum_lon";
  DELETE FROM "incident_aggregates" k USING (SELECT DISTINCT z, year, period, gx, gy, category_id, area_id, secret FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT -1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM old_rows) d
        CROSS JOIN (VALUES (0::smallint, false, 1::float8), (12::smallint, false, 0.02197265625::float8), (12::smallint, true, 0.02197265625::float8),
                           (14::smallint, false, 0.0054931640625::float8), (14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x) o
    WHERE k."n" = 0 AND k."z" = o.z AND k."year" = o.year AND k."period" = o.period AND k."gx" = o.gx AND k."gy" = o.gy
      AND k."category_id" = o.category_id AND k."area_id" = o.area_id AND k."secret" = o.secret;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "incident_aggregates_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "incident_aggregates";
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
INSERT INTO "incident_aggregates" ("z", "year", "period", "gx", "gy", "category_id", "area_id", "secret", "n", "sum_lat", "sum_lon")
    SELECT z, year, period, gx, gy, category_id, area_id, secret, sum(s), sum(lat), sum(lon) FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT 1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM "incidents") d
        CROSS JOIN (VALUES (0::smallint, false, 1::float8), (12::smallint, false, 0.02197265625::float8), (12::smallint, true, 0.02197265625::float8),
                           (14::smallint, false, 0.0054931640625::float8), (14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(s) <> 0 OR sum(lat) <> 0 OR sum(lon) <> 0 ORDER BY 1, 2, 4, 5, 3, 6, 7, 8;