#!/bin/sh
# Writes pg.sql and sqlite.sql here with the real MLflow from PyPI (3.17.2 wrote the files in this folder):
#   pg.sql     what `mlflow db upgrade` and the tracking server's store leave in an empty PostgreSQL database
#              (alembic head, default workspace, default experiment), as pg_dump --inserts
#   sqlite.sql an MLflow SQLite database after `db upgrade`, one experiment and one run, as sqlite3 .dump
# Usage: generate.sh postgresql://user@host:port/empty_db   (needs python3, sqlite3 and pg_dump)
set -eu
url=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q mlflow psycopg2-binary 'psycopg[binary]'
"$work/venv/bin/mlflow" db upgrade "$url"
"$work/venv/bin/python" - "$url" "$work" <<'PY'
import sys
import mlflow
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
url, work = sys.argv[1], sys.argv[2]
SqlAlchemyStore(url, "/srv/mlflow/artifacts")  # the server's store writes its default experiment
mlflow.set_tracking_uri(f"sqlite:///{work}/app.db")
exp = mlflow.create_experiment("mine", artifact_location=f"{work}/art")
with mlflow.start_run(experiment_id=exp):
    mlflow.log_param("alpha", "0.5")
    mlflow.log_metric("loss", 0.25, step=1)
    mlflow.log_metric("loss", 0.125, step=2)
    mlflow.set_tag("team", "a")
PY
pg_dump --no-owner --no-privileges --no-comments --inserts "$url" | grep -v '^\\\(un\)\?restrict' | grep -v '^--' | cat -s > "$here/pg.sql"
sqlite3 "$work/app.db" .dump > "$here/sqlite.sql"
rm -rf "$work"
