package metrics_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/gitsync"
	"github.com/syncline/syncline/engine/metrics"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/engine/webhook"
	"github.com/syncline/syncline/internal/gittest"
)

const webhookSecret = "whsec-81d2-SECRET"

// syncObserver is the metrics, telling the test when a sync ended.
type syncObserver struct {
	*metrics.Metrics
	synced chan ops.Outcome
}

func (o syncObserver) SyncFinished(outcome ops.Outcome, at time.Time, took time.Duration) {
	o.Metrics.SyncFinished(outcome, at, took)
	o.synced <- outcome
}

var _ gitsync.Observer = syncObserver{}

func syncedHCL(repo, extra string) string {
	return `syncline {
  sync {
    repository     = "` + repo + `"
    policy         = "auto_apply"
    webhook_secret = "` + webhookSecret + `"
  }
}
resource "hr" {
  connector = "csv"
  connection {
    path       = "data/hr.csv"
    identifier = "id"
  }
}
` + extra
}

// TestMetricsOfRealSyncs: a real syncer, following a git repository and
// serving its push webhook, applies the first commit, fails on a broken
// one pushed through the webhook, and refuses an unsigned request; the
// scrape has the sync outcomes, the last success, the webhook statuses,
// and neither the secret nor the repository's path.
func TestMetricsOfRealSyncs(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": syncedHCL(r.Dir, "")})
	r.Commit("HR")
	cfg, diags := config.LoadDir(r.Dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	m := metrics.New(metrics.Options{Sync: true})
	obs := syncObserver{Metrics: m, synced: make(chan ops.Outcome, 4)}
	s, err := gitsync.New(gitsync.Config{Settings: cfg.Settings, Dir: r.Dir, State: filepath.Join(t.TempDir(), "state.db"),
		Webhook: true, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); s.Stop() })
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, obs.synced, "the first sync"); got != ops.SyncApplied {
		t.Fatalf("first sync: %s", got)
	}
	_, fams := scrape(t, m.Handler())
	applied := value(fams, "syncline_sync_last_success_timestamp_seconds")
	if applied < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Errorf("last success %v, want about now", applied)
	}

	r.Write(map[string]string{"main.hcl": syncedHCL(r.Dir, "resource \"broken\" {\n")})
	r.Commit("Broken")
	hooks := httptest.NewServer(s.Handler())
	t.Cleanup(hooks.Close)
	url := hooks.URL + "/hooks/git"
	body := []byte(`{"ref": "refs/heads/main", "after": "0000000000000000000000000000000000000000"}`)
	post(t, url, body, "sha256="+webhook.Sign([]byte(webhookSecret), body), http.StatusAccepted)
	if got := receive(t, obs.synced, "the sync the push triggered"); got != ops.SyncFailed {
		t.Fatalf("broken sync: %s", got)
	}
	post(t, url, body, "", http.StatusUnauthorized)

	text, fams := scrape(t, m.Handler())
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"syncline_syncs_total", []string{"outcome=applied"}, 1},
		{"syncline_syncs_total", []string{"outcome=failed"}, 1},
		{"syncline_sync_status", []string{"outcome=failed"}, 1},
		{"syncline_sync_status", []string{"outcome=applied"}, 0},
		{"syncline_sync_duration_seconds", nil, 2},
		{"syncline_sync_last_success_timestamp_seconds", nil, applied},
		{"syncline_webhook_deliveries_total", []string{"code=202"}, 1},
		{"syncline_webhook_deliveries_total", []string{"code=401"}, 1},
	} {
		if got := value(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s{%s} = %v, want %v", c.name, strings.Join(c.labels, ","), got, c.want)
		}
	}
	checkNoLeak(t, text, fams, []string{webhookSecret, r.Dir})
}

// post sends body to the webhook with a generic signature (none when sig
// is empty) and checks the status.
func post(t *testing.T, url string, body []byte, sig string, want int) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if sig != "" {
		req.Header.Set("X-Syncline-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("POST /hooks/git: %d, want %d", resp.StatusCode, want)
	}
}
