CREATE TABLE "org_tree_version" (
	"one" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL,
	CONSTRAINT "org_tree_version_one_row" CHECK ("org_tree_version"."one")
);
--> statement-breakpoint
-- Hand-written: the row, and the trigger that raises the version on every change to the organisations.
INSERT INTO "org_tree_version" ("one", "version") VALUES (true, 1) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE FUNCTION "org_tree_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "org_tree_version" ("one", "version") VALUES (true, 1)
    ON CONFLICT ("one") DO UPDATE SET "version" = "org_tree_version"."version" + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "organisations_tree_version" AFTER INSERT OR UPDATE OR DELETE ON "organisations"
  FOR EACH STATEMENT EXECUTE FUNCTION "org_tree_version_bump"();
--> statement-breakpoint
CREATE TRIGGER "organisations_tree_version_truncate" AFTER TRUNCATE ON "organisations"
  FOR EACH STATEMENT EXECUTE FUNCTION "org_tree_version_bump"();
