"""Room-hour billing: rooms and hourly rates, conflict-free bookings, monthly invoices with Quebec
taxes, PDF invoices, payments (by hand and through Stripe), credit notes, members' dues and share
invoices, accounting exports."""
