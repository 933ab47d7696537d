package csvfile_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/csvfile"
)

// benchFiles holds one generated file per row count for the whole run.
var benchFiles sync.Map // rows -> *benchFile

type benchFile struct {
	once sync.Once
	path string
	size int64
	err  error
}

var benchDir = sync.OnceValues(func() (string, error) { return os.MkdirTemp("", "syncline-csv-bench-") })

func TestMain(m *testing.M) {
	code := m.Run()
	if dir, err := benchDir(); err == nil {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// hrExport returns a CSV file of n HR rows (about 100 bytes each),
// generated once per test binary run.
func hrExport(b *testing.B, n int) (string, int64) {
	v, _ := benchFiles.LoadOrStore(n, &benchFile{})
	f := v.(*benchFile)
	f.once.Do(func() {
		dir, err := benchDir()
		if err != nil {
			f.err = err
			return
		}
		f.path = filepath.Join(dir, fmt.Sprintf("hr-%d.csv", n))
		f.size, f.err = writeHRExport(f.path, n)
	})
	if f.err != nil {
		b.Fatal(f.err)
	}
	return f.path, f.size
}

func writeHRExport(path string, n int) (int64, error) {
	out, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	w := bufio.NewWriterSize(out, 1<<20)
	fmt.Fprintln(w, "emp_id,first_name,last_name,email,department,title,manager,state")
	for i := range n {
		fmt.Fprintf(w, "e%07d,Jiří,Nováček %d,jiri.novacek.%d@hr.example.com,Engineering,\"Engineer, level %d\",e%07d,active\n",
			i, i%97, i, i%5, i/10)
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	info, err := out.Stat()
	return info.Size(), err
}

// BenchmarkCSVStream1M streams a 1,000,000-row file through Search, next
// to a baseline that reads the same file with bare encoding/csv. live-MB is
// the live heap near the end of a scan (after a forced GC): what a search
// holds, which is the duplicate-identifier index and buffers, never rows.
func BenchmarkCSVStream1M(b *testing.B)   { benchStream(b, 1_000_000) }
func BenchmarkCSVStream100k(b *testing.B) { benchStream(b, 100_000) }

func benchStream(b *testing.B, rows int) {
	path, size := hrExport(b, rows)
	b.Run("baseline-encoding-csv", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			if n := rawRead(b, path); n != rows {
				b.Fatalf("%d rows", n)
			}
		}
	})
	b.Run("search", func(b *testing.B) {
		c, err := csvfile.New("hr", csvfile.Config{Path: path, Identifier: "emp_id"})
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(size)
		b.ReportAllocs()
		var live uint64
		for b.Loop() {
			n := 0
			for obj, err := range c.Search(context.Background(), connector.Query{}) {
				if err != nil || obj.ID == "" {
					b.Fatal(err)
				}
				if n++; n == rows*9/10 {
					live = liveHeap()
				}
			}
			if n != rows {
				b.Fatalf("%d rows", n)
			}
		}
		b.ReportMetric(float64(live)/(1<<20), "live-MB")
	})
}

func rawRead(b *testing.B, path string) int {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 256<<10))
	r.ReuseRecord = true
	n := -1 // the header
	for {
		_, err := r.Read()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
