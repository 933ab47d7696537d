package synchronization

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// offline stands for a resource's connector during an impact evaluation:
// it never reaches the resource. Every operation fails; MatchKey answers
// as the resource's stored shadows show its keys are matched.
type offline struct {
	name string
	keys keyMatching
}

var errOffline = fmt.Errorf("the impact evaluation does not reach resources")

// keyMatching is how a resource's keys follow from identifiers, learned
// from its shadows: exact, case folded (and trailing spaces trimmed), or
// exceptions by identifier.
type keyMatching struct {
	fold       bool
	exceptions map[string]string
}

func (k keyMatching) key(id string) string {
	if key, ok := k.exceptions[id]; ok {
		return key
	}
	if k.fold {
		return strings.ToLower(strings.TrimRight(id, " "))
	}
	return id
}

// learnKeys reads up to limit shadows of resource whose key differs from
// the identifier: when every one is the identifier case folded, the
// resource folds case; otherwise the pairs seen are exceptions.
func learnKeys(ctx context.Context, st *state.Store, resource string, limit int) (keyMatching, error) {
	pairs, err := st.ShadowKeysDiffering(ctx, resource, limit)
	if err != nil || len(pairs) == 0 {
		return keyMatching{}, err
	}
	k := keyMatching{fold: true}
	for _, p := range pairs {
		if strings.ToLower(strings.TrimRight(p[0], " ")) != p[1] {
			k.fold = false
		}
	}
	if !k.fold {
		k.exceptions = make(map[string]string, len(pairs))
		for _, p := range pairs {
			k.exceptions[p[0]] = p[1]
		}
	}
	return k, nil
}

func (o *offline) MatchKey(id string) string            { return o.keys.key(id) }
func (o *offline) Resource() string                     { return o.name }
func (o *offline) Capabilities() connector.Capabilities { return connector.Capabilities{} }
func (o *offline) Test(context.Context) (*connector.TestResult, error) {
	return nil, errOffline
}
func (o *offline) Search(context.Context, connector.Query) iter.Seq2[connector.Object, error] {
	return func(yield func(connector.Object, error) bool) { yield(connector.Object{}, errOffline) }
}
func (o *offline) Get(context.Context, string) (connector.Object, error) {
	return connector.Object{}, errOffline
}
func (o *offline) Create(context.Context, connector.Object) error { return errOffline }
func (o *offline) Update(context.Context, string, []connector.Modification) error {
	return errOffline
}
func (o *offline) Delete(context.Context, string) error { return errOffline }
func (o *offline) Close() error                         { return nil }

// offlineOpener opens offline connectors, learning each resource's keys
// once.
func offlineOpener(st *state.Store) func(context.Context, *config.Resource, connector.Options) (connector.Connector, error) {
	return func(ctx context.Context, res *config.Resource, _ connector.Options) (connector.Connector, error) {
		keys, err := learnKeys(ctx, st, res.Name, keySampleSize)
		if err != nil {
			return nil, err
		}
		return &offline{name: res.Name, keys: keys}, nil
	}
}

// keySampleSize bounds the shadows learnKeys reads per resource.
const keySampleSize = 10_000
