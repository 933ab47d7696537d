package state

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestInsertUpdateDeleteUser(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ensureIndex(t, "mail")
	alice := newUser("alice", map[string]string{"mail": "alice@example.com", "sn": "Liddell"})
	b.addUsers(t, alice)
	if alice.ID == 0 || !alice.CreatedAt.Equal(b.clock.Now()) || !alice.UpdatedAt.Equal(b.clock.Now()) {
		t.Fatalf("after InsertUser: %+v", alice)
	}

	b.clock.Advance(time.Hour)
	alice.Name, alice.Status = "alice.l", UserDisabled
	alice.Attributes = map[string]string{"mail": "al@example.com"}
	b.repo(t, func(r *RepositoryTx) error { return r.UpdateUser(alice) })

	b.repo(t, func(r *RepositoryTx) error {
		got, err := r.UserByID(alice.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, alice) || !got.UpdatedAt.Equal(b.clock.Now()) {
			t.Errorf("UserByID = %+v; want %+v", got, alice)
		}
		if old, err := r.UserByName("alice"); err != nil || old != nil {
			t.Errorf("UserByName(old name) = %+v, %v; want nil, nil", old, err)
		}
		return nil
	})
	if ids := b.findUsers(t, map[string]string{"mail": "alice@example.com"}, 2); len(ids) != 0 {
		t.Errorf("the old mail still finds %v", ids)
	}
	if ids := b.findUsers(t, map[string]string{"mail": "al@example.com"}, 2); !slices.Equal(ids, []int64{alice.ID}) {
		t.Errorf("the new mail finds %v; want [%d]", ids, alice.ID)
	}

	b.repo(t, func(r *RepositoryTx) error { return r.DeleteUser(alice.ID) })
	b.repo(t, func(r *RepositoryTx) error {
		if got, err := r.UserByID(alice.ID); err != nil || got != nil {
			t.Errorf("after DeleteUser: %+v, %v", got, err)
		}
		return r.DeleteUser(alice.ID) // a second delete does nothing
	})
	if n := b.count(t, "user_keys"); n != 0 {
		t.Errorf("%d user keys left after the delete", n)
	}
}

func TestUserAttributesAreNeverNil(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.addUsers(t, &User{Name: "bare", Status: UserActive})
	u, err := b.store.UserGet(b.ctx, "bare")
	if err != nil || u == nil || u.Attributes == nil || len(u.Attributes) != 0 {
		t.Fatalf("User = %+v, %v; want empty, non-nil attributes", u, err)
	}
}

func TestUserNameConflicts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := b.addUsers(t, newUser("alice", nil), newUser("bob", nil))
	tests := map[string]func(*RepositoryTx) error{
		"insert": func(r *RepositoryTx) error { return r.InsertUser(newUser("alice", nil)) },
		"rename": func(r *RepositoryTx) error {
			return r.UpdateUser(&User{ID: ids[1], Name: "alice", Status: UserActive})
		},
	}
	for name, write := range tests {
		t.Run(name, func(t *testing.T) {
			var exists *UserExistsError
			err := b.store.RepositoryWrite(b.ctx, write)
			if !errors.As(err, &exists) || exists.Name != "alice" {
				t.Fatalf("err = %v; want a UserExistsError for alice", err)
			}
			if want := `a user named "alice" already exists`; !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		})
	}
}

func TestInvalidUserWrites(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := map[string]struct {
		write func(*RepositoryTx) error
		want  any
	}{
		"no name":      {func(r *RepositoryTx) error { return r.InsertUser(&User{Status: UserActive}) }, new(*InvalidRepositoryError)},
		"no status":    {func(r *RepositoryTx) error { return r.InsertUser(&User{Name: "x"}) }, new(*InvalidRepositoryError)},
		"name as attr": {func(r *RepositoryTx) error { return r.InsertUser(newUser("x", map[string]string{"name": "y"})) }, new(*InvalidRepositoryError)},
		"unknown ID":   {func(r *RepositoryTx) error { return r.UpdateUser(&User{ID: 99, Name: "x", Status: UserActive}) }, new(*UnknownUserError)},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := b.store.RepositoryWrite(b.ctx, tt.write)
			if !errors.As(err, tt.want) {
				t.Fatalf("err = %v; want %T", err, tt.want)
			}
		})
	}
}

