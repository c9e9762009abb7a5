-- Evidence is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE on evidence
-- tables, so a correction can only be a new record.
CREATE OR REPLACE FUNCTION dozor_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dozor: % on % refused: evidence is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['pages', 'listings', 'images', 'listing_images', 'qr_codes', 'detections',
                           'bundles', 'artifacts', 'reviews', 'custody_events'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION dozor_refuse_change()',
                   t || '_write_once', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION dozor_refuse_change()',
                   t || '_no_truncate', t);
  END LOOP;
END;
$$;
