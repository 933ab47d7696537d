// Package connectortest is the conformance suite every connector runs, in
// the manner of Litestream's shared replica-client tests: Run takes a
// Harness that makes fresh, empty resources and checks the whole contract
// of engine/connector against them — create, read back, update with each
// kind of modification, delete, paging over thousands of objects,
// not-found errors, identifier collisions, unicode, and values with
// delimiters, quotes, newlines and SQL-injection strings, under attribute
// names that need quoting — plus the change feed when the connector has
// one.
//
// It also finds the test database servers: PostgresDSN and MariaDBDSN
// return a reachable server's data source name or skip the test, unless
// SYNCLINE_TEST_REQUIRE names the server, in which case they fail it.
// Proxy stands between a connector and a server so that a test can cut the
// connection mid-search.
package connectortest