func TestFindUsers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ensureIndex(t, "mail", `we"ird.name`)
	ids := b.addUsers(t,
		newUser("alice", map[string]string{"mail": "a@x", "dept": "eng", `we"ird.name`: "1", "a.b": "dotted"}),
		&User{Name: "bob", Status: UserDisabled, Attributes: map[string]string{"mail": "b@x", "dept": "eng"}},
		newUser("carol", map[string]string{"mail": "shared@x", "dept": "ops", "a.b": "dotted"}),
		newUser("dave", map[string]string{"mail": "shared@x", "dept": "ops", `we"ird.name`: "1"}),
		newUser("erin", map[string]string{"mail": "", "dept": `'); DROP TABLE users; --`}),
	)
	alice, bob, carol, dave, erin := ids[0], ids[1], ids[2], ids[3], ids[4]
	tests := []struct {
		name  string
		match map[string]string
		limit int
		want  []int64
	}{
		{"indexed", map[string]string{"mail": "a@x"}, 2, []int64{alice}},
		{"not indexed", map[string]string{"dept": "eng"}, 10, []int64{alice, bob}},
		{"indexed, disputed", map[string]string{"mail": "shared@x"}, 2, []int64{carol, dave}},
		{"not indexed, limit 2 of 3", map[string]string{"dept": "eng", "mail": "a@x"}, 2, []int64{alice}},
		{"limit 1", map[string]string{"dept": "ops"}, 1, []int64{carol}},
		{"name column", map[string]string{"name": "bob"}, 2, []int64{bob}},
		{"status column", map[string]string{"status": UserDisabled}, 2, []int64{bob}},
		{"status and attribute", map[string]string{"status": UserActive, "dept": "eng"}, 2, []int64{alice}},
		{"empty value is a value", map[string]string{"mail": ""}, 2, []int64{erin}},
		{"missing attribute matches nothing", map[string]string{"phone": ""}, 2, nil},
		{"dotted name", map[string]string{"a.b": "dotted"}, 5, []int64{alice, carol}},
		{"indexed name with quote and dot", map[string]string{`we"ird.name`: "1"}, 5, []int64{alice, dave}},
		{"injection in value", map[string]string{"dept": `'); DROP TABLE users; --`}, 2, []int64{erin}},
		{"injection in name", map[string]string{`"]') OR 1=1 --`: "x"}, 2, nil},
		{"empty match finds nobody", map[string]string{}, 10, nil},
		{"nil match finds nobody", nil, 10, nil},
		{"limit 0", map[string]string{"dept": "eng"}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.findUsers(t, tt.match, tt.limit); !slices.Equal(got, tt.want) {
				t.Errorf("FindUsers(%q, %d) = %v; want %v", tt.match, tt.limit, got, tt.want)
			}
		})
	}
}

func TestEnsureUserIndexBackfills(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := b.addUsers(t,
		newUser("alice", map[string]string{"mail": "a@x", "uid": "1"}),
		newUser("bob", map[string]string{"uid": "2"}),
	)
	if n := b.count(t, "user_keys"); n != 0 {
		t.Fatalf("%d keys before any name is indexed", n)
	}
	b.ensureIndex(t, "mail", "uid", "mail", "name", "")
	if got := b.keys(t); !reflect.DeepEqual(got, []string{"mail=a@x", "uid=1", "uid=2"}) {
		t.Errorf("keys after EnsureUserIndex = %q", got)
	}
	before := b.dump(t)
	b.ensureIndex(t, "uid") // nothing new: nothing changes
	if after := b.dump(t); after != before {
		t.Errorf("a second EnsureUserIndex changed the store:\n%s", after)
	}
	b.addUsers(t, newUser("carol", map[string]string{"uid": "3"}))
	if got := b.findUsers(t, map[string]string{"uid": "2"}, 2); !slices.Equal(got, ids[1:2]) {
		t.Errorf("FindUsers(uid=2) = %v; want %v", got, ids[1:2])
	}
	if got := b.keys(t); !slices.Contains(got, "uid=3") {
		t.Errorf("a user inserted after EnsureUserIndex has no key: %q", got)
	}
}

// TestIndexSeenAcrossStores: a name indexed through one Store is kept up
// to date by writes through another that opened the file before.
func TestIndexSeenAcrossStores(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := b.open(t)
	if err := other.RepositoryWrite(b.ctx, func(r *RepositoryTx) error { _, err := r.FindUsers(map[string]string{"mail": "x"}, 1); return err }); err != nil {
		t.Fatal(err)
	}
	b.ensureIndex(t, "mail")
	if err := other.RepositoryWrite(b.ctx, func(r *RepositoryTx) error { return r.InsertUser(newUser("zed", map[string]string{"mail": "z@x"})) }); err != nil {
		t.Fatal(err)
	}
	if got := b.keys(t); !slices.Equal(got, []string{"mail=z@x"}) {
		t.Errorf("keys = %q; want the other store's insert indexed", got)
	}
}

func TestHostileUserValues(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ensureIndex(t, "big")
	big := strings.Repeat("ü'\"\\<>&", 10*1024/9)
	attrs := map[string]string{"big": big, `quote"d`: `it's "quoted"`, "emoji 🎉": "日本語", "path.like[0]": "$.x"}
	u := newUser(`O'Brien "Bob" 🎉`, attrs)
	b.addUsers(t, u)
	got, err := b.store.UserGet(b.ctx, u.Name)
	if err != nil || got == nil || !reflect.DeepEqual(got.Attributes, attrs) {
		t.Fatalf("User = %+v, %v", got, err)
	}
	for name, value := range attrs {
		if ids := b.findUsers(t, map[string]string{name: value}, 2); !slices.Equal(ids, []int64{u.ID}) {
			t.Errorf("FindUsers(%q) = %v; want [%d]", name, ids, u.ID)
		}
	}
}

// count is the number of rows in table.
func (b *bundle) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := b.store.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// keys lists the correlation index as "attribute=value", sorted.
func (b *bundle) keys(t *testing.T) []string {
	t.Helper()
	rows, err := b.store.db.Query(`SELECT attribute || '=' || value FROM user_keys ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	return keys
}

func TestEveryRepoStatementHasItsQuery(t *testing.T) {
	t.Parallel()
	for id, q := range repoQueries {
		if strings.TrimSpace(q) == "" {
			t.Errorf("statement %d has no query", id)
		}
	}
}
