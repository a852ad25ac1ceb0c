-- An admin may withdraw an open team invitation (sending it again withdraws the old one and
-- issues a new one): its link is then refused. Additive: existing rows were never withdrawn.
ALTER TABLE team_invitations
    ADD COLUMN withdrawn_at timestamptz CHECK (withdrawn_at IS NULL OR accepted_at IS NULL);
