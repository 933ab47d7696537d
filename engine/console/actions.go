package console

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/state"
)

// The operator's actions, shared by the API and the console's forms. Each
// records the token's name as who did it.

// trigger queues a manual run of task in mode ("" is the task's own) and
// wakes the server's workers.
func (c *Console) trigger(ctx context.Context, task, mode string, by principal) (*state.Run, error) {
	if mode != "" && !slices.Contains(config.Modes, mode) {
		return nil, badRequest("mode must be one of " + strings.Join(config.Modes, ", ") + ", not " + mode)
	}
	cat := c.cfg.Engine.Catalog()
	if cat == nil {
		return nil, errors.New("the server has no catalog loaded")
	}
	run, err := runner.EnqueueManual(ctx, c.cfg.Store, cat, task, config.Mode(mode), by.Name)
	if err != nil {
		return nil, err
	}
	c.cfg.Logger.Info("run queued from the console", "run", run.ID, "task", task, "mode", run.Mode, "by", by.Name)
	c.cfg.Engine.Wake()
	return run, nil
}

func (c *Console) suspend(ctx context.Context, task, reason string, by principal) error {
	if strings.TrimSpace(reason) == "" {
		return badRequest("say why the task is suspended: a reason is required")
	}
	if err := c.knownTask(ctx, task); err != nil {
		return err
	}
	return c.cfg.Store.TaskSuspend(ctx, task, reason, by.Name)
}

func (c *Console) resume(ctx context.Context, task string, by principal) error {
	if err := c.knownTask(ctx, task); err != nil {
		return err
	}
	return c.cfg.Store.TaskResume(ctx, task, by.Name)
}

func (c *Console) cancel(ctx context.Context, id int64, by principal) (*state.Run, error) {
	return c.cfg.Store.RunCancel(ctx, id, by.Name, c.cfg.Clock.Now())
}

// knownTask is a 404 for a task that was never applied.
func (c *Console) knownTask(ctx context.Context, task string) error {
	_, err := c.cfg.Store.TaskRuntime(ctx, task)
	return err
}
