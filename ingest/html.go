package ingest

import (
	"html"
	"regexp"
	"strings"
)

var (
	htmlBreak = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li|/h[1-6]|/tr|/blockquote)\s*/?\s*>`)
	htmlTag   = regexp.MustCompile(`<[^<>]*>`)
	manyLines = regexp.MustCompile(`\n{3,}`)
)

// stripHTML turns an HTML fragment (a Decidim or Consul body) into text:
// block ends and <br> become line breaks, other tags go, entities are
// unescaped. It reports whether it changed anything.
func stripHTML(s string) (string, bool) {
	if !strings.ContainsAny(s, "<&") {
		return s, false
	}
	out := htmlBreak.ReplaceAllString(s, "\n")
	out = htmlTag.ReplaceAllString(out, "")
	out = html.UnescapeString(out)
	out = strings.ReplaceAll(out, "\r\n", "\n")
	out = manyLines.ReplaceAllString(out, "\n\n")
	out = strings.TrimSpace(out)
	return out, out != s
}
