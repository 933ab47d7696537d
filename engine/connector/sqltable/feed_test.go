package sqltable_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/sqltable"
)

// TestPostgresSequenceFeedAndIntegerKeys covers what the conformance run
// does not: an integer key (paging must follow numeric order), an explicit
// schema, and a change column fed by a sequence.
func TestPostgresSequenceFeedAndIntegerKeys(t *testing.T) {
	t.Parallel()
	dsn := connectortest.PostgresDSN(t)
	db := postgresDB.admin(t, dsn)
	table := connectortest.UniqueName("people_")
	exec(t, db,
		fmt.Sprintf("CREATE SEQUENCE %s_seq", table),
		fmt.Sprintf("CREATE TABLE public.%s (id bigint PRIMARY KEY, name text, version bigint NOT NULL DEFAULT nextval('%s_seq'))", table, table),
		fmt.Sprintf("CREATE FUNCTION %s_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.version := nextval('%s_seq'); RETURN NEW; END $$", table, table),
		fmt.Sprintf("CREATE TRIGGER %s_bump BEFORE UPDATE ON public.%s FOR EACH ROW EXECUTE FUNCTION %s_bump()", table, table, table),
		fmt.Sprintf("INSERT INTO public.%s (id, name) SELECT g, 'n' || g FROM generate_series(1, 12) g", table),
	)
	t.Cleanup(func() {
		db.Exec(fmt.Sprintf("DROP TABLE public.%s", table))
		db.Exec(fmt.Sprintf("DROP FUNCTION %s_bump()", table))
		db.Exec(fmt.Sprintf("DROP SEQUENCE %s_seq", table))
	})
	c, err := postgresDB.open(t, sqltable.Config{DSN: dsn, Schema: "public", Table: table, Key: "id", Columns: []string{"name"},
		ChangeColumn: "version", ChangeColumnType: sqltable.ChangeSequence})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	var ids []string
	for obj, err := range c.Search(ctx, connector.Query{PageSize: 5}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, obj.ID)
	}
	if strings.Join(ids, ",") != "1,2,3,4,5,6,7,8,9,10,11,12" {
		t.Errorf("integer keys in order %q", ids)
	}
	t0, err := c.Changes(ctx, "", func(connector.Change) error { return errors.New("no changes expected") })
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"10", "2"} {
		if err := c.Update(ctx, id, []connector.Modification{connector.Replace("name", "changed "+id)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Create(ctx, connector.Object{ID: "13", Attributes: connector.Attributes{"name": {"new"}}}); err != nil {
		t.Fatal(err)
	}
	var got []string
	_, err = c.Changes(ctx, t0, func(ch connector.Change) error {
		got = append(got, ch.ID+"="+ch.Object.Attributes.First("name"))
		return nil
	})
	if err != nil || !slices.Equal(got, []string{"10=changed 10", "2=changed 2", "13=new"}) {
		t.Errorf("changes in sequence order: %q, %v", got, err)
	}
}
