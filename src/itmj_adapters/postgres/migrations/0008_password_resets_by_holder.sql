-- Using a link, or a password set another way, voids every open link of the same holder:
-- those are found by holder. Used links are never looked up by holder again.
CREATE INDEX password_resets_open_by_holder ON password_resets (holder_kind, holder_id)
    WHERE used_at IS NULL;
