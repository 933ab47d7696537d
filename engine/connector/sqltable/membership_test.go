package sqltable_test

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/sqltable"
)

// TestMemberships adds and removes rows of a membership table on every
// database: an add of a row that is there inserts no second one, a
// remove of a row that is not there succeeds, and Groups reads the
// groups back with their members.
func TestMemberships(t *testing.T) {
	t.Parallel()
	for _, db := range []database{postgresDB, mariaDB, sqliteDB} {
		t.Run(db.driver, func(t *testing.T) {
			t.Parallel()
			dsn := db.dsn(t)
			h, err := sql.Open(db.sqlDriver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { h.Close() })
			accounts, members := connectortest.UniqueName("acc"), connectortest.UniqueName("mem")
			q := db.quote
			for _, stmt := range []string{
				fmt.Sprintf("CREATE TABLE %s (%s varchar(100) PRIMARY KEY, %s varchar(100))", q(accounts), q("login"), q("name")),
				fmt.Sprintf("CREATE TABLE %s (%s varchar(100) NOT NULL, %s varchar(100) NOT NULL)", q(members), q("role group"), q("login")),
			} {
				if _, err := h.Exec(stmt); err != nil {
					t.Fatal(err)
				}
			}
			t.Cleanup(func() {
				h.Exec("DROP TABLE " + q(accounts))
				h.Exec("DROP TABLE " + q(members))
			})
			c, err := sqltable.New(t.Context(), "app", sqltable.Config{Driver: db.driver, DSN: dsn, Table: accounts, Key: "login"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			g := connector.GroupClass{Container: members, NameAttribute: "role group", MemberAttribute: "login"}
			name := `R&D, Inc.'; DROP TABLE x; --`
			errs := c.ChangeMembers(t.Context(), g, []connector.MemberChange{
				{Group: name, Member: "alice"},
				{Group: name, Member: "alice"}, // there already
				{Group: name, Member: "bob"},
				{Group: "sales", Member: "bob"},
				{Group: "sales", Member: "carol", Remove: true}, // not there
			})
			for i, err := range errs {
				if err != nil {
					t.Errorf("change %d: %v", i, err)
				}
			}
			want := []connector.Group{{Name: name, Members: []string{"alice", "bob"}}, {Name: "sales", Members: []string{"bob"}}}
			if got := groups(t, c, g); !equalGroups(got, want) {
				t.Errorf("Groups = %+v, want %+v", got, want)
			}
			errs = c.ChangeMembers(t.Context(), g, []connector.MemberChange{{Group: "sales", Member: "bob", Remove: true}})
			if errs[0] != nil {
				t.Fatal(errs[0])
			}
			if got := groups(t, c, g); !equalGroups(got, want[:1]) {
				t.Errorf("after the remove Groups = %+v, want %+v", got, want[:1])
			}
		})
	}
}

func groups(t *testing.T, c *sqltable.Connector, g connector.GroupClass) []connector.Group {
	t.Helper()
	var out []connector.Group
	for gr, err := range c.Groups(t.Context(), g) {
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(gr.Members)
		out = append(out, gr)
	}
	slices.SortFunc(out, func(a, b connector.Group) int {
		if a.Name < b.Name {
			return -1
		}
		return 1
	})
	return out
}

func equalGroups(a, b []connector.Group) bool {
	return slices.EqualFunc(a, b, func(x, y connector.Group) bool { return x.Name == y.Name && slices.Equal(x.Members, y.Members) })
}

// TestGroupObjects reads the groups of a membership table as objects on
// every database: one per distinct name, names differing only in case
// being one, found by GetGroup without regard to case.
func TestGroupObjects(t *testing.T) {
	t.Parallel()
	for _, db := range []database{postgresDB, mariaDB, sqliteDB} {
		t.Run(db.driver, func(t *testing.T) {
			t.Parallel()
			dsn := db.dsn(t)
			h, err := sql.Open(db.sqlDriver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { h.Close() })
			accounts, members := connectortest.UniqueName("acc"), connectortest.UniqueName("mem")
			q := db.quote
			for _, stmt := range []string{
				fmt.Sprintf("CREATE TABLE %s (%s varchar(100) PRIMARY KEY)", q(accounts), q("login")),
				fmt.Sprintf("CREATE TABLE %s (%s varchar(100), %s varchar(100) NOT NULL)", q(members), q("grp"), q("login")),
				fmt.Sprintf("INSERT INTO %s (%s, %s) VALUES ('sales', 'a'), ('Sales', 'b'), ('eng', 'a'), (NULL, 'c')", q(members), q("grp"), q("login")),
			} {
				if _, err := h.Exec(stmt); err != nil {
					t.Fatal(err)
				}
			}
			t.Cleanup(func() {
				h.Exec("DROP TABLE " + q(accounts))
				h.Exec("DROP TABLE " + q(members))
			})
			c, err := sqltable.New(t.Context(), "app", sqltable.Config{Driver: db.driver, DSN: dsn, Table: accounts, Key: "login"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			g := connector.GroupClass{Container: members, NameAttribute: "grp", MemberAttribute: "login"}
			var got []string
			for obj, err := range c.SearchGroups(t.Context(), g, connector.Query{}) {
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(obj.Attributes["grp"], []string{obj.ID}) {
					t.Errorf("group %q has attributes %v, want its name only", obj.ID, obj.Attributes)
				}
				got = append(got, strings.ToLower(obj.ID))
			}
			slices.Sort(got)
			if want := []string{"eng", "sales"}; !slices.Equal(got, want) {
				t.Errorf("SearchGroups = %v, want %v", got, want)
			}
			if obj, err := c.GetGroup(t.Context(), g, "ENG"); err != nil || obj.ID != "eng" {
				t.Errorf("GetGroup(ENG) = %v, %v; want eng", obj, err)
			}
			if _, err := c.GetGroup(t.Context(), g, "nosuch"); !errors.Is(err, connector.ErrNotFound) {
				t.Errorf("GetGroup(nosuch) = %v, want not found", err)
			}
		})
	}
}
