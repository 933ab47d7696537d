// Package statetest gives tests of the state store, and of the packages
// that open one, a PostgreSQL state of their own: a fresh schema in the
// test server's database (127.0.0.1:5432, user postgres, database test;
// SYNCLINE_TEST_POSTGRES_DSN overrides it), dropped when the test ends.
// When the server cannot be reached the test is skipped with the reason,
// unless SYNCLINE_TEST_REQUIRE names "postgres": then it fails.
//
// It does not import state (state's own tests use it), only pgx's
// database/sql driver.
package statetest
