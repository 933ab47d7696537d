package sqltable

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"strings"

	"github.com/syncline/syncline/engine/connector"
)

var _ connector.Memberships = (*Connector)(nil)

// Memberships on SQL live in a membership table beside the account
// table, one row per membership: the group's name in one column, the
// account's key in another. The group class says which:
//
//	Container        the membership table (in the connection's schema)
//	NameAttribute    its group column
//	MemberAttribute  its account column
//
// A group is the set of rows with its name: it exists while it has a
// member, and "creating" one is inserting its first row.

// membershipTable is the quoted, qualified membership table of g.
func (c *Connector) membershipTable(g connector.GroupClass) string {
	return c.d.quote(c.schema) + "." + c.d.quote(g.Container)
}

// Groups reads the membership table, one group per name with its
// members' keys (MemberKey).
func (c *Connector) Groups(ctx context.Context, g connector.GroupClass) iter.Seq2[connector.Group, error] {
	return func(yield func(connector.Group, error) bool) {
		gc, mc := c.d.quote(g.NameAttribute), c.d.quote(g.MemberAttribute)
		q := fmt.Sprintf("SELECT %s, %s FROM %s ORDER BY %s", gc, mc, c.membershipTable(g), gc)
		rows, err := c.db.QueryContext(ctx, q)
		if err != nil {
			yield(connector.Group{}, c.fail("groups", g.Container, err))
			return
		}
		defer rows.Close()
		var cur *connector.Group
		for rows.Next() {
			var name, member sql.NullString
			if err := rows.Scan(&name, &member); err != nil {
				yield(connector.Group{}, c.fail("groups", g.Container, err))
				return
			}
			if !name.Valid || !member.Valid {
				continue
			}
			if cur != nil && cur.Name != name.String {
				if !yield(*cur, nil) {
					return
				}
				cur = nil
			}
			if cur == nil {
				cur = &connector.Group{Name: name.String}
			}
			cur.Members = append(cur.Members, c.MemberKey(member.String))
		}
		if err := rows.Err(); err != nil {
			yield(connector.Group{}, c.fail("groups", g.Container, err))
			return
		}
		if cur != nil {
			yield(*cur, nil)
		}
	}
}

// MemberValue is the account's key itself.
func (c *Connector) MemberValue(_ context.Context, id string) (string, error) { return id, nil }

// MemberValueKnown is the account's key itself.
func (c *Connector) MemberValueKnown(id string) (string, bool) { return id, true }

// MemberKey matches member values as the account table matches keys.
func (c *Connector) MemberKey(value string) string { return c.MatchKey(value) }

// ChangeMembers inserts a row per membership added (unless the row is
// there already) and deletes the row of each one removed, one statement
// each.
func (c *Connector) ChangeMembers(ctx context.Context, g connector.GroupClass, changes []connector.MemberChange) []error {
	table, gc, mc := c.membershipTable(g), c.d.quote(g.NameAttribute), c.d.quote(g.MemberAttribute)
	p := c.d.placeholder
	param := func(n int) string {
		if c.cfg.Driver == Postgres {
			return "CAST(" + p(n) + " AS text)" // a bare parameter in a select list has no type
		}
		return p(n)
	}
	from := ""
	if c.cfg.Driver == MySQL {
		from = " FROM DUAL"
	}
	insert := fmt.Sprintf("INSERT INTO %s (%s, %s) SELECT %s, %s%s WHERE NOT EXISTS (SELECT 1 FROM %s WHERE %s = %s AND %s = %s)",
		table, gc, mc, param(1), param(2), from, table, gc, p(3), mc, p(4))
	del := fmt.Sprintf("DELETE FROM %s WHERE %s = %s AND %s = %s", table, gc, p(1), mc, p(2))
	errs := make([]error, len(changes))
	for i, ch := range changes {
		if err := ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		var err error
		if ch.Remove {
			_, err = c.db.ExecContext(ctx, del, ch.Group, ch.Member)
		} else {
			_, err = c.db.ExecContext(ctx, insert, ch.Group, ch.Member, ch.Group, ch.Member)
		}
		if err != nil {
			errs[i] = c.fail("member", ch.Group, err)
		}
	}
	return errs
}

var _ connector.GroupObjects = (*Connector)(nil)

// SearchGroups streams the groups of the membership table as objects:
// one per distinct name in its group column (names that differ only in
// case are one group, as associations compare them), with that name as
// its one attribute. A group here is its rows: it has no attributes of
// its own, and it exists while it has a member.
func (c *Connector) SearchGroups(ctx context.Context, g connector.GroupClass, _ connector.Query) iter.Seq2[connector.Object, error] {
	return func(yield func(connector.Object, error) bool) {
		gc := c.d.quote(g.NameAttribute)
		q := fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %s IS NOT NULL ORDER BY %s", gc, c.membershipTable(g), gc, gc)
		rows, err := c.db.QueryContext(ctx, q)
		if err != nil {
			yield(connector.Object{}, c.fail("search groups", g.Container, err))
			return
		}
		defer rows.Close()
		seen := map[string]bool{}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				yield(connector.Object{}, c.fail("search groups", g.Container, err))
				return
			}
			lower := strings.ToLower(name)
			if name == "" || seen[lower] {
				continue
			}
			seen[lower] = true
			if !yield(groupObject(g, name), nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(connector.Object{}, c.fail("search groups", g.Container, err))
		}
	}
}

// GetGroup reads the group named name (without regard to case): it
// exists while a row of the membership table names it.
func (c *Connector) GetGroup(ctx context.Context, g connector.GroupClass, name string) (connector.Object, error) {
	gc := c.d.quote(g.NameAttribute)
	q := fmt.Sprintf("SELECT %s FROM %s WHERE LOWER(%s) = LOWER(%s) ORDER BY %s", gc, c.membershipTable(g), gc, c.d.placeholder(1), gc)
	rows, err := c.db.QueryContext(ctx, q, name)
	if err != nil {
		return connector.Object{}, c.fail("get group", name, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return connector.Object{}, c.fail("get group", name, err)
		}
		return connector.Object{}, c.errs.Object(connector.ErrNotFound, "get group", name, nil, "")
	}
	var found string
	if err := rows.Scan(&found); err != nil {
		return connector.Object{}, c.fail("get group", name, err)
	}
	return groupObject(g, found), nil
}

// groupObject is the object of the group name: its name is all it has.
func groupObject(g connector.GroupClass, name string) connector.Object {
	return connector.Object{ID: name, Attributes: connector.Attributes{g.NameAttribute: {name}}}
}
