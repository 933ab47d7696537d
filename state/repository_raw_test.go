package state

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// A SQLite session runs its multi-row statements on the driver
// (repository_raw.go), inside its transaction: what they store is read
// back by the transaction, committed with it, and undone with it.
func TestRawStatementsRunInTheSessionsTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rs := b.session(t)
	const users, shadows = 150, 100 // more than a statement's rows
	write := func(prefix string, fail error) ([]*Shadow, error) {
		var shs []*Shadow
		err := rs.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
			var ids []int64
			for i := range users {
				u := newUser(fmt.Sprintf("%s-u%d", prefix, i), map[string]string{"n": fmt.Sprint(i)})
				if err := r.InsertUser(u); err != nil {
					return err
				}
				ids = append(ids, u.ID)
			}
			for i := range shadows {
				sh := shadow("hr", fmt.Sprintf("%s-k%d", prefix, i))
				sh.Owner = ids[i]
				if err := r.PutShadow(sh); err != nil {
					return err
				}
				shs = append(shs, sh)
			}
			for _, sh := range shs[:70] {
				sh.Hash = "changed-" + sh.Key
				sh.Dead = true
			}
			if err := r.PutShadowOutcomes(shs[:70]); err != nil {
				return err
			}
			got, err := r.ShadowByKey("hr", "account", "default", prefix+"-k3")
			if err != nil || got == nil || got.Hash != "changed-"+prefix+"-k3" || !got.Dead || got.Owner != ids[3] {
				t.Errorf("read in the transaction: %+v, %v", got, err)
			}
			return fail
		})
		return shs, err
	}
	shs, err := write("a", nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.store.dialect == dialectSQLite && len(rs.raw.byQuery) == 0 {
		t.Fatal("no statement ran on the driver")
	}
	boom := errors.New("boom")
	if _, err := write("b", boom); err != boom {
		t.Fatalf("failed write: %v", err)
	}
	b.repo(t, func(r *RepositoryTx) error {
		for i, sh := range shs {
			got, err := r.ShadowByID(sh.ID)
			if err != nil || got == nil {
				t.Fatalf("shadow %d: %+v, %v", i, got, err)
			}
			if got.Key != sh.Key || got.Hash != sh.Hash || got.Dead != sh.Dead || got.Owner != sh.Owner {
				t.Errorf("shadow %d: got %+v, want %+v", i, got, sh)
			}
			u, err := r.UserByID(sh.Owner)
			if err != nil || u == nil || u.Name != fmt.Sprintf("a-u%d", i) {
				t.Errorf("owner of shadow %d: %+v, %v", i, u, err)
			}
		}
		if sh, err := r.ShadowByKey("hr", "account", "default", "b-k3"); sh != nil || err != nil {
			t.Errorf("after rollback: %+v, %v", sh, err)
		}
		if u, err := r.UserByName("b-u3"); u != nil || err != nil {
			t.Errorf("after rollback: %+v, %v", u, err)
		}
		return nil
	})
}

