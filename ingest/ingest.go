// Package ingest reads consultation exports into contributions: CSV (any
// of the delimiters , ; and tab, with or without a BOM, CRLF line ends,
// quoted multi-line fields), gzip-compressed CSV, JSON arrays and JSON
// Lines, in UTF-8, ISO-8859-1 or Windows-1252; with presets for the exports
// of Cap Collectif (the Grand Débat National), Decidim and Consul.
//
// Nothing is dropped silently: a row that cannot become a contribution is
// a Reject with its line and the reason, and rows skipped on purpose (a
// trashed answer, an empty answer cell) are counted in Result.Skipped.
package ingest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/text/encoding/charmap"
)

// Contribution is one input text: an answer, a proposal, a comment.
// synthesis.Contribution is this type.
type Contribution struct {
	// ID names the contribution; it must be unique and not empty.
	ID string
	// Text is the contribution, decoded to UTF-8 and otherwise as
	// published: every span in a report indexes into it.
	Text string
	// Meta holds whatever else the source says (question, zip code, …).
	Meta map[string]string
}

// Format is an input format.
type Format string

const (
	FormatAuto  Format = ""      // from the file name, else from the first byte
	FormatCSV   Format = "csv"   // delimiter-separated values
	FormatJSON  Format = "json"  // one array of objects
	FormatJSONL Format = "jsonl" // one object per line
)

// Config says how to read a file. Its zero value reads a CSV, JSON or
// JSONL file (by its name) with the columns id and text, in UTF-8 or, when
// the bytes are not valid UTF-8, Windows-1252.
type Config struct {
	Format Format
	// Encoding is "utf-8", "iso-8859-1" or "windows-1252"; empty detects:
	// valid UTF-8 is UTF-8, anything else is read as Windows-1252 (a
	// superset of ISO-8859-1's printable characters).
	Encoding string
	// Delimiter of a CSV file; zero detects it among , ; and tab from the
	// header line.
	Delimiter rune
	// IDColumn names the id column. Empty means "id" (or the preset's).
	IDColumn string
	// TextColumns name the text columns; several are joined with a blank
	// line between them, empty cells left out. Empty means "text" (or the
	// preset's).
	TextColumns []string
	// MetaColumns are copied to each contribution's Meta.
	MetaColumns []string
	// Preset is "", "capcollectif", "decidim" or "consul" (see Presets).
	Preset string
	// Questions selects, with the capcollectif preset, the question
	// columns to read, by question number ("Q169" or "169") or by the
	// column's encoded id; empty means every question.
	Questions []string
	// MaxInputBytes caps the size of the input once decompressed; zero
	// means 2 GiB.
	MaxInputBytes int64
	// MaxTextBytes caps one contribution's text; a longer one is rejected.
	// Zero means 1 MiB.
	MaxTextBytes int
}

// Presets lists the presets Config.Preset accepts.
var Presets = []string{"capcollectif", "decidim", "consul"}

// Reject is an input row that did not become a contribution.
type Reject struct {
	// Line is the 1-based line where the row starts (for JSON, where the
	// object starts); EndLine is where it ends when it spans several.
	Line, EndLine int
	// ID is the row's id, when it has one.
	ID string
	// Reason says what was wrong and what was expected.
	Reason string
}

// Result is what Read found.
type Result struct {
	Contributions []Contribution
	Rejects       []Reject
	// Rows counts the data rows (or JSON objects) read; every one of them
	// became contributions, a Reject, or a Skipped count.
	Rows int
	// Skipped counts what was left out on purpose, by reason ("trashed",
	// "empty answer").
	Skipped map[string]int
	// Source describes the reading, for a report's manifest: file name,
	// format, encoding, delimiter, preset, and the transformations made
	// ("html_stripped").
	Source map[string]string
}

// Error is an input error that stops reading: a file that cannot be read
// as the format it claims, a header without the id or text column.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("limpide/ingest: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("limpide/ingest: %s: %s", e.File, e.Msg)
}

// ReadFile reads the file at path. See Read.
func ReadFile(path string, cfg Config) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	defer f.Close()
	return Read(f, path, cfg)
}

