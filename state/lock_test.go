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
	start := time.Now()
	_, err = other.LockAcquire(b.ctx, "apply", timeout)
	waited := time.Since(start)

	var locked *LockedError
	if !errors.As(err, &locked) || locked.Holder != *held || locked.HolderGone {
		t.Fatalf("err = %v; want a LockedError naming %+v", err, held)
	}
	if waited < timeout || waited > timeout+2*time.Second {
		t.Errorf("Lock gave up after %v; want about %v", waited, timeout)
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
	go func() {
		_, err := other.LockAcquire(b.ctx, "apply", 10*time.Second)
		got <- err
	}()
	time.Sleep(150 * time.Millisecond)
	if err := b.store.LockRelease(b.ctx, held.ID); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("waiting Lock: %v", err)
	}
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
	ctx, cancel := context.WithTimeout(b.ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := b.open(t).LockAcquire(ctx, "apply", time.Minute)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("err = %v after %v; want the context's deadline", err, time.Since(start))
	}
}
