"""Content detection for page dumps: a learned line model that finds the article."""
