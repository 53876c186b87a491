"""Credits: the ledger, grants and purchases."""
