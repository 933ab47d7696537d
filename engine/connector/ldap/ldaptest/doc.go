// Package ldaptest starts a real OpenLDAP slapd for tests: Start runs one
// on a free loopback port in a temporary directory (back-mdb; the core,
// cosine, inetorgperson and nis schemas plus a small test schema; the
// suffix dc=example,dc=org; TLS with a certificate authority generated in
// Go) and stops it when the test ends. It listens on ldap:// (StartTLS
// offered) and ldaps://.
//
// Without slapd installed the tests skip, saying how to install it, unless
// SYNCLINE_TEST_REQUIRE (comma-separated) names "ldap": then they fail.
//
// Neighbours: engine/connector/ldap is what these servers test;
// engine/connector/connectortest is the conformance suite they run.
package ldaptest
