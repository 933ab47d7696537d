package sqltable

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestScrubDSNParts: the second line of defence takes every part of the
// DSN out of a statement's error, decoded or not, and leaves the drivers'
// own words alone.
func TestScrubDSNParts(t *testing.T) {
	dsn := "postgres://us3r-name:pa55-word@db-h0st.example:6543/app-db?sslmode=disable&application_name=my%20app-x1&search_path=sch3ma-q"
	msg := "search_path sch3ma-q on db-h0st.example:6543 for us3r-name/pa55-word in app-db, app my app-x1 (sslmode)"
	got := scrub(msg, secretsOf(postgresDialect{}, dsn))
	for _, part := range []string{"sch3ma-q", "db-h0st", "6543", "us3r-name", "pa55-word", "app-db", "app-x1"} {
		if strings.Contains(got, part) {
			t.Errorf("%q left in %q", part, got)
		}
	}
	for _, word := range []string{"search_path", "(sslmode)"} {
		if !strings.Contains(got, word) {
			t.Errorf("%q scrubbed from %q", word, got)
		}
	}
}

// TestConnectFailureStaysCanceled: a connection abandoned because the
// context ended is still a context error, with none of the driver's text.
func TestConnectFailureStaysCanceled(t *testing.T) {
	err := connectFailure("postgres", "canceled", errors.Join(errors.New("user=S3cr3t"), context.Canceled))
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "S3cr3t") || errors.Unwrap(err) != context.Canceled {
		t.Errorf("%v", err)
	}
}
