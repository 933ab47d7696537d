package watch

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce is how long a Watcher waits after the last event before
// it looks at the files again.
const DefaultDebounce = 300 * time.Millisecond

// Files are the files whose change starts a round.
type Files struct {
	// Config files are never written by a round: a change seen while a
	// round runs starts the next round.
	Config []string
	// Data files may be written by a round's runs: they count as seen as
	// they are when the round ends.
	Data []string
}

// Dirs are the directories to follow for f: editors save by renaming over
// a file, which only a watch on its directory sees.
func (f Files) Dirs() []string {
	var dirs []string
	for _, p := range append(slices.Clone(f.Config), f.Data...) {
		dirs = append(dirs, filepath.Dir(p))
	}
	slices.Sort(dirs)
	return slices.Compact(dirs)
}

// Watcher starts rounds when watched files change.
type Watcher struct {
	// Dir is followed even when no file in it is watched yet (a
	// configuration directory whose first file is still to be written).
	Dir string
	// Files says what to watch; it is asked again after every round, as
	// a configuration change may add data files.
	Files func() Files
	// Debounce is the quiet time before the files are looked at
	// (DefaultDebounce when 0).
	Debounce time.Duration
	// EveryEvent starts a round after every debounced event that Relevant
	// accepts, even when no content changed (syncline watch plans again
	// on every save).
	EveryEvent bool
	// Relevant filters events (nil: every write, create, rename and
	// remove).
	Relevant func(fsnotify.Event) bool
	// Errors receives what goes wrong while watching; watching goes on.
	Errors func(error)
	// Ready, when set, is called once the files are followed and their
	// contents taken: a change made from then on is seen, even while
	// Ready itself runs.
	Ready func()
}

// Run follows the files until ctx ends, calling round once per change.
// It returns nil when ctx ends, or an error when watching cannot start.
func (w *Watcher) Run(ctx context.Context, round func(ctx context.Context)) error {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer fw.Close()
	if err := fw.Add(w.Dir); err != nil {
		return fmt.Errorf("watching %s: %w", w.Dir, err)
	}
	following := map[string]bool{filepath.Clean(w.Dir): true}
	// follow adds the directories of files not followed yet; one that
	// cannot be followed (a data directory still to be made) is reported
	// and tried again after the next round.
	follow := func(files Files) {
		for _, d := range files.Dirs() {
			if following[d] {
				continue
			}
			if err := fw.Add(d); err != nil {
				w.report(fmt.Errorf("watching %s: %w", d, err))
				continue
			}
			following[d] = true
		}
	}
	files := w.Files()
	follow(files)
	seen := digest(files)
	if w.Ready != nil {
		w.Ready()
	}
	debounce := w.Debounce
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	timer := time.NewTimer(debounce)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-fw.Events:
			if !ok {
				return nil
			}
			if w.relevant(ev) {
				timer.Reset(debounce)
			}
		case err, ok := <-fw.Errors:
			if !ok {
				return nil
			}
			w.report(fmt.Errorf("watching %s: %w", w.Dir, err))
		case <-timer.C:
			// Most events are of files nobody reads (editor backups, the
			// state's journal, a database a run wrote): unless every
			// event counts, only a change to what is watched starts a
			// round.
			files = w.Files()
			atStart := digest(files)
			if !w.EveryEvent && maps.Equal(atStart, seen) {
				continue
			}
			round(ctx)
			files = w.Files()
			follow(files)
			seen = afterRound(atStart, digest(files))
		}
	}
}

func (w *Watcher) relevant(ev fsnotify.Event) bool {
	if w.Relevant != nil {
		return w.Relevant(ev)
	}
	return ev.Has(fsnotify.Write) || ev.Has(fsnotify.Create) || ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove)
}

func (w *Watcher) report(err error) {
	if w.Errors != nil {
		w.Errors(err)
	}
}

// digests maps each watched file to the digest of its contents, or of the
// error reading it; configuration files are marked as such.
type digests map[string]string

func digest(f Files) digests {
	out := digests{}
	for _, path := range f.Config {
		out["config:"+path] = fileDigest(path)
	}
	for _, path := range f.Data {
		out["data:"+path] = fileDigest(path)
	}
	return out
}

// afterRound is what counts as seen once a round ends: configuration files
// as they were when the round started (a run never writes them, so a
// change since is an edit to act on), data files as they are now (a run
// may have written them itself).
func afterRound(atStart, now digests) digests {
	out := digests{}
	for k, v := range now {
		if strings.HasPrefix(k, "config:") {
			if old, ok := atStart[k]; ok {
				v = old
			}
		}
		out[k] = v
	}
	return out
}

func fileDigest(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unreadable: " + err.Error()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// ConfigFiles are the configuration files (*.hcl, not hidden) directly in
// dir, sorted; none when dir cannot be read.
func ConfigFiles(dir, suffix string) []string {
	var out []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && strings.HasSuffix(name, suffix) && !strings.HasPrefix(name, ".") {
			out = append(out, filepath.Join(dir, name))
		}
	}
	return out
}
