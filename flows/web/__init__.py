"""The analyst's page: the archive's stories, search and outlet health in a browser, read-only."""
