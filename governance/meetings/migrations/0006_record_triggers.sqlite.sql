-- SQLite: approved minutes stay frozen, except for their publication (published_at and
-- published_by, once); signatures and documents are kept.
DROP TRIGGER meeting_minutes_frozen;
CREATE TRIGGER meeting_minutes_frozen BEFORE UPDATE ON meeting_minutes WHEN OLD.status = 'approved' AND NOT (OLD.published_at IS NULL AND NEW.published_at IS NOT NULL AND NEW.tenant_id IS OLD.tenant_id AND NEW.id IS OLD.id AND NEW.meeting_id IS OLD.meeting_id AND NEW.version IS OLD.version AND NEW.body IS OLD.body AND NEW.status IS OLD.status AND NEW.created_at IS OLD.created_at AND NEW.updated_at IS OLD.updated_at AND NEW.approved_at IS OLD.approved_at AND NEW.approved_by IS OLD.approved_by AND NEW.approved_body IS OLD.approved_body AND NEW.approval_meeting_id IS OLD.approval_meeting_id) BEGIN SELECT RAISE(ABORT, 'approved minutes are frozen'); END;
CREATE TRIGGER meeting_minutes_published_once_approved BEFORE UPDATE OF published_at ON meeting_minutes WHEN NEW.published_at IS NOT NULL AND (NEW.status <> 'approved' OR NEW.approved_body IS NULL) BEGIN SELECT RAISE(ABORT, 'minutes are published once approved'); END;
CREATE TRIGGER requisition_signature_no_update BEFORE UPDATE ON requisition_signature BEGIN SELECT RAISE(ABORT, 'signatures are kept'); END;
CREATE TRIGGER requisition_signature_no_delete BEFORE DELETE ON requisition_signature BEGIN SELECT RAISE(ABORT, 'signatures are kept'); END;