// SizeHint returns the number of bytes the file at path holds once
// decompressed, as reading guesses it to size its buffers: the file's
// size or, for a gzip file (by magic number), the size its trailer
// records, capped at 32 times the file's. It is 0 when it cannot tell
// (not a regular file, unreadable). A caller can weigh a file before
// reading it; reading itself never trusts the hint.
func SizeHint(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	var head [2]byte
	n, _ := io.ReadFull(f, head[:])
	return sizeHint(f, n == 2 && head[0] == 0x1f && head[1] == 0x8b)
}

// Read reads an export from r; name (a file name) gives the format when
// Config.Format is empty and names the input in errors.
//
// The input is read whole before anything is returned, and nothing is
// returned when reading fails. A gzip-compressed CSV file is parsed while
// it is decompressed, on two goroutines, with the same result; its
// decompressed text is let go as it is parsed, and only its compressed
// bytes are kept until the end, to read it again should it turn out not
// to be UTF-8.
func Read(r io.Reader, name string, cfg Config) (*Result, error) {
	if cfg.MaxInputBytes <= 0 {
		cfg.MaxInputBytes = 2 << 30
	}
	if cfg.MaxTextBytes <= 0 {
		cfg.MaxTextBytes = 1 << 20
	}
	if cfg.Preset != "" && !contains(Presets, cfg.Preset) {
		return nil, &Error{File: name, Msg: fmt.Sprintf("unknown preset %q; want one of %s", cfg.Preset, strings.Join(Presets, ", "))}
	}
	stream := streamsAsCSV(name, cfg)
	in, err := openInput(r, name, stream)
	if err != nil {
		return nil, err
	}
	if in.gzipped && stream {
		res, notUTF8, err := readCSVStream(in, name, cfg)
		if !notUTF8 {
			return res, err
		}
		// Not UTF-8 after all: read again, from the compressed bytes, as
		// any other input.
		if in, err = openInput(in.compressed.replay(), name, false); err != nil {
			return nil, err
		}
	}
	raw, err := in.readAll(name, cfg.MaxInputBytes)
	if err != nil {
		return nil, err
	}
	return parse(raw, name, cfg)
}

// parse reads the export in raw, whole and decompressed.
func parse(raw []byte, name string, cfg Config) (*Result, error) {
	text, enc, err := decode(raw, cfg.Encoding)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	format := formatByName(name, cfg)
	if format == FormatAuto {
		switch t := strings.TrimLeft(text, " \t\r\n"); {
		case strings.HasPrefix(t, "["):
			format = FormatJSON
		case strings.HasPrefix(t, "{"):
			format = FormatJSONL
		default:
			format = FormatCSV
		}
	}
	rd := newReader(name, cfg, format, enc)
	switch format {
	case FormatCSV:
		err = rd.csv(text)
	case FormatJSON, FormatJSONL:
		err = rd.json(text, format == FormatJSONL)
	default:
		err = &Error{File: name, Msg: fmt.Sprintf("unknown format %q; want csv, json or jsonl", format)}
	}
	if err != nil {
		return nil, err
	}
	return rd.result(), nil
}

// formatByName is Config.Format, or the format the file name says, or
// FormatAuto when neither does.
func formatByName(name string, cfg Config) Format {
	if cfg.Format != FormatAuto {
		return cfg.Format
	}
	base := strings.TrimSuffix(strings.ToLower(filepath.Base(name)), ".gz")
	switch {
	case strings.HasSuffix(base, ".jsonl"), strings.HasSuffix(base, ".ndjson"):
		return FormatJSONL
	case strings.HasSuffix(base, ".json"):
		return FormatJSON
	case strings.HasSuffix(base, ".csv"), strings.HasSuffix(base, ".tsv"), strings.HasSuffix(base, ".txt"):
		return FormatCSV
	}
	return FormatAuto
}

