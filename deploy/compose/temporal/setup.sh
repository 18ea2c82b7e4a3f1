#!/bin/sh
# Rendered by `python -m deploy.render` from shared/temporal.py (search attributes); do not edit by hand.
# Run once per upgrade of the Temporal server, with the admin-tools image:
#   setup.sh schema     the databases and their schema (SQL_* variables)
#   setup.sh namespace  WIR's namespace and search attributes (TEMPORAL_ADDRESS)
# Both are safe to run again.
set -eu
case "${1:-}" in
schema)
  for db in "$TEMPORAL_DB" "$TEMPORAL_VISIBILITY_DB"; do
    case "$db" in "$TEMPORAL_DB") dir=temporal ;; *) dir=visibility ;; esac
    temporal-sql-tool --db "$db" create || true  # exists already
    temporal-sql-tool --db "$db" setup-schema -v 0.0 || true  # set up already
    temporal-sql-tool --db "$db" update-schema -d "/etc/temporal/schema/postgresql/v12/$dir/versioned"
  done
  ;;
namespace)
  until temporal operator cluster health --address "$TEMPORAL_ADDRESS"; do sleep 2; done
  temporal operator namespace describe -n "$WIR_NAMESPACE" >/dev/null 2>&1 \
    || temporal operator namespace create -n "$WIR_NAMESPACE" --retention "$RETENTION"
  temporal operator search-attribute create -n "$WIR_NAMESPACE" \
    --name WirStage --type Keyword --name WirKind --type Keyword --name WirPriority --type Keyword --name WirRound --type Keyword --name WirReportDue --type Datetime --name WirFileNumber --type Keyword \
    || echo "the search attributes exist already"
  ;;
*) echo "usage: setup.sh schema|namespace" >&2; exit 2 ;;
esac
