"""The résumé builder's pure parts: the structured résumé, its imports and exports, checks, tailoring and the
assistant's guard. Framework-free like the rest of the engine; the service in core.student.resumes stores it."""
