package tokenize

import "unicode"

func toLower(r rune) rune { return unicode.ToLower(r) }
