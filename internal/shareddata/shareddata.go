// Package shareddata finds the larger real corpora that tests and
// benchmarks may read beside the repository (../shared/data from the
// module root), and reads their CSV texts.
//
// Tests that need them call Path and skip with the returned message when a
// file is absent, so that the repository alone always passes its tests.
package shareddata

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// EnvDir names an environment variable that, when set, overrides where the
// shared data folder is looked for.
const EnvDir = "LIMPIDE_SHARED_DATA"

// Dir returns the shared data folder: $LIMPIDE_SHARED_DATA, or ../shared/data
// beside the module root found by walking up from the working directory.
func Dir() (string, error) {
	if d := os.Getenv(EnvDir); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "..", "shared", "data"), nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("shareddata: no go.mod above " + wd)
		}
	}
}

// Path returns the path of the named shared file, or an error that says
// where it was looked for, fit for t.Skip.
func Path(name string) (string, error) {
	dir, err := Dir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("shared data file %s is absent (set %s to its folder): %w", p, EnvDir, err)
	}
	return p, nil
}

// ReadCSV reads a CSV file with a header row, gzip-compressed when its name
// ends in .gz, and returns the values of the named columns, one slice per
// column, in file order.
func ReadCSV(path string, columns ...string) ([][]string, error) {
	out := make([][]string, len(columns))
	err := eachRecord(path, columns, func(rec []string, idx []int) bool {
		for i, j := range idx {
			out[i] = append(out[i], rec[j])
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Stream reads a CSV file like ReadCSV but yields the values of the first
// named column one row at a time, and collects the other named columns
// into keep (one slice per column, in file order), so that a caller need
// not hold the first column whole. The error, if any, is stored in *err.
func Stream(path string, keep [][]string, err *error, columns ...string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		// encoding/csv backs all the fields of a record with one string: a
		// kept field is interned, so that it does not keep its record's text.
		intern := map[string]string{}
		*err = eachRecord(path, columns, func(rec []string, idx []int) bool {
			for i := 1; i < len(idx); i++ {
				v, ok := intern[rec[idx[i]]]
				if !ok {
					v = strings.Clone(rec[idx[i]])
					if len(intern) < 1<<16 {
						intern[v] = v
					}
				}
				keep[i-1] = append(keep[i-1], v)
			}
			return yield(rec[idx[0]])
		})
	}
}

// eachRecord opens path (gunzipping a .gz), finds the named columns in the
// header and calls f with each record and the columns' indexes until f
// returns false.
func eachRecord(path string, columns []string, f func(rec []string, idx []int) bool) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	var r io.Reader = file
	if filepath.Ext(path) == ".gz" {
		gz, err := gzip.NewReader(file)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %w", path, err)
	}
	idx := make([]int, len(columns))
	for i, c := range columns {
		idx[i] = -1
		for j, h := range header {
			if h == c {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return fmt.Errorf("%s: no column %q in header %q", path, c, header)
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if !f(rec, idx) {
			return nil
		}
	}
}
