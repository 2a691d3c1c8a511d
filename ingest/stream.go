package ingest

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// A gzip-compressed CSV file is parsed while it is decompressed: one
// goroutine inflates it chunk by chunk, the caller's parses the chunks
// already there, and the two halves of reading overlap. At most
// streamAhead chunks wait to be parsed, and a chunk is let go once
// parsed: the decompressed text is never held whole beside the
// contributions made of it. The text is taken to be UTF-8, as it nearly
// always is; if a chunk is not valid UTF-8, the file is read again the
// usual way (see decode) from its compressed bytes, kept as they are read
// (a fifth of the text, or less), so the result is always the one the
// whole-file path gives.

// streamChunk is the size of the chunks a gzip input is inflated in.
var streamChunk = 1 << 20

// streamAhead is the number of inflated chunks that may wait to be
// parsed: enough for the inflating goroutine never to wait on a parse
// that briefly slows down.
const streamAhead = 8

// streamsAsCSV reports whether a gzip input is read as it is inflated:
// CSV by the configuration or the file name, in UTF-8 or an encoding to
// be detected.
func streamsAsCSV(name string, cfg Config) bool {
	enc := strings.ToLower(strings.ReplaceAll(cfg.Encoding, "_", "-"))
	return formatByName(name, cfg) == FormatCSV && (enc == "" || enc == "utf-8" || enc == "utf8")
}

// readCSVStream reads the gzip CSV input in, parsing it as it is inflated.
// It reports notUTF8 instead of a result when the text is not valid
// UTF-8: in.compressed then holds the input to read again.
func readCSVStream(in *input, name string, cfg Config) (res *Result, notUTF8 bool, err error) {
	s := &chunkStream{valid: true}
	s.more = sync.NewCond(&s.mu)
	go s.fill(in.src, cfg.MaxInputBytes)
	head, rows := s.head(in.hint)
	rd := newReader(name, cfg, FormatCSV, "utf-8")
	parseErr := rd.csvFrom(s, head, rows)
	// Wait for the whole input, even when parsing stopped early: a broken
	// gzip stream or an input over the limit is the first error to tell,
	// as when the file is read whole first.
	s.mu.Lock()
	s.stopped = true
	// The chunks the parse did not read are checked here, those still
	// to come by fill: the text is UTF-8 only if all of it is.
	for _, chunk := range s.chunks[s.next:] {
		s.valid = s.valid && utf8.Valid(chunk)
	}
	s.chunks, s.free = nil, nil
	s.more.Broadcast()
	for !s.done {
		s.more.Wait()
	}
	s.mu.Unlock()
	switch {
	case s.err != nil:
		return nil, false, readError(name, s.err)
	case s.size > cfg.MaxInputBytes:
		return nil, false, tooLarge(name, cfg.MaxInputBytes)
	case !s.valid:
		return nil, true, nil
	case parseErr != nil:
		return nil, false, parseErr
	}
	return rd.result(), false, nil
}

// errNotUTF8 stops the parse of a stream that turns out not to be UTF-8.
var errNotUTF8 = errors.New("not UTF-8")

// chunkStream is inflated text, filled by one goroutine (fill) and read,
// as an io.Reader, by another.
type chunkStream struct {
	mu   sync.Mutex
	more *sync.Cond // signalled at each chunk, at each chunk read and at the end
	// chunks are the chunks inflated so far, each ending at a UTF-8
	// sequence boundary when valid; those before next were read and are
	// let go (nil).
	chunks [][]byte
	size   int64 // bytes inflated
	// valid is false once a chunk was found not to be UTF-8: by Read as
	// it takes the chunk, which spares the inflating goroutine (the
	// reading's slower half) the check, or, for the chunks the parse
	// never reads, when it stops or by fill after.
	valid   bool
	heading bool // head is reading: no limit on the chunks waiting
	stopped bool // the parse is over: chunks are no longer kept
	done    bool
	err     error // of inflating, once done
	// free holds chunks read to their end, for fill to inflate into again:
	// a gigabyte of text then takes a few chunks, not a thousand.
	free [][]byte

	// Reader side.
	next    int    // index of the next chunk to read
	last    []byte // the chunk being read, whole
	cur     []byte // what is left of the chunk being read
	started bool   // a chunk with bytes was read
}

