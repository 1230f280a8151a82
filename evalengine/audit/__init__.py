"""Auditing published 自评表 (自评复核): every printed score recomputed under a pack, and where it disagrees."""
