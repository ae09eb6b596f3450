"""The member register of a co-operative (or a program): its entries, categories, shares, statuses
and their history, admissions and exits; the base the meetings and billing stand on."""
