package engine

import (
	"testing"

	"github.com/syncline/syncline/engine/internal/enginetest"
)

// bundle is what the server tests start from (see enginetest.Bundle);
// startServer is in server_test.go.
type bundle struct{ *enginetest.Bundle }

// setup writes hcl as the configuration, opens a store in a temporary
// directory and applies the configuration.
func setup(t testing.TB, hcl string) *bundle {
	t.Helper()
	return &bundle{enginetest.Setup(t, hcl)}
}
