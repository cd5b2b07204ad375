"""Print a PostgreSQL URL for the test pass and exit 0, or exit 1 when no server answers.

DATABASE_URL wins when it names PostgreSQL; otherwise the local server on 127.0.0.1:5432 (user
postgres) is tried. pytest-django creates and drops its own test_<name> database there.
"""

import os
import sys

import psycopg

url = os.environ.get("DATABASE_URL", "")
if not url.startswith(("postgres://", "postgresql://")):
    url = "postgres://postgres@127.0.0.1:5432/socius"
try:
    # Connect to the maintenance database: the named one need not exist yet.
    conninfo = psycopg.conninfo.conninfo_to_dict(url)
    conninfo["dbname"] = "postgres"
    conninfo["connect_timeout"] = 3
    psycopg.connect(**conninfo).close()
except Exception as exc:
    print(f"no PostgreSQL: {type(exc).__name__}", file=sys.stderr)
    sys.exit(1)
print(url)