// A statement on the driver does not run once its transaction's context
// is done: database/sql may have rolled the transaction back, and the
// statement would run alone. Statements beyond maxRawStmts run, prepared
// for the one run.
func TestRawStatements(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "statements on the SQLite driver")
	b := setup(t)
	conn, err := b.store.db.Conn(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(b.ctx, `CREATE TEMP TABLE raw_t (v INTEGER, s TEXT)`); err != nil {
		t.Fatal(err)
	}
	k := &rawStmts{conn: conn}
	count := func() (n int) {
		if err := conn.QueryRowContext(b.ctx, `SELECT count(*) FROM raw_t`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	ended, cancel := context.WithCancel(b.ctx)
	cancel()
	if _, err := k.exec(ended, b.ctx, `INSERT INTO raw_t (v) VALUES (?)`, []any{1}); !errors.Is(err, errTxEnded) || !errors.Is(err, context.Canceled) {
		t.Fatalf("exec after the transaction's end: %v", err)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d rows after a refused statement", n)
	}
	want := 0
	for rows := 1; rows <= maxRawStmts+2; rows++ {
		args := make([]any, 0, 2*rows)
		for i := range rows {
			args = append(args, i, fmt.Sprint(i))
		}
		res, err := k.exec(b.ctx, b.ctx, multiRowInsert(`INSERT INTO raw_t (v, s) VALUES `, 2, rows), args)
		if err != nil {
			t.Fatalf("%d rows: %v", rows, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(rows) {
			t.Fatalf("%d rows: RowsAffected %d, %v", rows, n, err)
		}
		want += rows
	}
	if n := count(); n != want {
		t.Fatalf("%d rows, want %d", n, want)
	}
	if len(k.byQuery) != maxRawStmts {
		t.Fatalf("%d statements kept, want %d", len(k.byQuery), maxRawStmts)
	}
	var bad int
	if err := conn.QueryRowContext(b.ctx, `SELECT count(*) FROM raw_t WHERE s <> CAST(v AS TEXT)`).Scan(&bad); err != nil || bad != 0 {
		t.Fatalf("%d rows bound otherwise, %v", bad, err)
	}
	if _, err := k.exec(b.ctx, b.ctx, `INSERT INTO raw_t (v) VALUES (?)`, []any{struct{}{}}); err == nil || !strings.Contains(err.Error(), "converting argument $1") {
		t.Fatalf("an argument of no driver type: %v", err)
	}
	k.close()
	if k.byQuery != nil {
		t.Fatal("statements kept after close")
	}
	(*rawStmts)(nil).close()
}

// driverValue converts as database/sql does for the SQLite driver.
func TestDriverValueIsDatabaseSQLs(t *testing.T) {
	t.Parallel()
	s := "x"
	now := time.Date(2026, 12, 6, 4, 5, 0, 0, time.UTC)
	for _, v := range []any{nil, "", "a", int64(-3), 7, int32(5), uint8(2), true, false, 1.5, float32(2.5),
		[]byte("b"), now, sql.NullString{}, sql.NullString{String: "c", Valid: true}, sql.NullInt64{Int64: 4, Valid: true},
		&s, (*string)(nil)} {
		got, err := driverValue(v)
		want, wantErr := driver.DefaultParameterConverter.ConvertValue(v)
		if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("driverValue(%#v) = %#v, %v; want %#v, %v", v, got, err, want, wantErr)
		}
	}
}

// A SQLite session inserts held shadows and users with their times bound
// once, and shadows without dead, pending and next_attempt_at when every
// row of the statement has their defaults: what is stored is what was
// put, whether the rows of a statement have the defaults, all or some.
func TestHeldRowsStoredWithSharedAndDefaultValues(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rs := b.session(t)
	synced := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	due := time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)
	var (
		shs   []*Shadow
		users []*User
	)
	for batch, special := range [][]int{nil, {5}, {0, 69}} { // rows that are not the defaults'
		err := rs.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
			for i := range 70 { // a full statement and one of 6 rows
				u := newUser(fmt.Sprintf("u%d-%d", batch, i), map[string]string{"i": fmt.Sprint(i)})
				if err := r.InsertUser(u); err != nil {
					return err
				}
				users = append(users, u)
				sh := shadow("hr", fmt.Sprintf("k%d-%d", batch, i))
				sh.Owner = u.ID
				if i%2 == 1 {
					sh.SyncedAt = synced
				}
				for j, s := range special {
					if s != i {
						continue
					}
					if j == 0 {
						sh.Pending = []PendingOperation{{Op: OpUpdate, Attributes: map[string][]string{"cn": {"x"}}, NextAttemptAt: due}}
					} else {
						sh.Dead = true
					}
				}
				if err := r.PutShadow(sh); err != nil {
					return err
				}
				shs = append(shs, sh)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	b.repo(t, func(r *RepositoryTx) error {
		for _, sh := range shs {
			got, err := r.ShadowByID(sh.ID)
			if err != nil || got == nil {
				t.Fatalf("shadow %s: %+v, %v", sh.Key, got, err)
			}
			if got.Key != sh.Key || got.Owner != sh.Owner || got.Dead != sh.Dead || !got.SyncedAt.Equal(sh.SyncedAt) ||
				!got.CreatedAt.Equal(sh.CreatedAt) || !got.UpdatedAt.Equal(sh.UpdatedAt) || got.CreatedAt.IsZero() ||
				len(got.Pending) != len(sh.Pending) || (len(got.Pending) > 0 && !got.Pending[0].NextAttemptAt.Equal(due)) {
				t.Errorf("shadow %s: got %+v, want %+v", sh.Key, got, sh)
			}
		}
		for _, u := range users {
			got, err := r.UserByID(u.ID)
			if err != nil || got == nil || got.Name != u.Name || got.Attributes["i"] != u.Attributes["i"] ||
				got.CreatedAt.IsZero() || !got.CreatedAt.Equal(u.CreatedAt) || !got.UpdatedAt.Equal(u.UpdatedAt) {
				t.Errorf("user %s: got %+v, %v; want %+v", u.Name, got, err, u)
			}
		}
		var pendingRows int
		if err := b.store.db.QueryRowContext(b.ctx, `SELECT count(*) FROM shadows WHERE pending IS NOT NULL AND next_attempt_at IS NOT NULL`).Scan(&pendingRows); err != nil || pendingRows != 2 {
			t.Errorf("%d shadows pending, want 2 (%v)", pendingRows, err)
		}
		return nil
	})
}

// The rows of the inserts in order name as many columns as they have
// values, ?1 first.
func TestInOrderRows(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		columns, row string
		own          int
	}{
		{usersInOrderColumns, usersInOrderRow, 3},
		{shadowsInOrderColumns, shadowsInOrderRow, shadowInsertWidth - 3},
		{shadowsInOrderDefaultsColumns, shadowsInOrderDefaultsRow, shadowDeadColumn - 1},
	} {
		if n := len(strings.Split(c.columns, ",")); n != strings.Count(c.row, "?") || n != c.own+2 {
			t.Errorf("%s: %d columns, row %s, %d values of its own", c.columns, n, c.row, c.own)
		}
		if !strings.HasPrefix(c.row, "(?1,") || !strings.HasSuffix(c.row, ",?1)") || !strings.HasPrefix(c.columns, "created_at,") || !strings.HasSuffix(c.columns, "updated_at") {
			t.Errorf("%s: %s", c.columns, c.row)
		}
	}
	if got, want := sharedInsert("INSERT INTO t (a, b) VALUES ", "(?1,?)", 3), "INSERT INTO t (a, b) VALUES (?1,?),(?1,?),(?1,?)"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}
