-- SQLite: issued invoices and their lines are final; closed months and Stripe events append-only.
CREATE TRIGGER invoice_issued_no_update BEFORE UPDATE ON invoice WHEN OLD.status = 'issued' BEGIN SELECT RAISE(ABORT, 'an issued invoice or credit note is final'); END;
CREATE TRIGGER invoice_issued_no_delete BEFORE DELETE ON invoice WHEN OLD.status = 'issued' BEGIN SELECT RAISE(ABORT, 'an issued invoice or credit note is final'); END;
CREATE TRIGGER invoice_line_issued_no_insert BEFORE INSERT ON invoice_line WHEN EXISTS (SELECT 1 FROM invoice WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id AND status = 'issued') BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice are final'); END;
CREATE TRIGGER invoice_line_issued_no_update BEFORE UPDATE ON invoice_line WHEN EXISTS (SELECT 1 FROM invoice WHERE tenant_id = OLD.tenant_id AND id = OLD.invoice_id AND status = 'issued') BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice are final'); END;
CREATE TRIGGER invoice_line_issued_no_delete BEFORE DELETE ON invoice_line WHEN EXISTS (SELECT 1 FROM invoice WHERE tenant_id = OLD.tenant_id AND id = OLD.invoice_id AND status = 'issued') BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice are final'); END;
CREATE TRIGGER closed_month_no_update BEFORE UPDATE ON closed_month BEGIN SELECT RAISE(ABORT, 'closed_month is append-only'); END;
CREATE TRIGGER closed_month_no_delete BEFORE DELETE ON closed_month BEGIN SELECT RAISE(ABORT, 'closed_month is append-only'); END;
CREATE TRIGGER stripe_event_no_update BEFORE UPDATE ON stripe_event BEGIN SELECT RAISE(ABORT, 'stripe_event is append-only'); END;
CREATE TRIGGER stripe_event_no_delete BEFORE DELETE ON stripe_event BEGIN SELECT RAISE(ABORT, 'stripe_event is append-only'); END;
