"""Case work: the actions that create and change client records (web pages, the API and imports share them)."""
