// readLine and Read below follow readLine and readRecord of the Go
// standard library's encoding/csv, whose notice is:
//
//	Copyright 2011 The Go Authors. All rights reserved.
//	Use of this source code is governed by a BSD-style
//	license that can be found in the LICENSE file.
//
// (the LICENSE file of the Go distribution).

package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"
	"unsafe"
)

// recordReader reads CSV records as encoding/csv's Reader does with
// FieldsPerRecord -1 (any number of fields), ReuseRecord set and the other
// options at their defaults (strict quotes, no comment lines, leading
// spaces kept): the same records, the same *csv.ParseError values, the
// same line numbers (FuzzRecordReader holds it to encoding/csv).
//
// It differs in one thing: the fields Read returns are strings that
// share the reader's buffer, and the next Read writes over them. A
// caller keeps a field by copying it (strings.Clone, or the reader's
// arena). encoding/csv makes one new string of every record, which the
// reader copied what it kept out of and dropped: on the 429,112-answer
// scale corpus, 69 MB of garbage, half of all the reading allocated,
// that made the collector run three times while the contributions were
// read (none since).
type recordReader struct {
	comma   rune
	r       *bufio.Reader
	numLine int // the line being read

	rawBuffer    []byte // a line longer than r's buffer
	recordBuffer []byte // the unescaped fields, one after another
	fieldIndexes []int  // the end of each field in recordBuffer
	record       []string
	firstLine    int // where the last record's first field starts
}

// recordBufferSize is the size of a recordReader's read buffer: a line
// longer than it is gathered in rawBuffer.
const recordBufferSize = 64 << 10

func newRecordReader(r io.Reader, comma rune) *recordReader {
	return &recordReader{comma: comma, r: bufio.NewReaderSize(r, recordBufferSize)}
}

var errInvalidDelim = errors.New("csv: invalid field or comment delimiter")

func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

// Line returns the line where the first field of the record last read
// starts (encoding/csv's FieldPos(0)).
func (r *recordReader) Line() int { return r.firstLine }

// readLine reads the next line with its \n, \r\n made \n; a line that
// ends the input without one is returned without it, a last \r dropped.
// If some bytes were read, the error is never io.EOF. The line is valid
// until the next call.
func (r *recordReader) readLine() ([]byte, error) {
	line, err := r.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.rawBuffer = append(r.rawBuffer[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.r.ReadSlice('\n')
			r.rawBuffer = append(r.rawBuffer, line...)
		}
		line = r.rawBuffer
	}
	n := len(line)
	if n > 0 && err == io.EOF {
		err = nil
		if line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	r.numLine++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// lengthNL is 1 when b ends with \n, else 0.
func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// Read reads the next record, skipping empty lines. A record that breaks
// the quoting rules comes back as far as it was read, with a
// *csv.ParseError; after the last record, Read returns nil, io.EOF. The
// fields are valid until the next call (see recordReader).
func (r *recordReader) Read() ([]string, error) {
	if !validDelim(r.comma) {
		return nil, errInvalidDelim
	}
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = r.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			line = nil
			continue // an empty line
		}
		break
	}
	if errRead == io.EOF {
		return nil, errRead
	}

	var err error
	const quoteLen = len(`"`)
	commaLen := utf8.RuneLen(r.comma)
	recLine := r.numLine
	r.recordBuffer = r.recordBuffer[:0]
	r.fieldIndexes = r.fieldIndexes[:0]
	r.firstLine = recLine
	col := 1           // in the current line, in bytes
	posLine := recLine // the current line, once it has bytes
parseField:
	for {
		if len(line) == 0 || line[0] != '"' {
			// A field without quotes: up to the next comma or the line's end.
			i := bytes.IndexRune(line, r.comma)
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			if j := bytes.IndexByte(field, '"'); j >= 0 {
				err = &csv.ParseError{StartLine: recLine, Line: r.numLine, Column: col + j, Err: csv.ErrBareQuote}
				break parseField
			}
			r.recordBuffer = append(r.recordBuffer, field...)
			r.fieldIndexes = append(r.fieldIndexes, len(r.recordBuffer))
			if i >= 0 {
				line = line[i+commaLen:]
				col += i + commaLen
				continue parseField
			}
			break parseField
		}
		// A quoted field, which may run over several lines.
		line = line[quoteLen:]
		col += quoteLen
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				r.recordBuffer = append(r.recordBuffer, line[:i]...)
				line = line[i+quoteLen:]
				col += i + quoteLen
				switch rn, _ := utf8.DecodeRune(line); {
				case rn == '"': // "" is a quote
					r.recordBuffer = append(r.recordBuffer, '"')
					line = line[quoteLen:]
					col += quoteLen
				case rn == r.comma: // the field's end
					line = line[commaLen:]
					col += commaLen
					r.fieldIndexes = append(r.fieldIndexes, len(r.recordBuffer))
					continue parseField
				case lengthNL(line) == len(line): // the record's end
					r.fieldIndexes = append(r.fieldIndexes, len(r.recordBuffer))
					break parseField
				default: // a quote followed by anything else
					err = &csv.ParseError{StartLine: recLine, Line: r.numLine, Column: col - quoteLen, Err: csv.ErrQuote}
					break parseField
				}
			case len(line) > 0:
				// The line ends inside the field: it goes on on the next.
				r.recordBuffer = append(r.recordBuffer, line...)
				if errRead != nil {
					break parseField
				}
				col += len(line)
				line, errRead = r.readLine()
				if len(line) > 0 {
					posLine++
					col = 1
				}
				if errRead == io.EOF {
					errRead = nil
				}
			default:
				// The input ends inside the field.
				if errRead == nil {
					err = &csv.ParseError{StartLine: recLine, Line: posLine, Column: col, Err: csv.ErrQuote}
					break parseField
				}
				r.fieldIndexes = append(r.fieldIndexes, len(r.recordBuffer))
				break parseField
			}
		}
	}
	if err == nil {
		err = errRead
	}
	r.record = r.record[:0]
	pre := 0
	for _, end := range r.fieldIndexes {
		if end > pre {
			r.record = append(r.record, unsafe.String(&r.recordBuffer[pre], end-pre))
		} else {
			r.record = append(r.record, "")
		}
		pre = end
	}
	return r.record, err
}
