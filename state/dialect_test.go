package state

import (
	"strings"
	"testing"
)

func TestNumberPlaceholders(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"VALUES (?1, ?2, ?3, ?4, ?4)", "VALUES ($1, $2, $3, $4, $4)"},
		{"SELECT '?', \"a?\" FROM t WHERE x = ? -- why?\nAND y = ?", "SELECT '?', \"a?\" FROM t WHERE x = $1 -- why?\nAND y = $2"},
		{"SELECT 'it''s ?' WHERE a IN (?,?,?,?,?,?,?,?,?,?,?)", "SELECT 'it''s ?' WHERE a IN ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)"},
	}
	for _, tt := range tests {
		if got := numberPlaceholders(tt.in); got != tt.want {
			t.Errorf("numberPlaceholders(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestPostgresEquivalentsApply checks that every SQLite text of
// postgresEquivalents is replaced (a PostgreSQL twin that were the same
// text would mean a typo) and that the claims lock with SKIP LOCKED.
func TestPostgresEquivalentsApply(t *testing.T) {
	t.Parallel()
	for _, eq := range postgresEquivalents {
		if eq.sqlite == eq.postgres {
			t.Errorf("no PostgreSQL twin for %q", eq.sqlite)
		}
	}
	for _, q := range []string{claimNext, sqlClaimNotifications, sqlClaimBucket, sqlClaimAnyBucket} {
		if got := rewritePostgres(q); !strings.Contains(got, "SKIP LOCKED") || strings.Contains(got, "?") {
			t.Errorf("rewritePostgres(%q) = %q", q, got)
		}
	}
}
