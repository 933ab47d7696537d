package state

import (
	"context"
	"fmt"
	"testing"
)

// benchObject is the i-th object of the benchmarks: a user and the shadow
// of its account.
func benchObject(i int) (*User, *Shadow) {
	id := fmt.Sprintf("u%07d", i)
	u := &User{Name: id, Status: UserActive, Attributes: map[string]string{
		"mail": id + "@example.com", "employeeNumber": fmt.Sprint(100000 + i),
		"givenName": "Given", "sn": "Surname " + id, "department": "Engineering",
	}}
	sh := &Shadow{Resource: "hr", Kind: "account", Intent: "default", Identifier: id, Key: id,
		Attributes: map[string][]string{
			"uid": {id}, "mail": {id + "@example.com"}, "cn": {"Given Surname " + id},
			"memberOf": {"staff", "engineering"},
		},
		Hash: fmt.Sprintf("%016x", i*7919), MappingHash: "m1", Situation: "linked", SyncedAt: newFakeClock().Now()}
	return u, sh
}

// benchIndexed are the attributes the benchmarks correlate on.
var benchIndexed = []string{"mail", "employeeNumber"}

func benchStore(b *testing.B) (context.Context, *Store) {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, newLocation(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	if err := s.UserIndexEnsure(ctx, benchIndexed); err != nil {
		b.Fatal(err)
	}
	return ctx, s
}

// insertObjects stores objects from..to-1 in batches of 500, as a
// synchronization pass does.
func insertObjects(ctx context.Context, s *Store, from, to int) error {
	const batch = 500
	for start := from; start < to; start += batch {
		err := s.RepositoryWrite(ctx, func(r *RepositoryTx) error {
			for i := start; i < min(start+batch, to); i++ {
				u, sh := benchObject(i)
				if err := r.InsertUser(u); err != nil {
					return err
				}
				sh.Owner = u.ID
				if err := r.PutShadow(sh); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkRepoInsert measures one object (a user, its keys and a
// shadow) stored in batches of 500: ns/op is ns per object.
func BenchmarkRepoInsert(b *testing.B) {
	ctx, s := benchStore(b)
	b.ReportAllocs()
	b.ResetTimer()
	if err := insertObjects(ctx, s, 0, b.N); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkShadowSummaries measures streaming the summaries of an object
// type: ns/op is ns per shadow.
func BenchmarkShadowSummaries(b *testing.B) {
	ctx, s := benchStore(b)
	if err := insertObjects(ctx, s, 0, b.N); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	err := s.ShadowSummaries(ctx, "hr", "account", "default", func(ShadowSummary) error {
		n++
		return nil
	})
	if err != nil || n != b.N {
		b.Fatalf("%d summaries, %v; want %d", n, err, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "shadows/s")
}
