"""The empathy coach: pure text analysis of a draft message (warmth, strategies, blunt spans, warmer rewrites).

Nothing here touches a database, the settings or a log: a draft is read while answering and kept nowhere.
"""
