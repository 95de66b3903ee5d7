CREATE INDEX "incidents_reported_secret_idx" ON "incidents" USING btree ("reported_by","occurred_at") WHERE "incidents"."restricted" or "incidents"."secrecy_ref" is not null;--> statement-breakpoint
-- Hand-written (issue #12 item 3). The position indexes cover what the lägesbild's box edges read from the incidents
-- (incidents.aggregate.ts, parts B2): the category, the area and the columns of the visibility clause, so that the
-- edges are index-only scans instead of a heap fetch per incident at a random place of the table. Same names, same
-- keys as declared in the schema (drizzle cannot declare INCLUDE).
DROP INDEX "incidents_lon_lat_idx";--> statement-breakpoint
CREATE INDEX "incidents_lon_lat_idx" ON "incidents" USING btree ("lon","lat","occurred_at") INCLUDE ("category_id","area_id","organisation_id","reported_by","restricted","secrecy_ref");--> statement-breakpoint
DROP INDEX "incidents_lat_lon_idx";--> statement-breakpoint
CREATE INDEX "incidents_lat_lon_idx" ON "incidents" USING btree ("lat","lon","occurred_at") INCLUDE ("category_id","area_id","organisation_id","reported_by","restricted","secrecy_ref");--> statement-breakpoint
-- Two more levels of the aggregates: the zoom-12 and zoom-14 cells over all time (z -12 and -14, `year` true,
-- `period` -infinity, a constant: the level is in z, so that no incident's own year or month can share its key), for
-- the map without a period — which otherwise added up every year row of the box. Each incident now counts in seven rows.
CREATE OR REPLACE FUNCTION "incident_aggregates_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
  INSERT INTO "incident_aggregates" ("z", "year", "period", "gx", "gy", "category_id", "area_id", "secret", "n", "sum_lat", "sum_lon")
    SELECT z, year, period, gx, gy, category_id, area_id, secret, sum(s), sum(lat), sum(lon) FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.z < 0 THEN '-infinity'::timestamp WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT 1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM new_rows) d
        CROSS JOIN (VALUES (0::smallint, false, 1::float8), (12::smallint, false, 0.02197265625::float8), (12::smallint, true, 0.02197265625::float8),
                           (14::smallint, false, 0.0054931640625::float8), (14::smallint, true, 0.0054931640625::float8),
                           (-12::smallint, true, 0.02197265625::float8), (-14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(s) <> 0 OR sum(lat) <> 0 OR sum(lon) <> 0 ORDER BY 1, 2, 4, 5, 3, 6, 7, 8
  ON CONFLICT ("z", "year", "gx", "gy", "period", "category_id", "area_id", "secret") DO UPDATE SET "n" = "incident_aggregates"."n" + excluded."n", "sum_lat" = "incident_aggregates"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_aggregates"."sum_lon" + excluded."sum_lon";
  ELSIF TG_OP = 'UPDATE' THEN
  INSERT INTO "incident_aggregates" ("z", "year", "period", "gx", "gy", "category_id", "area_id", "secret", "n", "sum_lat", "sum_lon")
    SELECT z, year, period, gx, gy, category_id, area_id, secret, sum(s), sum(lat), sum(lon) FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.z < 0 THEN '-infinity'::timestamp WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT -1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM old_rows
        UNION ALL
        SELECT 1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM new_rows) d
        CROSS JOIN (VALUES (0::smallint, false, 1::float8), (12::smallint, false, 0.02197265625::float8), (12::smallint, true, 0.02197265625::float8),
                           (14::smallint, false, 0.0054931640625::float8), (14::smallint, true, 0.0054931640625::float8),
                           (-12::smallint, true, 0.02197265625::float8), (-14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(s) <> 0 OR sum(lat) <> 0 OR sum(lon) <> 0 ORDER BY 1, 2, 4, 5, 3, 6, 7, 8
  ON CONFLICT ("z", "year", "gx", "gy", "period", "category_id", "area_id", "secret") DO UPDATE SET "n" = "incident_aggregates"."n" + excluded."n", "sum_lat" = "incident_aggregates"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_aggregates"."sum_lon" + excluded."sum_lon";
  DELETE FROM "incident_aggregates" k USING (SELECT DISTINCT z, year, period, gx, gy, category_id, area_id, secret FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.z < 0 THEN '-infinity'::timestamp WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT -1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM old_rows) d
        CROSS JOIN (VALUES (0::smallint, false, 1::float8), (12::smallint, false, 0.02197265625::float8), (12::smallint, true, 0.02197265625::float8),
                           (14::smallint, false, 0.0054931640625::float8), (14::smallint, true, 0.0054931640625::float8),
                           (-12::smallint, true, 0.02197265625::float8), (-14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x) o
    WHERE k."n" = 0 AND k."z" = o.z AND k."year" = o.year AND k."period" = o.period AND k."gx" = o.gx AND k."gy" = o.gy
      AND k."category_id" = o.category_id AND k."area_id" = o.area_id AND k."secret" = o.secret;
  ELSE
  INSERT INTO "incident_aggregates" ("z", "year", "period", "gx", "gy", "category_id", "area_id", "secret", "n", "sum_lat", "sum_lon")
    SELECT z, year, period, gx, gy, category_id, area_id, secret, sum(s), sum(lat), sum(lon) FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.z < 0 THEN '-infinity'::timestamp WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT -1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM old_rows) d
        CROSS JOIN (VALUES (0::smallint, false, 1::float8), (12::smallint, false, 0.02197265625::float8), (12::smallint, true, 0.02197265625::float8),
                           (14::smallint, false, 0.0054931640625::float8), (14::smallint, true, 0.0054931640625::float8),
                           (-12::smallint, true, 0.02197265625::float8), (-14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(s) <> 0 OR sum(lat) <> 0 OR sum(lon) <> 0 ORDER BY 1, 2, 4, 5, 3, 6, 7, 8
  ON CONFLICT ("z", "year", "gx", "gy", "period", "category_id", "area_id", "secret") DO UPDATE SET "n" = "incident_aggregates"."n" + excluded."n", "sum_lat" = "incident_aggregates"."sum_lat" + excluded."sum_lat", "sum_lon" = "incident_aggregates"."sum_lon" + excluded."sum_lon";
  DELETE FROM "incident_aggregates" k USING (SELECT DISTINCT z, year, period, gx, gy, category_id, area_id, secret FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.z < 0 THEN '-infinity'::timestamp WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT -1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM old_rows) d
        CROSS JOIN (VALUES (0::smallint, false, 1::float8), (12::smallint, false, 0.02197265625::float8), (12::smallint, true, 0.02197265625::float8),
                           (14::smallint, false, 0.0054931640625::float8), (14::smallint, true, 0.0054931640625::float8),
                           (-12::smallint, true, 0.02197265625::float8), (-14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x) o
    WHERE k."n" = 0 AND k."z" = o.z AND k."year" = o.year AND k."period" = o.period AND k."gx" = o.gx AND k."gy" = o.gy
      AND k."category_id" = o.category_id AND k."area_id" = o.area_id AND k."secret" = o.secret;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
INSERT INTO "incident_aggregates" ("z", "year", "period", "gx", "gy", "category_id", "area_id", "secret", "n", "sum_lat", "sum_lon")
    SELECT z, year, period, gx, gy, category_id, area_id, secret, sum(s), sum(lat), sum(lon) FROM (
        SELECT l.z, l.y AS year, (CASE WHEN l.z < 0 THEN '-infinity'::timestamp WHEN l.y THEN date_trunc('year', d.t) ELSE date_trunc('month', d.t) END)::date AS period,
          CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lon / l.size)::int END AS gx, CASE WHEN l.z = 0 THEN 0 ELSE floor(d.lat / l.size)::int END AS gy,
          d.category_id, d.area_id, d.secret, d.s, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lat END AS lat, CASE WHEN l.z = 0 THEN 0 ELSE d.s * d.lon END AS lon
        FROM (SELECT 1 AS s, occurred_at AT TIME ZONE 'Europe/Stockholm' AS t, lat, lon, category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid) AS area_id, (restricted OR secrecy_ref IS NOT NULL) AS secret FROM "incidents") d
        CROSS JOIN (VALUES (-12::smallint, true, 0.02197265625::float8), (-14::smallint, true, 0.0054931640625::float8)) l(z, y, size)
        WHERE l.z = 0 OR (d.lat IS NOT NULL AND d.lon IS NOT NULL)
      ) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(s) <> 0 OR sum(lat) <> 0 OR sum(lon) <> 0 ORDER BY 1, 2, 4, 5, 3, 6, 7, 8;
