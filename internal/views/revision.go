package views

import (
	"fmt"
	"strings"

	"github.com/syncline/syncline/config"
)

// RevisionLine describes a revision in one line for people:
// Revision 6027429 (main) "Add the nightly schedule" by Alice <alice@example.com>.
func RevisionLine(rev *config.Revision) string {
	ref := ""
	if rev.Ref != "" && !strings.HasPrefix(rev.Commit, rev.Ref) {
		ref = " (" + rev.Ref + ")"
	}
	return fmt.Sprintf("Revision %s%s %q by %s.", rev.Short, ref, rev.Message, rev.Author)
}
