package synchronization_test

import (
	"strings"
	"testing"
)

// TestMappingDerivedFromSecretIsRefused: a mapping whose value is derived
// from a sensitive variable — through can(), try() or a lookup by a
// computed key, where hcl itself drops the mark — is refused per object
// like a sensitive value, so nothing derived from the secret reaches the
// repository.
func TestMappingDerivedFromSecretIsRefused(t *testing.T) {
	t.Parallel()
	for name, expr := range map[string]string{
		"can":          `can(regex("^A", var.pw)) ? "yes" : "no"`,
		"try":          `try(tonumber(var.pw), "no")`,
		"computed key": `{ A = "yes", B = "no" }[substr(var.pw, 0, 1)]`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			secret := "variable \"pw\" {\n  type      = string\n  sensitive = true\n  default   = \"Apple\"\n}\n"
			resource := strings.Replace(hrResource(""), "given_name      = attributes.first_name", "given_name      = "+expr, 1)
			b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": secret + resource + appResource(sqliteApp, "") + tasks("")})
			run := b.run(t, "hr-import", "")
			if got := run.Activities[0].Failure; got != 4 {
				t.Fatalf("%d objects failed, want 4\n%s", got, describe(run))
			}
			if !strings.Contains(describe(run), "sensitive") {
				t.Errorf("the errors do not say the value is sensitive:\n%s", describe(run))
			}
			for _, u := range b.users(t) {
				if strings.Contains(u, "yes") || strings.Contains(u, "Apple") {
					t.Errorf("a user holds a value derived from the secret: %s", u)
				}
			}
		})
	}
}
