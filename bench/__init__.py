"""The clinic-scale benchmark (`make bench`): seeding, a bare view, sessions, EXPLAIN, report.

Installed only by `bench.settings`; production (`config.settings`) never lists this app,
so its commands and its "ok" view do not exist there.
"""
