-- The id of the request that wrote an event (SPEC §11), so that an operator can follow a
-- partner's call to the webhooks it triggered. Null for events no request wrote (job
-- expiry, and those written before this migration).
ALTER TABLE outbox_events ADD COLUMN request_id text;
