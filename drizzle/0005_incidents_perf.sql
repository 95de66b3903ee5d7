CREATE INDEX "incidents_lon_lat_idx" ON "incidents" USING btree ("lon","lat");--> statement-breakpoint
CREATE INDEX "police_events_lon_lat_idx" ON "police_events" USING btree ("lon","lat");