package csvfile

import (
	"context"

	"github.com/syncline/syncline/engine/connector"
)

// Test reads the whole file: the columns, how many rows, and the rows that
// cannot be read (wrong field count, bad quoting, not UTF-8, duplicate
// identifiers).
func (c *Connector) Test(ctx context.Context) (*connector.TestResult, error) {
	res := &connector.TestResult{
		Connector:    "csv",
		Location:     c.cfg.Display,
		ObjectClass:  connector.DefaultObjectClass,
		Identifier:   c.cfg.Identifier,
		Capabilities: c.Capabilities(),
	}
	var fatal error
	c.scan(ctx, "test", scanOptions{dedupe: true}, func(rr *rowReader, rw row, err error) bool {
		if res.Attributes == nil && rr != nil {
			res.Attributes = c.attributeInfo(rr.columns)
		}
		switch {
		case err != nil && !connector.IsObjectError(err):
			fatal = err
			return false
		case err != nil:
			res.AddProblem(err)
		default:
			res.Objects++
		}
		return true
	})
	if fatal != nil {
		return nil, fatal
	}
	if res.Attributes == nil { // a file with a header and no rows
		rr, err := c.openRows("test")
		if err != nil {
			return nil, err
		}
		rr.close()
		res.Attributes = c.attributeInfo(rr.columns)
	}
	return res, nil
}

func (c *Connector) attributeInfo(columns []string) []connector.AttributeInfo {
	out := make([]connector.AttributeInfo, len(columns))
	for i, col := range columns {
		out[i] = connector.AttributeInfo{Name: col, MultiValued: c.cfg.MultivalueDelimiter != 0, Nullable: col != c.cfg.Identifier}
	}
	return out
}
