"""The user-partner program of a health region: recruitment of patient partners, trainings,
committees and their meetings, minutes approved then published, hours and expense claims,
pledges and mandates, privacy by consent."""
