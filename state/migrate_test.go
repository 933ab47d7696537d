package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// openUnmigrated opens path as a Store without migrating it, so a test can
// build a store of an older schema version with migrateTo.
func openUnmigrated(t *testing.T, path string) *Store {
	t.Helper()
	if isPostgresLocation(path) {
		return openUnmigratedPostgres(t, path)
	}
	opts := Options{}.withDefaults()
	db, err := sql.Open("sqlite", dsn(path, opts))
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{db: db, path: path, now: newFakeClock().Now}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestMigrationsAreNumberedWithoutGaps(t *testing.T) {
	t.Parallel()
	for i, m := range migrations {
		if m.version != i+1 || !strings.HasPrefix(m.name, fmt.Sprintf("%04d_", i+1)) {
			t.Errorf("migration %d is %s (version %d)", i, m.name, m.version)
		}
	}
	tests := map[string]fstest.MapFS{
		"gap":       {"migrations/0001_a.sql": {}, "migrations/0003_c.sql": {}},
		"no number": {"migrations/first.sql": {}},
	}
	for name, fsys := range tests {
		if _, err := loadMigrations(fsys, "migrations"); err == nil {
			t.Errorf("%s: loadMigrations succeeded", name)
		}
	}
}

// seeds insert, for each schema version, data that is valid at that
// version; a store at version v gets seeds 1..v.
var seeds = map[int][]string{
	1: {
		`INSERT INTO meta (key, value) VALUES ('lineage', 'lineage-from-v1')`,
		`UPDATE meta SET value = '7' WHERE key = 'serial'`,
		`INSERT INTO definitions VALUES ('task.old', 'task', 'old', '{"owner":"\"iam\""}', 'h-old',
			'tasks.hcl', 3, 'rev1', '2024-01-02T03:04:05.000000000Z')`,
	},
	2: {
		`INSERT INTO applies (at, who, revision, serial, changes) VALUES
			('2024-01-02T03:04:05.000000000Z', 'bob', 'rev1', 7, '{"add":1}')`,
		`INSERT INTO locks VALUES ('apply', 'lock-from-v2', 'apply', 'bob', 'elsewhere', 42,
			'2024-01-02T03:04:05.000000000Z')`,
	},
	3: {
		// At version 3 an apply gives every task a runtime record.
		`INSERT INTO task_runtime (task, state, since, updated_at) VALUES ('old', 'active',
			'2024-01-02T03:04:05.000000000Z', '2024-01-02T03:04:05.000000000Z')`,
		`INSERT INTO task_runtime VALUES ('paused', 'suspended', 'HR freeze', 'carol',
			'2024-02-01T00:00:00.000000000Z', '2024-02-02T02:00:00.000000000Z', 'cron 0 2 * * *',
			'2024-02-01T00:00:00.000000000Z')`,
		`INSERT INTO runs (task, "trigger", triggered_by, mode, state, scheduled_at, created_at, started_at,
			finished_at, claimed_by, heartbeat_at, activities, checkpoint) VALUES ('old', 'manual', 'carol',
			'full', 'succeeded', '2024-02-01T00:00:00.000000000Z', '2024-02-01T00:00:00.000000000Z',
			'2024-02-01T00:00:01.000000000Z', '2024-02-01T00:00:02.000000000Z', 'host:1:1',
			'2024-02-01T00:00:01.500000000Z',
			'[{"name":"import","type":"exec","state":"succeeded","total":1,"success":1,"failure":0,"skipped":0}]',
			'{"page":2}')`,
		`INSERT INTO runs (task, "trigger", mode, state, scheduled_at, created_at) VALUES
			('paused', 'schedule', 'full', 'queued', '2024-02-02T02:00:00.000000000Z', '2024-02-01T00:00:00.000000000Z')`,
	},
	4: {
		`INSERT INTO user_indexed_attributes VALUES ('mail')`,
		`INSERT INTO users VALUES (1, 'alice', 'active', '{"mail":"a@x"}',
			'2024-03-01T00:00:00.000000000Z', '2024-03-01T00:00:00.000000000Z')`,
		`INSERT INTO user_keys VALUES ('mail', 'a@x', 1)`,
		`INSERT INTO shadows (resource, kind, intent, identifier, key, attributes, hash, mapping_hash, owner,
			situation, dead, created_at, updated_at) VALUES ('hr', 'account', 'default', 'A1', 'a1',
			'{"uid":["a1"]}', 'h', 'm', 1, 'linked', 0, '2024-03-01T00:00:00.000000000Z', '2024-03-01T00:00:00.000000000Z')`,
		`INSERT INTO run_changes VALUES (1, 1, '{"Object":"user","Op":"add","User":"alice"}')`,
	},
	5: {
		`INSERT INTO applies (at, who, revision, serial, changes, forced_over) VALUES
			('2024-04-01T00:00:00.000000000Z', 'carol', 'rev3', 8, NULL, 'rev2')`,
	},
}

func TestUpgradeFromEveryVersion(t *testing.T) {
	t.Parallel()
	fresh := schemaOf(t, setup(t).store)
	for v := 1; v <= latestVersion; v++ {
		t.Run(fmt.Sprintf("from version %d", v), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			path := newLocation(t)
			old := openUnmigrated(t, path)
			if err := old.migrateTo(ctx, v); err != nil {
				t.Fatal(err)
			}
			for version := 1; version <= v; version++ {
				for _, stmt := range seeds[version] {
					if _, err := old.db.Exec(stmt); err != nil {
						t.Fatalf("seed %d: %v", version, err)
					}
				}
			}
			old.Close()

			s, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			checkSeedsSurvived(t, s, v)
			if got := schemaOf(t, s); got != fresh {
				t.Errorf("schema after upgrade:\n%s\n\nfresh schema:\n%s", got, fresh)
			}
		})
	}
}

