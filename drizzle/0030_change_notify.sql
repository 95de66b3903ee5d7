-- Hand-written (issue #12 item 2): the database announces, on the channel trygg_changes, every committed change
-- to what the session statement reads (users.repo findSessionWithActor: the session, its user, the user's grants
-- and the organisation tree's version), so that each process may keep sessions in memory and still never act on
-- a changed one (db/changes.ts, users/session-cache.ts). A notice is sent at commit, and only if the transaction
-- commits; notices with the same payload in one transaction are sent once.
CREATE FUNCTION "notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('trygg_changes', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Sessions: ended (signed out, expired, every other session at a password change), re-pointed, or given an
-- earlier expiry. Extending a session (a later expires_at, last_seen_at) is not announced, or every active user
-- would empty every cache once a minute; a kept session that looks expired is read again instead.
CREATE TRIGGER "sessions_notify_change" AFTER DELETE ON "sessions"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"();
--> statement-breakpoint
CREATE TRIGGER "sessions_notify_change_update" AFTER UPDATE ON "sessions"
  FOR EACH ROW WHEN (NEW."expires_at" < OLD."expires_at" OR NEW."token_hash" IS DISTINCT FROM OLD."token_hash"
    OR NEW."user_id" IS DISTINCT FROM OLD."user_id" OR NEW."created_at" IS DISTINCT FROM OLD."created_at")
  EXECUTE FUNCTION "notify_change"();
--> statement-breakpoint
CREATE TRIGGER "sessions_notify_change_truncate" AFTER TRUNCATE ON "sessions"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"();
--> statement-breakpoint
-- Users: what the session statement reads of them (deactivation above all).
CREATE TRIGGER "users_notify_change" AFTER DELETE OR UPDATE OF "name", "email", "locale", "active" ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"();
--> statement-breakpoint
CREATE TRIGGER "users_notify_change_truncate" AFTER TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"();
--> statement-breakpoint
-- Role grants: every change.
CREATE TRIGGER "role_grants_notify_change" AFTER INSERT OR UPDATE OR DELETE ON "role_grants"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"();
--> statement-breakpoint
CREATE TRIGGER "role_grants_notify_change_truncate" AFTER TRUNCATE ON "role_grants"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"();
--> statement-breakpoint
-- The organisation tree's version (raised by the organisations' own trigger, migration 0014).
CREATE TRIGGER "org_tree_version_notify_change" AFTER INSERT OR UPDATE OR DELETE ON "org_tree_version"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"();
--> statement-breakpoint
CREATE TRIGGER "org_tree_version_notify_change_truncate" AFTER TRUNCATE ON "org_tree_version"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"();
