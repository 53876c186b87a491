"""What a student owns: CVs, jobs, analyses, the flashcard deck, interviews, progress."""
