ALTER TABLE "police_type_mappings" ADD COLUMN "excluded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Every type the police publish gets a place (issue #11 item 6): robbery is not theft; shootings, explosions and
-- weapons, homicide and sexual offences have theirs; the police's summaries and updates are not events.
INSERT INTO "incident_categories" ("key", "name", "staff_safety", "sort_order", "fields") VALUES
 ('robbery', 'Rån', false, 55, '[]'),
 ('weapons', 'Skottlossning, explosion och vapen', false, 75, '[]'),
 ('other', 'Övrigt', false, 170, '[]')
ON CONFLICT ("key") DO NOTHING;
--> statement-breakpoint
-- Robbery was mapped to theft: moved where the municipality had kept that default.
UPDATE "police_type_mappings" SET "category_id" = (SELECT "id" FROM "incident_categories" WHERE "key" = 'robbery'), "updated_at" = now()
WHERE "police_type" IN ('Rån', 'Rån övrigt') AND "category_id" = (SELECT "id" FROM "incident_categories" WHERE "key" = 'theft');
--> statement-breakpoint
INSERT INTO "police_type_mappings" ("police_type", "category_id")
SELECT m.police_type, c.id FROM (VALUES
 ('Rån väpnat', 'robbery'), ('Rån, försök', 'robbery'), ('Larm överfall', 'robbery'),
 ('Skottlossning', 'weapons'), ('Skottlossning, misstänkt', 'weapons'), ('Explosion', 'weapons'), ('Detonation', 'weapons'),
 ('Bombhot', 'weapons'), ('Farligt föremål, misstänkt', 'weapons'), ('Vapenlagen', 'weapons'), ('Knivlagen', 'weapons'),
 ('Mord/dråp', 'violence'), ('Mord/dråp, försök', 'violence'), ('Våldtäkt', 'violence'), ('Våldtäkt, försök', 'violence'),
 ('Sedlighetsbrott', 'violence'), ('Olaga frihetsberövande', 'violence'), ('Vållande till kroppsskada', 'violence'),
 ('Häleri', 'theft'), ('Motorfordon, anträffat stulet', 'theft'),
 ('Alkohollagen', 'disorder'), ('Olaga intrång/hemfridsbrott', 'disorder'),
 ('Brand automatlarm', 'fire'),
 ('Trafikhinder', 'traffic'), ('Trafikkontroll', 'traffic'),
 ('Räddningsinsats', 'accident'), ('Naturkatastrof', 'accident'), ('Fjällräddning', 'accident'), ('Varningslarm/haveri', 'accident'),
 ('Spridning smittsamma kemikalier', 'accident'),
 ('Anträffad död', 'other'), ('Anträffat gods', 'other'), ('Bedrägeri', 'other'), ('Djur skadat/omhändertaget', 'other'),
 ('Ekobrott', 'other'), ('Förfalskningsbrott', 'other'), ('Försvunnen person', 'other'), ('Gränskontroll', 'other'),
 ('Kontroll person/fordon', 'other'), ('Lagen om hundar och katter', 'other'), ('Miljöbrott', 'other'), ('Missbruk av urkund', 'other'),
 ('Polisinsats/kommendering', 'other'), ('Sabotage mot blåljusverksamhet', 'other'), ('Sjölagen', 'other'),
 ('Tillfälligt obemannat', 'other'), ('Utlänningslagen', 'other'), ('Övrigt', 'other')
) AS m(police_type, category_key) JOIN "incident_categories" c ON c."key" = m.category_key
ON CONFLICT ("police_type") DO NOTHING;
--> statement-breakpoint
INSERT INTO "police_type_mappings" ("police_type", "category_id", "excluded") VALUES
 ('Sammanfattning dag', NULL, true), ('Sammanfattning dygn', NULL, true), ('Sammanfattning eftermiddag', NULL, true),
 ('Sammanfattning förmiddag', NULL, true), ('Sammanfattning helg', NULL, true), ('Sammanfattning kväll', NULL, true),
 ('Sammanfattning kväll och natt', NULL, true), ('Sammanfattning natt', NULL, true), ('Sammanfattning vecka', NULL, true),
 ('Uppdatering', NULL, true)
ON CONFLICT ("police_type") DO NOTHING;
