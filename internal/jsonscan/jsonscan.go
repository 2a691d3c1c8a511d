// Package jsonscan finds where the values of a JSON stream begin and end,
// without decoding them: a reader of a large document (a report.json of
// hundreds of megabytes) skips what it does not need at the speed of a
// loop over bytes, and decodes with encoding/json only the values it
// keeps.
//
// A Scanner finds a value's end by counting its opening and closing
// brackets outside its strings: it does not match a bracket with its kind
// nor check scalars, commas or the characters of strings. Bytes returned
// by Value are checked when they are decoded; bytes skipped are not.
package jsonscan

import (
	"bytes"
	"fmt"
	"io"
)

// SyntaxError is a malformed stream: Offset is the byte at which it was
// found, counted from the start of the stream.
type SyntaxError struct {
	Offset int64
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("jsonscan: %s at byte %d", e.Msg, e.Offset)
}

// Scanner reads JSON values from a stream.
type Scanner struct {
	r    io.Reader
	buf  []byte
	i, n int   // buf[i:n] is read and not consumed
	base int64 // the stream offset of buf[0]
	err  error // the reader's error, once it gave one
}

// New returns a Scanner that reads r.
func New(r io.Reader) *Scanner { return &Scanner{r: r, buf: make([]byte, 1<<16)} }

// fill reads more of the stream, keeping buf[keep:n], and reports whether
// it got any byte.
func (s *Scanner) fill(keep int) bool {
	if keep > 0 {
		copy(s.buf, s.buf[keep:s.n])
		s.base += int64(keep)
		s.i -= keep
		s.n -= keep
	}
	if s.err != nil {
		return false
	}
	if s.n == len(s.buf) {
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	for {
		m, err := s.r.Read(s.buf[s.n:])
		s.n += m
		if err != nil {
			s.err = err
		}
		if m > 0 || err != nil {
			return m > 0
		}
	}
}

// readErr is the error that ends the stream early: the reader's, or
// io.ErrUnexpectedEOF.
func (s *Scanner) readErr() error {
	if s.err == nil || s.err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return s.err
}

// Offset returns the stream offset of the next byte not consumed.
func (s *Scanner) Offset() int64 { return s.base + int64(s.i) }

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// Peek skips white space and returns the next byte without consuming it;
// at the end of the stream, io.EOF (or the reader's error).
func (s *Scanner) Peek() (byte, error) {
	for {
		for ; s.i < s.n; s.i++ {
			if !isSpace(s.buf[s.i]) {
				return s.buf[s.i], nil
			}
		}
		if !s.fill(s.i) {
			if s.err == nil {
				return 0, io.EOF
			}
			return 0, s.err
		}
	}
}

// Expect skips white space and consumes c, or returns a *SyntaxError
// naming what came instead (io.ErrUnexpectedEOF at the end).
func (s *Scanner) Expect(c byte) error {
	got, err := s.Peek()
	if err != nil {
		return s.readErr()
	}
	if got != c {
		return &SyntaxError{Offset: s.Offset(), Msg: fmt.Sprintf("want %q, got %q", c, got)}
	}
	s.i++
	return nil
}

// Next moves to the next member of an object or element of an array
// whose opening bracket was consumed: at the closing bracket end, it
// consumes it and reports false; otherwise it consumes the comma before
// every member but the first and reports true.
func (s *Scanner) Next(end byte, first bool) (bool, error) {
	c, err := s.Peek()
	if err != nil {
		return false, s.readErr()
	}
	if c == end {
		s.i++
		return false, nil
	}
	if !first {
		if err := s.Expect(','); err != nil {
			return false, err
		}
	}
	return true, nil
}

// special marks the bytes the value loop stops at outside strings.
var special = func() (t [256]bool) {
	for _, c := range []byte("\"{}[],: \t\r\n") {
		t[c] = true
	}
	return t
}()

// Value skips white space and consumes the next value, returning its
// bytes; they are valid until the next call of the Scanner.
func (s *Scanner) Value() ([]byte, error) {
	first, err := s.Peek()
	if err != nil {
		return nil, s.readErr()
	}
	switch first {
	case ',', ':', '}', ']':
		return nil, &SyntaxError{Offset: s.Offset(), Msg: fmt.Sprintf("want a value, got %q", first)}
	}
	start := s.i
	j := start
	depth := 0
	for {
		buf := s.buf[:s.n]
	scan:
		for j < len(buf) {
			c := buf[j]
			if !special[c] {
				j++
				continue
			}
			switch c {
			case '"':
				if depth == 0 && j > start {
					return nil, s.endScalar(start, j)
				}
				end := stringEnd(buf, j)
				if end < 0 {
					break scan // the string goes on past what was read
				}
				j = end
				if depth == 0 {
					s.i = j
					return s.buf[start:j], nil
				}
				continue
			case '{', '[':
				if depth == 0 && j > start {
					return nil, s.endScalar(start, j)
				}
				depth++
			case '}', ']':
				if depth == 0 {
					return s.scalar(start, j)
				}
				depth--
				if depth == 0 {
					s.i = j + 1
					return s.buf[start:s.i], nil
				}
			default: // , : and white space
				if depth == 0 {
					return s.scalar(start, j)
				}
			}
			j++
		}
		// The value goes on past what was read.
		off := start
		if !s.fill(start) {
			if depth == 0 && j == s.n && s.err == io.EOF {
				return s.scalar(0, s.n) // a scalar that ends the stream
			}
			return nil, s.readErr()
		}
		j -= off
		start = 0
	}
}

// stringEnd returns the offset after the closing quote of the string
// that opens at buf[open], or -1 when buf ends first.
func stringEnd(buf []byte, open int) int {
	for k := open + 1; ; {
		q := bytes.IndexByte(buf[k:], '"')
		if q < 0 {
			return -1
		}
		q += k
		// The quote is escaped when an odd number of backslashes
		// precede it.
		p := q - 1
		for p > open && buf[p] == '\\' {
			p--
		}
		if (q-1-p)%2 == 0 {
			return q + 1
		}
		k = q + 1
	}
}

// scalar consumes the scalar buf[start:end] (a number, true, false, null).
func (s *Scanner) scalar(start, end int) ([]byte, error) {
	if end == start {
		return nil, &SyntaxError{Offset: s.base + int64(start), Msg: "want a value"}
	}
	s.i = end
	return s.buf[start:end], nil
}

func (s *Scanner) endScalar(start, j int) error {
	return &SyntaxError{Offset: s.base + int64(j), Msg: fmt.Sprintf("%q after %q", s.buf[j], s.buf[start:j])}
}
