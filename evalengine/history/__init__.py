"""History: every scored year kept in one SQLite file; baselines and 同比 read from it, any year replayed."""
