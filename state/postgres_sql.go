package state

import "strings"

// postgresEquivalents are the store's SQLite-only statements and
// fragments with their PostgreSQL twins, which rewritePostgres puts in
// their place. Each SQLite text is a named constant used where the
// statement runs, so the two cannot drift apart unnoticed: the shared
// test suite runs every one of them on both engines. New SQL should be
// portable and need no entry here.
var postgresEquivalents = []struct{ sqlite, postgres string }{
	{createMigrationsTable, `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    BIGINT PRIMARY KEY,
    applied_at TEXT COLLATE "C" NOT NULL
)`},
	{sqlHasMigrationsTable, `SELECT count(*) FROM information_schema.tables
WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`},
	{sqlUserTables, `SELECT table_name::text FROM information_schema.tables
WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name::text COLLATE "C"`},
	// Claims skip the rows another transaction is claiming, as River's do.
	// While the store's writes are serialized (takeWriteLock) none is;
	// the claims are ready for when they no longer are.
	// PostgreSQL has no INDEXED BY (claimInQueueOrder does its work).
	{claimNext, strings.NewReplacer(" INDEXED BY runs_queued", "", "LIMIT 1)", "LIMIT 1 FOR UPDATE OF r SKIP LOCKED)").Replace(claimNext)},
	{sqlClaimNotifications, strings.Replace(sqlClaimNotifications, "LIMIT ?)", "LIMIT ? FOR UPDATE SKIP LOCKED)", 1)},
	{sqlClaimBucket, strings.Replace(sqlClaimBucket, "LIMIT 1)", "LIMIT 1 FOR UPDATE OF b SKIP LOCKED)", 1)},
	{sqlClaimAnyBucket, strings.Replace(sqlClaimAnyBucket, "LIMIT 1)", "LIMIT 1 FOR UPDATE OF b SKIP LOCKED)", 1)},
	{sqlPendingFailed, `SELECT 1 FROM jsonb_array_elements(pending::jsonb) AS p(value)
WHERE coalesce(p.value ->> 'LastError', '') <> ''`},
	{sqlNotifyOutcome, `INSERT INTO notifications (run_id, task, block, outcome, key, state, created_at, next_attempt_at)
SELECT CAST(? AS BIGINT), d.name, CAST(substr(k.key, 8, length(k.key) - 11) AS BIGINT), CAST(? AS TEXT),
       coalesce((SELECT value FROM meta WHERE key = 'lineage'), '') || ':run-' || CAST(CAST(? AS BIGINT) AS TEXT) || ':' || substr(k.key, 1, length(k.key) - 3),
       'pending', CAST(? AS TEXT), CAST(? AS TEXT)
FROM definitions d, jsonb_each_text(d.spec::jsonb) k
WHERE d.address = 'task.' || CAST(? AS TEXT) AND k.key ~ '^notify\[[0-9].*\]\.on$'
  AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(k.value::jsonb) o(value) WHERE o.value = CAST(? AS TEXT))
ON CONFLICT DO NOTHING`},
	{sqlAppendAttempt, `(attempts::jsonb || jsonb_build_array(CAST(CAST(? AS TEXT) AS jsonb)))::text`},
	{sqlUserHasAttribute, `EXISTS (SELECT 1 FROM jsonb_each(u.attributes::jsonb) AS j
WHERE j.key = CAST(? AS TEXT) AND j.value #>> '{}' = CAST(? AS TEXT) AND jsonb_typeof(j.value) = 'string')`},
	{sqlIndexNames, `INSERT INTO user_indexed_attributes (name)
SELECT value FROM jsonb_array_elements_text(CAST(CAST(? AS TEXT) AS jsonb)) AS a(value)`},
	{sqlIndexUserKeys, `INSERT INTO user_keys (attribute, value, user_id)
SELECT j.key, j.value #>> '{}', u.id FROM users AS u, jsonb_each(u.attributes::jsonb) AS j
WHERE jsonb_typeof(j.value) = 'string'
  AND j.key IN (SELECT jsonb_array_elements_text(CAST(CAST(? AS TEXT) AS jsonb)))
ON CONFLICT DO NOTHING`},
	{sqlIDsOfList, `SELECT CAST(jsonb_array_elements_text(CAST(CAST(? AS TEXT) AS jsonb)) AS BIGINT)`},
}
