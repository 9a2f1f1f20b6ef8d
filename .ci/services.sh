# Sourced by .ci/run and `make bench`: use PostgreSQL and Redis when they answer on this machine.
db_name="${PASSERELLE_DB_NAME:-passerelle_ci}"
broker_db="${PASSERELLE_REDIS_DB:-15}"
cache_db=$((broker_db - 1))

answers() { timeout 2 bash -c "</dev/tcp/$1/$2" 2>/dev/null; }

if [ -z "${DATABASE_URL:-}" ] && answers 127.0.0.1 5432; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db_name"
  echo "PostgreSQL answers: using it ($DATABASE_URL; the test database is created for the run)"
elif [ -z "${DATABASE_URL:-}" ]; then
  echo "PostgreSQL does not answer: using SQLite"
fi
if [ -z "${CELERY_BROKER_URL:-}" ] && answers 127.0.0.1 6379; then
  export CELERY_BROKER_URL="redis://127.0.0.1:6379/$broker_db"
  export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/$cache_db}"
  echo "Redis answers: broker $CELERY_BROKER_URL, cache $CACHE_URL"
  if command -v redis-cli >/dev/null; then
    redis-cli -n "$broker_db" flushdb >/dev/null; redis-cli -n "$cache_db" flushdb >/dev/null
  fi
elif [ -z "${CELERY_BROKER_URL:-}" ]; then
  echo "Redis does not answer: tasks run eagerly, local-memory cache"
fi
