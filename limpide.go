// Package limpide turns French citizen contributions (answers to public
// consultations, participatory-budget proposals, comments) into a
// synthesis of themes that anyone can check: every theme traces back to its
// source contributions, down to the exact characters, reproducibly.
//
// The work is done by the packages below this one, in the order data flows
// through them:
//
//	tokenize   French text → tokens with exact byte spans, Snowball French stems
//	cluster    token streams → TF-IDF rows → spherical k-means themes
//
// This package holds the library version and a small real corpus that
// examples and tests run on.
package limpide

import _ "embed"

// Version is the library version recorded in every report's manifest.
const Version = "0.1.0-dev"

//go:embed testdata/granddebat_sample.csv
var grandDebatSample []byte

// GrandDebatSample returns a real Grand Débat National sample as CSV: 2,040
// answers (40 to each of the 51 questions of the labelled benchmark), with
// the columns id, text, label, question_id and question. Licence Ouverte /
// Etalab 2.0: « Mission du Grand Débat National, export open data du 21 mars
// 2019 ». See testdata/README.md for its provenance.
func GrandDebatSample() []byte {
	return append([]byte(nil), grandDebatSample...)
}