// fill inflates src into chunks, at most limit+1 bytes, then marks the
// stream done.
func (s *chunkStream) fill(src io.Reader, limit int64) {
	src = io.LimitReader(src, limit+1)
	var carry []byte // the start of a sequence cut by the chunk's end
	for {
		buf := s.buffer(max(streamChunk, 2*len(carry)))
		n := copy(buf, carry)
		var err error
		for n < len(buf) && err == nil {
			var m int
			m, err = src.Read(buf[n:])
			n += m
		}
		end := n
		if err == nil {
			// More is coming: keep a sequence the chunk cuts for the next.
			end = completeRunes(buf[:n])
		}
		carry = append(carry[:0], buf[end:n]...)
		chunk := buf[:end]
		s.mu.Lock()
		for !s.heading && !s.stopped && len(s.chunks)-s.next >= streamAhead {
			s.more.Wait()
		}
		if !s.stopped {
			s.chunks = append(s.chunks, chunk)
		} else {
			s.valid = s.valid && utf8.Valid(chunk)
		}
		s.size += int64(end)
		if err != nil {
			s.done = true
			if err != io.EOF {
				s.err = err
			}
		}
		s.more.Broadcast()
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// completeRunes returns the length of the longest prefix of b that does
// not end inside a UTF-8 sequence, for valid UTF-8 (on other bytes, any
// cut will do: the text is read again whole).
func completeRunes(b []byte) int {
	for k := 1; k <= utf8.UTFMax-1 && k <= len(b); k++ {
		c := b[len(b)-k]
		switch {
		case c < utf8.RuneSelf:
			return len(b)
		case c >= 0xC0: // a leading byte, k bytes from the end
			need := 2
			if c >= 0xF0 {
				need = 4
			} else if c >= 0xE0 {
				need = 3
			}
			if need > k {
				return len(b) - k
			}
			return len(b)
		}
	}
	return len(b)
}

// buffer returns a chunk read to its end, or a new one, of size bytes.
func (s *chunkStream) buffer(size int) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k := len(s.free) - 1; k >= 0 && cap(s.free[k]) >= size {
		buf := s.free[k][:size]
		s.free = s.free[:k]
		return buf
	}
	return make([]byte, size)
}

// head returns the text up to the end of its header line (see
// headerLine) at least, without a byte order mark, and a guess of the
// number of rows from the lines of that text and the expected size hint
// (0 when unknown).
func (s *chunkStream) head(hint int64) (string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// A header line may take more chunks than may wait to be parsed.
	s.heading = true
	s.more.Broadcast()
	defer func() { s.heading = false }()
	var head []byte
	n := 0
	for {
		for n < len(s.chunks) {
			head = append(head, s.chunks[n]...)
			n++
		}
		h := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
		if _, ended := headerLine(string(h)); ended || s.done {
			rows := 0
			if hint > 0 && len(h) > 0 {
				// As many rows per byte as in the head, an eighth more,
				// and at most one per 32 bytes (see reader.csv).
				est := int64(bytes.Count(h, []byte("\n"))) * hint / int64(len(h))
				rows = int(min(est+est/8, hint/32))
			}
			return string(h), rows
		}
		s.more.Wait()
	}
}

// Read reads the inflated text, without its byte order mark, waiting for
// chunks as they come. It fails with errNotUTF8 at a chunk that is not
// valid UTF-8.
func (s *chunkStream) Read(p []byte) (int, error) {
	for len(s.cur) == 0 {
		s.mu.Lock()
		for s.next >= len(s.chunks) && !s.done {
			s.more.Wait()
		}
		if s.next >= len(s.chunks) {
			err := s.err
			s.mu.Unlock()
			if err == nil {
				err = io.EOF
			}
			return 0, err
		}
		chunk := s.chunks[s.next]
		s.chunks[s.next] = nil
		s.next++
		if s.last != nil && !s.stopped {
			s.free = append(s.free, s.last)
		}
		s.last = chunk
		s.more.Broadcast() // room for one more chunk
		s.mu.Unlock()
		if !utf8.Valid(chunk) {
			s.mu.Lock()
			s.valid = false
			s.mu.Unlock()
			return 0, errNotUTF8
		}
		if !s.started && len(chunk) > 0 {
			// A chunk never cuts a UTF-8 sequence: the mark is whole in
			// the first chunk that holds anything.
			chunk = bytes.TrimPrefix(chunk, []byte("\xef\xbb\xbf"))
			s.started = true
		}
		s.cur = chunk
	}
	n := copy(p, s.cur)
	s.cur = s.cur[n:]
	return n, nil
}

// recorder keeps a copy of what is read through it, in blocks of at
// least streamChunk bytes: unlike io.TeeReader into a bytes.Buffer, whose
// growth copies everything kept so far and briefly holds it twice, a full
// block is never copied again.
type recorder struct {
	r      io.Reader
	blocks [][]byte
}

func (rec *recorder) Read(p []byte) (int, error) {
	n, err := rec.r.Read(p)
	if n > 0 {
		last := len(rec.blocks) - 1
		if last < 0 || len(rec.blocks[last])+n > cap(rec.blocks[last]) {
			rec.blocks = append(rec.blocks, make([]byte, 0, max(streamChunk, n)))
			last++
		}
		rec.blocks[last] = append(rec.blocks[last], p[:n]...)
	}
	return n, err
}

// replay reads again what was read through rec, then what is left of its
// reader.
func (rec *recorder) replay() io.Reader {
	readers := make([]io.Reader, 0, len(rec.blocks)+1)
	for _, b := range rec.blocks {
		readers = append(readers, bytes.NewReader(b))
	}
	return io.MultiReader(append(readers, rec.r)...)
}
