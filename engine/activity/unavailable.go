package activity

import (
	"context"
	"fmt"
)

// Unavailable is the activity of a type this version does not implement
// yet: it fails, saying so, and never pretends to have done the work.
func Unavailable(typ string) Activity {
	return Func(func(context.Context, *Context) error {
		return fmt.Errorf("the %s activity is not available in this version yet", typ)
	})
}
