-- The secret a rotation replaced keeps signing beside the new one for a day (SPEC §11), so a
-- partner can roll its receiver over without dropping events. Sealed like the current secret
-- (under its own associated data), and only ever set together with the end of its overlap.
ALTER TABLE webhook_subscriptions
    ADD COLUMN previous_secret text,
    ADD COLUMN previous_secret_until timestamptz,
    ADD CONSTRAINT webhook_subscriptions_previous_secret_overlap
        CHECK ((previous_secret IS NULL) = (previous_secret_until IS NULL));
