-- PostgreSQL: the administrator sets the organisation's name, language, time zone, member
-- categories and shares from the pages. The application may change those columns only, and only of
-- the organisation of the request (app.tenant_id); it still reads every organisation (the front
-- page lists them, a request finds its own by its address). The owner is not subject to it.

GRANT UPDATE (name, locale, timezone, member_categories, share_price_cents, qualifying_shares) ON tenant TO :app_role;
ALTER TABLE tenant ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON tenant FOR SELECT USING (true);
CREATE POLICY tenant_own_settings ON tenant FOR UPDATE USING (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
