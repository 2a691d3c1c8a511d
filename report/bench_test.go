package report

import (
	"io"
	"testing"
)

// nopCloser is io.Discard with a Close.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// BenchmarkHTMLWriter writes the page of the testdata sample's report,
// its members in theme files, to io.Discard: the encoding alone.
func BenchmarkHTMLWriter(b *testing.B) {
	rep, in := sampleReport(b, 2000)
	opt := HTMLOptions{PartDir: "report.files", Part: func(string) (io.WriteCloser, error) { return nopCloser{io.Discard}, nil }}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteHTMLWith(io.Discard, rep, in, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAssignmentsWriter writes assignments.csv of the testdata
// sample's report to io.Discard.
func BenchmarkAssignmentsWriter(b *testing.B) {
	rep, _ := sampleReport(b, 2000)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteAssignments(io.Discard, rep); err != nil {
			b.Fatal(err)
		}
	}
}
