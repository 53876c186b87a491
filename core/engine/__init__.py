"""The pure analysis engine: reads files, parses CVs and JDs, matches and scores.

Imports no database, settings, storage, AI or integrations.
"""
