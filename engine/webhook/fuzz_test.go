package webhook

import (
	"net/http"
	"testing"
)

// fuzzParser feeds random signatures, events and bodies to p and to the
// payload parser; neither may panic.
func fuzzParser(f *testing.F, p parser, sigHeader, eventHeader, event string) {
	body := pushBody("refs/heads/main")
	f.Add("sha256="+Sign([]byte(secret), []byte(body)), event, body)
	f.Add(Sign([]byte(secret), []byte(body)), event, body)
	f.Add("", "", "")
	f.Add("sha256=zz", "push", "{")
	f.Add(secret, "Push Hook", `{"ref": 1}`)
	f.Add("sha256=", "ping", `{"ref": "refs/heads/main", "after": null}`)
	f.Fuzz(func(t *testing.T, sig, ev, body string) {
		h := http.Header{}
		h.Set(sigHeader, sig)
		if eventHeader != "" {
			h.Set(eventHeader, ev)
		}
		_, _, _ = p(h, []byte(body), []byte(secret))
		_, _, _ = parsePayload([]byte(body))
	})
}

func FuzzGitHub(f *testing.F) {
	fuzzParser(f, parseGitHub, "X-Hub-Signature-256", "X-GitHub-Event", "push")
}

func FuzzGitLab(f *testing.F) {
	fuzzParser(f, parseGitLab, "X-Gitlab-Token", "X-Gitlab-Event", "Push Hook")
}

func FuzzGitea(f *testing.F) {
	fuzzParser(f, parseGitea, "X-Gitea-Signature", "X-Gitea-Event", "push")
}

func FuzzGeneric(f *testing.F) {
	fuzzParser(f, parseGeneric, "X-Syncline-Signature", "", "push")
}