// newReader starts the Result of an input in format and encoding enc.
func newReader(name string, cfg Config, format Format, enc string) *reader {
	res := &Result{Skipped: map[string]int{}, Source: map[string]string{
		"file": filepath.Base(name), "format": string(format), "encoding": enc}}
	if cfg.Preset != "" {
		res.Source["preset"] = cfg.Preset
	}
	for key, list := range map[string][]string{"text_columns": cfg.TextColumns, "meta_columns": cfg.MetaColumns, "questions": cfg.Questions} {
		if len(list) > 0 {
			res.Source[key] = strings.Join(list, ",")
		}
	}
	if cfg.IDColumn != "" {
		res.Source["id_column"] = cfg.IDColumn
	}
	return &reader{cfg: cfg, name: name, res: res, seen: newIDIndex(0)}
}

// result returns the Result read.
func (rd *reader) result() *Result {
	res := rd.res
	switch c := res.Contributions; {
	case len(c) == 0:
		res.Contributions = nil // however much room was guessed
	case cap(c)-len(c) > len(c)/4:
		// Sized for more rows than there were (multi-line texts, rejects):
		// no need to keep the spare room for the whole run.
		res.Contributions = slices.Clone(c)
	}
	return res
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// input is an export being read: its bytes, decompressed when it is
// gzip (by magic number), and a guess of their size.
type input struct {
	src     io.Reader
	hint    int64
	gzipped bool
	// compressed keeps the gzip bytes read, when asked for, to read
	// them again.
	compressed *recorder
}

// openInput looks at the first bytes of r for the gzip magic number. With
// keep, the compressed bytes of a gzip input are kept as they are read.
func openInput(r io.Reader, name string, keep bool) (*input, error) {
	head := make([]byte, 2)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	in := &input{gzipped: n == 2 && head[0] == 0x1f && head[1] == 0x8b}
	in.hint = sizeHint(r, in.gzipped)
	in.src = io.MultiReader(bytes.NewReader(head[:n]), r)
	if in.gzipped {
		if keep {
			in.compressed = &recorder{r: in.src}
			in.src = in.compressed
		}
		gz, err := gzip.NewReader(in.src)
		if err != nil {
			return nil, &Error{File: name, Msg: "not a valid gzip file: " + err.Error()}
		}
		in.src = gz
	}
	return in, nil
}

// readAll reads the input whole, within max bytes.
func (in *input) readAll(name string, max int64) ([]byte, error) {
	data, err := readAllSized(io.LimitReader(in.src, max+1), min(in.hint, max)+1)
	if err != nil {
		return nil, readError(name, err)
	}
	if int64(len(data)) > max {
		return nil, tooLarge(name, max)
	}
	return data, nil
}

// readError is the error for err met while reading an input.
func readError(name string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
		return &Error{File: name, Msg: "the gzip stream is truncated or corrupt (" + err.Error() + "); nothing was read"}
	}
	return &Error{File: name, Msg: err.Error()}
}

func tooLarge(name string, max int64) error {
	return &Error{File: name, Msg: fmt.Sprintf("input larger than the limit of %d bytes (raise it with the input size limit)", max)}
}

// sizeHint guesses the size of what r holds once decompressed, to read
// it into one buffer of that size rather than one that doubles: the size
// of a file, or for a gzip file the size its trailer records (modulo
// 2³², of the last member only: a hint, never trusted, and at most 32
// times the file). 0 when unknown.
func sizeHint(r io.Reader, gzipped bool) int64 {
	f, ok := r.(*os.File)
	if !ok {
		return 0
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0
	}
	if !gzipped {
		return st.Size()
	}
	var trailer [4]byte
	if st.Size() < 18 {
		return 0
	}
	if _, err := f.ReadAt(trailer[:], st.Size()-4); err != nil {
		return 0
	}
	// A corrupt or hostile trailer must not size the buffer: text
	// rarely compresses more than tenfold.
	return min(int64(binary.LittleEndian.Uint32(trailer[:])), 32*st.Size())
}

