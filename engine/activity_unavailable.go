package engine

import (
	"context"
	"fmt"
)

// unavailable is the activity of a type this version does not implement
// yet: it fails, saying so, and never pretends to have done the work.
func unavailable(typ string) Activity {
	return ActivityFunc(func(context.Context, *ActivityContext) error {
		return fmt.Errorf("the %s activity is not available in this version yet", typ)
	})
}
