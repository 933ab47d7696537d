package synchronization

import (
	"time"

	"github.com/syncline/syncline/state"
)

// repositoryReader is what deciding reads of the repository: a
// *state.RepositoryTx in a pass, or the read-only view the impact
// evaluation gives it (see impact.go). The decider writes nothing
// through it; apply writes through the transaction itself.
type repositoryReader interface {
	ShadowByKey(resource, kind, intent, key string) (*state.Shadow, error)
	ShadowsOfUser(userID int64) ([]*state.Shadow, error)
	UserByID(id int64) (*state.User, error)
	UserByName(name string) (*state.User, error)
	FindUsers(match map[string]string, limit int) ([]int64, error)
	Now() time.Time
}

var _ repositoryReader = (*state.RepositoryTx)(nil)
