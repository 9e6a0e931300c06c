-- Every instance keeps a short cache of API keys and drops an entry when this fires,
-- so a revocation (by any code path, even plain SQL) applies everywhere at once.
CREATE OR REPLACE FUNCTION orgtrail_api_key_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('orgtrail_api_key_changed', COALESCE(NEW.secret_hash, OLD.secret_hash));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER api_keys_changed AFTER UPDATE OF revoked_at, scopes, organization_id, secret_hash OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION orgtrail_api_key_changed();