// readAllSized is io.ReadAll starting from a buffer of size bytes.
func readAllSized(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, max(size, 512))
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// decode turns raw bytes into UTF-8 text, without a BOM.
func decode(raw []byte, encoding string) (string, string, error) {
	switch strings.ToLower(strings.ReplaceAll(encoding, "_", "-")) {
	case "":
		raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
		if utf8.Valid(raw) {
			return ownedString(raw), "utf-8", nil
		}
		// Multi-byte UTF-8 sequences do not happen by chance in Latin-1
		// text: a file that holds some is UTF-8 with a few broken bytes,
		// which become U+FFFD (counted), not a reason to misread the rest.
		if bad, multi := utf8Damage(raw); multi > 0 && bad <= multi {
			return strings.ToValidUTF8(string(raw), "\uFFFD"), fmt.Sprintf("utf-8 (%d invalid bytes replaced by U+FFFD)", bad), nil
		}
		out, err := charmap.Windows1252.NewDecoder().Bytes(raw)
		return string(out), "windows-1252", err
	case "utf-8", "utf8":
		raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(raw) {
			i := 0
			for i < len(raw) {
				r, size := utf8.DecodeRune(raw[i:])
				if r == utf8.RuneError && size == 1 {
					break
				}
				i += size
			}
			line := bytes.Count(raw[:i], []byte("\n")) + 1
			return "", "", fmt.Errorf("line %d: invalid UTF-8 byte 0x%02x at offset %d; read the file with encoding windows-1252 or iso-8859-1", line, raw[i], i)
		}
		return ownedString(raw), "utf-8", nil
	case "iso-8859-1", "latin1", "latin-1":
		out, err := charmap.ISO8859_1.NewDecoder().Bytes(raw)
		return string(out), "iso-8859-1", err
	case "windows-1252", "cp1252":
		out, err := charmap.Windows1252.NewDecoder().Bytes(raw)
		return string(out), "windows-1252", err
	}
	return "", "", fmt.Errorf("unknown encoding %q; want utf-8, iso-8859-1 or windows-1252", encoding)
}

// ownedString returns the bytes of b as a string without copying them: the
// input, already valid UTF-8, is not held twice while it is parsed. b
// must be owned by the caller and never written again (decode's input is
// the buffer readAll filled, dropped once parsed).
func ownedString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// utf8Damage counts the invalid bytes and the valid multi-byte sequences
// of b.
func utf8Damage(b []byte) (bad, multi int) {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			bad++
		case size > 1:
			multi++
		}
		i += size
	}
	return bad, multi
}

// reader turns rows into contributions.
type reader struct {
	cfg  Config
	name string
	res  *Result
	seen idIndex
	keep arena
}

// idIndex finds the ids already read, and the line of each one's first
// occurrence. While the ids come in increasing order, as an export sorted
// by id gives them, an id above the last is new and no table is needed:
// only the lines are kept, in an array. At the first id out of order the
// ids so far go into a table keyed by a 64-bit hash of the id, so that it
// holds no pointer: a large file's reading does not make the garbage
// collector trace a string per contribution at every cycle. Ids whose
// hash is another id's go to a map of their own (none, in practice).
type idIndex struct {
	hint     int   // a guess of the number of ids, to size the table
	lines    []int // while in order: the line of each contribution
	seed     maphash.Seed
	byHash   map[uint64]firstID // nil while in order
	collided map[string]int     // id → line of first occurrence
}

// firstID is the contribution an id hash first came with, and its line.
type firstID struct{ index, line int }

// newIDIndex returns an index sized for rows ids.
func newIDIndex(rows int) idIndex {
	return idIndex{hint: rows, lines: make([]int, 0, rows)}
}

// firstLine returns the line where id was first seen, if it was, among
// the contributions indexed so far (which contributions holds), and
// otherwise records it as contribution index, at line.
func (x *idIndex) firstLine(id string, index, line int, contributions []Contribution) (int, bool) {
	if x.byHash == nil {
		if index == 0 || id > contributions[index-1].ID {
			x.lines = append(x.lines, line)
			return 0, false
		}
		x.seed = maphash.MakeSeed()
		x.byHash = make(map[uint64]firstID, max(x.hint, 2*index))
		for k, l := range x.lines {
			x.insert(contributions[k].ID, k, l, contributions)
		}
		x.lines = nil
	}
	return x.insert(id, index, line, contributions)
}

