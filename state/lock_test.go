package state

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLockWaitsThenNamesTheHolder(t *testing.T) {
	t.Parallel()
	b := setup(t)
	held, err := b.store.LockAcquire(b.ctx, "apply", 0)
	if err != nil {
		t.Fatal(err)
	}
	other := b.open(t)

	const timeout = 300 * time.Millisecond
	waited, err := b.waitOut(func() error {
		_, err := other.LockAcquire(b.ctx, "apply", timeout)
		return err
	})

	var locked *LockedError
	if !errors.As(err, &locked) || locked.Holder != *held || locked.HolderGone {
		t.Fatalf("err = %v; want a LockedError naming %+v", err, held)
	}
	if waited != timeout {
		t.Errorf("Lock gave up after %v on the store's clock; want %v", waited, timeout)
	}
	for _, want := range []string{
		held.Holder, held.Host, "pid " + strconv.Itoa(os.Getpid()), held.ID,
		held.Since.Format(time.RFC3339), "syncline state unlock " + held.ID,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q; want it to contain %q", err, want)
		}
	}
}

func TestLockIsTakenOnceReleased(t *testing.T) {
	t.Parallel()
	b := setup(t)
	held, err := b.store.LockAcquire(b.ctx, "apply", 0)
	if err != nil {
		t.Fatal(err)
	}
	other := b.open(t)
	got := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := other.LockAcquire(b.ctx, "apply", 10*time.Second)
		got <- err
	}()
	if !b.clock.WaitForTimers(1, done) {
		t.Fatalf("Lock did not wait for the held lock: %v", <-got)
	}
	if err := b.store.LockRelease(b.ctx, held.ID); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(lockPollInterval)
	if err := <-got; err != nil {
		t.Fatalf("waiting Lock: %v", err)
	}
}

// waitOut calls acquire, which waits for the lock on the bundle's fake
// clock, and moves the clock to each timer it sets until it returns. It
// returns acquire's error and how far the clock moved.
func (b *bundle) waitOut(acquire func() error) (time.Duration, error) {
	start := b.clock.Now()
	done := make(chan struct{})
	var err error
	go func() {
		defer close(done)
		err = acquire()
	}()
	for b.clock.WaitForTimers(1, done) {
		if next, ok := b.clock.NextDeadline(); ok {
			b.clock.Set(next)
		}
	}
	<-done
	return b.clock.Now().Sub(start), err
}

func TestCurrentLock(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if held, err := b.store.LockHolder(b.ctx); err != nil || held != nil {
		t.Fatalf("CurrentLock on a free store = %+v, %v", held, err)
	}
	info, err := b.store.LockAcquire(b.ctx, "apply", 0)
	if err != nil {
		t.Fatal(err)
	}
	held, err := b.store.LockHolder(b.ctx)
	if err != nil || held == nil || *held != *info {
		t.Fatalf("CurrentLock = %+v, %v; want %+v", held, err, info)
	}
	if !held.Since.Equal(b.clock.Now()) || held.PID != os.Getpid() || held.Operation != "apply" || held.Holder == "" {
		t.Errorf("lock = %+v", held)
	}
	if err := b.store.LockRelease(b.ctx, info.ID); err != nil {
		t.Fatal(err)
	}
	if held, err := b.store.LockHolder(b.ctx); err != nil || held != nil {
		t.Fatalf("CurrentLock after Unlock = %+v, %v", held, err)
	}
}

func TestUnlockUnknownID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var unknown *UnknownLockError
	if err := b.store.LockRelease(b.ctx, "no-such-id"); !errors.As(err, &unknown) || unknown.Held != nil ||
		!strings.Contains(err.Error(), "not locked") {
		t.Fatalf("Unlock on a free store: %v", err)
	}
	held, err := b.store.LockAcquire(b.ctx, "apply", 0)
	if err != nil {
		t.Fatal(err)
	}
	err = b.store.LockRelease(b.ctx, "no-such-id")
	if !errors.As(err, &unknown) || unknown.Held == nil || unknown.Held.ID != held.ID {
		t.Fatalf("Unlock with a wrong ID: %v", err)
	}
	if still, _ := b.store.LockHolder(b.ctx); still == nil || still.ID != held.ID {
		t.Errorf("the lock is now %+v; want it still held", still)
	}
}

func TestLockStopsWaitingWhenContextEnds(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if _, err := b.store.LockAcquire(b.ctx, "apply", 0); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	other := b.open(t)
	got := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := other.LockAcquire(ctx, "apply", time.Minute)
		got <- err
	}()
	if !b.clock.WaitForTimers(1, done) {
		t.Fatalf("Lock did not wait for the held lock: %v", <-got)
	}
	cancel()
	if err := <-got; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want the context's", err)
	}
}
