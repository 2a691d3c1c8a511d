// Package jsonenc appends JSON values byte for byte as encoding/json
// writes them, for the encoders that write hundreds of thousands of
// contributions and cannot afford reflection on each.
package jsonenc

import (
	"maps"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf8"
)

// safe holds the ASCII bytes written as they are.
var safe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// String appends s as a JSON string, escaping what encoding/json escapes
// and as it does: quotes, backslashes, control characters (\n \r \t \b \f
// short, the others as \u00XX), <, > and & (so that no text can
// close a script element), U+2028 and U+2029; invalid UTF-8 becomes
// U+FFFD.
//
// Contribution texts are long runs of plain ASCII broken by accented
// letters: eight bytes are tested at a time for anything to escape or
// decode, and the two-byte letters (é, à, ç…) are checked in place rather
// than decoded.
func String(b []byte, s string) []byte {
	b, _ = StringBMP(b, s)
	return b
}

// StringBMP is String, and reports whether s is valid UTF-8 without a
// character beyond U+FFFF: a string whose every character is one UTF-16
// code unit, as String found out while encoding it.
func StringBMP(b []byte, s string) ([]byte, bool) {
	const hex = "0123456789abcdef"
	bmp := true
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		for i+8 <= len(s) {
			t := s[i : i+8] // one load: no bounds check between the bytes
			m := special(uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
				uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56)
			if m != 0 {
				i += bits.TrailingZeros64(m) / 8
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if safe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		// U+0080 to U+07FF: a lead byte C2-DF and one continuation byte.
		if 0xC2 <= c && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if size == 4 {
			bmp = false
		}
		switch {
		case r == utf8.RuneError && size == 1:
			bmp = false
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"'), bmp
}

// special flags, in the high bit of each byte of w (eight bytes of text,
// the first lowest), the bytes String cannot copy as they are: non-ASCII,
// control characters, ", \\, <, > and &. Bytes above a flagged one may be
// flagged wrongly (a borrow runs on), the lowest flag never is: it marks
// the first byte to look at.
func special(w uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	// A byte below 0x20 borrows in w-0x20. A zero byte borrows in its -1:
	// " (0x22) and & (0x26) are the bytes zero in w^0x22 once bit 2 is
	// cleared, < (0x3C) and > (0x3E) once bit 1 is.
	qa := (w ^ '"'*ones) &^ (4 * ones)
	lg := (w ^ '<'*ones) &^ (2 * ones)
	bs := w ^ '\\'*ones
	m := w | (w-0x20*ones)&^w | (qa-ones)&^qa | (lg-ones)&^lg | (bs-ones)&^bs
	return m & highs
}

// StringMap appends m as a JSON object with its keys sorted, as
// encoding/json writes a map[string]string; a nil map is null.
func StringMap(b []byte, m map[string]string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	b = append(b, '{')
	for k, key := range slices.Sorted(maps.Keys(m)) {
		if k > 0 {
			b = append(b, ',')
		}
		b = String(b, key)
		b = append(b, ':')
		b = String(b, m[key])
	}
	return append(b, '}')
}

// Float appends a finite float64 as encoding/json does: the shortest
// representation, in exponent form only below 1e-6 or from 1e21 on.
func Float(b []byte, f float64) []byte {
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 4096 {
		if n := math.Round(abs * 1e12); n/1e12 == abs {
			return appendMicros(b, f < 0, uint64(n))
		}
	}
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9, as encoding/json writes it.
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendMicros appends n·10⁻¹² (with a minus sign when neg) in the
// shortest form strconv gives the float64 nearest to it, for the values
// the report rounds to twelve decimals (see Float).
//
// Why it is the same: the decimal n·10⁻¹² parses back to abs, since both
// are the float64 nearest to the exact quotient. Any other decimal with
// no more fraction digits differs from it by at least 10⁻¹², which is
// more than a unit in the last place of abs below 4096, so it parses to
// another float64: the decimal is the only shortest one, and strconv
// writes it, trailing zeros dropped.
func appendMicros(b []byte, neg bool, n uint64) []byte {
	if neg {
		b = append(b, '-')
	}
	const unit = 1_000_000_000_000
	b = Int(b, int(n/unit)) // below 4096
	return Fraction(b, n%unit, 12)
}

// Fraction appends the fraction frac·10^−places (frac below 10^places,
// places at most 19) as a decimal point and its digits, trailing zeros
// dropped; nothing when frac is 0. After an integer part, it writes a
// number rounded to places decimals in fixed point.
func Fraction(b []byte, frac uint64, places int) []byte {
	if frac == 0 {
		return b
	}
	n := len(b)
	b = slices.Grow(b, 1+places)[:n+1+places]
	b[n] = '.'
	d := b[n+1:]
	if places == 12 {
		// The report's twelve decimals: two halves of six digits, two
		// chains of divisions that run side by side.
		hi, lo := uint32(frac/1_000_000), uint32(frac%1_000_000)
		put6(d[0:6], hi)
		put6(d[6:12], lo)
	} else {
		// Two digits at a time from the right, from a table: half the
		// dependent divisions of one digit at a time.
		i := places
		for ; i >= 2; i -= 2 {
			q := frac / 100
			r := frac - q*100
			d[i-1], d[i-2] = pairs[2*r+1], pairs[2*r]
			frac = q
		}
		if i == 1 {
			d[0] = byte('0' + frac)
		}
	}
	end := places
	for d[end-1] == '0' {
		end--
	}
	return b[:n+1+end]
}

// put6 writes the six digits of v, below 10⁶, into d.
func put6(d []byte, v uint32) {
	_ = d[5]
	q := v / 100
	r := v - q*100
	d[5], d[4] = pairs[2*r+1], pairs[2*r]
	v = q
	q = v / 100
	r = v - q*100
	d[3], d[2] = pairs[2*r+1], pairs[2*r]
	d[1], d[0] = pairs[2*q+1], pairs[2*q]
}

// pairs holds the two digits of every number below 100.
const pairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// Int appends n in decimal, as strconv.AppendInt does. The byte offsets
// of spans, most of what a report's numbers are, are below 10,000: they
// are written digit by digit, without strconv's call and copy.
func Int(b []byte, n int) []byte {
	switch {
	case n < 0 || n >= 10000:
		return strconv.AppendInt(b, int64(n), 10)
	case n < 10:
		return append(b, byte('0'+n))
	case n < 100:
		return append(b, byte('0'+n/10), byte('0'+n%10))
	case n < 1000:
		return append(b, byte('0'+n/100), byte('0'+n/10%10), byte('0'+n%10))
	}
	return append(b, byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}
