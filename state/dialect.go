package state

import (
	"math"
	"strings"
	"sync"
)

// dialect is the SQL engine behind a Store. The store's SQL is written
// once, for SQLite, with "?" (or "?N") placeholders; on PostgreSQL the
// driver (postgres_driver.go) hands every statement to rewritePostgres
// first. Portable SQL — the common subset of both engines — so runs on
// both unchanged; the few statements that use SQLite's JSON functions have
// PostgreSQL equivalents in postgresEquivalents.
type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

func (d dialect) String() string {
	if d == dialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// rewrites caches rewritePostgres by statement text: the store's
// statements are a few hundred constants (and FindUsers' shapes), so
// each is rewritten once per process.
var rewrites sync.Map // string → string

// rewritePostgres turns a statement written for SQLite into PostgreSQL's:
// the SQLite-only fragments of postgresEquivalents are replaced, then
// placeholders are numbered ("?" → "$1", "$2", …; "?3" → "$3"). Question
// marks inside quoted strings, quoted identifiers and comments are left
// as they are.
func rewritePostgres(query string) string {
	if v, ok := rewrites.Load(query); ok {
		return v.(string)
	}
	out := query
	for _, eq := range postgresEquivalents {
		out = strings.ReplaceAll(out, eq.sqlite, eq.postgres)
	}
	out = numberPlaceholders(out)
	rewrites.Store(query, out)
	return out
}

// numberPlaceholders replaces "?" and "?N" placeholders with "$N".
func numberPlaceholders(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			end := closingQuote(q, i, c)
			b.WriteString(q[i:end])
			i = end - 1
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			end := strings.IndexByte(q[i:], '\n')
			if end < 0 {
				end = len(q) - i
			}
			b.WriteString(q[i : i+end])
			i += end - 1
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(q[i+1 : j])
			} else {
				n++
				b.WriteString(itoa(n))
			}
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// closingQuote returns the index just past the quote that closes the one
// at start; a doubled quote inside is part of the text.
func closingQuote(q string, start int, quote byte) int {
	for i := start + 1; i < len(q); i++ {
		if q[i] != quote {
			continue
		}
		if i+1 < len(q) && q[i+1] == quote {
			i++
			continue
		}
		return i + 1
	}
	return len(q)
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// noLimit is a LIMIT that both engines read as none (SQLite's -1 is an
// error on PostgreSQL, PostgreSQL's NULL one on SQLite).
const noLimit = math.MaxInt64
