package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/syncline/syncline/state/statetest"
)

// statePostgresEnv gives the import-pgstate phase's server when
// -state-postgres does not.
const statePostgresEnv = "SYNCLINE_BENCH_STATE_POSTGRES"

// benchStateSchema is the schema the import-pgstate phase's store lives
// in, dropped before and after the phase: named after the phase's
// process, so that two benchmarks on one server do not meet.
func benchStateSchema() string { return fmt.Sprintf("syncline_bench_state_%d", os.Getpid()) }

// statePostgresDSN is -state-postgres, or else $SYNCLINE_BENCH_STATE_POSTGRES.
func statePostgresDSN(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return os.Getenv(statePostgresEnv)
}

// freshPostgresState empties the benchmark's schema at dsn and returns
// the state location in it and the function that drops it afterwards.
func freshPostgresState(ctx context.Context, dsn string) (string, func(), error) {
	if dsn == "" {
		return "", nil, fmt.Errorf("the PostgreSQL state phase needs -state-postgres or $%s", statePostgresEnv)
	}
	schema := benchStateSchema()
	drop := func() error {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
		return err
	}
	if err := drop(); err != nil {
		return "", nil, fmt.Errorf("empty the PostgreSQL state schema: %w", err)
	}
	return statetest.WithSchema(dsn, schema), func() { _ = drop() }, nil
}
