"""Pure matching domain: applicant/opportunity features, the recommender, explanations.

Never imports Flask, SQLAlchemy or anything from ``app``.
"""
