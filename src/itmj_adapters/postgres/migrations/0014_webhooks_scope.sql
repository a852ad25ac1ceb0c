-- The Webhooks scope (SPEC §12): keys that manage webhook subscriptions and read their
-- delivery log by API. The check is replaced whole; a key stored before keeps passing it.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_scopes_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scopes_check
    CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['JobPosting', 'CvSearch', 'Webhooks']);