func checkSeedsSurvived(t *testing.T, s *Store, v int) {
	t.Helper()
	ctx := context.Background()
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := snap.Definitions["task.old"]
	if snap.Lineage != "lineage-from-v1" || snap.Serial != 7 || d == nil ||
		d.Spec["owner"] != `"iam"` || d.SourceLine != 3 || d.Revision != "rev1" {
		t.Fatalf("snapshot after upgrade = %+v (task.old = %+v)", snap, d)
	}
	checkTaskRuntimeSurvived(t, s, v)
	checkRepositorySurvived(t, s, v)
	history, err := s.ApplyHistory(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	lock, err := s.LockHolder(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v < 2 {
		if len(history) != 0 || lock != nil {
			t.Fatalf("history %v, lock %v; want none", history, lock)
		}
		return
	}
	if v >= 5 {
		if len(history) == 0 || history[0].Who != "carol" || history[0].ForcedOver != "rev2" {
			t.Fatalf("history after upgrade = %+v; want carol's apply over rev2 first", history)
		}
		history = history[1:]
	}
	if len(history) != 1 || history[0].Who != "bob" || !json.Valid(history[0].Changes) || history[0].ForcedOver != "" {
		t.Fatalf("history after upgrade = %+v", history)
	}
	if lock == nil || lock.ID != "lock-from-v2" || lock.PID != 42 {
		t.Fatalf("lock after upgrade = %+v", lock)
	}
}

func TestConcurrentOpensCreateOneStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := newLocation(t)
	const n = 4
	var (
		wg       sync.WaitGroup
		lineages [n]string
		created  [n]bool
		errs     [n]error
	)
	for i := range n {
		wg.Go(func() {
			s, err := Open(ctx, path, Options{})
			if err != nil {
				errs[i] = err
				return
			}
			defer s.Close()
			lineages[i], created[i], errs[i] = s.Init(ctx)
		})
	}
	wg.Wait()
	creators := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("opener %d: %v", i, errs[i])
		}
		if lineages[i] != lineages[0] {
			t.Errorf("opener %d saw lineage %s, opener 0 %s", i, lineages[i], lineages[0])
		}
		if created[i] {
			creators++
		}
	}
	if creators != 1 {
		t.Errorf("%d openers created the lineage; want 1", creators)
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openUnmigrated(t, newLocation(t))
	if err := s.migrateTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	before := dumpStore(t, s) + schemaOf(t, s)
	broken := migration{version: 2, name: "0002_broken.sql",
		sql: migrations[1].sql + "\nINSERT INTO no_such_table VALUES (1);"}

	if err := s.applyMigration(ctx, broken); err == nil {
		t.Fatal("the broken migration succeeded")
	}
	if after := dumpStore(t, s) + schemaOf(t, s); after != before {
		t.Errorf("a failed migration left changes:\n%s\nwas:\n%s", after, before)
	}
}

// checkTaskRuntimeSurvived checks the runtime records and runs: a store
// from before version 3 gets an active record for each stored task; one
// of version 3 keeps its records and runs.
func checkTaskRuntimeSurvived(t *testing.T, s *Store, v int) {
	t.Helper()
	ctx := context.Background()
	rts, err := s.TaskRuntimes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rts) == 0 || rts[0].Task != "old" || rts[0].State != TaskActive ||
		rts[0].Since.Format(time.RFC3339) != "2024-01-02T03:04:05Z" {
		t.Fatalf("task runtimes after upgrade = %+v; want task old active since its apply", rts)
	}
	runs, err := s.RunList(ctx, RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if v < 3 {
		if len(rts) != 1 || len(runs) != 0 {
			t.Fatalf("runtimes %+v, runs %+v; want only old's record", rts, runs)
		}
		return
	}
	paused := rts[1]
	if len(rts) != 2 || paused.State != TaskSuspended || paused.Reason != "HR freeze" ||
		paused.NextFireAt.Format(time.RFC3339) != "2024-02-02T02:00:00Z" || paused.ScheduleKey != "cron 0 2 * * *" {
		t.Fatalf("runtimes after upgrade = %+v", rts)
	}
	if len(runs) != 2 || runs[1].Task != "old" || runs[1].State != RunSucceeded || len(runs[1].Activities) != 1 ||
		runs[1].Activities[0].Success != 1 || string(runs[1].Checkpoint) != `{"page":2}` ||
		runs[1].HeartbeatAt.Nanosecond() != 500000000 || runs[0].State != RunQueued {
		t.Fatalf("runs after upgrade = %+v", runs)
	}
}

// checkRepositorySurvived checks the repository: empty before version 4,
// its users, keys, shadows and run changes kept from version 4 on.
func checkRepositorySurvived(t *testing.T, s *Store, v int) {
	t.Helper()
	ctx := context.Background()
	counts, err := s.RepositoryCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v < 4 {
		if counts.Users != 0 || len(counts.Shadows) != 0 {
			t.Fatalf("repository counts %+v; want an empty repository", counts)
		}
		return
	}
	if counts.Users != 1 || counts.Shadows["hr"] != 1 {
		t.Fatalf("repository counts after upgrade = %+v", counts)
	}
	err = s.RepositoryWrite(ctx, func(r *RepositoryTx) error {
		ids, err := r.FindUsers(map[string]string{"mail": "a@x"}, 2)
		if len(ids) != 1 || ids[0] != 1 {
			t.Errorf("FindUsers after upgrade = %v, %v", ids, err)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	changes, total, err := s.RunChanges(ctx, 1, 0, 0)
	if err != nil || total != 1 || changes[0].User != "alice" {
		t.Fatalf("run changes after upgrade = %+v, %d, %v", changes, total, err)
	}
}
