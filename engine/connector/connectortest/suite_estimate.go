package connectortest

import (
	"testing"

	"github.com/syncline/syncline/engine/connector"
)

// testEstimate checks the optional Estimator capability: an exact count is
// what a search streams, an estimate is within a factor of two of it, an
// empty resource is counted as empty, and an unknown object class is a
// schema error as it is for Search.
func testEstimate(t *testing.T, s *suite) {
	if _, ok := s.r.Connector.(connector.Estimator); !ok {
		t.Skip("the connector has no Estimator capability")
	}
	s.checkEstimate(t, "an empty resource", 0)
	const n = 3000
	s.seed(t, numbered(n))
	if got := len(s.search(t, connector.Query{})); got != n {
		t.Fatalf("search found %d objects, want %d", got, n)
	}
	s.checkEstimate(t, "after seeding", n)
	_, _, err := connector.Estimate(s.ctx, s.r.Connector, connector.Query{ObjectClass: "no-such-class"})
	s.wantKind(t, "Estimate of an unknown object class", err, connector.ErrSchema)
}

// checkEstimate checks the estimate of a search that streams want objects.
func (s *suite) checkEstimate(t *testing.T, what string, want int64) {
	t.Helper()
	n, exact, err := connector.Estimate(s.ctx, s.r.Connector, connector.Query{})
	switch {
	case err != nil:
		t.Fatalf("Estimate, %s: %v", what, err)
	case exact && n != want:
		t.Errorf("Estimate, %s: exactly %d, want %d", what, n, want)
	case !exact && (n < want/2 || n > want*2):
		t.Errorf("Estimate, %s: about %d, want within a factor of two of %d", what, n, want)
	}
}
