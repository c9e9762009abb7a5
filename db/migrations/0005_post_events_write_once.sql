-- Edits and deletions of posts are evidence too: the same write-once triggers as 0002.
CREATE TRIGGER post_events_write_once BEFORE UPDATE OR DELETE ON post_events
  FOR EACH ROW EXECUTE FUNCTION dozor_refuse_change();
--> statement-breakpoint
CREATE TRIGGER post_events_no_truncate BEFORE TRUNCATE ON post_events
  FOR EACH STATEMENT EXECUTE FUNCTION dozor_refuse_change();
