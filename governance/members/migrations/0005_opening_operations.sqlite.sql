-- The shares each member held when the ledger began (the register's two counters) become an
-- opening operation of the member, numbered per tenant in the order of the members' numbers and
-- dated from their admission; the tenant's counter of operations starts after them.
INSERT INTO share_operation (tenant_id, id, number, kind, occurred_on, reason, recorded_at)
SELECT tenant_id, lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY number), 'opening', COALESCE(admitted_on, status_since), 'Shares held when the ledger began', updated_at
FROM member WHERE shares_subscribed > 0 OR shares_paid > 0;
INSERT INTO share_movement (tenant_id, id, operation_id, member_id, share_kind, subscribed, paid)
SELECT m.tenant_id, lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), o.id, m.id, 'qualifying', m.shares_subscribed, m.shares_paid
FROM (SELECT tenant_id, id, shares_subscribed, shares_paid, ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY number) AS position FROM member WHERE shares_subscribed > 0 OR shares_paid > 0) AS m
JOIN share_operation AS o ON o.tenant_id = m.tenant_id AND o.number = m.position AND o.kind = 'opening';
INSERT INTO number_sequence (tenant_id, id, name, last_value)
SELECT tenant_id, lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), 'share_operation', COUNT(*) FROM share_operation GROUP BY tenant_id;

-- The ledger is append-only: an operation is reversed by another, never changed or deleted.
CREATE TRIGGER share_operation_no_update BEFORE UPDATE ON share_operation BEGIN SELECT RAISE(ABORT, 'share_operation is append-only'); END;
CREATE TRIGGER share_operation_no_delete BEFORE DELETE ON share_operation BEGIN SELECT RAISE(ABORT, 'share_operation is append-only'); END;
CREATE TRIGGER share_movement_no_update BEFORE UPDATE ON share_movement BEGIN SELECT RAISE(ABORT, 'share_movement is append-only'); END;
CREATE TRIGGER share_movement_no_delete BEFORE DELETE ON share_movement BEGIN SELECT RAISE(ABORT, 'share_movement is append-only'); END;
