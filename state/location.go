package state

import (
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// parseLocation turns the state setting into a file path. It accepts a
// plain path or sqlite://PATH; relative paths are returned as given (the
// command line resolves them against the configuration directory). A
// PostgreSQL URL is returned as it is (Open hands it to openPostgres).
func parseLocation(location string) (string, error) {
	scheme, rest, hasScheme := strings.Cut(location, "://")
	if !hasScheme {
		return nonEmpty(location, location)
	}
	switch strings.ToLower(scheme) {
	case "sqlite":
		return nonEmpty(location, rest)
	case "postgres", "postgresql":
		return location, nil
	default:
		return "", &UnsupportedLocationError{Location: hideURL(scheme), Hidden: true, Reason: unknownScheme(scheme)}
	}
}

// knownSchemes are URL schemes that are quoted when refused: any other
// might be a mistyped secret.
var knownSchemes = []string{"postgres", "postgresql", "mysql", "mariadb", "sqlite3", "file", "http", "https",
	"s3", "gs", "azblob", "etcd", "consul", "redis", "mongodb", "git", "ssh"}

// hideURL shows a database URL by its scheme only: the rest may carry a
// password anywhere (user, host, database, a parameter), and net/url's
// errors would quote it, so it is never parsed for a message.
func hideURL(scheme string) string {
	if slices.Contains(knownSchemes, strings.ToLower(scheme)) {
		return strings.ToLower(scheme) + "://…"
	}
	return "…://…"
}

func unknownScheme(scheme string) string {
	if slices.Contains(knownSchemes, strings.ToLower(scheme)) {
		return fmt.Sprintf("unknown scheme %q", strings.ToLower(scheme))
	}
	return "unknown scheme"
}

func nonEmpty(location, path string) (string, error) {
	if path == "" {
		return "", &UnsupportedLocationError{Location: location, Reason: "the path is empty"}
	}
	return path, nil
}

// dsn is the modernc.org/sqlite data source name for path. Pragmas are DSN
// parameters so every pooled connection gets them; _txlock=immediate makes
// every write transaction BEGIN IMMEDIATE, so two writers serialize at
// BEGIN instead of failing at their first write.
func dsn(path string, opts Options) string {
	q := []string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", opts.BusyTimeout/time.Millisecond),
		"_pragma=foreign_keys(1)",
	}
	if opts.ReadOnly {
		q = append(q, "mode=ro", "_pragma=query_only(1)")
	} else {
		q = append(q, "_pragma=journal_mode(WAL)", "_txlock=immediate")
	}
	return fileURI(path) + "?" + strings.Join(q, "&")
}

// probeDSN opens path read-only without any pragma that writes, so looking
// at a foreign file cannot change it; immutable also skips locking, which
// for a database in WAL mode would create -wal and -shm files.
func probeDSN(path string, opts Options, immutable bool) string {
	dsn := fmt.Sprintf("%s?mode=ro&_pragma=busy_timeout(%d)", fileURI(path), opts.BusyTimeout/time.Millisecond)
	if immutable {
		dsn += "&immutable=1"
	}
	return dsn
}

// fileURI makes an SQLite URI filename of path, escaping the characters
// that URIs give a meaning to.
func fileURI(path string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(filepath.Clean(path))
}

// CheckLocation reports, without touching anything, whether location names
// a state store this version can open: readers that treat a missing store
// as empty must not treat an unsupported one so.
func CheckLocation(location string) error {
	_, err := parseLocation(location)
	return err
}

// IsPostgresLocation reports whether location names a PostgreSQL state
// (postgres:// or postgresql://) rather than a file.
func IsPostgresLocation(location string) bool { return isPostgresLocation(location) }

// LocationWithoutSecrets is location as it may be written down (a saved
// plan records the state it was made against): a PostgreSQL URL without
// its password and without password or sslpassword parameters, so that
// whoever uses it again connects with PGPASSWORD, a .pgpass file or a
// -state of their own; a path as it is. A URL that does not parse keeps
// its scheme only.
func LocationWithoutSecrets(location string) string {
	if !isPostgresLocation(location) {
		return location
	}
	scheme, _, _ := strings.Cut(location, "://")
	u, err := url.Parse(location)
	if err != nil {
		return strings.ToLower(scheme) + "://"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k := range q {
		if isSecretParam(k) {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// ShowLocation is location as it may be printed: a PostgreSQL URL with
// its passwords replaced by "xxxxx"; a path as it is.
func ShowLocation(location string) string {
	if !isPostgresLocation(location) {
		return location
	}
	shown, _ := redactLocation(location)
	return shown
}
