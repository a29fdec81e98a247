"""Pure value-chain domain: records, import formats, the graph, gaps, relatedness.

Never imports Flask, SQLAlchemy or anything from ``app``.
"""
