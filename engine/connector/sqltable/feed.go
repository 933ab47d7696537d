package sqltable

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/syncline/syncline/engine/connector"
)

// mark is a position in the change feed: the change column's value and the
// key of the last row reported. With no value, the feed starts at the
// first row that has one.
type mark struct {
	Seq  *int64     `json:"seq,omitempty"`
	Time *time.Time `json:"time,omitempty"`
	Text *string    `json:"text,omitempty"`
	Key  string     `json:"key"`
}

const tokenPrefix = "sql1:"

func (m mark) token() string {
	b, _ := json.Marshal(m)
	return tokenPrefix + string(b)
}

func parseMark(token string) (mark, error) {
	var m mark
	body, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok || json.Unmarshal([]byte(body), &m) != nil {
		return m, fmt.Errorf("%q is not a sql change token", token)
	}
	return m, nil
}

// value is the change column's value to bind, or nil.
func (m mark) value() any {
	switch {
	case m.Seq != nil:
		return *m.Seq
	case m.Time != nil:
		return *m.Time
	case m.Text != nil:
		return *m.Text
	}
	return nil
}

// setValue records a change column value as the driver returned it.
func (m *mark) setValue(v any, changeType string) error {
	switch v := v.(type) {
	case int64:
		m.Seq = &v
	case time.Time:
		m.Time = &v
	case []byte:
		return m.setValue(string(v), changeType)
	case string:
		if changeType != ChangeSequence {
			m.Text = &v
			return nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("the change column holds %q, not a sequence number", v)
		}
		m.Seq = &n
	default:
		return fmt.Errorf("the change column holds a %T; use a timestamp or an integer column", v)
	}
	return nil
}

// Changes reports the rows whose change column moved past the token, in
// change-column order, each with a token that resumes right after it.
// Rows with a NULL change column are not reported; deleted rows leave no
// trace (a reconciliation finds them).
func (c *Connector) Changes(ctx context.Context, token string, fn func(connector.Change) error) (string, error) {
	if c.change == nil {
		return "", c.errs.New(connector.ErrUnsupported, "changes", fmt.Errorf("the connection has no change_column"),
			"Set change_column to a column the application moves forward on every insert and update (an updated_at timestamp or a sequence).")
	}
	if token == "" {
		m, err := c.latest(ctx)
		return m.token(), err
	}
	m, err := parseMark(token)
	if err != nil {
		return "", c.errs.New(connector.ErrInvalidToken, "changes", err, "")
	}
	for {
		page, err := c.changesAfter(ctx, m)
		if err != nil {
			return "", err
		}
		for _, ch := range page {
			if err := fn(ch.change); err != nil {
				return "", err
			}
			m = ch.mark
		}
		if len(page) < connector.DefaultPageSize {
			return m.token(), nil
		}
	}
}

// latest returns the position of the newest change: "from now".
func (c *Connector) latest(ctx context.Context) (mark, error) {
	cc := c.d.quote(c.change.name)
	query := fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s IS NOT NULL ORDER BY %s DESC, %s DESC LIMIT 1",
		c.d.changeExpr(cc, c.cfg.ChangeColumnType), c.keyColumn(), c.table, cc, cc, c.keyColumn())
	var v any
	var key sql.NullString
	var m mark
	err := c.db.QueryRowContext(ctx, query).Scan(&v, &key)
	switch {
	case err == sql.ErrNoRows:
		return m, nil
	case err != nil:
		return m, c.fail("changes", "", err)
	}
	m.Key = key.String
	if err := m.setValue(v, c.cfg.ChangeColumnType); err != nil {
		return m, c.errs.New(connector.ErrSchema, "changes", err, "")
	}
	return m, nil
}

// feedRow is one change read, with the position after it.
type feedRow struct {
	change connector.Change
	mark   mark
}

// changesAfter reads one page of changes after m.
func (c *Connector) changesAfter(ctx context.Context, m mark) ([]feedRow, error) {
	cc, key := c.d.quote(c.change.name), c.keyColumn()
	where := fmt.Sprintf("%s IS NOT NULL", cc)
	var args []any
	if v := m.value(); v != nil {
		where = fmt.Sprintf("(%s > %s OR (%s = %s AND %s > %s))", cc, c.d.placeholder(1), cc, c.d.placeholder(2), key, c.d.placeholder(3))
		args = []any{v, v, m.Key}
	}
	query := fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s ORDER BY %s, %s LIMIT %d",
		c.d.changeExpr(cc, c.cfg.ChangeColumnType), c.selectList(), c.table, where, cc, key, connector.DefaultPageSize)
	rows, err := c.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, c.fail("changes", "", err)
	}
	defer rows.Close()
	var out []feedRow
	var v any
	sc := c.newScanner("changes", &v)
	for rows.Next() {
		r, err := c.scanChange(sc, rows, &v)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, c.fail("changes", "", err)
	}
	return out, nil
}

// scanChange reads one row of the feed; v receives the change column.
func (c *Connector) scanChange(sc *rowScanner, rows *sql.Rows, v *any) (feedRow, error) {
	s, err := sc.scan(rows)
	if err != nil {
		return feedRow{}, c.fail("changes", "", err)
	}
	if s.err != nil {
		return feedRow{}, s.err
	}
	r := feedRow{mark: mark{Key: s.key}}
	if err := r.mark.setValue(*v, c.cfg.ChangeColumnType); err != nil {
		return feedRow{}, c.errs.New(connector.ErrSchema, "changes", err, "")
	}
	r.change = connector.Change{Type: connector.ChangeUpsert, ID: s.key, Object: s.obj, Token: r.mark.token()}
	return r, nil
}
