package gitmirror

import (
	"testing"

	"github.com/syncline/syncline/config"
	"github.com/zclconf/go-cty/cty"
)

// TestGitCredentials: a sync block's credentials, relative files resolved
// against the configuration directory, with flags and environment on top;
// a password given on top drops the block's token and the other way round.
func TestGitCredentials(t *testing.T) {
	t.Parallel()
	block := &config.SyncSettings{Username: "bot", Token: cty.StringVal("block-token").Mark(config.Sensitive),
		SSHKeyFile: "keys/deploy", KnownHostsFile: "/etc/ssh/known", CAFile: "ca.pem"}
	base := CredentialsFrom(block, "/srv/iam")
	want := Credentials{Username: "bot", Token: "block-token", SSHKeyFile: "/srv/iam/keys/deploy",
		KnownHostsFile: "/etc/ssh/known", CAFile: "/srv/iam/ca.pem"}
	if base != want {
		t.Fatalf("CredentialsFrom = %+v, want %+v", base, want)
	}
	for _, c := range []struct {
		name string
		over Credentials
		want Credentials
	}{
		{"nothing on top", Credentials{}, want},
		{"a password replaces the token", Credentials{Password: "pw"},
			Credentials{Username: "bot", Password: "pw", SSHKeyFile: want.SSHKeyFile, KnownHostsFile: want.KnownHostsFile, CAFile: want.CAFile}},
		{"flags replace files and user", Credentials{Username: "ci", SSHKeyFile: "/k", CAFile: "/c"},
			Credentials{Username: "ci", Token: "block-token", SSHKeyFile: "/k", KnownHostsFile: want.KnownHostsFile, CAFile: "/c"}},
	} {
		if got := base.Override(c.over); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	if got := CredentialsFrom(nil, "/srv"); got != (Credentials{}) {
		t.Errorf("no block: %+v", got)
	}
}

// TestSSHUser: the user of an ssh repository is the URL's, else the
// setting's, else git.
func TestSSHUser(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ repo, setting, want string }{
		{"ssh://alice@host/iam.git", "bob", "alice"},
		{"ssh://host:2222/iam.git", "bob", "bob"},
		{"ssh://host/iam.git", "", "git"},
		{"deploy@host:org/iam.git", "bob", "deploy"},
	} {
		if got := sshUser(c.repo, c.setting); got != c.want {
			t.Errorf("sshUser(%q, %q) = %q, want %q", c.repo, c.setting, got, c.want)
		}
	}
	for repo, want := range map[string]bool{"git@host:iam.git": true, "host:iam": false, "./dir@x/y:z": false, "/srv/iam.git": false} {
		if got := IsSCPLike(repo); got != want {
			t.Errorf("IsSCPLike(%q) = %v", repo, got)
		}
	}
}
