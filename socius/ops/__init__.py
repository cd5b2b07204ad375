"""Running Socius: backups and restore, health checks, metrics, structured logs (issue 13). No domain rules:
it knows tables and files, never what a case is."""
