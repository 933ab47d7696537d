package csvfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/csvfile"
)

func batchFile(t *testing.T, content string) (*csvfile.Connector, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := csvfile.New("hr", csvfile.Config{Path: path, Display: "people.csv", Identifier: "id"})
	if err != nil {
		t.Fatal(err)
	}
	return c, path
}

// TestBatchRewrite: one rewrite keeps untouched rows byte for byte,
// rewrites changed rows in place, drops deleted ones and appends created
// ones, also after a last row without a newline.
func TestBatchRewrite(t *testing.T) {
	t.Parallel()
	c, path := batchFile(t, "id,name\na,\"quoted , kept\"\nb,B\nc,C")
	errs := c.Apply(t.Context(), []connector.Operation{
		connector.CreateOp(connector.Object{ID: "d", Attributes: connector.Attributes{"name": {"D"}}}),
		connector.UpdateOp("c", connector.Replace("name", "C2")),
		connector.DeleteOp("b"),
		connector.RenameOp("a", "a2"),
		connector.UpdateOp("a2", connector.Replace("name", "quoted , kept")),
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("operation %d: %v", i, err)
		}
	}
	checkFile(t, path, "id,name\na2,\"quoted , kept\"\nc,C2\nd,D\n")
}

// TestBatchNothingWritten: a batch whose every operation fails leaves the
// file as it was, and a file with a bad row fails every operation.
func TestBatchNothingWritten(t *testing.T) {
	t.Parallel()
	const content = "id,name\na,A\n"
	c, path := batchFile(t, content)
	errs := c.Apply(t.Context(), []connector.Operation{
		connector.CreateOp(connector.Object{ID: "a"}),
		connector.DeleteOp("zz"),
	})
	if !errors.Is(errs[0], connector.ErrAlreadyExists) || !errors.Is(errs[1], connector.ErrNotFound) {
		t.Errorf("errors %v", errs)
	}
	checkFile(t, path, content)

	const bad = "id,name\na,A\na,again\n"
	c, path = batchFile(t, bad)
	errs = c.Apply(t.Context(), []connector.Operation{connector.CreateOp(connector.Object{ID: "n"}), connector.DeleteOp("a")})
	for i, err := range errs {
		if !errors.Is(err, connector.ErrInvalidObject) {
			t.Errorf("operation %d on a file with a duplicate: %v", i, err)
		}
	}
	checkFile(t, path, bad)
}