// insert is firstLine once the ids are in the table.
func (x *idIndex) insert(id string, index, line int, contributions []Contribution) (int, bool) {
	h := maphash.String(x.seed, id)
	first, ok := x.byHash[h]
	if !ok {
		x.byHash[h] = firstID{index, line}
		return 0, false
	}
	if contributions[first.index].ID == id {
		return first.line, true
	}
	if l, ok := x.collided[id]; ok {
		return l, true
	}
	if x.collided == nil {
		x.collided = map[string]int{}
	}
	x.collided[id] = line
	return 0, false
}

// arena copies the strings a contribution keeps into large shared
// blocks. The CSV reader returns the fields of a record in a buffer that
// the next record overwrites (recordReader): the fields kept are copied,
// without the columns nobody asked for (a Cap Collectif export has one
// per question), and cost no allocation of their own.
type arena struct {
	block []byte
}

// arenaBlock is the size of an arena's blocks; longer strings get a
// block of their own.
const arenaBlock = 1 << 20

// string returns a copy of s held by the arena.
func (a *arena) string(s string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > arenaBlock/4 {
		return strings.Clone(s)
	}
	if len(a.block)+len(s) > cap(a.block) {
		a.block = make([]byte, 0, arenaBlock)
	}
	start := len(a.block)
	a.block = append(a.block, s...)
	// The bytes are never written again: later strings are appended
	// after them, and a full block is replaced, not reused.
	return unsafe.String(&a.block[start], len(s))
}

// add checks and records one contribution read at line.
func (rd *reader) add(line, endLine int, c Contribution) {
	switch {
	case strings.TrimSpace(c.ID) == "":
		rd.reject(line, endLine, "", "empty id")
		return
	case strings.IndexByte(c.Text, 0) >= 0:
		rd.reject(line, endLine, c.ID, "NUL byte in the text: binary data, not text")
		return
	case len(c.Text) > rd.cfg.MaxTextBytes:
		rd.reject(line, endLine, c.ID, fmt.Sprintf("text of %d bytes, over the limit of %d (raise the text size limit to keep it)", len(c.Text), rd.cfg.MaxTextBytes))
		return
	}
	if first, ok := rd.seen.firstLine(c.ID, len(rd.res.Contributions), line, rd.res.Contributions); ok {
		rd.reject(line, endLine, c.ID, fmt.Sprintf("duplicate id, first seen at line %d", first))
		return
	}
	rd.res.Contributions = append(rd.res.Contributions, c)
}

func (rd *reader) reject(line, endLine int, id, reason string) {
	if endLine < line {
		endLine = line
	}
	rd.res.Rejects = append(rd.res.Rejects, Reject{Line: line, EndLine: endLine, ID: id, Reason: reason})
}

// columns resolves the id, text and meta columns of a header (CSV) or of
// the keys seen (JSON), with the preset's defaults.
type columns struct {
	id    string
	texts []string
	meta  []string
	html  bool // strip HTML from the text columns
}

func (rd *reader) columns() columns {
	c := columns{id: rd.cfg.IDColumn, texts: rd.cfg.TextColumns, meta: rd.cfg.MetaColumns}
	switch rd.cfg.Preset {
	case "decidim":
		if len(c.texts) == 0 {
			c.texts = []string{"title/fr", "body/fr"}
		}
		if len(c.meta) == 0 {
			c.meta = []string{"category/name/fr", "scope/name/fr", "state", "endorsements/total_count", "comments", "published_at"}
		}
		c.html = true
	case "consul":
		if len(c.texts) == 0 {
			c.texts = []string{"title", "summary", "description"}
		}
		if len(c.meta) == 0 {
			c.meta = []string{"geozone", "tags", "cached_votes_up", "created_at"}
		}
		c.html = true
	}
	if c.id == "" {
		c.id = "id"
	}
	if len(c.texts) == 0 {
		c.texts = []string{"text"}
	}
	return c
}

// joinTexts joins the non-empty text cells with a blank line.
func joinTexts(parts []string) string {
	var kept []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "\n\n")
}
