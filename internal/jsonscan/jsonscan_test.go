package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// elements returns the raw elements of the array doc, read with a Scanner
// from r.
func elements(r io.Reader) ([]string, error) {
	sc := New(r)
	if err := sc.Expect('['); err != nil {
		return nil, err
	}
	var out []string
	for first := true; ; first = false {
		if more, err := sc.Next(']', first); err != nil || !more {
			return out, err
		}
		v, err := sc.Value()
		if err != nil {
			return out, err
		}
		out = append(out, string(v))
	}
}

// reference returns the raw elements of the array doc as encoding/json
// reads them.
func reference(doc []byte) ([]string, error) {
	if t := bytes.TrimLeft(doc, " \t\r\n"); len(t) == 0 || t[0] != '[' {
		return nil, errors.New("not an array")
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(doc, &raws); err != nil {
		return nil, err
	}
	var out []string
	for _, r := range raws {
		out = append(out, string(r))
	}
	return out, nil
}

func TestElements(t *testing.T) {
	doc := []byte(` [ {"id":"a,b","x":[1,[2,{"y":"]}"}]]} , "s\"tr\\\\" ,-1.5e3,true,null , [] ,{}, "", "\\" ] `)
	want, err := reference(doc)
	require.NoError(t, err)
	for name, r := range map[string]io.Reader{
		"whole":       bytes.NewReader(doc),
		"byte a time": iotest.OneByteReader(bytes.NewReader(doc)),
	} {
		got, err := elements(r)
		require.NoError(t, err, name)
		assert.Equal(t, want, got, name)
	}
}

func TestMalformed(t *testing.T) {
	for _, doc := range []string{
		``, `[`, `[1`, `[1,`, `["abc`, `[{"a":1]`, `[1 2]`, `[,1]`, `{}`, `[tru"e"]`, `["a"b]`, `[{"a":[1}`,
	} {
		_, err := elements(iotest.OneByteReader(bytes.NewReader([]byte(doc))))
		assert.Error(t, err, "%q", doc)
	}
	_, err := elements(bytes.NewReader([]byte(`["abc`)))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	_, err = elements(bytes.NewReader([]byte(`[1 2]`)))
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.EqualValues(t, 3, se.Offset, "the byte of the 2")
}

func TestReaderError(t *testing.T) {
	boom := errors.New("boom")
	_, err := elements(io.MultiReader(bytes.NewReader([]byte(`[1,"ab`)), iotest.ErrReader(boom)))
	assert.ErrorIs(t, err, boom)
}

// FuzzElements: on any array encoding/json accepts, the Scanner gives the
// same elements, whatever the size of the reads; on any input, it does
// not panic.
func FuzzElements(f *testing.F) {
	for _, s := range []string{`[]`, `[1,"a",{"b":[true,null]}]`, `["\"",  "\\\\", "\u00e9"]`, `[1 2]`, `[[[[]]]]`, `["]"]`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		want, werr := reference(doc)
		got, err := elements(iotest.OneByteReader(bytes.NewReader(doc)))
		whole, _ := elements(bytes.NewReader(doc))
		if werr != nil {
			return
		}
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		assert.Equal(t, want, got)
		assert.Equal(t, want, whole)
	})
}
