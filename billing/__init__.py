"""Rooms, bookings, invoices, payments and expense reimbursements (issue 4)."""
