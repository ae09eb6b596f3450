"""General meetings and board meetings: the by-laws' settings, notices within legal deadlines,
attendance and quorum, motions and resolutions, the ballot box (secret ballots, elections and
consultations members can verify), minutes, and the register of directors."""
