"""Response shapes: rows turned into Murano's JSON dicts (plain dicts: lists must be fast)."""
